"""The report pages: who sees what (404 outside the scope), the lead's form,
the admin's publication, the SVG radar under the CSP, and query counts."""

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections
from django.urls import reverse

from kotacerdas.maturity import report as reports
from kotacerdas.maturity.models import MaturityReport, ReportState
from kotacerdas.registrations.models import Registration
from tests.maturity.factories_review import decided_world
from tests.maturity.test_report_services import DIMENSIONS, drafted, published

pytestmark = pytest.mark.django_db

ROLES = ["lead", "second", "admin", "coordinator", "member_a", "outsider"]


def page(report, name="maturity:report"):
    return reverse(name, args=[report.stage_id, report.version])


def _release(response):
    """Close a (file) response as the server would, but without closing the
    database connection: ``request_finished`` would close the test's
    PostgreSQL connection in the middle of its transaction (Django's test
    client keeps the signal off in the same way while it handles a request)."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def status(client, user, url, method="get", data=None):
    client.force_login(user)
    response = getattr(client, method)(url, data or {})
    _release(response)
    client.logout()
    return response.status_code


def form_data(**extra):
    data = {
        "summary": "Ringkasan hasil.",
        "strengths": "Data ekonomi lengkap.",
        **{f"recommendation_{code}": f"Saran {code}." for code in DIMENSIONS},
    }
    data.update(extra)
    return data


# Permission matrices ---------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("lead", 200),
        ("second", 200),
        ("admin", 200),
        ("coordinator", 404),
        ("member_a", 404),
        ("outsider", 404),
    ],
)
def test_a_draft_is_for_the_assessors_and_the_admin(client, role, expected):
    w = decided_world()
    report = drafted(w)
    user = getattr(w, role)
    for name in ("maturity:report", "maturity:report_radar", "maturity:report_pdf"):
        assert status(client, user, page(report, name)) == expected, name


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("lead", 200),
        ("second", 200),
        ("admin", 200),
        ("coordinator", 200),
        ("member_a", 200),
        ("outsider", 404),
    ],
)
def test_a_published_version_is_read_by_everyone_on_the_stage(client, role, expected):
    w = decided_world()
    report = published(w)
    user = getattr(w, role)
    for name in ("maturity:report", "maturity:report_radar", "maturity:report_pdf"):
        assert status(client, user, page(report, name)) == expected, name


def test_only_the_lead_gets_the_form_and_only_the_admin_the_publish_button(client):
    w = decided_world()
    report = drafted(w)
    seen = {}
    for role in ("lead", "second", "admin"):
        client.force_login(getattr(w, role))
        html = client.get(page(report)).content.decode()
        seen[role] = (
            'data-testid="report-form"' in html,
            'data-testid="publish"' in html,
        )
    assert seen == {
        "lead": (True, False),
        "second": (False, False),
        "admin": (False, True),
    }


@pytest.mark.parametrize(
    "role", ["second", "admin", "coordinator", "member_a", "outsider"]
)
def test_only_the_lead_starts_the_report(client, role):
    w = decided_world()
    url = reverse("maturity:report_start", args=[w.stage.pk])
    assert status(client, getattr(w, role), url, "post") == 404
    assert not MaturityReport.objects.filter(stage=w.stage).exists()


def test_lead_starts_and_saves_the_draft_through_the_pages(client):
    w = decided_world()
    client.force_login(w.lead)
    start = reverse("maturity:report_stage", args=[w.stage.pk])
    assert 'data-testid="start-report"' in client.get(start).content.decode()
    response = client.post(reverse("maturity:report_start", args=[w.stage.pk]))
    report = MaturityReport.objects.get(stage=w.stage)
    assert response.url == page(report)
    response = client.post(page(report), form_data())
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.summary == "Ringkasan hasil."
    assert report.recommendations["economy"] == "Saran economy."


@pytest.mark.parametrize(
    "role", ["lead", "second", "coordinator", "member_a", "outsider"]
)
def test_only_the_admin_publishes_through_the_page(client, role):
    w = decided_world()
    report = drafted(w)
    url = page(report, "maturity:report_publish")
    assert status(client, getattr(w, role), url, "post", {"confirm": "on"}) == 404
    assert MaturityReport.objects.get(pk=report.pk).state == ReportState.DRAFT


def test_admin_publishes_after_confirming(client):
    w = decided_world()
    report = drafted(w)
    client.force_login(w.admin)
    url = page(report, "maturity:report_publish")
    client.post(url, {})
    assert MaturityReport.objects.get(pk=report.pk).state == ReportState.DRAFT
    response = client.post(url, {"confirm": "on"}, follow=True)
    assert MaturityReport.objects.get(pk=report.pk).state == ReportState.PUBLISHED
    assert "Version 1 is published." in response.content.decode()


@pytest.mark.parametrize(
    ("role", "expected"),
    [("admin", 200), ("lead", 404), ("coordinator", 404), ("outsider", 404)],
)
def test_the_list_of_reports_is_the_admins(client, role, expected):
    w = decided_world()
    drafted(w)
    url = reverse("maturity:report_list")
    assert status(client, getattr(w, role), url) == expected
    if expected == 200:
        client.force_login(w.admin)
        assert "Kota Surakarta" in client.get(url).content.decode()


# Immutability on the page -----------------------------------------------------


def test_the_edit_page_refuses_a_published_version(client):
    w = decided_world()
    report = published(w)
    client.force_login(w.lead)
    html = client.get(page(report)).content.decode()
    assert 'data-testid="report-form"' not in html
    response = client.post(page(report), form_data(summary="Diubah."), follow=True)
    assert "can no longer change" in response.content.decode()
    assert MaturityReport.objects.get(pk=report.pk).summary != "Diubah."


def test_both_versions_stay_readable_and_the_old_one_says_superseded(client):
    w = decided_world()
    first = published(w)
    second = reports.start_report(w.stage, actor=w.lead)
    reports.publish_report(second, actor=w.admin, correction_note="Koreksi data.")
    client.force_login(w.coordinator)
    old = client.get(page(first)).content.decode()
    new = client.get(page(second)).content.decode()
    assert 'data-testid="superseded-note"' in old
    assert "superseded by v2" in new
    assert "Koreksi data." in new
    # The stage's address opens the current version.
    response = client.get(reverse("maturity:report_stage", args=[w.stage.pk]))
    assert response.url == page(second)


# The chart ------------------------------------------------------------------


def test_the_radar_is_served_as_svg_under_the_strict_csp(client):
    w = decided_world()
    report = published(w)
    client.force_login(w.coordinator)
    response = client.get(page(report, "maturity:report_radar"))
    assert response["Content-Type"].startswith("image/svg+xml")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "'unsafe-inline'" not in csp
    svg = response.content.decode()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert "<script" not in svg.lower()
    assert "style=" not in svg
    # The six dimensions, in the user's language (English in these tests).
    for name in ("Smart Governance", "Smart Economy", "Smart People"):
        assert name in svg
    html = client.get(page(report)).content.decode()
    assert f'src="{page(report, "maturity:report_radar")}"' in html


def test_the_published_pdf_downloads(client):
    w = decided_world()
    report = published(w)
    client.force_login(w.member_a)
    response = client.get(page(report, "maturity:report_pdf"))
    content = b"".join(response.streaming_content)
    _release(response)
    assert content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]


# Query counts -----------------------------------------------------------------


def _queries(client, user, url, django_assert_max_num_queries, limit):
    client.force_login(user)
    with django_assert_max_num_queries(limit) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("state", ["draft", "published"])
def test_report_page_queries_do_not_grow_with_indicators(
    client, django_assert_max_num_queries, state
):
    counts = []
    for count in (6, 40):
        w = decided_world(indicator_count=count)
        report = drafted(w) if state == "draft" else published(w)
        counts.append(
            _queries(client, w.lead, page(report), django_assert_max_num_queries, 40)
        )
        # The factory always registers Kota Surakarta for the same period: move
        # the first registration aside so the second world can be made.
        Registration.objects.filter(pk=w.registration.pk).update(
            period=2000 + len(counts)
        )
    assert counts[0] == counts[1]


def test_a_correction_goes_through_the_pages(client):
    w = decided_world()
    first = published(w)
    client.force_login(w.lead)
    html = client.get(page(first)).content.decode()
    assert 'data-testid="new-version"' in html
    response = client.post(reverse("maturity:report_start", args=[w.stage.pk]))
    second = MaturityReport.objects.get(stage=w.stage, version=2)
    assert response.url == page(second)
    client.post(
        page(second),
        form_data(correction_note="Rekomendasi tata kelola diperjelas."),
    )
    client.force_login(w.admin)
    response = client.post(
        page(second, "maturity:report_publish"), {"confirm": "on"}, follow=True
    )
    assert "Version 2 is published." in response.content.decode()
    second.refresh_from_db()
    assert second.correction_note == "Rekomendasi tata kelola diperjelas."
    assert MaturityReport.objects.get(pk=first.pk).superseded_by == second
    # The history of the version names the publication.
    assert 'data-action="report.published"' in response.content.decode()


def test_the_notification_links_to_the_report(client):
    from kotacerdas.common.models import Notification

    w = decided_world()
    report = published(w)
    notification = Notification.objects.filter(
        recipient=w.coordinator, action="report.published"
    ).get()
    assert notification.url == f"/kematangan/laporan/{w.stage.pk}/v1/"
    client.force_login(w.coordinator)
    assert client.get(notification.url).status_code == 200
    assert report.version == 1


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("lead", 302),
        ("second", 302),
        ("admin", 302),
        ("coordinator", 302),
        ("member_a", 302),
        ("outsider", 404),
    ],
)
def test_the_stage_address_opens_the_report_for_everyone_on_the_stage(
    client, role, expected
):
    w = decided_world()
    published(w)
    url = reverse("maturity:report_stage", args=[w.stage.pk])
    assert status(client, getattr(w, role), url) == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("lead", 200),
        ("second", 404),
        ("admin", 404),
        ("coordinator", 404),
        ("member_a", 404),
        ("outsider", 404),
    ],
)
def test_before_any_version_only_the_lead_sees_the_stage_address(
    client, role, expected
):
    w = decided_world()
    url = reverse("maturity:report_stage", args=[w.stage.pk])
    assert status(client, getattr(w, role), url) == expected


def test_the_list_of_reports_queries_do_not_grow_with_rows(
    client, django_assert_max_num_queries
):
    counts = []
    admin = None
    for number in range(3):
        w = decided_world()
        admin = admin or w.admin
        drafted(w)
        if number in (0, 2):
            counts.append(
                _queries(
                    client,
                    admin,
                    reverse("maturity:report_list"),
                    django_assert_max_num_queries,
                    20,
                )
            )
        # See test_report_page_queries_do_not_grow_with_indicators.
        Registration.objects.filter(pk=w.registration.pk).update(period=2000 + number)
    assert counts[0] == counts[1]
    client.force_login(admin)
    html = client.get(reverse("maturity:report_list")).content.decode()
    assert html.count("Read and publish") == 3
