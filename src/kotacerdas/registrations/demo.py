"""Demo registrations, one region in each state, made by the domain functions.

``create_demo_data`` calls ``create_demo_registrations`` after the demo accounts.
A region that already has a registration is left alone, so running it again
creates nothing new.
"""

import logging
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from kotacerdas.accounts.models import Role, User
from kotacerdas.accounts.services import create_user
from kotacerdas.common.uploads import DOCUMENTS, PrivateFileField
from kotacerdas.indicators.models import Indicator
from kotacerdas.regions.models import Region
from kotacerdas.registrations import checklist, services
from kotacerdas.registrations.models import Registration, RegistrationState

logger = logging.getLogger(__name__)

DEMO_ADMIN = "admin@demo.ppti.id"
PASSWORD = "demo-peserta-2026"  # noqa: S105 -- the published demo password


@dataclass(frozen=True)
class DemoPerson:
    email: str
    full_name: str
    region_code: str
    role: str
    agency: str
    position: str


# Coordinators (and a member each) for the regions accounts/demo.py has none for.
DEMO_PEOPLE = [
    DemoPerson(
        "koordinator@bandung.demo.id",
        "Asep Sunandar",
        "32.73",
        Role.PARTICIPANT,
        "Dinas Komunikasi dan Informatika",
        "Kepala Bidang Persandian dan Statistik",
    ),
    DemoPerson(
        "anggota@bandung.demo.id",
        "Euis Komariah",
        "32.73",
        Role.REGION_MEMBER,
        "Badan Perencanaan Pembangunan Daerah",
        "Perencana Ahli Muda",
    ),
    DemoPerson(
        "koordinator@makassar.demo.id",
        "Andi Baso Tenri",
        "73.71",
        Role.PARTICIPANT,
        "Dinas Komunikasi dan Informatika",
        "Sekretaris Dinas",
    ),
    DemoPerson(
        "koordinator@sleman.demo.id",
        "Wahyu Nugroho",
        "34.04",
        Role.PARTICIPANT,
        "Dinas Komunikasi dan Informatika",
        "Kepala Bidang Aplikasi",
    ),
    DemoPerson(
        "koordinator@jayapura.demo.id",
        "Yohana Wenda",
        "91.71",
        Role.PARTICIPANT,
        "Dinas Komunikasi dan Informatika",
        "Kepala Seksi Tata Kelola",
    ),
    DemoPerson(
        "anggota@bogor.demo.id",
        "Dedi Kurniawan",
        "32.01",
        Role.REGION_MEMBER,
        "Dinas Lingkungan Hidup",
        "Analis Lingkungan",
    ),
]

# region code -> (coordinator's e-mail, target state)
DEMO_REGISTRATIONS = [
    ("33.72", "koordinator@surakarta.demo.id", RegistrationState.ACCEPTED),
    ("32.01", "koordinator@bogor.demo.id", RegistrationState.RETURNED),
    ("32.73", "koordinator@bandung.demo.id", RegistrationState.SUBMITTED),
    ("73.71", "koordinator@makassar.demo.id", RegistrationState.DRAFT),
    ("34.04", "koordinator@sleman.demo.id", RegistrationState.REJECTED),
    ("91.71", "koordinator@jayapura.demo.id", RegistrationState.WITHDRAWN),
]

DOCUMENT_TITLES = {
    "application_letter": "Surat Permohonan Penilaian Indeks Kematangan Kota Cerdas",
    "team_decree": "Keputusan Kepala Daerah tentang Tim Pelaksana Kota Cerdas",
    "implementation_plan": "Dokumen Rencana Penerapan Indikator Kota Cerdas",
}


