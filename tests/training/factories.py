"""Builders for the training and certificate tests.

People of each role, programmes and sessions are plain rows; everything that has
a state (records, referrals, enrolments, certificates) is made through the
domain functions, so its audit trail is the real one.
"""

import io
from datetime import timedelta

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from factory.django import DjangoModelFactory

from kotacerdas.accounts.models import Role
from kotacerdas.regions.models import Region
from kotacerdas.training.models import CompletionRule, Programme, Session
from tests.factories import ParticipantFactory, UserFactory

SURAKARTA = "33.72"
BOGOR = "32.01"


def pdf_bytes(text="Sertifikat uji"):
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, invariant=1)
    page.drawString(72, 720, text)
    page.save()
    return buffer.getvalue()


def pdf_upload(name="sertifikat.pdf", text="Sertifikat uji"):
    upload = SimpleUploadedFile(name, pdf_bytes(text), content_type="application/pdf")
    return upload


def coordinator(region_code=SURAKARTA, **kwargs):
    kwargs.setdefault("agency", "Dinas Komunikasi dan Informatika")
    kwargs.setdefault("position", "Kepala Bidang")
    return ParticipantFactory(region=Region.objects.get(code=region_code), **kwargs)


def member(region_code=SURAKARTA, **kwargs):
    kwargs.setdefault("agency", "Bappeda")
    kwargs.setdefault("position", "Analis Data")
    return UserFactory(
        region=Region.objects.get(code=region_code),
        roles=[Role.REGION_MEMBER],
        **kwargs,
    )


def admin_user(**kwargs):
    return UserFactory(roles=[Role.ADMIN], is_staff=True, **kwargs)


def instructor(**kwargs):
    return UserFactory(roles=[Role.INSTRUCTOR], **kwargs)


def people():
    """One user per role of the permission matrices."""
    return {
        "coordinator": coordinator(full_name="Sri Handayani"),
        "member": member(full_name="Yusuf Hidayat"),
        "other_coordinator": coordinator(BOGOR, full_name="Rina Marlina"),
        "assessor": UserFactory(roles=[Role.ASSESSOR], full_name="Budi Santoso"),
        "instructor": instructor(full_name="Agus Prasetyo"),
        "other_instructor": instructor(full_name="Wati Suryani"),
        "admin": admin_user(full_name="Ratna Wulandari"),
    }


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme

    name_id = factory.Sequence(lambda n: f"Pelatihan Indikator {n}")
    name_en = factory.Sequence(lambda n: f"Indicator training {n}")
    completion_rule = CompletionRule.ALL_DAYS
    min_share_percent = 80


class SessionFactory(DjangoModelFactory):
    """Three days starting in a week, in a hall with room for ten."""

    class Meta:
        model = Session
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Angkatan {n + 1}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=7))
    ends_on = factory.LazyAttribute(lambda s: s.starts_on + timedelta(days=2))
    venue = "Balai Kota Surakarta"
    capacity = 10

    @factory.post_generation
    def instructors(self, create, extracted, **kwargs):
        if create and extracted:
            self.instructors.set(extracted)


def running_session(**kwargs):
    """A session whose three days are over but for the last one, today."""
    today = timezone.localdate()
    kwargs.setdefault("starts_on", today - timedelta(days=2))
    kwargs.setdefault("ends_on", today)
    return SessionFactory(**kwargs)
