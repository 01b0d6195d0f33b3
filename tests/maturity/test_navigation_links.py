"""The links that bring people to the maturity pages: the admin's navigation
menu and dashboard block, the spreadsheet link on the stage's overview, the
report link on the review and result pages, the coordinator's progress line
and results block, and the assessor's dashboard."""

import pytest
from django.urls import reverse

from kotacerdas.accounts.models import Role
from kotacerdas.assessments import services
from kotacerdas.assessments.models import StageState
from kotacerdas.certificates.readiness import issue_readiness_certificate
from kotacerdas.dashboard.progress import CURRENT, DONE, UPCOMING, coordinator_progress
from kotacerdas.maturity.certificate import live_certificate
from tests.factories import ParticipantFactory, UserFactory
from tests.maturity.factories import open_world, submitted_world
from tests.maturity.factories_review import decided_world
from tests.maturity.test_report_services import drafted, published

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "maturity:report_list",
    "maturity:national_overview",
    "maturity:publication_policy",
    "maturity:agreement",
]


def _page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    client.logout()
    assert response.status_code == 200, url
    return response.content.decode()


def _dashboard(client, user, role):
    return _page(client, user, reverse("dashboard:role", args=[role]))


def _href(name, *args):
    return f'href="{reverse(name, args=args)}"'


# The navigation bar.


def test_the_admin_reaches_the_maturity_pages_and_appeals_from_the_bar(client):
    admin = UserFactory(roles=[Role.ADMIN])
    body = _dashboard(client, admin, "admin")

    nav = body.split('<nav class="navbar', 1)[1].split("</nav>", 1)[0]
    for name in ADMIN_PAGES:
        assert f'{_href(name)} data-section="{name}"' in nav
    # The four share one menu, so the bar keeps fitting its width.
    assert 'class="nav-link dropdown-toggle" href="#"' in nav
    assert f'{_href("appeals:list")} data-section="appeals:list"' in nav


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.ASSESSOR])
def test_others_have_no_admin_maturity_menu(client, role):
    user = (
        ParticipantFactory() if role == Role.PARTICIPANT else UserFactory(roles=[role])
    )
    body = _dashboard(client, user, role)
    for name in [*ADMIN_PAGES, "appeals:list"]:
        assert f'data-section="{name}"' not in body


# The admin's dashboard.


def test_the_admin_dashboard_counts_reports_waiting_for_publication(client):
    w = decided_world()
    body = _dashboard(client, w.admin, "admin")
    block = body.split('data-testid="maturity-block"', 1)[1]
    assert 'data-testid="reports-waiting"' in block
    assert '<span class="fs-3 fw-semibold me-1">0</span>' in block
    for name in ADMIN_PAGES:
        assert _href(name) in block

    drafted(w)
    block = _dashboard(client, w.admin, "admin").split(
        'data-testid="maturity-block"', 1
    )[1]
    assert '<span class="fs-3 fw-semibold me-1">1</span>' in block


# The stage's overview: the spreadsheet.


@pytest.mark.parametrize(
    ("who", "shown"),
    [("coordinator", True), ("member_a", True), ("admin", False), ("lead", False)],
)
def test_the_overview_links_the_spreadsheet_for_the_region_while_open(
    client, who, shown
):
    w = open_world()
    url = reverse("maturity:fill_overview", args=[w.stage.pk])
    body = _page(client, getattr(w, who), url)
    assert (_href("maturity:excel", w.stage.pk) in body) is shown


def test_the_spreadsheet_link_goes_once_the_stage_is_submitted(client):
    w = submitted_world()
    url = reverse("maturity:fill_overview", args=[w.stage.pk])
    assert _href("maturity:excel", w.stage.pk) not in _page(client, w.coordinator, url)


# The review and result pages: the report.


def test_a_decided_stage_links_its_report_for_the_team_and_the_admin(client):
    w = decided_world()
    report = _href("maturity:report_stage", w.stage.pk)
    review = reverse("maturity:review", args=[w.stage.pk])
    result = reverse("maturity:review_result", args=[w.stage.pk])

    # Before a draft exists only the lead can go there (to start it).
    assert report in _page(client, w.lead, review)
    assert report in _page(client, w.lead, result)
    assert report not in _page(client, w.second, result)
    assert report not in _page(client, w.coordinator, result)

    drafted(w)
    assert report in _page(client, w.admin, result)
    assert report in _page(client, w.second, result)
    # The region reads only published versions.
    assert report not in _page(client, w.coordinator, result)


