"""Step 1a: recording the ministry's training, and the admin's verification."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from kotacerdas.common.audit import events_for
from kotacerdas.common.models import Notification
from kotacerdas.common.workflow import WorkflowError
from kotacerdas.training.models import RecordState
from kotacerdas.training.services import (
    record_readiness_training,
    reject_readiness_record,
    verify_readiness_record,
)
from tests.training.factories import pdf_upload

pytestmark = pytest.mark.django_db


def _record(actor, user, **kwargs):
    kwargs.setdefault("provider", "Litbang Kemkominfo")
    kwargs.setdefault("completed_on", date(2026, 8, 17))
    kwargs.setdefault("certificate_number", "SCR-KOM-0042")
    kwargs.setdefault("uploaded", pdf_upload())
    return record_readiness_training(actor=actor, user=user, **kwargs)


def _in_state(training_record, state, admin):
    if state == RecordState.VERIFIED:
        verify_readiness_record(training_record, actor=admin)
    elif state == RecordState.REJECTED:
        reject_readiness_record(training_record, actor=admin, reason="Tidak terbaca.")
    training_record.refresh_from_db()
    return training_record


def test_a_member_records_their_own_training(member):
    training_record = _record(member, member)

    assert (
        training_record.state,
        training_record.certificate_number,
        training_record.recorded_by,
        training_record.certificate.region,
    ) == (RecordState.PENDING, "SCR-KOM-0042", member, member.region)


def test_the_coordinator_records_a_members_training(coordinator, member):
    training_record = _record(coordinator, member)

    assert (training_record.user, training_record.recorded_by) == (member, coordinator)


def test_a_coordinator_of_another_region_cannot_record(everyone, member):
    with pytest.raises(PermissionDenied):
        _record(everyone["other_coordinator"], member)


def test_a_member_cannot_record_for_a_colleague(everyone, coordinator):
    with pytest.raises(PermissionDenied):
        _record(everyone["member"], coordinator)


def test_a_training_date_in_the_future_is_refused(member):
    with translation.override("en"), pytest.raises(WorkflowError, match="future"):
        _record(member, member, completed_on=timezone.localdate() + timedelta(days=1))


def test_recording_asks_the_admins_to_verify(member, admin):
    training_record = _record(member, member)

    notification = Notification.objects.get(recipient=admin)
    assert notification.url == f"/pelatihan/kesiapan/{training_record.pk}/"
    assert notification.action == "training.readiness_recorded"


TABLE = [
    ("verify", RecordState.PENDING, RecordState.VERIFIED),
    ("verify", RecordState.VERIFIED, None),
    ("verify", RecordState.REJECTED, None),
    ("reject", RecordState.PENDING, RecordState.REJECTED),
    ("reject", RecordState.VERIFIED, None),
    ("reject", RecordState.REJECTED, None),
]


def _decide(name, training_record, admin):
    if name == "verify":
        return verify_readiness_record(training_record, actor=admin)
    return reject_readiness_record(
        training_record, actor=admin, reason="Nomor tidak cocok."
    )


@pytest.mark.parametrize(("name", "source", "target"), TABLE)
def test_verification_from_every_state(member, admin, name, source, target):
    training_record = _in_state(_record(member, member), source, admin)

    if target is None:
        with pytest.raises(WorkflowError):
            _decide(name, training_record, admin)
    else:
        _decide(name, training_record, admin)
    training_record.refresh_from_db()

    assert training_record.state == (target or source)


def test_rejecting_needs_a_reason(member, admin):
    training_record = _record(member, member)

    with translation.override("en"), pytest.raises(WorkflowError, match="reason"):
        reject_readiness_record(training_record, actor=admin, reason=" ")


def test_only_an_admin_verifies(member, coordinator):
    training_record = _record(coordinator, member)

    with pytest.raises(PermissionDenied):
        verify_readiness_record(training_record, actor=coordinator)


def test_rejection_keeps_the_reason_and_the_decider(member, admin):
    training_record = _record(member, member)

    reject_readiness_record(
        training_record, actor=admin, reason="Berkas tidak terbaca."
    )

    training_record.refresh_from_db()
    assert (training_record.reason, training_record.decided_by) == (
        "Berkas tidak terbaca.",
        admin,
    )


def test_the_decision_is_told_to_the_member_and_the_recorder(
    member, coordinator, admin
):
    training_record = _record(coordinator, member)
    Notification.objects.all().delete()

    verify_readiness_record(training_record, actor=admin)

    assert sorted(
        Notification.objects.values_list("recipient__full_name", flat=True)
    ) == [
        "Sri Handayani",
        "Yusuf Hidayat",
    ]


def test_each_step_is_in_the_audit_trail(member, admin):
    training_record = _record(member, member)
    reject_readiness_record(training_record, actor=admin, reason="Tidak terbaca.")

    events = [
        (e.action, e.from_state, e.to_state, e.note)
        for e in reversed(events_for(training_record))
    ]

    assert events == [
        ("training.readiness_recorded", "", "pending", "SCR-KOM-0042"),
        ("training.readiness_rejected", "pending", "rejected", "Tidak terbaca."),
    ]
