"""The account name that login attempts are counted against."""

from django.test import RequestFactory

from kotacerdas.accounts.forms import lockout_username


def test_lockout_username_is_the_lower_case_email_from_the_credentials():
    request = RequestFactory().post("/akun/masuk/", {"username": "ignored@x.test"})

    username = lockout_username(request, {"username": " Budi@Example.TEST "})

    assert username == "budi@example.test"


def test_lockout_username_falls_back_to_the_posted_form():
    request = RequestFactory().post("/akun/masuk/", {"username": "Sri@Example.test"})

    username = lockout_username(request, None)

    assert username == "sri@example.test"


def test_lockout_username_of_a_post_without_username_is_none():
    request = RequestFactory().post("/akun/masuk/", {"password": "x"})

    username = lockout_username(request, None)

    assert username is None