def test_the_region_finds_the_report_once_published(client):
    w = decided_world()
    published(w)
    result = reverse("maturity:review_result", args=[w.stage.pk])
    assert _href("maturity:report_stage", w.stage.pk) in _page(
        client, w.coordinator, result
    )


def test_no_report_link_before_the_decision(client):
    w = submitted_world()
    services.start_review(w.stage, actor=w.lead)
    review = reverse("maturity:review", args=[w.stage.pk])
    assert "maturity:report_stage" not in _page(client, w.lead, review)
    assert 'data-testid="report-link"' not in _page(client, w.lead, review)


def test_the_published_report_links_the_results_and_the_certificate_pdf(client):
    w = decided_world()
    report = published(w)
    certificate = live_certificate(w.stage)
    url = reverse("maturity:report", args=[w.stage.pk, report.version])
    body = _page(client, w.coordinator, url)
    assert _href("maturity:results_region", w.registration.region.code) in body
    assert _href("certificates:download", certificate.number) in body
    # The lead reads the report but may not download the region's certificate:
    # no link that would answer 404.
    lead = _page(client, w.lead, url)
    assert _href("certificates:download", certificate.number) not in lead


# The coordinator's dashboard.


def _steps(w):
    progress = coordinator_progress(w.registration.region)
    return {step.number: step for step in progress["steps"]}, progress


def test_step_eleven_is_done_and_linked_once_the_report_is_published(client):
    w = decided_world()
    steps, progress = _steps(w)
    assert (steps["11"].status, steps["11"].href) == (CURRENT, "")
    assert progress["published_report"] is None
    body = _dashboard(client, w.coordinator, "participant")
    assert 'data-testid="report-link"' not in body
    assert _href("maturity:results_consent") in body

    report = published(w)
    steps, progress = _steps(w)
    assert steps["11"].status == DONE
    assert steps["11"].href == reverse("maturity:report_stage", args=[w.stage.pk])
    assert progress["published_report"] == report
    body = _dashboard(client, w.coordinator, "participant")
    results = body.split('data-testid="maturity-results"', 1)[1]
    assert _href("maturity:report_stage", w.stage.pk) in results
    assert _href("maturity:results_region", w.registration.region.code) in results
    assert _href("maturity:results_consent") in results
    assert "3,00" in results or "3.00" in results


def test_step_seven_is_done_once_the_readiness_certificate_is_issued():
    w = decided_world()
    steps, _ = _steps(w)
    assert steps["7"].status == UPCOMING
    certificate = issue_readiness_certificate(w.readiness, actor=w.admin)
    steps, _ = _steps(w)
    assert steps["7"].status == DONE
    assert steps["7"].href == reverse("certificates:verify", args=[certificate.number])
    # The coordinator's next step stays theirs, not the admin's certificate.
    assert steps["8"].status == DONE


def test_the_coordinator_dashboard_stays_flat_with_a_published_report(
    client, django_assert_max_num_queries
):
    w = decided_world()
    published(w)
    client.force_login(w.coordinator)
    url = reverse("dashboard:role", args=["participant"])
    client.get(url)
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200


# The assessor's dashboard.


def test_the_assessor_dashboard_links_a_maturity_review_directly(client):
    w = submitted_world()
    body = _dashboard(client, w.second, "assessor")
    review = reverse("maturity:review", args=[w.stage.pk])
    assert f'data-testid="review-link" href="{review}"' in body


def test_after_the_decision_the_lead_is_sent_to_the_report(client):
    w = decided_world()
    report = _href("maturity:report_stage", w.stage.pk)
    result = _href("maturity:review_result", w.stage.pk)

    lead = _dashboard(client, w.lead, "assessor")
    assert report in lead and result in lead
    second = _dashboard(client, w.second, "assessor")
    assert report not in second and result in second
    assert 'data-testid="review-link"' not in second


def test_a_readiness_stage_keeps_its_review_link(client):
    w = open_world()
    # The readiness stage is decided, the maturity stage open: no link at all.
    body = _dashboard(client, w.lead, "assessor")
    assert 'data-testid="review-link"' not in body
    assert w.readiness.state == StageState.DECIDED
