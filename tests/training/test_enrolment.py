"""Enrolment, the waiting list, and its promotion when someone withdraws."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from kotacerdas.common.audit import events_for
from kotacerdas.common.models import Notification
from kotacerdas.common.workflow import WorkflowError
from kotacerdas.training.models import Enrolment, EnrolmentState, Session
from kotacerdas.training.services import (
    complete_enrolment,
    enrol,
    fill_free_places,
    record_attendance,
    withdraw,
)
from tests.training import factories
from tests.training.factories import SessionFactory, running_session

pytestmark = pytest.mark.django_db

E = EnrolmentState


@pytest.fixture
def full_session(coordinator, member):
    """Two places, both taken by the Surakarta coordinator and member."""
    session = SessionFactory(capacity=2)
    enrol(session, coordinator, actor=coordinator)
    enrol(session, member, actor=member)
    return session


def _states(session):
    return [
        (e.user.full_name, e.state, e.waitlist_position)
        for e in session.enrolments.select_related("user").order_by("created_at", "id")
    ]


def member_named(name):
    return factories.member(full_name=name)


def test_a_member_enrols_themself(member):
    session = SessionFactory()

    enrolment = enrol(session, member, actor=member)

    assert (enrolment.state, enrolment.waitlist_position, enrolment.enrolled_by) == (
        E.ENROLLED,
        None,
        member,
    )


def test_the_coordinator_enrols_a_member(coordinator, member):
    session = SessionFactory()

    enrolment = enrol(session, member, actor=coordinator)

    assert (enrolment.user, enrolment.enrolled_by) == (member, coordinator)


def test_a_coordinator_of_another_region_cannot_enrol_a_member(everyone, member):
    with pytest.raises(PermissionDenied):
        enrol(SessionFactory(), member, actor=everyone["other_coordinator"])


def test_an_assessor_cannot_be_enrolled(everyone, admin):
    with pytest.raises(PermissionDenied):
        enrol(SessionFactory(), everyone["assessor"], actor=admin)


def test_a_full_session_puts_people_on_the_waiting_list_in_order(full_session):
    first, second = member_named("Antri Satu"), member_named("Antri Dua")

    enrol(full_session, first, actor=first)
    enrol(full_session, second, actor=second)

    assert _states(full_session)[2:] == [
        ("Antri Satu", E.WAITLISTED, 1),
        ("Antri Dua", E.WAITLISTED, 2),
    ]


def test_withdrawing_promotes_the_first_on_the_waiting_list(full_session, member):
    first, second = member_named("Antri Satu"), member_named("Antri Dua")
    enrol(full_session, first, actor=first)
    enrol(full_session, second, actor=second)
    place = Enrolment.objects.get(session=full_session, user=member)

    promoted = withdraw(place, actor=member)

    assert [e.user for e in promoted] == [first]
    assert _states(full_session) == [
        ("Sri Handayani", E.ENROLLED, None),
        ("Yusuf Hidayat", E.WITHDRAWN, None),
        ("Antri Satu", E.ENROLLED, None),
        ("Antri Dua", E.WAITLISTED, 2),
    ]


def test_the_promoted_person_is_told(full_session, member):
    waiting = member_named("Antri Satu")
    enrol(full_session, waiting, actor=waiting)
    Notification.objects.all().delete()

    withdraw(Enrolment.objects.get(session=full_session, user=member), actor=member)

    assert sorted(
        Notification.objects.values_list("recipient__full_name", "action")
    ) == [
        ("Antri Satu", "training.promoted"),
        ("Yusuf Hidayat", "training.withdrawn"),
    ]


def test_leaving_the_waiting_list_promotes_nobody(full_session):
    first, second = member_named("Antri Satu"), member_named("Antri Dua")
    waiting = enrol(full_session, first, actor=first)
    enrol(full_session, second, actor=second)

    promoted = withdraw(waiting, actor=first)

    assert promoted == []
    assert _states(full_session)[3] == ("Antri Dua", E.WAITLISTED, 2)


def test_the_waiting_list_follows_position_not_creation(full_session, member):
    first, second = member_named("Antri Satu"), member_named("Antri Dua")
    enrol(full_session, first, actor=first)
    later = enrol(full_session, second, actor=second)
    # An admin moved the second person to the front of the queue.
    Enrolment.objects.filter(pk=later.pk).update(waitlist_position=0)

    promoted = withdraw(
        Enrolment.objects.get(session=full_session, user=member), actor=member
    )

    assert [e.user for e in promoted] == [second]


def test_a_completed_participant_keeps_their_place(full_session, coordinator, admin):
    session = full_session
    Session.objects.filter(pk=session.pk).update(
        starts_on=timezone.localdate(), ends_on=timezone.localdate()
    )
    session.refresh_from_db()
    record_attendance(
        session,
        session.starts_on,
        session.enrolments.values_list("pk", flat=True),
        actor=admin,
    )
    complete_enrolment(
        Enrolment.objects.get(session=session, user=coordinator), actor=admin
    )
    late = member_named("Terlambat")

    enrolment = enrol(session, late, actor=admin)

    assert enrolment.state == E.WAITLISTED


def test_enrolling_twice_is_refused(member):
    session = SessionFactory()
    enrol(session, member, actor=member)

    with (
        translation.override("en"),
        pytest.raises(WorkflowError, match="already enrolled"),
    ):
        enrol(session, member, actor=member)


def test_enrolling_again_after_withdrawing_is_allowed(member):
    session = SessionFactory()
    withdraw(enrol(session, member, actor=member), actor=member)

    again = enrol(session, member, actor=member)

    assert again.state == E.ENROLLED


def test_closed_enrolment_is_refused_for_region_users(member):
    session = SessionFactory(enrolment_open=False)

    with translation.override("en"), pytest.raises(WorkflowError, match="closed"):
        enrol(session, member, actor=member)


def test_a_started_session_refuses_region_users(member):
    session = running_session()

    with translation.override("en"), pytest.raises(WorkflowError, match="has started"):
        enrol(session, member, actor=member)


def test_the_admin_may_enrol_into_a_running_session(member, admin):
    session = running_session(enrolment_open=False)

    enrolment = enrol(session, member, actor=admin)

    assert enrolment.state == E.ENROLLED


def test_nobody_enrols_into_an_ended_session(member, admin):
    yesterday = timezone.localdate() - timedelta(days=1)
    session = SessionFactory(starts_on=yesterday, ends_on=yesterday)

    with translation.override("en"), pytest.raises(WorkflowError, match="ended"):
        enrol(session, member, actor=admin)


def test_a_stale_session_object_does_not_overfill(member, coordinator):
    session = SessionFactory(capacity=2)
    stale = Session.objects.get(pk=session.pk)
    Session.objects.filter(pk=session.pk).update(capacity=1)
    enrol(session, coordinator, actor=coordinator)

    enrolment = enrol(stale, member, actor=member)

    assert enrolment.state == E.WAITLISTED


def test_raising_the_capacity_fills_the_free_places(full_session, admin):
    first, second = member_named("Antri Satu"), member_named("Antri Dua")
    enrol(full_session, first, actor=first)
    enrol(full_session, second, actor=second)
    Session.objects.filter(pk=full_session.pk).update(capacity=3)

    promoted = fill_free_places(full_session, actor=admin)

    assert [e.user for e in promoted] == [first]
    assert events_for(full_session).first().action == "training.places_filled"


def test_withdrawing_locks_the_session_before_the_enrolment(full_session, member):
    place = Enrolment.objects.get(session=full_session, user=member)

    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        withdraw(place, actor=member)

    selects = [q["sql"] for q in queries if q["sql"].startswith("SELECT")]
    assert '"training_session"' in selects[0]
    assert '"training_enrolment"' in selects[1]
    if connection.features.has_select_for_update:
        assert "FOR UPDATE" in selects[0]
        assert "FOR UPDATE" in selects[1]


def test_enrolling_locks_the_session(member):
    session = SessionFactory()

    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        enrol(session, member, actor=member)

    first = next(q["sql"] for q in queries if q["sql"].startswith("SELECT"))
    assert '"training_session"' in first
    if connection.features.has_select_for_update:
        assert "FOR UPDATE" in first


WITHDRAW_TABLE = [
    (E.ENROLLED, E.WITHDRAWN),
    (E.WAITLISTED, E.WITHDRAWN),
    (E.WITHDRAWN, None),
    (E.COMPLETED, None),
]


def _enrolment_in(state, admin):
    person = member_named("Peserta")
    session = running_session(capacity=1)
    if state == E.WAITLISTED:
        enrol(session, member_named("Penuh"), actor=admin)
    enrolment = enrol(session, person, actor=admin)
    if state == E.WITHDRAWN:
        withdraw(enrolment, actor=admin)
    if state == E.COMPLETED:
        for day in session.days:
            record_attendance(session, day, [enrolment.pk], actor=admin)
        complete_enrolment(enrolment, actor=admin)
    enrolment.refresh_from_db()
    assert enrolment.state == state
    return enrolment


@pytest.mark.parametrize(("source", "target"), WITHDRAW_TABLE)
def test_withdrawal_from_every_state(admin, source, target):
    enrolment = _enrolment_in(source, admin)

    if target is None:
        with pytest.raises(WorkflowError):
            withdraw(enrolment, actor=admin)
    else:
        withdraw(enrolment, actor=admin)
    enrolment.refresh_from_db()

    assert enrolment.state == (target or source)


COMPLETE_TABLE = [
    (E.ENROLLED, E.COMPLETED),
    (E.WAITLISTED, None),
    (E.WITHDRAWN, None),
    (E.COMPLETED, None),
]


@pytest.mark.parametrize(("source", "target"), COMPLETE_TABLE)
def test_completion_from_every_state(admin, source, target):
    enrolment = _enrolment_in(source, admin)
    session = enrolment.session
    if source == E.ENROLLED:
        for day in session.days:
            record_attendance(session, day, [enrolment.pk], actor=admin)

    if target is None:
        with pytest.raises(WorkflowError):
            complete_enrolment(enrolment, actor=admin)
    else:
        complete_enrolment(enrolment, actor=admin)
    enrolment.refresh_from_db()

    assert enrolment.state == (target or source)
