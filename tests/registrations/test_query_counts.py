"""The pages ask the database a fixed number of questions, whatever the number
of registrations, rounds, indicators or team members they show."""

import pytest

from kotacerdas.registrations import services
from kotacerdas.registrations.checklist import CHECKLIST
from kotacerdas.registrations.models import RegistrationState
from tests.registrations.factories import (
    complete_draft,
    indicators,
    member,
    one_failed,
    pdf_upload,
    registration_in,
    submitted_in_regions,
    url,
)

pytestmark = pytest.mark.django_db


def _warm(client, address):
    # The first request of a client loads things once per process (content
    # types, the session); the count is of the second.
    client.get(address)


@pytest.mark.parametrize("count", [1, 20])
def test_admin_queue_queries_do_not_grow(
    client, people, django_assert_num_queries, count
):
    submitted_in_regions(count, admin=people["admin"])
    client.force_login(people["admin"])
    _warm(client, url("queue"))

    # session, user, roles, periods, provinces, count, page, unread notifications
    with django_assert_num_queries(8):
        response = client.get(url("queue"))

    assert response.content.decode().count("<tr data-registration=") == count


@pytest.mark.parametrize("count", [1, 20])
def test_coordinators_registration_list_queries_do_not_grow(
    client, people, django_assert_num_queries, count
):
    coordinator = people["coordinator"]
    for period in range(2000, 2000 + count):
        services.start_registration(
            actor=coordinator, region=coordinator.region, period=period
        )
    client.force_login(coordinator)
    _warm(client, url("index"))

    with django_assert_num_queries(6):
        response = client.get(url("index"))

    assert response.content.decode().count("<tr data-registration=") == count


def _many_rounds(people, rounds):
    registration, coordinator, admin = registration_in(
        RegistrationState.SUBMITTED, actor=people["coordinator"], admin=people["admin"]
    )
    for number in range(1, rounds):
        services.return_registration(registration, actor=admin, items=one_failed())
        services.attach_document(
            registration,
            "team_decree",
            pdf_upload(text=f"v{number}"),
            actor=coordinator,
        )
        services.submit_registration(registration, actor=coordinator)
    services.accept_registration(
        registration,
        actor=admin,
        items=dict.fromkeys(CHECKLIST, (True, "")),
        added={indicators(1, start=40)[0]: "Penting."},
        removed={indicators(1)[0]: "Belum ada data."},
    )
    return registration


@pytest.mark.parametrize("rounds", [1, 5])
def test_registration_page_queries_do_not_grow_with_rounds(
    client, people, django_assert_num_queries, rounds
):
    registration = _many_rounds(people, rounds)
    client.force_login(people["coordinator"])
    _warm(client, url("detail", registration.pk))

    # session, user, registration, roles, indicator changes, proposed, agreed,
    # team, rounds, their items, audit trail, unread notifications, the stages
    # (for the maturity stage's links)
    with django_assert_num_queries(13):
        response = client.get(url("detail", registration.pk))

    assert response.content.decode().count('data-round="') == rounds


@pytest.mark.parametrize("size", [1, 20])
def test_registration_form_queries_do_not_grow_with_team_and_indicators(
    client, people, django_assert_num_queries, size
):
    coordinator = people["coordinator"]
    for _number in range(size - 1):
        member()
    registration = complete_draft(coordinator, indicator_count=5 + size)
    client.force_login(coordinator)
    _warm(client, url("edit", registration.pk))

    with django_assert_num_queries(13):
        response = client.get(url("edit", registration.pk))

    assert response.content.decode().count("<tr data-member=") == size + 1


@pytest.mark.parametrize("size", [1, 20])
def test_check_page_queries_do_not_grow_with_team_and_indicators(
    client, people, django_assert_num_queries, size
):
    coordinator = people["coordinator"]
    for _number in range(size - 1):
        member()
    registration = complete_draft(coordinator, indicator_count=5 + size)
    services.submit_registration(registration, actor=coordinator)
    client.force_login(people["admin"])
    _warm(client, url("check", registration.pk))

    with django_assert_num_queries(10):
        response = client.get(url("check", registration.pk))

    assert response.content.decode().count("<tr data-member=") == size + 1
