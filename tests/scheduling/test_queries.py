"""Dashboard helpers: what they return, in a fixed number of queries."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from kotacerdas.scheduling.models import Stage
from kotacerdas.scheduling.queries import (
    assignments_for,
    events_this_month,
    upcoming_events_for,
)
from tests.factories import UserFactory
from tests.scheduling.factories import (
    AssignmentFactory,
    EventFactory,
    RegistrationFactory,
    member_of,
    region,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 5, 15, 3, 0, tzinfo=UTC)


def _teams(person, count, *, start=None):
    start = start or NOW + timedelta(days=1)
    events = []
    for index in range(count):
        other = RegistrationFactory(region=region("32.01"), period=2030 + index)
        AssignmentFactory(registration=other, assessor=person, is_lead=True)
        events.append(
            EventFactory(
                registration=other,
                starts_at=start + timedelta(days=index),
                ends_at=start + timedelta(days=index, hours=2),
            )
        )
    return events


def test_upcoming_events_of_an_assessor_in_time_order(budi):
    events = _teams(budi, 3)

    assert upcoming_events_for(budi, now=NOW) == events


def test_upcoming_events_leave_out_ended_and_cancelled_ones(budi):
    past, cancelled, coming = _teams(budi, 3, start=NOW - timedelta(days=1))
    cancelled.cancelled_at = NOW
    cancelled.save()

    assert upcoming_events_for(budi, now=NOW) == [coming]


def test_upcoming_events_stop_at_the_limit(budi):
    events = _teams(budi, 4)

    assert upcoming_events_for(budi, limit=2, now=NOW) == events[:2]


def test_upcoming_events_of_a_region_member(registration):
    member = member_of(registration)
    event = EventFactory(registration=registration, starts_at=NOW + timedelta(days=2))
    EventFactory(
        registration=RegistrationFactory(region=region("32.01")),
        starts_at=NOW + timedelta(days=2),
    )

    assert upcoming_events_for(member, now=NOW) == [event]


@pytest.mark.parametrize("count", [1, 5])
def test_upcoming_events_take_one_query(budi, django_assert_num_queries, count):
    _teams(budi, count)
    budi.role_set  # noqa: B018 -- the roles are read once per request anyway

    with django_assert_num_queries(1):
        events = upcoming_events_for(budi, now=NOW)
        regions = [e.registration.region.code for e in events]

    assert regions == ["32.01"] * count


def test_assignments_carry_the_next_event_and_how_many_are_to_come(budi):
    registration = RegistrationFactory(region=region("32.01"))
    AssignmentFactory(registration=registration, assessor=budi, is_lead=True)
    for days in (-3, 2, 5):
        EventFactory(
            registration=registration,
            starts_at=NOW + timedelta(days=days),
            ends_at=NOW + timedelta(days=days, hours=2),
        )
    EventFactory(
        registration=registration,
        stage=Stage.MATURITY,
        starts_at=NOW + timedelta(days=1),
    )

    [assignment] = assignments_for(budi, now=NOW)

    assert (assignment.next_event_at, assignment.upcoming_count) == (
        NOW + timedelta(days=2),
        2,
    )


def test_assignment_without_events_has_none_to_come(budi):
    AssignmentFactory(registration=RegistrationFactory(), assessor=budi)

    [assignment] = assignments_for(budi, now=NOW)

    assert (assignment.next_event_at, assignment.upcoming_count) == (None, 0)


@pytest.mark.parametrize("count", [1, 5])
def test_assignments_take_one_query(budi, django_assert_num_queries, count):
    _teams(budi, count)

    with django_assert_num_queries(1):
        assignments = assignments_for(budi, now=NOW)
        regions = [a.registration.region.code for a in assignments]

    assert regions == ["32.01"] * count


def test_events_this_month_in_the_institute_zone(registration):
    # 1 May 00.30 WIB is still 30 April in UTC; 1 June 00.30 WIB is June.
    may_first = EventFactory(
        registration=registration,
        starts_at=datetime(2027, 4, 30, 17, 30, tzinfo=UTC),
    )
    EventFactory(
        registration=registration,
        starts_at=datetime(2027, 5, 31, 17, 30, tzinfo=UTC),
    )
    EventFactory(
        registration=registration,
        starts_at=datetime(2027, 5, 20, 2, 0, tzinfo=UTC),
        cancelled_at=NOW,
    )

    assert events_this_month(now=NOW) == [may_first]


@pytest.mark.parametrize("count", [1, 5])
def test_events_this_month_take_one_query(budi, django_assert_num_queries, count):
    _teams(budi, count)

    with django_assert_num_queries(1):
        events = events_this_month(now=NOW)
        regions = [e.registration.region.code for e in events]

    assert regions == ["32.01"] * count


def test_a_user_without_role_has_no_upcoming_events(registration):
    EventFactory(registration=registration, starts_at=timezone.now())

    assert upcoming_events_for(UserFactory()) == []
