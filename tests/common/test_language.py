"""Indonesian first, English second, and switching between them."""

import pytest
from django.urls import reverse

from kotacerdas.accounts.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_home_page_is_indonesian_by_default(client):
    response = client.get("/")

    assert '<html lang="id">' in response.content.decode()
    assert response["Content-Language"] == "id"


def test_english_home_page_is_english(client):
    response = client.get("/en/")

    assert '<html lang="en">' in response.content.decode()
    assert response["Content-Language"] == "en"


def test_english_home_page_shows_english_text(client):
    response = client.get("/en/")

    assert (
        "<title>Smart City Maturity Index · PPTI</title>" in response.content.decode()
    )


def test_switching_to_english_redirects_to_the_english_page(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})

    assert (response.status_code, response["Location"]) == (302, "/en/")


def test_switching_to_english_then_serves_the_english_page(client):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "/"}, follow=True
    )

    assert response.redirect_chain == [("/en/", 302)]
    assert '<html lang="en">' in response.content.decode()


def test_indonesian_home_page_shows_indonesian_text(client):
    response = client.get("/")

    assert "<title>Indeks Kematangan Kota Cerdas · PPTI</title>" in (
        response.content.decode()
    )


def test_switching_back_from_an_english_session_drops_the_prefix(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    response = client.post(
        reverse("set_language"), {"language": "id", "next": "/en/katalog-indikator/"}
    )

    assert response["Location"] == "/katalog-indikator/"


def test_switching_to_english_keeps_the_page_the_user_was_on(client):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "/katalog-indikator/"}
    )

    assert response["Location"] == "/en/katalog-indikator/"


def test_switching_back_to_indonesian_drops_the_prefix(client):
    response = client.post(
        reverse("set_language"), {"language": "id", "next": "/en/katalog-indikator/"}
    )

    assert response["Location"] == "/katalog-indikator/"


def test_switching_language_sets_the_language_cookie(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})

    assert response.cookies["kotacerdas_language"].value == "en"


def test_switching_language_saves_the_preference_of_a_logged_in_user(client):
    user = UserFactory(preferred_language="id", roles=[Role.ASSESSOR])
    client.force_login(user)

    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    user.refresh_from_db()
    assert user.preferred_language == "en"


def test_switching_to_an_unknown_language_keeps_the_preference(client):
    user = UserFactory(preferred_language="id", roles=[Role.ASSESSOR])
    client.force_login(user)

    client.post(reverse("set_language"), {"language": "fr", "next": "/"})

    user.refresh_from_db()
    assert user.preferred_language == "id"


def test_set_language_refuses_get(client):
    response = client.get(reverse("set_language"), {"language": "en"})

    assert response.status_code == 405


def test_set_language_ignores_a_next_url_of_another_site(client):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "https://evil.test/"}
    )

    assert response["Location"] == "/en/"
