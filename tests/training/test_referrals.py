"""Referrals to the ministry: requested → sent → enrolled → completed, or
cancelled with a reason, each step recorded and told."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from kotacerdas.common.audit import events_for
from kotacerdas.common.models import Notification
from kotacerdas.common.workflow import WorkflowError
from kotacerdas.training.models import ReferralState
from kotacerdas.training.services import (
    cancel_referral,
    complete_referral,
    mark_referral_enrolled,
    record_readiness_training,
    request_referral,
    send_referral,
    verify_readiness_record,
)
from tests.training.factories import pdf_upload

pytestmark = pytest.mark.django_db

R = ReferralState
STEPS = {
    "send": send_referral,
    "enrol": mark_referral_enrolled,
    "complete": complete_referral,
    "cancel": lambda referral, actor: cancel_referral(
        referral, actor=actor, reason="Anggota pindah tugas."
    ),
}
PATH = [R.REQUESTED, R.SENT, R.ENROLLED, R.COMPLETED]
NEXT = {R.REQUESTED: "send", R.SENT: "enrol", R.ENROLLED: "complete"}


def _referral_in(state, coordinator, member, admin):
    referral = request_referral(actor=coordinator, user=member)
    if state == R.CANCELLED:
        STEPS["cancel"](referral, actor=admin)
    else:
        for step_state in PATH[: PATH.index(state)]:
            STEPS[NEXT[step_state]](referral, actor=admin)
    referral.refresh_from_db()
    return referral


ALLOWED = {
    ("send", R.REQUESTED): R.SENT,
    ("enrol", R.SENT): R.ENROLLED,
    ("complete", R.ENROLLED): R.COMPLETED,
    ("cancel", R.REQUESTED): R.CANCELLED,
    ("cancel", R.SENT): R.CANCELLED,
    ("cancel", R.ENROLLED): R.CANCELLED,
}
TABLE = [
    (name, source, ALLOWED.get((name, source)))
    for name in STEPS
    for source in ReferralState.values
]


@pytest.mark.parametrize(("name", "source", "target"), TABLE)
def test_referral_step_from_every_state(
    coordinator, member, admin, name, source, target
):
    referral = _referral_in(source, coordinator, member, admin)

    if target is None:
        with pytest.raises(WorkflowError):
            STEPS[name](referral, actor=admin)
    else:
        STEPS[name](referral, actor=admin)
    referral.refresh_from_db()

    assert referral.state == (target or source)


def test_the_whole_path_is_in_the_audit_trail(coordinator, member, admin):
    referral = _referral_in(R.COMPLETED, coordinator, member, admin)

    trail = [
        (e.action, e.from_state, e.to_state) for e in reversed(events_for(referral))
    ]

    assert trail == [
        ("training.referral_requested", "", "requested"),
        ("training.referral_sent", "requested", "sent"),
        ("training.referral_enrolled", "sent", "enrolled"),
        ("training.referral_completed", "enrolled", "completed"),
    ]


def test_each_step_tells_the_member_and_the_requester(coordinator, member, admin):
    referral = request_referral(actor=coordinator, user=member)
    Notification.objects.all().delete()

    send_referral(referral, actor=admin)

    assert sorted(
        Notification.objects.values_list("recipient__full_name", "action")
    ) == [
        ("Sri Handayani", "training.referral_sent"),
        ("Yusuf Hidayat", "training.referral_sent"),
    ]


def test_a_request_tells_the_admins(coordinator, member, admin):
    referral = request_referral(actor=coordinator, user=member)

    notification = Notification.objects.get(recipient=admin)
    assert notification.url == f"/pelatihan/rujukan/{referral.pk}/"


def test_cancelling_needs_a_reason(coordinator, member, admin):
    referral = request_referral(actor=coordinator, user=member)

    with translation.override("en"), pytest.raises(WorkflowError, match="reason"):
        cancel_referral(referral, actor=admin, reason="")


def test_cancelling_keeps_the_reason(coordinator, member, admin):
    referral = request_referral(actor=coordinator, user=member)

    cancel_referral(referral, actor=admin, reason="Sudah ikut pelatihan lain.")

    referral.refresh_from_db()
    assert referral.reason == "Sudah ikut pelatihan lain."


def test_only_an_admin_moves_a_referral(coordinator, member):
    referral = request_referral(actor=coordinator, user=member)

    with pytest.raises(PermissionDenied):
        send_referral(referral, actor=coordinator)


def test_a_second_open_referral_is_refused(coordinator, member):
    request_referral(actor=coordinator, user=member)

    with (
        translation.override("en"),
        pytest.raises(WorkflowError, match="already working on a referral"),
    ):
        request_referral(actor=member, user=member)


def test_a_new_referral_may_follow_a_cancelled_one(coordinator, member, admin):
    first = request_referral(actor=coordinator, user=member)
    cancel_referral(first, actor=admin, reason="Salah orang.")

    second = request_referral(actor=coordinator, user=member)

    assert second.state == R.REQUESTED


def test_a_member_with_a_verified_training_needs_no_referral(
    coordinator, member, admin
):
    from datetime import date

    training_record = record_readiness_training(
        actor=member,
        user=member,
        provider="Litbang Kemkominfo",
        completed_on=date(2026, 1, 5),
        certificate_number="SCR-1",
        uploaded=pdf_upload(),
    )
    verify_readiness_record(training_record, actor=admin)

    with (
        translation.override("en"),
        pytest.raises(WorkflowError, match="already has a verified"),
    ):
        request_referral(actor=coordinator, user=member)


def test_a_coordinator_of_another_region_cannot_ask(everyone, member):
    with pytest.raises(PermissionDenied):
        request_referral(actor=everyone["other_coordinator"], user=member)
