"""A national-scale synthetic dataset for the benchmarks.

Every kabupaten and kota (514 of them) gets a coordinator and a team, and the
institute gets admins, assessors and instructors. The data is generated from a
seed, so two runs with the same seed and settings hold the same people.

Each part of the dataset is one generator: a function registered with
``@generator("name")`` that takes the shared :class:`Context`, writes its rows and
returns ``{label: count}``, or returns ``None`` when its rows are already there.
Generators run in the order they are registered, each in its own transaction, so
a later one (registrations, schedules, assessments, …) may read what an earlier
one wrote, and an interrupted run leaves whole parts, never half of one.

Run it alone to fill a database without benchmarking it::

    .venv/bin/python bench/generate.py --database-url sqlite:///bench/out/bench.sqlite3

It refuses a database whose name does not contain ``bench``: the generator adds
thousands of accounts, which must never land in a real database.
"""

import argparse
import os
import random
import secrets
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "bench" / "out"
DEFAULT_DATABASE_URL = f"sqlite:///{OUT_DIR / 'bench.sqlite3'}"

DEFAULT_SEED = 37122
DEFAULT_TEAM_SIZE = 4
DEFAULT_ADMINS = 3
DEFAULT_ASSESSORS = 40
DEFAULT_INSTRUCTORS = 10

# Every generated account has this domain and this password; the benchmark logs
# in with them. The domain is reserved (RFC 2606), so no mail can ever leave.
EMAIL_DOMAIN = "bench.kotacerdas.test"
PASSWORD = "bench-password-2026"  # noqa: S105 -- synthetic accounts only

# The region whose coordinator and team the benchmark logs in as: Kota Surakarta.
LOGIN_REGION_CODE = "33.72"

FIRST_NAMES = [
    "Agus", "Ahmad", "Andi", "Ani", "Arif", "Ayu", "Bambang", "Budi", "Dedi",
    "Dewi", "Dian", "Eka", "Endang", "Fajar", "Fitri", "Hendra", "Indah", "Irfan",
    "Joko", "Kartika", "Lestari", "Made", "Muhammad", "Nur", "Nyoman", "Putri",
    "Rahmat", "Ratna", "Rina", "Rizky", "Sari", "Sri", "Teguh", "Wahyu", "Wayan",
    "Yohanes", "Yuni", "Yusuf",
]  # fmt: skip
FAMILY_NAMES = [
    "Hidayat", "Handayani", "Harahap", "Kurniawan", "Lubis", "Marpaung",
    "Nasution", "Pangaribuan", "Pratama", "Prasetyo", "Purba", "Rahayu",
    "Saputra", "Santoso", "Setiawan", "Simanjuntak", "Siregar", "Situmorang",
    "Susanto", "Tambunan", "Wibowo", "Wijaya", "Wulandari", "Yulianti",
]  # fmt: skip
AGENCIES = [
    ("Dinas Komunikasi dan Informatika", "Kepala Bidang Aplikasi Informatika"),
    ("Badan Perencanaan Pembangunan Daerah", "Analis Data"),
    ("Dinas Kesehatan", "Kepala Seksi Data dan Informasi"),
    ("Dinas Pendidikan", "Pengelola Data Pendidikan"),
    ("Dinas Perhubungan", "Kepala Seksi Lalu Lintas"),
    ("Dinas Lingkungan Hidup", "Analis Lingkungan"),
    ("Dinas Pekerjaan Umum dan Penataan Ruang", "Perencana Tata Ruang"),
    ("Badan Pusat Statistik Daerah", "Statistisi"),
]


@dataclass
class Context:
    """What every generator shares: the knobs, the one password hash, and ``rng``,
    which ``generate`` seeds afresh for each generator."""

    seed: int = DEFAULT_SEED
    team_size: int = DEFAULT_TEAM_SIZE
    admins: int = DEFAULT_ADMINS
    assessors: int = DEFAULT_ASSESSORS
    instructors: int = DEFAULT_INSTRUCTORS
    rng: random.Random = field(default_factory=random.Random, init=False)
    _password_hash: str = field(default="", init=False, repr=False)

    @property
    def password_hash(self):
        """The hash of :data:`PASSWORD`, computed once for every account.

        Argon2 costs about 0.12 s a hash here, by design; hashing 2,600 passwords
        one by one would take over five minutes. Sharing one hash (and so one
        salt) would be wrong for real accounts, but here every account has the
        same known password anyway. Logging in still verifies the hash at full
        cost, so the login timings stay real.
        """
        if not self._password_hash:
            from django.contrib.auth.hashers import make_password

            # A salt from the seed keeps even the hash the same run to run.
            self._password_hash = make_password(
                PASSWORD, salt=f"kotacerdas-bench-{self.seed}"
            )
        return self._password_hash

    def person(self):
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(FAMILY_NAMES)}"

    def phone(self):
        return "08" + "".join(str(self.rng.randrange(10)) for _ in range(10))


