"""The strict Content-Security-Policy, and pages that keep to it."""

import re

import pytest
from django.urls import reverse

from kotacerdas.accounts.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["public:home", "public:catalogue", "accounts:login"]
SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.I)
NONCE_ATTR = re.compile(r'\snonce="([^"]*)"')


def _policy(response):
    """``{directive: [sources]}`` of the response's CSP header."""
    header = response["Content-Security-Policy"]
    return {
        name: sources
        for name, *sources in (
            part.split() for part in header.split(";") if part.strip()
        )
    }


def _nonce(response):
    [source] = [s for s in _policy(response)["script-src"] if s.startswith("'nonce-")]
    return source.removeprefix("'nonce-").removesuffix("'")


def test_home_page_policy_allows_only_own_resources(client):
    response = client.get(reverse("public:home"))

    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_script_src_is_self_and_a_nonce(client, name):
    response = client.get(reverse(name))

    nonce = _nonce(response)
    assert _policy(response)["script-src"] == ["'self'", f"'nonce-{nonce}'"]
    assert len(nonce) >= 16


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_style_src_is_only_self(client, name):
    response = client.get(reverse(name))

    assert _policy(response)["style-src"] == ["'self'"]


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_policy_never_allows_unsafe_inline_or_eval(client, name):
    response = client.get(reverse(name))

    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header
    assert "unsafe-eval" not in header


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_htmx_script_carries_the_response_nonce(client, name):
    response = client.get(reverse(name))

    html = response.content.decode()
    [htmx] = [tag for tag in SCRIPT_TAG.findall(html) if "htmx" in tag]
    assert NONCE_ATTR.search(htmx).group(1) == _nonce(response)


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_every_script_nonce_equals_the_header_nonce(client, name):
    response = client.get(reverse(name))

    nonces = NONCE_ATTR.findall(" ".join(SCRIPT_TAG.findall(response.content.decode())))
    assert nonces
    assert set(nonces) == {_nonce(response)}


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_no_inline_script_lacks_the_nonce(client, name):
    response = client.get(reverse(name))

    tags = SCRIPT_TAG.findall(response.content.decode())
    inline_without_nonce = [t for t in tags if " src=" not in t and "nonce=" not in t]
    assert inline_without_nonce == []


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_page_has_no_inline_style_attribute(client, name):
    response = client.get(reverse(name))

    assert re.findall(r"<[^>]*\sstyle\s*=", response.content.decode()) == []


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_page_has_no_style_element(client, name):
    response = client.get(reverse(name))

    assert "<style" not in response.content.decode()


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_page_has_no_inline_event_handler(client, name):
    response = client.get(reverse(name))

    assert re.findall(r"<[^>]*\son[a-z]+\s*=", response.content.decode()) == []


def test_each_response_gets_a_new_nonce(client):
    first = client.get(reverse("public:home"))

    second = client.get(reverse("public:home"))

    assert _nonce(first) != _nonce(second)


def test_dashboard_of_a_logged_in_user_keeps_to_the_policy(client):
    client.force_login(UserFactory(roles=[Role.ADMIN]))

    response = client.get(reverse("dashboard:role", args=[Role.ADMIN]))

    html = response.content.decode()
    assert re.findall(r"<[^>]*\sstyle\s*=", html) == []
    assert set(NONCE_ATTR.findall(html)) == {_nonce(response)}


def test_pages_may_not_be_framed(client):
    response = client.get(reverse("public:home"))

    assert response["X-Frame-Options"] == "DENY"
