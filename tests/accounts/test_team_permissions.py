"""Every team URL against every role: only the region's coordinator manages it;
the accept page is public."""

import pytest
from django.urls import reverse

from kotacerdas.accounts import team
from tests.training.factories import people

pytestmark = pytest.mark.django_db


ROLES = [
    "coordinator",
    "member",
    "other_coordinator",
    "assessor",
    "instructor",
    "admin",
    "anonymous",
]


@pytest.fixture
def everyone(db):
    return people()


@pytest.fixture
def invitation(everyone):
    return team.invite_member(
        actor=everyone["coordinator"],
        email="calon@surakarta.go.id",
        agency="Dinas Kesehatan",
        position="Analis",
    )


def _only_coordinator(code):
    return dict.fromkeys(ROLES, 404) | {"coordinator": code, "anonymous": 302}


def _any_coordinator(code):
    """Pages about one's own region: every coordinator has one."""
    return _only_coordinator(code) | {"other_coordinator": code}


CASES = [
    (
        "team",
        "get",
        lambda e, i: reverse("accounts:team"),
        None,
        _any_coordinator(200),
    ),
    (
        "team_invite",
        "post",
        lambda e, i: reverse("accounts:team_invite"),
        {
            "email": "baru@surakarta.go.id",
            "agency": "Dinas",
            "position": "Staf",
            "language": "id",
        },
        _any_coordinator(302),
    ),
    (
        "team_member_edit",
        "get",
        lambda e, i: reverse("accounts:team_member_edit", args=[e["member"].pk]),
        None,
        _only_coordinator(200),
    ),
    (
        "team_member_deactivate",
        "post",
        lambda e, i: reverse("accounts:team_member_deactivate", args=[e["member"].pk]),
        None,
        _only_coordinator(302),
    ),
    (
        "team_member_reactivate",
        "post",
        lambda e, i: reverse("accounts:team_member_reactivate", args=[e["member"].pk]),
        None,
        _only_coordinator(302),
    ),
    (
        "team_invitation_resend",
        "post",
        lambda e, i: reverse("accounts:team_invitation_resend", args=[i.pk]),
        None,
        _only_coordinator(302),
    ),
    (
        "team_invitation_cancel",
        "post",
        lambda e, i: reverse("accounts:team_invitation_cancel", args=[i.pk]),
        None,
        _only_coordinator(302),
    ),
    (
        "invitation_accept",
        "get",
        lambda e, i: reverse(
            "accounts:invitation_accept", args=[team.invitation_token(i)]
        ),
        None,
        dict.fromkeys(ROLES, 200),
    ),
]
MATRIX = [
    (name, method, url, data, role, codes[role])
    for name, method, url, data, codes in CASES
    for role in ROLES
]


@pytest.mark.parametrize(
    ("name", "method", "url", "data", "role", "expected"),
    MATRIX,
    ids=[f"{name}-{role}" for name, _m, _u, _d, role, _c in MATRIX],
)
def test_permission_matrix(
    client, everyone, invitation, name, method, url, data, role, expected
):
    if role != "anonymous":
        client.force_login(everyone[role])
    address = url(everyone, invitation)

    response = (
        client.get(address) if method == "get" else client.post(address, data or {})
    )

    assert response.status_code == expected
    if role == "anonymous" and expected == 302:
        assert response["Location"].startswith(reverse("accounts:login"))


def test_a_coordinator_cannot_edit_themself_through_the_team_page(client, everyone):
    coordinator = everyone["coordinator"]
    client.force_login(coordinator)

    response = client.get(reverse("accounts:team_member_edit", args=[coordinator.pk]))

    assert response.status_code == 404


def test_another_regions_coordinator_cannot_cancel_the_invitation(
    client, everyone, invitation
):
    client.force_login(everyone["other_coordinator"])

    client.post(reverse("accounts:team_invitation_cancel", args=[invitation.pk]))

    invitation.refresh_from_db()
    assert invitation.cancelled_at is None


def test_another_regions_coordinator_sees_only_their_own_team(client, everyone):
    client.force_login(everyone["other_coordinator"])

    response = client.get(reverse("accounts:team"))

    assert [m.full_name for m in response.context["members"]] == ["Rina Marlina"]