def demo_pdf(title, region, note=""):
    """A small real PDF naming the document and the region."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    page.setTitle(title)
    page.setFont("Helvetica-Bold", 14)
    page.drawString(72, 760, title)
    page.setFont("Helvetica", 11)
    page.drawString(72, 735, str(region))
    page.drawString(72, 715, "Dokumen contoh untuk demo; bukan dokumen resmi.")
    if note:
        page.drawString(72, 695, note)
    page.showPage()
    page.save()
    return buffer.getvalue()


def _checked_upload(name, content):
    """The file as the upload form would hand it over, checked by content."""
    uploaded = SimpleUploadedFile(name, content, content_type="application/pdf")
    return PrivateFileField(kinds=DOCUMENTS).clean(uploaded)


@contextmanager
def _without_external_checks():
    """Submit without the checks other apps registered (the training app's).

    The demo shows every state whatever the demo team's training records say;
    those are the training app's demo to make, and it may run after this one.
    """
    saved = list(checklist.SUBMISSION_CHECKS)
    checklist.SUBMISSION_CHECKS.clear()
    try:
        yield
    finally:
        checklist.SUBMISSION_CHECKS.extend(saved)


def _demo_people(regions):
    for person in DEMO_PEOPLE:
        if User.objects.filter(email=person.email).exists():
            continue
        create_user(
            email=person.email,
            full_name=person.full_name,
            password=PASSWORD,
            roles=[person.role],
            region=regions[person.region_code],
            agency=person.agency,
            position=person.position,
        )


def _items(failed=None):
    items = dict.fromkeys(checklist.CHECKLIST, (True, ""))
    if failed:
        items[failed[0]] = (False, failed[1])
    return items


def _fill(registration, coordinator, clauses):
    by_clause = {i.clause: i for i in Indicator.objects.filter(clause__in=clauses)}
    services.save_draft(
        registration,
        actor=coordinator,
        fields={"contact_phone": coordinator.phone or "0800 1234 5678"},
        indicators=[by_clause[c] for c in clauses if c in by_clause],
    )
    for field, title in DOCUMENT_TITLES.items():
        services.attach_document(
            registration,
            field,
            _checked_upload(f"{field}.pdf", demo_pdf(title, registration.region)),
            actor=coordinator,
        )


def _catalogue_clauses(count, start=0):
    return list(
        Indicator.objects.active()
        .order_by("sort_key")
        .values_list("clause", flat=True)[start : start + count]
    )


def _bring_to(registration, state, *, coordinator, admin):
    """Walk the registration from its complete draft to ``state``."""
    if state == RegistrationState.DRAFT:
        return
    if state == RegistrationState.WITHDRAWN:
        services.withdraw_registration(
            registration,
            actor=coordinator,
            note="Tim belum lengkap; mendaftar lagi periode berikutnya.",
        )
        return

    services.submit_registration(registration, actor=coordinator)
    if state == RegistrationState.SUBMITTED:
        return
    if state == RegistrationState.REJECTED:
        services.reject_registration(
            registration,
            actor=admin,
            note="Surat permohonan tidak ditandatangani kepala daerah.",
        )
        return

    services.return_registration(
        registration,
        actor=admin,
        items=_items(
            ("team_decree", "Halaman tanda tangan SK tidak terbaca; unggah ulang.")
        ),
        note="Mohon perbaiki SK tim, lalu kirim kembali.",
    )
    if state == RegistrationState.RETURNED:
        return

    # Accepted after a second round, so the demo shows a round comparison and
    # an agreed set that differs from the proposal by one in and one out.
    services.attach_document(
        registration,
        "team_decree",
        _checked_upload(
            "team_decree-revisi.pdf",
            demo_pdf(DOCUMENT_TITLES["team_decree"], registration.region, "Revisi"),
        ),
        actor=coordinator,
    )
    services.submit_registration(registration, actor=coordinator)
    proposed = list(registration.proposed_indicators.order_by("sort_key"))
    extra = (
        Indicator.objects.active()
        .exclude(pk__in=[i.pk for i in proposed])
        .order_by("sort_key")
        .first()
    )
    services.accept_registration(
        registration,
        actor=admin,
        items=_items(),
        added={extra: "Data tersedia dan penting untuk tema ini."},
        removed={proposed[-1]: "Data belum dihimpun oleh perangkat daerah mana pun."},
        note="Lengkap. Selamat mengikuti tahap penilaian kesiapan.",
    )


@transaction.atomic
def create_demo_registrations(period=None):
    """Create the demo registrations that do not exist yet.

    Returns ``[(region, state, created)]``. Side effects: demo people, the
    registrations with their rounds, files, audit events and notifications.
    """
    period = period or timezone.localdate().year + 1
    codes = {code for code, _email, _state in DEMO_REGISTRATIONS}
    codes |= {person.region_code for person in DEMO_PEOPLE}
    regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
    _demo_people(regions)
    admin = User.objects.get(email=DEMO_ADMIN)

    results = []
    for number, (code, email, state) in enumerate(DEMO_REGISTRATIONS):
        region = regions[code]
        if Registration.objects.filter(region=region).exists():
            results.append((region, state, False))
            continue
        coordinator = User.objects.get(email=email)
        registration = services.start_registration(
            actor=coordinator, region=region, period=period
        )
        _fill(registration, coordinator, _catalogue_clauses(8, start=number * 8))
        with _without_external_checks():
            _bring_to(registration, state, coordinator=coordinator, admin=admin)
        results.append((region, state, True))
        logger.info("demo registration %s %s: %s", region.code, period, state)
    return results
