"""Logging in: where it lands, and the lockout after repeated failures."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from kotacerdas.accounts.models import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOCKOUT_TITLE = "Account temporarily locked"
LOCKOUT_TEXT = (
    "There were too many failed login attempts for this account from your "
    "address. For your protection, logging in is blocked for a while. Wait a few "
    "minutes and try again, or reset your password."
)


def _login(client, email, password, address="10.1.2.3"):
    return client.post(
        reverse("accounts:login"),
        {"username": email, "password": password},
        REMOTE_ADDR=address,
    )


def _fail(client, email, times, address="10.1.2.3"):
    for _attempt in range(times):
        _login(client, email, "wrong password", address)


def _lockout_text(response):
    html = response.content.decode()
    match = re.search(r'data-testid="lockout"[^>]*>(.*?)</div>', html, re.S)
    assert match, "the lockout element is missing"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def test_login_with_the_right_password_logs_the_user_in(client):
    user = UserFactory(roles=[Role.ASSESSOR])

    _login(client, user.email, PASSWORD)

    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_ignores_the_case_of_the_email(client):
    user = UserFactory(email="budi@example.test", roles=[Role.ASSESSOR])

    _login(client, "Budi@Example.TEST", PASSWORD)

    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_redirects_to_the_dashboard(client):
    user = UserFactory(roles=[Role.ASSESSOR])

    response = _login(client, user.email, PASSWORD)

    assert (response.status_code, response["Location"]) == (302, "/dasbor/")


def test_login_with_a_wrong_password_shows_the_form_again(client):
    user = UserFactory()

    response = _login(client, user.email, "wrong password")

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_inactive_user_cannot_log_in(client):
    user = UserFactory(is_active=False)

    _login(client, user.email, PASSWORD)

    assert "_auth_user_id" not in client.session


def test_failures_below_the_limit_do_not_lock(client):
    user = UserFactory(roles=[Role.ASSESSOR])
    _fail(client, user.email, settings.AXES_FAILURE_LIMIT - 1)

    response = _login(client, user.email, PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_right_password_after_the_failure_limit_is_locked_out(client):
    user = UserFactory(roles=[Role.ASSESSOR])
    _fail(client, user.email, settings.AXES_FAILURE_LIMIT)

    response = _login(client, user.email, PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_page_shows_the_lockout_text_in_indonesian(client):
    user = UserFactory()
    _fail(client, user.email, settings.AXES_FAILURE_LIMIT)

    response = _login(client, user.email, PASSWORD)

    assert _lockout_text(response) == (
        "Akun dikunci sementara "
        "Terlalu banyak percobaan masuk yang gagal untuk akun ini dari alamat Anda. "
        "Demi keamanan Anda, akses masuk diblokir untuk sementara. Tunggu beberapa "
        "menit, lalu coba lagi, atau atur ulang kata sandi Anda."
    )
    assert response["Content-Language"] == "id"


def test_lockout_page_shows_the_lockout_text_in_english_under_en(client):
    user = UserFactory()
    url = "/en" + reverse("accounts:login")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": user.email, "password": "x"})

    response = client.post(url, {"username": user.email, "password": PASSWORD})

    assert _lockout_text(response) == f"{LOCKOUT_TITLE} {LOCKOUT_TEXT}"


def test_failures_with_the_email_in_other_cases_count_for_the_same_account(client):
    UserFactory(email="budi@example.test", roles=[Role.ASSESSOR])
    variants = ["Budi@example.test", "BUDI@example.test", "budi@Example.test"]
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _login(client, variants[attempt % len(variants)], "wrong password")

    response = _login(client, "budi@example.test", PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_of_one_account_leaves_another_account_free(client):
    locked = UserFactory(roles=[Role.ASSESSOR])
    other = UserFactory(roles=[Role.ASSESSOR])
    _fail(client, locked.email, settings.AXES_FAILURE_LIMIT)

    _login(client, other.email, PASSWORD)

    assert client.session["_auth_user_id"] == str(other.pk)


def test_lockout_of_one_address_leaves_another_address_free(client):
    user = UserFactory(roles=[Role.ASSESSOR])
    _fail(client, user.email, settings.AXES_FAILURE_LIMIT, address="10.1.2.3")

    response = _login(client, user.email, PASSWORD, address="10.9.9.9")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_of_a_user_preferring_english_lands_on_the_english_dashboard(client):
    user = UserFactory(preferred_language="en", roles=[Role.ASSESSOR])

    response = _login(client, user.email, PASSWORD)

    assert response["Location"] == "/en/dasbor/"


def test_login_of_a_user_preferring_indonesian_from_the_english_page_lands_on_id(
    client,
):
    user = UserFactory(preferred_language="id", roles=[Role.ASSESSOR])

    response = client.post(
        "/en" + reverse("accounts:login"),
        {"username": user.email, "password": PASSWORD},
    )

    assert response["Location"] == "/dasbor/"


def test_login_follows_a_safe_next_url(client):
    user = UserFactory(roles=[Role.ASSESSOR])

    response = client.post(
        reverse("accounts:login"),
        {"username": user.email, "password": PASSWORD, "next": "/akun/profil/"},
    )

    assert response["Location"] == "/akun/profil/"


def test_login_ignores_a_next_url_of_another_site(client):
    user = UserFactory(roles=[Role.ASSESSOR])

    response = client.post(
        reverse("accounts:login"),
        {"username": user.email, "password": PASSWORD, "next": "https://evil.test/"},
    )

    assert response["Location"] == "/dasbor/"
