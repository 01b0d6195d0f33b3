"""Each role's dashboard: where a user lands and what they may open."""

import pytest
from django.urls import reverse

from kotacerdas.accounts.models import Role
from kotacerdas.regions.models import Region, TimeZone
from tests.factories import PASSWORD, ParticipantFactory, RegionFactory, UserFactory

pytestmark = pytest.mark.django_db

ALL_ROLES = [
    Role.ADMIN,
    Role.ASSESSOR,
    Role.INSTRUCTOR,
    Role.PARTICIPANT,
    Role.REGION_MEMBER,
]


def _user_with(role):
    if role in Role.region_roles():
        return ParticipantFactory(roles=[role])
    return UserFactory(roles=[role])


@pytest.mark.parametrize("role", ALL_ROLES)
def test_each_role_lands_on_its_own_dashboard_after_login(client, role):
    user = _user_with(role)

    response = client.post(
        reverse("accounts:login"),
        {"username": user.email, "password": PASSWORD},
        follow=True,
    )

    assert response.redirect_chain == [("/dasbor/", 302), (f"/dasbor/{role}/", 302)]
    assert response.status_code == 200


@pytest.mark.parametrize("role", ALL_ROLES)
def test_dashboard_home_redirects_to_the_role_dashboard(client, role):
    client.force_login(_user_with(role))

    response = client.get(reverse("dashboard:home"))

    assert response["Location"] == reverse("dashboard:role", args=[role])


@pytest.mark.parametrize(
    ("role", "title"),
    [
        (Role.ADMIN, "Admin dashboard"),
        (Role.ASSESSOR, "Assessor dashboard"),
        (Role.INSTRUCTOR, "Instructor dashboard"),
        (Role.PARTICIPANT, "Coordinator dashboard"),
        (Role.REGION_MEMBER, "Team member dashboard"),
    ],
)
def test_role_dashboard_shows_its_title(client, role, title):
    client.force_login(_user_with(role))

    response = client.get("/en" + reverse("dashboard:role", args=[role]))

    assert f'<h1 class="h3 mb-0" data-testid="dashboard-title">{title}</h1>' in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    ("holds", "opens"),
    [
        (Role.ASSESSOR, Role.ADMIN),
        (Role.PARTICIPANT, Role.ASSESSOR),
        (Role.REGION_MEMBER, Role.PARTICIPANT),
        (Role.INSTRUCTOR, Role.REGION_MEMBER),
        (Role.ADMIN, Role.INSTRUCTOR),
    ],
)
def test_user_cannot_open_the_dashboard_of_a_role_they_lack(client, holds, opens):
    client.force_login(_user_with(holds))

    response = client.get(reverse("dashboard:role", args=[opens]))

    assert response.status_code == 404


def test_unknown_role_dashboard_is_not_found(client):
    client.force_login(UserFactory(roles=[Role.ADMIN]))

    response = client.get(reverse("dashboard:role", args=["superhero"]))

    assert response.status_code == 404


def test_deactivated_user_is_sent_back_to_login(client):
    user = UserFactory(roles=[Role.ADMIN])
    client.force_login(user)
    user.is_active = False
    user.save()

    response = client.get(reverse("dashboard:role", args=[Role.ADMIN]))

    assert response["Location"] == "/akun/masuk/?next=/dasbor/admin/"


def test_user_without_role_sees_the_welcome_page(client):
    client.force_login(UserFactory())

    response = client.get("/en" + reverse("dashboard:home"))

    assert response.status_code == 200
    assert "Your account has no role in the programme yet." in response.content.decode()


def test_multi_role_user_lands_on_the_first_role_by_priority(client):
    client.force_login(UserFactory(roles=[Role.INSTRUCTOR, Role.ADMIN]))

    response = client.get(reverse("dashboard:home"))

    assert response["Location"] == "/dasbor/admin/"


def test_multi_role_user_sees_both_dashboards_in_the_navigation(client):
    client.force_login(UserFactory(roles=[Role.INSTRUCTOR, Role.ADMIN]))

    response = client.get(reverse("dashboard:role", args=[Role.INSTRUCTOR]))

    html = response.content.decode()
    assert 'href="/dasbor/admin/" data-role="admin"' in html
    assert 'href="/dasbor/instructor/" data-role="instructor"' in html


def test_multi_role_user_can_open_both_dashboards(client):
    client.force_login(UserFactory(roles=[Role.INSTRUCTOR, Role.ADMIN]))

    statuses = [
        client.get(reverse("dashboard:role", args=[role])).status_code
        for role in (Role.ADMIN, Role.INSTRUCTOR)
    ]

    assert statuses == [200, 200]


def test_single_role_user_sees_only_their_dashboard_in_the_navigation(client):
    client.force_login(UserFactory(roles=[Role.ASSESSOR]))

    response = client.get(reverse("dashboard:role", args=[Role.ASSESSOR]))

    html = response.content.decode()
    assert html.count("data-role=") == 1
    assert 'data-role="assessor"' in html


def test_participant_dashboard_shows_the_region_and_its_time_zone(client):
    user = ParticipantFactory(region=Region.objects.get(code="51.71"))
    client.force_login(user)

    response = client.get(reverse("dashboard:role", args=[Role.PARTICIPANT]))

    assert "Kota Denpasar · WITA" in response.content.decode()


def test_region_member_dashboard_shows_a_wit_region(client):
    region = RegionFactory(name="Uji Timur", province__time_zone=TimeZone.WIT)
    client.force_login(ParticipantFactory(region=region, roles=[Role.REGION_MEMBER]))

    response = client.get(reverse("dashboard:role", args=[Role.REGION_MEMBER]))

    assert "Kota Uji Timur · WIT" in response.content.decode()
