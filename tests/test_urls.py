"""Every URL of the URLconf, asked by an anonymous visitor.

Login is required by default (LoginRequiredMiddleware); public views opt out.
This walks every pattern, including the language prefix and the admin, fills in
sample arguments, and checks that only the pages on the public list answer
without a login; everything else must send the visitor to the login page.
"""

import re
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.converters import (
    IntConverter,
    PathConverter,
    SlugConverter,
    StringConverter,
    UUIDConverter,
)
from django.urls.resolvers import RoutePattern
from django.utils import translation

pytestmark = pytest.mark.django_db

# name -> the status an anonymous visitor gets. Anything not listed must redirect
# to the login page.
PUBLIC = {
    "healthz": 200,
    "robots_txt": 200,
    "set_language": 405,  # POST only
    "public:home": 200,
    "public:catalogue": 200,
    "accounts:login": 200,
    "accounts:password_reset": 200,
    "accounts:password_reset_done": 200,
    "accounts:password_reset_confirm": 200,  # "this link is invalid" page
    "accounts:password_reset_complete": 200,
    "admin:login": 200,
    "certificates:lookup": 200,
    "certificates:verify": 404,  # no certificate has the sample number
    "certificates:registry": 200,
    "accounts:invitation_accept": 400,  # the sample token is not signed
    "scheduling_feed:feed": 404,  # the sample token is not a real one
    # Published results and open data (maturity.urls_public).
    "open_results:list": 200,
    "open_results:region": 404,  # no region has the sample code
    "open_results:radar": 404,
    "open_results:trend": 404,
    "open_results:results_csv": 200,
    "open_results:results_json": 200,
    "open_results:lines_csv": 200,
    "open_results:api_list": 200,
    "open_results:api_detail": 404,
    "open_results:openapi": 200,
}

SAMPLES = {
    IntConverter: "1",
    UUIDConverter: str(uuid.UUID(int=1)),
    SlugConverter: "sample",
    StringConverter: "sample",
    PathConverter: "sample/1",
}
ROUTE_PARAMETER = re.compile(r"<(?:\w+:)?(?P<name>\w+)>")
REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>[^)]*)\)")
ALTERNATION = re.compile(r"[\w-]+(?:\|[\w-]+)*")


def _sample_value(converter):
    """A value the converter accepts: a fixed sample, or its first choice."""
    if type(converter) in SAMPLES:
        return SAMPLES[type(converter)]
    if ALTERNATION.fullmatch(converter.regex):
        return converter.regex.split("|")[0]
    raise AssertionError(f"add a sample value for {type(converter).__name__}")


def _sample_route(pattern):
    return ROUTE_PARAMETER.sub(
        lambda m: _sample_value(pattern.converters[m["name"]]), str(pattern)
    )


def _sample_regex(regex):
    def group(match):
        alternatives = match["body"].split("|")
        # An alternation lists the allowed values (the admin's app labels).
        return alternatives[0] if len(alternatives) > 1 else "sample"

    return REGEX_GROUP.sub(group, regex).lstrip("^").rstrip("$")


def _sample(entry):
    if isinstance(entry.pattern, RoutePattern):
        return _sample_route(entry.pattern)
    # The language prefix and regex patterns (the admin's app index, catch-all).
    return _sample_regex(str(entry.pattern))


def _join(route, part):
    """Join pattern texts the way ResolverMatch.route does."""
    return route + part.removeprefix("^") if route else part


def _walk(patterns, prefix="", route="", namespace=""):
    """Yield ``(name, sample URL, route)`` for every pattern below ``patterns``."""
    for entry in patterns:
        path = prefix + _sample(entry)
        full_route = _join(route, str(entry.pattern))
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, path, full_route, inner)
        elif isinstance(entry, URLPattern):
            name = namespace + (entry.name or f"<{entry.lookup_str}>")
            yield name, "/" + path, full_route


def _urls(language):
    with translation.override(language):
        return sorted(set(_walk(get_resolver().url_patterns)))


URLS = [
    (language, name, url, route)
    for language in ("id", "en")
    for name, url, route in _urls(language)
]
IDS = [f"{language}:{url}" for language, _name, url, _route in URLS]


def test_walker_finds_the_product_and_admin_patterns():
    names = {name for _language, name, _url, _route in URLS}

    assert {
        "public:home",
        "common:download",
        "dashboard:role",
        "admin:index",
        "admin:accounts_user_change",
    } <= names


def test_walker_visits_the_english_prefix():
    english = [url for language, _name, url, _route in URLS if language == "en"]

    assert "/en/" in english
    assert "/healthz" in english


@pytest.mark.parametrize(("language", "name", "url", "route"), URLS, ids=IDS)
def test_sample_url_resolves_to_the_pattern_it_was_made_from(
    language, name, url, route
):
    with translation.override(language):
        match = resolve(url)

    assert match.route == route


def _login_page(language, location):
    """The name of the page ``location`` points at, and its query."""
    parts = urlsplit(location)
    with translation.override(language):
        return resolve(parts.path).view_name, parse_qs(parts.query)


@pytest.mark.parametrize(("language", "name", "url", "route"), URLS, ids=IDS)
def test_anonymous_visitor_sees_only_public_pages(client, language, name, url, route):
    response = client.get(url)

    if name in PUBLIC:
        assert response.status_code == PUBLIC[name]
    else:
        # The admin site's own views send visitors to the admin's login page.
        logins = (
            {"accounts:login", "admin:login"}
            if name.startswith("admin:")
            else {"accounts:login"}
        )
        assert response.status_code == 302
        page, query = _login_page(language, response["Location"])
        assert page in logins
        assert query == {"next": [url]}


def test_every_public_name_is_a_real_pattern():
    names = {name for _language, name, _url, _route in URLS}

    assert set(PUBLIC) - names == set()