@dataclass
class StepReport:
    name: str
    seconds: float
    created: dict | None  # None: skipped, its rows were already there

    def describe(self):
        if self.created is None:
            return f"{self.name}: already there ({self.seconds:.2f} s)"
        counts = ", ".join(f"{n} {label}" for label, n in self.created.items())
        return f"{self.name}: {counts} ({self.seconds:.2f} s)"


GENERATORS = []


def generator(name):
    """Register a generator under ``name``; they run in registration order."""

    def register(function):
        GENERATORS.append((name, function))
        return function

    return register


# -- Addresses shared with the benchmark ------------------------------------------


def region_slug(code):
    return code.replace(".", "-")


def coordinator_email(code):
    return f"koordinator.{region_slug(code)}@{EMAIL_DOMAIN}"


def member_email(code, number):
    return f"anggota{number}.{region_slug(code)}@{EMAIL_DOMAIN}"


def staff_email(role, number):
    return f"{role}{number:02d}@{EMAIL_DOMAIN}"


def login_email(role):
    """The account the benchmark logs in as for ``role`` (a Role value)."""
    if role == "participant":
        return coordinator_email(LOGIN_REGION_CODE)
    if role == "region_member":
        return member_email(LOGIN_REGION_CODE, 1)
    return staff_email(role, 1)


# -- Generators --------------------------------------------------------------------


@generator("reference data")
def generate_reference_data(ctx):
    """Regions, the ISO 37122 catalogue and the methodology, as `make db` loads
    them; the loaders compare before they write, so a second run is cheap."""
    from kotacerdas.indicators.services import (
        load_catalogue,
        load_default_methodologies,
    )
    from kotacerdas.regions.services import load_regions

    regions = load_regions()
    catalogue = load_catalogue()
    methodologies = load_default_methodologies()
    if not regions.created and not catalogue.created:
        return None
    return {
        "regions": regions.created,
        "catalogue rows": catalogue.created,
        "methodologies": sum(outcome == "created" for _, outcome in methodologies),
    }


@generator("institute staff")
def generate_staff(ctx):
    """Admins (staff and superusers, like the demo admin), assessors and
    instructors."""
    from kotacerdas.accounts.models import Role

    if _exists(staff_email(Role.ADMIN, 1)):
        return None
    counts = {
        Role.ADMIN: ctx.admins,
        Role.ASSESSOR: ctx.assessors,
        Role.INSTRUCTOR: ctx.instructors,
    }
    people = []
    for role, count in counts.items():
        is_admin = role == Role.ADMIN
        for number in range(1, count + 1):
            people.append(
                (
                    _user(
                        ctx,
                        staff_email(role, number),
                        is_staff=is_admin,
                        is_superuser=is_admin,
                    ),
                    [role],
                )
            )
    _save_people(people)
    return {f"{role.value}s": count for role, count in counts.items()}


@generator("region teams")
def generate_region_teams(ctx):
    """A coordinator and ``team_size`` members in every kabupaten and kota."""
    from kotacerdas.accounts.models import Role
    from kotacerdas.regions.models import Region

    if _exists(coordinator_email(LOGIN_REGION_CODE)):
        return None
    people = []
    for region in Region.objects.assessable().order_by("code"):
        agency, position = AGENCIES[0]
        coordinator = _user(
            ctx,
            coordinator_email(region.code),
            region=region,
            agency=agency,
            position=position,
        )
        people.append((coordinator, [Role.PARTICIPANT]))
        for number in range(1, ctx.team_size + 1):
            agency, position = AGENCIES[number % len(AGENCIES)]
            member = _user(
                ctx,
                member_email(region.code, number),
                region=region,
                agency=agency,
                position=position,
            )
            people.append((member, [Role.REGION_MEMBER]))
    _save_people(people)
    regions = len(people) // (ctx.team_size + 1)
    return {
        "regions": regions,
        "coordinators": regions,
        "team members": regions * ctx.team_size,
    }


