"""Resetting a forgotten password, by e-mail in the account holder's language."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from kotacerdas.accounts.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SUBJECT = "Reset your password for the Smart City Maturity Index"


def _request_reset(client, email):
    return client.post(reverse("accounts:password_reset"), {"email": email})


def _link(message):
    return re.search(r"http://testserver(/\S+)", message.body).group(1)


def test_reset_request_sends_one_email_to_the_account(client):
    UserFactory(email="budi@example.test")

    _request_reset(client, "budi@example.test")

    assert [message.to for message in mail.outbox] == [["budi@example.test"]]


def test_reset_request_redirects_to_the_sent_page(client):
    UserFactory(email="budi@example.test")

    response = _request_reset(client, "budi@example.test")

    assert response["Location"] == reverse("accounts:password_reset_done")


def test_reset_request_for_an_unknown_address_sends_nothing_but_looks_the_same(
    client,
):
    response = _request_reset(client, "nobody@example.test")

    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_reset_email_of_an_english_reader_is_english(client):
    UserFactory(email="budi@example.test", preferred_language="en")

    _request_reset(client, "budi@example.test")

    [message] = mail.outbox
    assert message.subject == SUBJECT
    assert _link(message).startswith("/en/akun/atur-sandi/")


def test_reset_email_of_an_indonesian_reader_is_indonesian(client):
    UserFactory(email="sri@example.test", preferred_language="id")

    client.post(
        "/en" + reverse("accounts:password_reset"), {"email": "sri@example.test"}
    )

    [message] = mail.outbox
    assert message.subject == (
        "Atur ulang kata sandi Anda untuk Indeks Kematangan Kota Cerdas"
    )
    assert _link(message).startswith("/akun/atur-sandi/")


def test_reset_link_lets_the_user_choose_a_new_password(client):
    user = UserFactory(email="budi@example.test", roles=[Role.ASSESSOR])
    _request_reset(client, "budi@example.test")
    form_url = client.get(_link(mail.outbox[0]))["Location"]

    response = client.post(
        form_url,
        {"new_password1": "Pelangi-Senja-2026", "new_password2": "Pelangi-Senja-2026"},
    )

    user.refresh_from_db()
    assert response["Location"] == reverse("accounts:password_reset_complete")
    assert user.check_password("Pelangi-Senja-2026") is True


def test_reset_link_with_a_bad_token_says_it_is_invalid(client):
    response = client.get(
        "/en"
        + reverse(
            "accounts:password_reset_confirm",
            kwargs={"uidb64": "MQ", "token": "bad-token"},
        )
    )

    assert response.status_code == 200
    assert response.context["validlink"] is False
