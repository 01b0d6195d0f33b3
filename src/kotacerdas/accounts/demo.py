"""Demo accounts: one per role, so that anyone can walk the product at once.

Later features add their own demo objects (registrations in every state, …)
through the same command.
"""

from dataclasses import dataclass

from django.db import transaction

from kotacerdas.accounts.models import Role, User
from kotacerdas.accounts.services import create_user
from kotacerdas.regions.models import Region


@dataclass(frozen=True)
class DemoAccount:
    email: str
    password: str
    full_name: str
    roles: tuple
    region_code: str | None = None
    agency: str = ""
    position: str = ""
    staff: bool = False


DEMO_ACCOUNTS = [
    DemoAccount(
        "admin@demo.ppti.id",
        "demo-admin-2026",
        "Ratna Wulandari",
        (Role.ADMIN,),
        staff=True,
    ),
    DemoAccount(
        "asesor@demo.ppti.id", "demo-asesor-2026", "Budi Santoso", (Role.ASSESSOR,)
    ),
    DemoAccount(
        "asesor2@demo.ppti.id", "demo-asesor-2026", "Dewi Lestari", (Role.ASSESSOR,)
    ),
    DemoAccount(
        "instruktur@demo.ppti.id",
        "demo-instruktur-2026",
        "Agus Prasetyo",
        (Role.INSTRUCTOR,),
    ),
    DemoAccount(
        "koordinator@surakarta.demo.id",
        "demo-peserta-2026",
        "Sri Handayani",
        (Role.PARTICIPANT,),
        region_code="33.72",
        agency="Dinas Komunikasi dan Informatika",
        position="Kepala Bidang Aplikasi Informatika",
    ),
    DemoAccount(
        "anggota@surakarta.demo.id",
        "demo-anggota-2026",
        "Yusuf Hidayat",
        (Role.REGION_MEMBER,),
        region_code="33.72",
        agency="Badan Perencanaan Pembangunan Daerah",
        position="Analis Data",
    ),
    DemoAccount(
        "koordinator@bogor.demo.id",
        "demo-peserta-2026",
        "Rina Marlina",
        (Role.PARTICIPANT,),
        region_code="32.01",
        agency="Dinas Komunikasi dan Informatika",
        position="Sekretaris Dinas",
    ),
]


@transaction.atomic
def create_demo_accounts():
    """Create the demo accounts that do not exist yet; leave existing ones alone.

    Returns ``[(account, created)]``.
    """
    regions = {r.code: r for r in Region.objects.filter(code__in=_region_codes())}
    results = []
    for account in DEMO_ACCOUNTS:
        if User.objects.filter(email=account.email).exists():
            results.append((account, False))
            continue
        user = create_user(
            email=account.email,
            full_name=account.full_name,
            password=account.password,
            roles=account.roles,
            region=regions.get(account.region_code),
            agency=account.agency,
            position=account.position,
            is_staff=account.staff,
            is_superuser=account.staff,
        )
        results.append((account, user is not None))
    return results


def _region_codes():
    return [a.region_code for a in DEMO_ACCOUNTS if a.region_code]