def _exists(email):
    from kotacerdas.accounts.models import User

    return User.objects.filter(email=email).exists()


_JOINED = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)


def _user(ctx, email, **fields):
    from kotacerdas.accounts.models import User

    return User(
        email=email,
        full_name=ctx.person(),
        phone=ctx.phone(),
        password=ctx.password_hash,
        # A fixed start plus a seeded offset keeps the data the same run to run.
        date_joined=_JOINED + timedelta(minutes=ctx.rng.randrange(60 * 24 * 90)),
        **fields,
    )


def _save_people(people, batch_size=500):
    """Insert users and their roles in bulk.

    This skips ``accounts.services.create_user`` on purpose: it saves and audits
    one user at a time. So the generated accounts have no ``account.created``
    audit events, and ``UserRole.granted_at`` is the time of generation.
    """
    from kotacerdas.accounts.models import User, UserRole

    User.objects.bulk_create([user for user, _ in people], batch_size=batch_size)
    # Read the ids back instead of trusting bulk_create to set them: not every
    # database backend returns them.
    ids = dict(
        User.objects.filter(email__in=[user.email for user, _ in people]).values_list(
            "email", "pk"
        )
    )
    roles = [
        UserRole(user_id=ids[user.email], role=role)
        for user, user_roles in people
        for role in user_roles
    ]
    UserRole.objects.bulk_create(roles, batch_size=batch_size)


# -- Running -----------------------------------------------------------------------


def check_bench_database(database_url):
    """Refuse a database that is not obviously a benchmark one."""
    import dj_database_url

    name = str(dj_database_url.parse(database_url).get("NAME") or "")
    if "bench" not in Path(name).name:
        raise SystemExit(
            f"Refusing database {name!r}: its name must contain 'bench', because "
            "the generator adds thousands of synthetic accounts."
        )


def bench_environment(database_url):
    """The environment of a production-like process on the bench database."""
    return {
        "DJANGO_SETTINGS_MODULE": "kotacerdas.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_HTTPS": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_BENCH_QUERY_HEADER": "true",
        "DATABASE_URL": database_url,
        "DJANGO_LOG_LEVEL": "INFO",
        # Private uploads and anything else under var/ stay out of the dev tree.
        "DJANGO_VAR_DIR": str(OUT_DIR / "var"),
    }


def setup_django(environment):
    """Configure Django in this process; the environment must be final by now."""
    os.environ.update(environment)
    import django

    django.setup()


def migrate():
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    return time.perf_counter() - started


def generate(ctx=None, *, echo=print):
    """Run every generator in order; return a list of :class:`StepReport`.

    Side effects: writes the rows of each generator that has not run yet, each
    generator in one transaction.
    """
    from django.db import transaction

    ctx = ctx or Context()
    reports = []
    for name, function in GENERATORS:
        # Each generator draws from its own stream, so that skipping one (its rows
        # are there already) does not change what the next one generates.
        ctx.rng = random.Random(f"{ctx.seed}:{name}")
        started = time.perf_counter()
        with transaction.atomic():
            created = function(ctx)
        report = StepReport(name, time.perf_counter() - started, created)
        echo(f"  {report.describe()}")
        reports.append(report)
    return reports


def summary():
    """What the database holds, counted, whoever generated it."""
    from django.db.models import Count

    from kotacerdas.accounts.models import User, UserRole
    from kotacerdas.indicators.models import Indicator
    from kotacerdas.regions.models import Region

    roles = dict(
        UserRole.objects.values_list("role").annotate(n=Count("id")).order_by("role")
    )
    return {
        "regions (kab/kota)": Region.objects.assessable().count(),
        "indicators": Indicator.objects.count(),
        "users": User.objects.count(),
        **{f"role {role}": n for role, n in roles.items()},
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--team-size", type=int, default=DEFAULT_TEAM_SIZE)
    args = parser.parse_args(argv)

    check_bench_database(args.database_url)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    setup_django(
        {**bench_environment(args.database_url), "DJANGO_LOG_LEVEL": "WARNING"}
    )
    print(f"Migrating {args.database_url} … {migrate():.1f} s")
    started = time.perf_counter()
    generate(Context(seed=args.seed, team_size=args.team_size))
    print(f"Generated in {time.perf_counter() - started:.1f} s: {summary()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
