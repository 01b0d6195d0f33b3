"""Every URL of the training app against every role.

Objects of another region, or sessions another instructor teaches, answer 404;
an anonymous visitor is sent to the login page.
"""

from datetime import date

import pytest
from django.urls import reverse

from kotacerdas.training.services import (
    enrol,
    record_readiness_training,
    request_referral,
)
from tests.training.factories import SessionFactory, pdf_upload, running_session

pytestmark = pytest.mark.django_db

ROLES = [
    "coordinator",
    "member",
    "other_coordinator",
    "assessor",
    "instructor",
    "other_instructor",
    "admin",
    "anonymous",
]


@pytest.fixture
def objects(everyone):
    member = everyone["member"]
    training_record = record_readiness_training(
        actor=member,
        user=member,
        provider="Litbang Kemkominfo",
        completed_on=date(2026, 3, 3),
        certificate_number="SCR-1",
        uploaded=pdf_upload(),
    )
    referral = request_referral(actor=everyone["coordinator"], user=member)
    session = running_session(instructors=[everyone["instructor"]])
    upcoming = SessionFactory(instructors=[everyone["instructor"]])
    enrolment = enrol(session, member, actor=everyone["admin"])
    return {
        "record": training_record,
        "referral": referral,
        "session": session,
        "upcoming": upcoming,
        "enrolment": enrolment,
    }


def _request(client, everyone, role, method, url, data=None):
    if role != "anonymous":
        client.force_login(everyone[role])
    if method == "get":
        return client.get(url)
    return client.post(url, data or {})


def _codes(**given):
    """Expected status per role; roles not given answer 404."""
    return {role: given.get(role, 404) for role in ROLES} | {"anonymous": 302}


REGION = ("coordinator", "member", "other_coordinator")
CASES = [
    (
        "home",
        "get",
        lambda o, e: reverse("training:home"),
        None,
        _codes(
            **dict.fromkeys(REGION + ("instructor", "other_instructor", "admin"), 302)
        ),
    ),
    (
        "readiness_overview",
        "get",
        lambda o, e: reverse("training:readiness_overview"),
        None,
        _codes(**dict.fromkeys(REGION, 200), admin=302),
    ),
    (
        "readiness_create",
        "get",
        lambda o, e: reverse("training:readiness_create"),
        None,
        _codes(**dict.fromkeys(REGION, 200)),
    ),
    (
        "readiness_queue",
        "get",
        lambda o, e: reverse("training:readiness_queue"),
        None,
        _codes(admin=200),
    ),
    (
        "readiness_detail",
        "get",
        lambda o, e: reverse("training:readiness_detail", args=[o["record"].pk]),
        None,
        _codes(coordinator=200, member=200, admin=200),
    ),
    (
        "readiness_decide",
        "post",
        lambda o, e: reverse("training:readiness_decide", args=[o["record"].pk]),
        {"action": "verify"},
        _codes(admin=302),
    ),
    (
        "referral_list",
        "get",
        lambda o, e: reverse("training:referral_list"),
        None,
        _codes(admin=200),
    ),
    (
        "referral_detail",
        "get",
        lambda o, e: reverse("training:referral_detail", args=[o["referral"].pk]),
        None,
        _codes(coordinator=200, member=200, admin=200),
    ),
    (
        "referral_move",
        "post",
        lambda o, e: reverse("training:referral_detail", args=[o["referral"].pk]),
        {"action": "send"},
        _codes(admin=302),
    ),
    (
        "referral_request",
        "post",
        lambda o, e: reverse("training:referral_request"),
        lambda o, e: {"user": e["coordinator"].pk},
        _codes(coordinator=302),
    ),
    (
        "session_list",
        "get",
        lambda o, e: reverse("training:session_list"),
        None,
        _codes(
            **dict.fromkeys(REGION + ("instructor", "other_instructor", "admin"), 200)
        ),
    ),
    (
        "session_detail",
        "get",
        lambda o, e: reverse("training:session_detail", args=[o["session"].pk]),
        None,
        _codes(**dict.fromkeys(REGION + ("instructor", "admin"), 200)),
    ),
    (
        "session_enrol",
        "post",
        lambda o, e: reverse("training:session_enrol", args=[o["upcoming"].pk]),
        None,
        _codes(**dict.fromkeys(REGION, 302)),
    ),
    (
        "session_enrol_member",
        "post",
        lambda o, e: reverse("training:session_enrol", args=[o["upcoming"].pk]),
        lambda o, e: {"user": e["member"].pk},
        _codes(coordinator=302, member=302, admin=302),
    ),
    (
        "session_attendance",
        "post",
        lambda o, e: reverse("training:session_attendance", args=[o["session"].pk]),
        lambda o, e: {
            "day": o["session"].starts_on.isoformat(),
            "present": [o["enrolment"].pk],
        },
        _codes(instructor=302, admin=302),
    ),
    (
        "session_complete",
        "post",
        lambda o, e: reverse("training:session_complete", args=[o["session"].pk]),
        lambda o, e: {"enrolment": [o["enrolment"].pk]},
        _codes(instructor=302, admin=302),
    ),
    (
        "enrolment_withdraw",
        "post",
        lambda o, e: reverse("training:enrolment_withdraw", args=[o["enrolment"].pk]),
        None,
        _codes(coordinator=302, member=302, admin=302),
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
    client, everyone, objects, name, method, url, data, role, expected
):
    if callable(data):
        data = data(objects, everyone)

    response = _request(client, everyone, role, method, url(objects, everyone), data)

    assert response.status_code == expected
    if expected == 302 and role == "anonymous":
        assert response["Location"].startswith(reverse("accounts:login"))


def test_the_admin_cannot_enrol_themself(client, everyone, objects):
    client.force_login(everyone["admin"])

    response = client.post(
        reverse("training:session_enrol", args=[objects["upcoming"].pk])
    )

    assert response.status_code == 404


def test_a_coordinator_of_another_region_cannot_enrol_a_member(
    client, everyone, objects
):
    client.force_login(everyone["other_coordinator"])

    response = client.post(
        reverse("training:session_enrol", args=[objects["upcoming"].pk]),
        {"user": everyone["member"].pk},
    )

    assert response.status_code == 404
    assert not objects["upcoming"].enrolments.exists()


def test_an_instructor_sees_only_their_own_sessions(client, everyone, objects):
    client.force_login(everyone["other_instructor"])
    mine = SessionFactory(instructors=[everyone["other_instructor"]])

    response = client.get(reverse("training:session_list"))

    assert [s.pk for s in response.context["sessions"]] == [mine.pk]


def test_the_attendance_grid_is_not_shown_to_region_users(client, everyone, objects):
    client.force_login(everyone["coordinator"])

    response = client.get(
        reverse("training:session_detail", args=[objects["session"].pk])
    )

    assert response.context["can_run"] is False
    assert 'data-testid="attendance-grid"' not in response.content.decode()
