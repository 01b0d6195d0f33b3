"""Every URL of the registrations app against every role.

The registrations belong to Kota Surakarta; the other coordinator is of
Kabupaten Bogor and must get 404 on every one of them. Nobody ever gets 403:
what a user may not see does not exist for them.
"""

import pytest

from kotacerdas.registrations.checklist import CHECKLIST
from kotacerdas.registrations.models import RegistrationState
from tests.registrations.factories import pdf_upload, registration_in, url

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _return_data():
    data = {"action": "return", "note": "Perbaiki.", "add_rows": "3"}
    for code in CHECKLIST:
        data[f"item_{code}"] = "yes"
    data["item_team_decree"] = "no"
    data["note_team_decree"] = "Tidak terbaca."
    return data


# name -> (method, object: None / "draft" / "submitted", data, extra headers)
REQUESTS = {
    "index": ("get", None, None, {}),
    "start": ("post", None, {"period": "2028"}, {}),
    "queue": ("get", None, None, {}),
    "detail": ("get", "draft", None, {}),
    "edit": ("get", "draft", None, {}),
    "autosave": (
        "post",
        "draft",
        {"contact_name": "Baru", "indicators_present": "on"},
        HTMX,
    ),
    "picker": ("get", "draft", {"q": "sampah"}, HTMX),
    "upload": ("post", "draft", "file", HTMX),
    "submit": ("post", "draft", {}, {}),
    "withdraw_get": ("get", "draft", None, {}),
    "withdraw_post": ("post", "draft", {"note": "Ditunda."}, {}),
    "check_get": ("get", "submitted", None, {}),
    "check_post": ("post", "submitted", "return", {}),
}

LOGIN = "login"
# The expected status of each request for each role; LOGIN is a redirect to the
# login page.
EXPECTED = {
    "coordinator": {
        "index": 200,
        "start": 302,
        "queue": 404,
        "detail": 200,
        "edit": 200,
        "autosave": 200,
        "picker": 200,
        "upload": 200,
        "submit": 302,
        "withdraw_get": 200,
        "withdraw_post": 302,
        "check_get": 404,
        "check_post": 404,
    },
    "member": {
        "index": 200,
        "start": 404,
        "queue": 404,
        "detail": 200,
        "edit": 404,
        "autosave": 404,
        "picker": 404,
        "upload": 404,
        "submit": 404,
        "withdraw_get": 404,
        "withdraw_post": 404,
        "check_get": 404,
        "check_post": 404,
    },
    # Their own region's list and start work; nothing of Surakarta's exists.
    "other_coordinator": {
        "index": 200,
        "start": 302,
        "queue": 404,
        "detail": 404,
        "edit": 404,
        "autosave": 404,
        "picker": 404,
        "upload": 404,
        "submit": 404,
        "withdraw_get": 404,
        "withdraw_post": 404,
        "check_get": 404,
        "check_post": 404,
    },
    "assessor": dict.fromkeys(REQUESTS, 404),
    "instructor": dict.fromkeys(REQUESTS, 404),
    "admin": {
        "index": 302,
        "start": 404,
        "queue": 200,
        "detail": 200,
        "edit": 404,
        "autosave": 404,
        "picker": 404,
        "upload": 404,
        "submit": 404,
        "withdraw_get": 404,
        "withdraw_post": 404,
        "check_get": 200,
        "check_post": 302,
    },
    "anonymous": dict.fromkeys(REQUESTS, LOGIN),
}

URL_NAMES = {
    "withdraw_get": "withdraw",
    "withdraw_post": "withdraw",
    "check_get": "check",
    "check_post": "check",
}

CASES = [(role, name) for role in EXPECTED for name in REQUESTS]


def _request(client, name, objects):
    method, target, data, headers = REQUESTS[name]
    url_name = URL_NAMES.get(name, name)
    args = (objects[target].pk,) if target else ()
    if name == "upload":
        args = (*args, "sk-tim")
    if data == "file":
        data = {"file": pdf_upload("sk.pdf")}
    elif data == "return":
        data = _return_data()
    return getattr(client, method)(url(url_name, *args), data or {}, **headers)


@pytest.mark.parametrize(("role", "name"), CASES)
def test_permission_matrix(client, people, role, name):
    draft, _coordinator, _admin = registration_in(
        RegistrationState.DRAFT, actor=people["coordinator"], admin=people["admin"]
    )
    submitted, _coordinator, _admin = registration_in(
        RegistrationState.SUBMITTED,
        actor=people["coordinator"],
        admin=people["admin"],
        period=2029,
    )
    if role != "anonymous":
        client.force_login(people[role])

    response = _request(client, name, {"draft": draft, "submitted": submitted})

    expected = EXPECTED[role][name]
    if expected == LOGIN:
        assert (response.status_code, "/akun/masuk/?next=" in response.url) == (
            302,
            True,
        )
    else:
        assert response.status_code == expected


def test_admin_is_sent_from_the_coordinators_list_to_the_queue(client, people):
    client.force_login(people["admin"])

    response = client.get(url("index"))

    assert response.url == url("queue")


def test_unknown_document_word_answers_404(client, people):
    draft, coordinator, _admin = registration_in(
        RegistrationState.DRAFT, actor=people["coordinator"]
    )
    client.force_login(coordinator)

    response = client.post(url("upload", draft.pk, "ktp"), {"file": pdf_upload()})

    assert response.status_code == 404
