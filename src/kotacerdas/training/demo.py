"""Demo trainings: a running indicator-training session with attendance, an
upcoming online one, readiness records in two states and a referral.

Everything goes through the domain functions, so the demo carries the same
audit trail as real use. Running it again leaves what exists alone.
"""

import io
import logging
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from kotacerdas.accounts.models import User
from kotacerdas.certificates.models import Signatory
from kotacerdas.training import services
from kotacerdas.training.models import (
    CompletionRule,
    Enrolment,
    EnrolmentState,
    Programme,
    ReadinessTrainingRecord,
    Referral,
    Session,
)

logger = logging.getLogger(__name__)

ADMIN = "admin@demo.ppti.id"
INSTRUCTOR = "instruktur@demo.ppti.id"
SURAKARTA_COORDINATOR = "koordinator@surakarta.demo.id"
SURAKARTA_MEMBER = "anggota@surakarta.demo.id"
BOGOR_COORDINATOR = "koordinator@bogor.demo.id"


def _demo_certificate_pdf(name, number):
    """A one-page stand-in for the ministry's certificate."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=landscape(A4), invariant=1)
    page.setFont("Helvetica-Bold", 24)
    page.drawCentredString(421, 400, "Sertifikat Pelatihan Smart City Readiness")
    page.setFont("Helvetica", 16)
    page.drawCentredString(421, 350, name)
    page.drawCentredString(421, 320, f"No. {number} (contoh untuk demo)")
    page.showPage()
    page.save()
    return ContentFile(buffer.getvalue(), name=f"sertifikat-{number}.pdf")


def _programme():
    programme, _created = Programme.objects.get_or_create(
        name_en="Smart city indicator training (SNI ISO 37122:2019)",
        defaults={
            "name_id": "Pelatihan Indikator Kota Cerdas (SNI ISO 37122:2019)",
            "description_id": "Tiga hari: indikator, data, bukti dukung.",
            "description_en": "Three days: indicators, data, evidence.",
            "completion_rule": CompletionRule.ALL_DAYS,
        },
    )
    return programme


def _session(programme, title, instructor, **fields):
    session = Session.objects.filter(programme=programme, title=title).first()
    if session is None:
        session = Session.objects.create(programme=programme, title=title, **fields)
        session.instructors.add(instructor)
    return session


def _enrol(session, user, admin):
    if not Enrolment.objects.filter(session=session, user=user).exists():
        services.enrol(session, user, actor=admin)


def _signatory():
    if not Signatory.objects.exists():
        Signatory.objects.create(
            name="Dr. Ir. Hendra Gunawan, M.T.",
            title_id="Ketua Umum PPTI",
            title_en="Chair of PPTI",
            order=1,
        )


@transaction.atomic
def create_demo_training():
    """Create the demo trainings that do not exist yet. Returns a list of lines
    describing what is there."""
    people = {u.email: u for u in User.objects.filter(email__endswith=".demo.id")}
    people.update(
        {u.email: u for u in User.objects.filter(email__in=[ADMIN, INSTRUCTOR])}
    )
    admin, instructor = people.get(ADMIN), people.get(INSTRUCTOR)
    sri, yusuf = people.get(SURAKARTA_COORDINATOR), people.get(SURAKARTA_MEMBER)
    rina = people.get(BOGOR_COORDINATOR)
    if not all([admin, instructor, sri, yusuf, rina]):
        logger.warning("demo accounts missing; create them before the trainings")
        return []

    _signatory()
    today = timezone.localdate()
    programme = _programme()
    running = _session(
        programme,
        "Angkatan 1 — Surakarta",
        instructor,
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=1),
        venue="Balai Kota Surakarta, Jl. Jend. Sudirman No. 2",
        capacity=20,
    )
    upcoming = _session(
        programme,
        "Angkatan 2 — daring",
        instructor,
        starts_on=today + timedelta(days=14),
        ends_on=today + timedelta(days=15),
        online_url="https://meet.ppti.or.id/indikator-angkatan-2",
        capacity=2,
    )
    for user in (sri, yusuf):
        _enrol(running, user, admin)
    if not running.enrolments.filter(attendance__isnull=False).exists():
        present = running.enrolments.filter(state=EnrolmentState.ENROLLED)
        services.record_attendance(
            running,
            running.starts_on,
            list(present.values_list("pk", flat=True)),
            actor=instructor,
        )

    if not ReadinessTrainingRecord.objects.filter(user=sri).exists():
        verified = services.record_readiness_training(
            actor=sri,
            user=sri,
            provider="Litbang Kemkominfo",
            completed_on=today - timedelta(days=120),
            certificate_number="SCR-KOMINFO-2026-0412",
            uploaded=_demo_certificate_pdf(sri.full_name, "SCR-KOMINFO-2026-0412"),
        )
        services.verify_readiness_record(verified, actor=admin)
    if not ReadinessTrainingRecord.objects.filter(user=yusuf).exists():
        services.record_readiness_training(
            actor=sri,
            user=yusuf,
            provider="Litbang Kemkominfo",
            completed_on=today - timedelta(days=30),
            certificate_number="SCR-KOMINFO-2026-0977",
            uploaded=_demo_certificate_pdf(yusuf.full_name, "SCR-KOMINFO-2026-0977"),
        )
    if not Referral.objects.filter(user=rina).exists():
        referral = services.request_referral(
            actor=rina,
            user=rina,
            note="Belum pernah mengikuti pelatihan dari Kementerian.",
        )
        services.send_referral(referral, actor=admin)

    return [
        f"{running}: {running.enrolments.count()} enrolled, day 1 attended",
        f"{upcoming}: enrolment open, {upcoming.capacity} places",
        "readiness records: 1 verified, 1 awaiting verification; 1 referral sent",
    ]
