"""The demo registrations: one region in each state, made once."""

from io import BytesIO

import pytest
from django.core.management import call_command
from django.utils import translation
from pypdf import PdfReader

from kotacerdas.accounts.demo import create_demo_accounts
from kotacerdas.accounts.models import User
from kotacerdas.common.models import AuditEvent, StoredFile
from kotacerdas.registrations import checklist
from kotacerdas.registrations.demo import create_demo_registrations, demo_pdf
from kotacerdas.registrations.models import IndicatorChange, Registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    create_demo_accounts()
    return create_demo_registrations(period=2027)


def test_demo_has_a_region_in_every_state(demo):
    states = dict(Registration.objects.values_list("region__code", "state"))

    assert states == {
        "33.72": "accepted",
        "32.01": "returned",
        "32.73": "submitted",
        "73.71": "draft",
        "34.04": "rejected",
        "91.71": "withdrawn",
    }


def test_demo_accepted_registration_has_one_indicator_added_and_one_removed(demo):
    registration = Registration.objects.get(region__code="33.72")

    assert sorted(registration.indicator_changes.values_list("kind", flat=True)) == [
        IndicatorChange.Kind.ADDED,
        IndicatorChange.Kind.REMOVED,
    ]
    assert registration.rounds.count() == 2


def test_demo_returned_registration_has_a_failed_item(demo):
    registration = Registration.objects.get(region__code="32.01")

    failed = registration.rounds.get().items.filter(passed=False)
    assert list(failed.values_list("code", flat=True)) == ["team_decree"]


def test_running_the_demo_again_creates_nothing(demo):
    counts = (
        Registration.objects.count(),
        StoredFile.objects.count(),
        AuditEvent.objects.count(),
        User.objects.count(),
    )

    again = create_demo_registrations(period=2027)

    assert [created for _region, _state, created in again] == [False] * 6
    assert (
        Registration.objects.count(),
        StoredFile.objects.count(),
        AuditEvent.objects.count(),
        User.objects.count(),
    ) == counts


def test_demo_reaches_every_state_even_when_trainings_would_block(db, monkeypatch):
    blocking = [lambda registration: (["Pelatihan belum."], [])]
    monkeypatch.setattr(checklist, "SUBMISSION_CHECKS", blocking)
    create_demo_accounts()

    results = create_demo_registrations(period=2027)

    assert [created for _region, _state, created in results] == [True] * 6
    assert blocking == checklist.SUBMISSION_CHECKS


def test_demo_documents_are_real_pdfs_naming_the_document():
    reader = PdfReader(BytesIO(demo_pdf("Surat Permohonan", "Kota Surakarta")))

    page = reader.pages[0].extract_text()
    assert (
        len(reader.pages),
        "Surat Permohonan" in page,
        "Kota Surakarta" in page,
    ) == (
        1,
        True,
        True,
    )


def test_create_demo_data_command_lists_the_registrations(db, capsys):
    with translation.override("en"):
        call_command("create_demo_data")

    out = capsys.readouterr().out
    assert "Kota Surakarta                   accepted [new]" in out
