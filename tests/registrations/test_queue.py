"""The admin's queue: filters, waiting time, paging."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from kotacerdas.registrations.models import Registration, RegistrationState
from tests.registrations.factories import (
    admin_user,
    coordinator,
    registration_in,
    submitted_in_regions,
    url,
)

pytestmark = pytest.mark.django_db


def _shown(response):
    return [
        int(pk)
        for pk in re.findall(
            r'<tr data-registration="(\d+)"', response.content.decode()
        )
    ]


def _age(registration, days):
    Registration.objects.filter(pk=registration.pk).update(
        submitted_at=timezone.now() - timedelta(days=days, hours=1)
    )


@pytest.fixture
def admin_client(client):
    admin = admin_user()
    client.force_login(admin)
    client.admin = admin
    return client


def test_queue_shows_submitted_registrations_oldest_first(admin_client):
    young, old, middle = submitted_in_regions(3, admin=admin_client.admin)
    _age(young, 1)
    _age(old, 9)
    _age(middle, 4)
    registration_in(RegistrationState.DRAFT, actor=coordinator("32.01"))

    response = admin_client.get(url("queue"))

    assert _shown(response) == [old.pk, middle.pk, young.pk]


def test_queue_shows_the_waiting_days(admin_client):
    (registration,) = submitted_in_regions(1, admin=admin_client.admin)
    _age(registration, 6)

    response = admin_client.get(url("queue"))

    assert re.findall(r'data-testid="waiting">([^<]*)<', response.content.decode()) == [
        "6 days"
    ]


def test_queue_sorts_the_most_recent_first_when_asked(admin_client):
    first, second = submitted_in_regions(2, admin=admin_client.admin)
    _age(first, 5)
    _age(second, 2)

    response = admin_client.get(url("queue"), {"state": "submitted", "sort": "recent"})

    assert _shown(response) == [second.pk, first.pk]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"state": "returned"}, ["32.01"]),
        ({"state": ""}, ["11.71", "32.01", "33.72"]),
        ({"state": "", "province": "32"}, ["32.01"]),
        ({"state": "", "kind": "regency"}, ["32.01"]),
        ({"state": "", "kind": "city"}, ["11.71", "33.72"]),
        ({"state": "", "period": "2031"}, ["33.72"]),
    ],
)
def test_queue_filters(admin_client, filters, expected):
    admin = admin_client.admin
    registration_in(
        RegistrationState.SUBMITTED, actor=coordinator("11.71"), admin=admin
    )
    registration_in(RegistrationState.RETURNED, actor=coordinator("32.01"), admin=admin)
    registration_in(
        RegistrationState.ACCEPTED, actor=coordinator("33.72"), admin=admin, period=2031
    )

    response = admin_client.get(url("queue"), {"sort": "region", **filters})

    codes = Registration.objects.in_bulk(_shown(response))
    assert [codes[pk].region.code for pk in _shown(response)] == expected


def test_queue_ignores_an_unknown_filter_value(admin_client):
    (registration,) = submitted_in_regions(1, admin=admin_client.admin)

    response = admin_client.get(url("queue"), {"state": "nonsense", "kind": "desa"})

    assert _shown(response) == [registration.pk]


def test_queue_page_holds_fifty():
    from kotacerdas.registrations import views

    assert views.QUEUE_PAGE_SIZE == 50


def test_queue_pages_by_the_page_size(admin_client, monkeypatch):
    from kotacerdas.registrations import views

    monkeypatch.setattr(views, "QUEUE_PAGE_SIZE", 2)
    registrations = submitted_in_regions(3, admin=admin_client.admin)
    for days, registration in zip((3, 2, 1), registrations, strict=True):
        _age(registration, days)

    response = admin_client.get(url("queue"), {"state": "submitted", "page": "2"})

    assert _shown(response) == [registrations[2].pk]
