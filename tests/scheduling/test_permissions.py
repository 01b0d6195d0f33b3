"""Every scheduling URL against every role: objects outside one's scope are 404."""

from urllib.parse import quote

import pytest
from django.urls import reverse

from kotacerdas.accounts.models import Role
from kotacerdas.scheduling.models import Stage
from tests.factories import UserFactory
from tests.scheduling.factories import (
    AssignmentFactory,
    EventFactory,
    RegistrationFactory,
    admin,
    assessor,
    member_of,
    region,
)

pytestmark = pytest.mark.django_db

ROLES = [
    "coordinator",
    "member",
    "other_coordinator",
    "assigned_assessor",
    "unassigned_assessor",
    "instructor",
    "admin",
]


@pytest.fixture
def world(db):
    registration = RegistrationFactory()
    bogor = RegistrationFactory(region=region("32.01"))
    people = {
        "coordinator": registration.coordinator,
        "member": member_of(registration),
        "other_coordinator": bogor.coordinator,
        "assigned_assessor": assessor(),
        "unassigned_assessor": assessor(),
        "instructor": UserFactory(roles=[Role.INSTRUCTOR]),
        "admin": admin(),
    }
    lead = AssignmentFactory(
        registration=registration, assessor=people["assigned_assessor"], is_lead=True
    )
    member = AssignmentFactory(registration=registration, assessor=assessor())
    event = EventFactory(registration=registration)
    return {
        "people": people,
        "registration": registration,
        "event": event,
        "lead": lead,
        "member": member,
    }


def _urls(world):
    registration = world["registration"].pk
    return {
        "overview": reverse("scheduling:overview"),
        "mine": reverse("scheduling:mine"),
        "calendar": reverse("scheduling:calendar"),
        "conflicts": reverse("scheduling:conflicts"),
        "detail": reverse("scheduling:detail", args=[registration]),
        "manage": reverse("scheduling:manage", args=[registration, Stage.READINESS]),
        "team_check": reverse(
            "scheduling:team_check", args=[registration, Stage.READINESS]
        ),
        "event_edit": reverse("scheduling:event_edit", args=[world["event"].pk]),
        "event_ics": reverse("scheduling:event_ics", args=[world["event"].pk]),
        "team_remove": reverse("scheduling:team_remove", args=[world["member"].pk]),
        "team_lead": reverse("scheduling:team_lead", args=[world["member"].pk]),
    }


POSTS = {"team_remove", "team_lead"}

# url -> status per role, in the order of ROLES. 302 for a GET means a redirect
# elsewhere (the overview sends non-admins to their own schedule); for the POSTs
# the admin is redirected back to the planning page.
MATRIX = {
    "overview": [302, 302, 302, 302, 302, 302, 200],
    "mine": [200, 200, 200, 200, 200, 200, 200],
    "calendar": [200, 200, 200, 200, 200, 200, 200],
    "conflicts": [404, 404, 404, 200, 200, 404, 404],
    "detail": [200, 200, 404, 200, 404, 404, 200],
    "manage": [404, 404, 404, 404, 404, 404, 200],
    "team_check": [404, 404, 404, 404, 404, 404, 200],
    "event_edit": [404, 404, 404, 404, 404, 404, 200],
    "event_ics": [200, 200, 404, 200, 404, 404, 200],
    "team_remove": [404, 404, 404, 404, 404, 404, 302],
    "team_lead": [404, 404, 404, 404, 404, 404, 302],
}
CASES = [
    (name, role, status)
    for name, statuses in MATRIX.items()
    for role, status in zip(ROLES, statuses, strict=True)
]


@pytest.mark.parametrize(("name", "role", "status"), CASES)
def test_permission_matrix(client, world, name, role, status):
    client.force_login(world["people"][role])
    url = _urls(world)[name]

    response = client.post(url) if name in POSTS else client.get(url)

    assert response.status_code == status


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_anonymous_visitor_is_sent_to_the_login_page(client, world, name):
    url = _urls(world)[name]

    response = client.post(url) if name in POSTS else client.get(url)

    assert (response.status_code, response["Location"]) == (
        302,
        f"{reverse('accounts:login')}?next={quote(url)}",
    )


def test_unassigned_assessor_cannot_remove_anyone(client, world):
    client.force_login(world["people"]["unassigned_assessor"])

    client.post(_urls(world)["team_remove"])

    assert world["registration"].team_assignments.count() == 2


def test_assessor_of_another_stage_cannot_download_this_stage_event(client, world):
    other_stage = assessor()
    AssignmentFactory(
        registration=world["registration"],
        assessor=other_stage,
        stage=Stage.MATURITY,
        is_lead=True,
    )
    client.force_login(other_stage)

    response = client.get(_urls(world)["event_ics"])

    assert response.status_code == 404


def test_schedule_of_a_registration_not_accepted_is_404_even_for_admins(client):
    draft = RegistrationFactory(state="draft")
    client.force_login(admin())

    response = client.get(reverse("scheduling:detail", args=[draft.pk]))

    assert response.status_code == 404


def test_non_admin_overview_goes_to_their_own_schedule(client, world):
    client.force_login(world["people"]["coordinator"])

    response = client.get(_urls(world)["overview"])

    assert response["Location"] == reverse("scheduling:mine")
