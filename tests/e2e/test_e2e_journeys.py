"""Real user journeys through the browser: log in, switch language, search."""

import re

import pytest
from playwright.sync_api import expect

from kotacerdas.accounts.demo import DEMO_ACCOUNTS
from kotacerdas.accounts.forms import EmailLoginForm
from kotacerdas.accounts.models import ROLE_PRIORITY, Role

from .helpers import (
    assert_assets_loaded,
    expect_language,
    in_language,
    indicator_count,
    indonesian,
)

# The msgids of templates/dashboard/<role>.html.
DASHBOARD_TITLES = {
    Role.ADMIN: "Admin dashboard",
    Role.ASSESSOR: "Assessor dashboard",
    Role.INSTRUCTOR: "Instructor dashboard",
    Role.PARTICIPANT: "Coordinator dashboard",
    Role.REGION_MEMBER: "Team member dashboard",
}

# indicators/data/indicators.csv: the indicators whose title_id has "sampah".
SAMPAH_CLAUSES = ["7.1", "7.3", "16.1", "16.2", "16.3", "16.4", "16.5", "16.6", "20.2"]


def _first_demo_account(role):
    return next(account for account in DEMO_ACCOUNTS if role in account.roles)


def _log_in(page, email, password):
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").click()


@pytest.mark.parametrize(
    ("role", "account"),
    [pytest.param(role, _first_demo_account(role), id=role) for role in ROLE_PRIORITY],
)
def test_each_role_logs_in_to_its_dashboard_and_switches_to_english(
    page, e2e_url, e2e_shot, e2e_watch, role, account
):
    title = DASHBOARD_TITLES[role]
    title_id = indonesian(title)
    title_en = in_language("en", title)

    page.goto(e2e_url("/akun/masuk/"))
    expect_language(page, "id")
    assert_assets_loaded(page)
    e2e_shot("login")

    _log_in(page, account.email, account.password)
    expect(page).to_have_url(e2e_url(f"/dasbor/{role}/"))
    expect_language(page, "id")
    expect(page.get_by_test_id("dashboard-title")).to_have_text(title_id)
    expect(page.locator(f"nav a[data-role={role}]")).to_have_text(
        indonesian("Dashboard")
    )
    assert_assets_loaded(page)
    e2e_shot("dashboard-id")

    page.locator("form.language-switch button[name=language][value=en]").click()
    expect(page).to_have_url(e2e_url(f"/en/dasbor/{role}/"))
    expect_language(page, "en")
    expect(page.get_by_test_id("dashboard-title")).to_have_text(title_en)
    expect(page.locator(f"nav a[data-role={role}]")).to_have_text("Dashboard")
    expect(page.locator("form.language-switch button[value=id]")).to_be_visible()
    e2e_shot("dashboard-en")

    e2e_watch.assert_clean()


def test_visitor_finds_waste_indicators_by_an_indonesian_word(
    page, e2e_url, e2e_shot, e2e_watch
):
    page.goto(e2e_url("/katalog-indikator/"))
    expect_language(page, "id")
    assert_assets_loaded(page)
    count = page.get_by_test_id("result-count")
    expect(count).to_have_text(indicator_count("id", 80))
    e2e_shot("catalogue")

    expected = indicator_count("id", len(SAMPAH_CLAUSES))
    assert expected != indicator_count("en", len(SAMPAH_CLAUSES)), (
        "No Indonesian translation for the result count"
    )
    with page.expect_response(
        lambda r: "q=sampah" in r.url and r.request.headers.get("hx-request") == "true"
    ):
        page.locator("#q").press_sequentially("sampah")
    expect(count).to_have_text(expected)
    expect(page.locator("#results [data-clause]")).to_have_count(len(SAMPAH_CLAUSES))
    clauses = page.locator("#results [data-clause]").evaluate_all(
        "items => items.map((item) => item.dataset.clause)"
    )
    assert clauses == SAMPAH_CLAUSES
    for item in page.locator("#results [data-clause]").all():
        expect(item).to_contain_text(re.compile("sampah", re.IGNORECASE))
    # htmx pushed the search into the address bar, so it can be shared.
    assert "q=sampah" in page.url
    e2e_shot("search-sampah")

    e2e_watch.assert_clean()


def test_failed_login_shows_the_indonesian_error_and_keeps_the_email(
    page, e2e_url, e2e_shot, e2e_watch
):
    email = _first_demo_account(Role.PARTICIPANT).email
    error = indonesian(EmailLoginForm.error_messages["invalid_login"])

    page.goto(e2e_url("/akun/masuk/"))
    _log_in(page, email, "not-the-password")

    expect(page).to_have_url(e2e_url("/akun/masuk/"))
    expect_language(page, "id")
    expect(page.get_by_role("alert")).to_have_text(error)
    expect(page.locator("input[name=username]")).to_have_value(email)
    expect(page.locator("input[name=password]")).to_have_value("")
    e2e_shot("login-failed")

    e2e_watch.assert_clean()


def test_public_pages_in_both_languages_load_without_csp_violations(
    page, e2e_url, e2e_shot, e2e_watch
):
    for label, path, language in [
        ("id-home", "/", "id"),
        ("id-catalogue-internet", "/katalog-indikator/?q=internet", "id"),
        ("id-login", "/akun/masuk/", "id"),
        ("id-password-reset", "/akun/lupa-sandi/", "id"),
        ("en-home", "/en/", "en"),
        ("en-catalogue-waste", "/en/katalog-indikator/?q=waste", "en"),
        ("en-login", "/en/akun/masuk/", "en"),
    ]:
        page.goto(e2e_url(path))
        expect_language(page, language)
        assert_assets_loaded(page)
        e2e_shot(label)

    assert e2e_watch.csp_violations == []
    e2e_watch.assert_clean()


def test_csp_watch_catches_an_inline_style(page, e2e_url, e2e_watch):
    """The watch above is not vacuous: an inline style is refused and reported."""
    page.goto(e2e_url("/"))
    page.evaluate(
        "document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')"
    )
    page.wait_for_timeout(200)

    assert any("style-src" in text for text in e2e_watch.csp_violations), (
        e2e_watch.csp_violations
    )
    e2e_watch.csp_violations.clear()


def test_asset_check_fails_without_bootstrap(page, e2e_url, e2e_watch):
    """assert_assets_loaded is not vacuous: a page without Bootstrap fails it."""
    page.route("**/bootstrap.min.css", lambda route: route.abort())
    page.goto(e2e_url("/"))

    with pytest.raises(AssertionError):
        assert_assets_loaded(page)
    assert any("bootstrap.min.css" in url for url in e2e_watch.failed_requests)
    e2e_watch.failed_requests.clear()
