"""What the dashboards show: the coordinator's progress line, the admin's counts
and queues, the assessor's and instructor's own work."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kotacerdas.accounts.models import Role
from kotacerdas.dashboard.progress import (
    CURRENT,
    DONE,
    UPCOMING,
    coordinator_progress,
    registration_counts,
)
from kotacerdas.registrations.models import RegistrationState
from kotacerdas.scheduling.models import Stage
from tests.factories import ParticipantFactory, UserFactory
from tests.registrations.factories import registration_in
from tests.scheduling.factories import (
    AssignmentFactory,
    EventFactory,
    RegistrationFactory,
    WindowFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_training_checks")]


@pytest.fixture
def no_training_checks(monkeypatch):
    # The registrations made here are brought to a state by the domain functions;
    # the demo teams have no trainings, which would block the submission.
    from kotacerdas.registrations import checklist

    monkeypatch.setattr(checklist, "SUBMISSION_CHECKS", [])


def _statuses(progress):
    return {step.number: step.status for step in progress["steps"]}


def test_region_without_registration_is_asked_to_register():
    coordinator = ParticipantFactory()

    progress = coordinator_progress(coordinator.region)

    statuses = _statuses(progress)
    assert statuses["2"] == CURRENT
    assert [statuses[n] for n in ("3", "4", "5", "6", "11")] == [UPCOMING] * 5
    assert progress["registration"] is None


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (RegistrationState.DRAFT, {"2": CURRENT, "3": UPCOMING, "4": UPCOMING}),
        (RegistrationState.SUBMITTED, {"2": DONE, "3": CURRENT, "4": UPCOMING}),
        (RegistrationState.RETURNED, {"2": CURRENT, "3": UPCOMING, "4": UPCOMING}),
        (RegistrationState.ACCEPTED, {"2": DONE, "3": DONE, "4": CURRENT}),
        (RegistrationState.WITHDRAWN, {"2": CURRENT, "3": UPCOMING, "4": UPCOMING}),
    ],
)
def test_progress_line_follows_the_registration_state(state, expected):
    registration, coordinator, _admin = registration_in(state)

    statuses = _statuses(coordinator_progress(coordinator.region))

    assert {n: statuses[n] for n in expected} == expected


def test_open_window_makes_the_readiness_data_due_by_its_closing_time():
    registration = RegistrationFactory()
    closes = timezone.now() + timedelta(days=12)
    WindowFactory(registration=registration, stage=Stage.READINESS, closes_at=closes)

    progress = coordinator_progress(registration.region)

    statuses = _statuses(progress)
    assert (statuses["4"], statuses["5"]) == (DONE, CURRENT)
    assert progress["next_step"].number == "5"
    fill = next(step for step in progress["steps"] if step.number == "5")
    assert fill.due == closes


def test_registration_counts_list_every_state_once():
    registration_in(RegistrationState.SUBMITTED)
    registration_in(RegistrationState.DRAFT, period=2028)

    counts = {state.value: n for state, n in registration_counts()}

    assert counts == {
        "draft": 1,
        "submitted": 1,
        "returned": 0,
        "accepted": 0,
        "withdrawn": 0,
        "rejected": 0,
    }


def test_admin_dashboard_shows_the_oldest_waiting_registration(client):
    registration, _coordinator, admin = registration_in(RegistrationState.SUBMITTED)
    client.force_login(admin)

    response = client.get("/en/dasbor/admin/")

    body = response.content.decode()
    assert f'href="/en/pendaftaran/{registration.pk}/periksa/"' in body
    assert 'data-state="submitted"' in body


def test_assessor_dashboard_lists_their_assignment_and_event(client):
    assessor = UserFactory(roles=[Role.ASSESSOR], preferred_language="en")
    registration = RegistrationFactory()
    assignment = AssignmentFactory(registration=registration, assessor=assessor)
    event = EventFactory(
        registration=registration,
        stage=assignment.stage,
        starts_at=timezone.now() + timedelta(days=3),
        ends_at=timezone.now() + timedelta(days=3, hours=2),
    )
    client.force_login(assessor)

    response = client.get("/en/dasbor/assessor/")

    body = response.content.decode()
    assert f'data-assignment="{assignment.pk}"' in body
    assert f'data-event="{event.pk}"' in body


def _many_registrations(coordinator, count):
    for offset in range(count):
        RegistrationFactory(
            coordinator=coordinator,
            region=coordinator.region,
            period=2000 + offset,
            state=RegistrationState.WITHDRAWN,
        )


@pytest.mark.parametrize("count", [1, 20])
def test_coordinator_dashboard_query_count_does_not_grow(
    client, django_assert_num_queries, count
):
    coordinator = ParticipantFactory()
    _many_registrations(coordinator, count)
    client.force_login(coordinator)
    client.get("/dasbor/participant/")  # the session and roles are read once

    with django_assert_num_queries(11):
        response = client.get("/dasbor/participant/")

    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 20])
def test_admin_dashboard_query_count_does_not_grow(
    client, django_assert_num_queries, count
):
    admin = UserFactory(roles=[Role.ADMIN])
    for offset in range(count):
        EventFactory(
            registration=RegistrationFactory(period=2000 + offset),
            starts_at=timezone.now(),
            ends_at=timezone.now() + timedelta(hours=1),
        )
    client.force_login(admin)

    # 9: the count of maturity reports waiting for publication is one more.
    with django_assert_num_queries(9):
        response = client.get("/dasbor/admin/")

    assert response.status_code == 200


def test_admin_dashboard_shows_ten_events_and_points_at_the_schedule(client):
    admin = UserFactory(roles=[Role.ADMIN], preferred_language="en")
    start = timezone.now().replace(day=1, hour=2) + timedelta(days=1)
    events = [
        EventFactory(
            registration=RegistrationFactory(period=2000 + offset),
            starts_at=start + timedelta(minutes=offset),
            ends_at=start + timedelta(minutes=offset + 30),
        )
        for offset in range(12)
    ]
    client.force_login(admin)

    body = client.get("/en/dasbor/admin/").content.decode()

    shown = [event.pk for event in events if f'data-event="{event.pk}"' in body]
    assert shown == [event.pk for event in events[:10]]
    assert "More events this month are in the schedule." in body
