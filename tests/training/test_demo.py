"""The demo trainings: what they contain, and that running twice adds nothing."""

import pytest

from kotacerdas.accounts.demo import create_demo_accounts
from kotacerdas.certificates.models import Signatory
from kotacerdas.training.demo import create_demo_training
from kotacerdas.training.models import (
    Attendance,
    Enrolment,
    ReadinessTrainingRecord,
    Referral,
    Session,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    create_demo_accounts()
    return create_demo_training()


def _snapshot():
    return (
        Session.objects.count(),
        Enrolment.objects.count(),
        Attendance.objects.count(),
        ReadinessTrainingRecord.objects.count(),
        Referral.objects.count(),
        Signatory.objects.count(),
    )


def test_the_demo_session_is_taught_by_the_demo_instructor(demo):
    session = Session.objects.get(title="Angkatan 1 — Surakarta")

    assert list(session.instructors.values_list("email", flat=True)) == [
        "instruktur@demo.ppti.id"
    ]


def test_the_demo_members_are_enrolled_with_one_day_attended(demo):
    session = Session.objects.get(title="Angkatan 1 — Surakarta")

    assert sorted(session.enrolments.values_list("user__email", "state")) == [
        ("anggota@surakarta.demo.id", "enrolled"),
        ("koordinator@surakarta.demo.id", "enrolled"),
    ]
    assert set(Attendance.objects.values_list("day", "present")) == {
        (session.starts_on, True)
    }


def test_the_demo_has_a_verified_and_a_pending_record_and_a_referral(demo):
    records = sorted(
        ReadinessTrainingRecord.objects.values_list("user__email", "state")
    )

    assert records == [
        ("anggota@surakarta.demo.id", "pending"),
        ("koordinator@surakarta.demo.id", "verified"),
    ]
    assert list(Referral.objects.values_list("user__email", "state")) == [
        ("koordinator@bogor.demo.id", "sent")
    ]


def test_running_the_demo_twice_adds_nothing(demo):
    before = _snapshot()

    create_demo_training()

    assert _snapshot() == before == (2, 2, 2, 2, 1, 1)


def test_without_the_demo_accounts_nothing_is_made(db):
    assert create_demo_training() == []
