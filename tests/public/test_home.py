"""The public landing page and robots.txt."""

import pytest
from django.urls import reverse

from kotacerdas.accounts.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_home_page_needs_no_login(client):
    response = client.get(reverse("public:home"))

    assert response.status_code == 200


def test_home_page_offers_login_to_a_visitor(client):
    response = client.get("/en/")

    assert '<a class="btn btn-light" href="/en/akun/masuk/">Log in</a>' in (
        response.content.decode()
    )


def test_home_page_offers_the_dashboard_to_a_logged_in_user(client):
    client.force_login(UserFactory(roles=[Role.ASSESSOR]))

    response = client.get("/en/")

    assert (
        '<a class="btn btn-light" href="/en/dasbor/">Go to my dashboard</a>'
        in response.content.decode()
    )


def test_home_page_lists_the_eleven_steps_and_1a_1b(client):
    response = client.get(reverse("public:home"))

    html = response.content.decode()
    numbers = [
        chunk.split("</span>")[0]
        for chunk in html.split('<span class="step-number">')[1:]
    ]
    assert numbers == ["1a", "1b", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"]


def test_home_page_mentions_iso_certified_only_to_deny_it(client):
    response = client.get("/en/")

    html = response.content.decode()
    assert html.count("ISO certified") == 1
    assert "no region is “ISO certified”" in html


def test_robots_txt_keeps_crawlers_out_of_private_areas(client):
    response = client.get(reverse("robots_txt"))

    assert response["Content-Type"] == "text/plain"
    assert response.content.decode() == (
        "User-agent: *\nDisallow: /akun/\nDisallow: /dasbor/\n"
    )
