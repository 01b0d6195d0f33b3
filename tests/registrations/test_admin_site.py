"""The management site shows registrations but never changes them."""

import pytest
from django.urls import reverse

from kotacerdas.accounts.models import Role
from kotacerdas.registrations.models import RegistrationState
from tests.factories import UserFactory
from tests.registrations.factories import registration_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_admin(client):
    admin = UserFactory(roles=[Role.ADMIN], is_staff=True)
    client.force_login(admin)
    return admin


def test_staff_admin_sees_the_registration(client, staff_admin):
    registration, _c, _a = registration_in(
        RegistrationState.ACCEPTED, admin=staff_admin
    )

    response = client.get(
        reverse("admin:registrations_registration_change", args=[registration.pk])
    )

    assert response.status_code == 200
    assert b'name="_save"' not in response.content


def test_registrations_appear_in_the_management_index(client, staff_admin):
    response = client.get(reverse("admin:index"))

    assert reverse("admin:registrations_registration_changelist") in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    "name",
    [
        "admin:registrations_registration_add",
        "admin:registrations_submissionround_add",
    ],
)
def test_nothing_can_be_added(client, staff_admin, name):
    assert client.get(reverse(name)).status_code == 403


def test_a_registration_cannot_be_deleted(client, staff_admin):
    registration, _c, _a = registration_in(RegistrationState.DRAFT)

    response = client.post(
        reverse("admin:registrations_registration_delete", args=[registration.pk]),
        {"post": "yes"},
    )

    assert response.status_code == 403


def test_a_registration_cannot_be_changed(client, staff_admin):
    registration, _c, _a = registration_in(RegistrationState.DRAFT)

    client.post(
        reverse("admin:registrations_registration_change", args=[registration.pk]),
        {"state": "accepted", "period": "2099"},
    )

    registration.refresh_from_db()
    assert (registration.state, registration.period) == ("draft", 2027)


def test_staff_without_the_admin_role_does_not_see_registrations(client):
    client.force_login(UserFactory(roles=[Role.ASSESSOR], is_staff=True))

    response = client.get(reverse("admin:registrations_registration_changelist"))

    assert response.status_code == 403
