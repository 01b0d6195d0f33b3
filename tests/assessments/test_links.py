"""The links that make the stage pages reachable: the coordinator's progress
line, the assessor's assignments, the admin's schedule and registration pages."""

import pytest

from kotacerdas.assessments import services
from kotacerdas.assessments.models import Decision, Response, StageState
from kotacerdas.dashboard.progress import CURRENT, DONE, coordinator_progress
from kotacerdas.scheduling.models import DataEntryWindow
from tests.assessments.factories import stage_in, world
from tests.scheduling.factories import AssignmentFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

S = StageState
QUERIES_ASSESSOR = 7


def _steps(w):
    steps = coordinator_progress(w.registration.region)["steps"]
    return {step.number: step for step in steps}


def _line(step):
    return (step.status, str(step.detail), step.href)


def test_progress_line_without_an_open_stage_links_nowhere_for_step_five():
    w = world()

    steps = _steps(w)

    assert (steps["5"].status, steps["5"].href, steps["6"].href) == (CURRENT, "", "")


def test_progress_line_of_an_open_stage_links_step_five_to_the_overview():
    w = stage_in(S.OPEN)

    steps = _steps(w)

    assert _line(steps["5"]) == (
        CURRENT,
        "The data-entry window is open.",
        f"/en/tahap/isi/{w.stage.pk}/",
    )


@pytest.mark.parametrize(
    ("state", "detail"),
    [
        (S.SUBMITTED, "Submitted; waiting for the assessors."),
        (S.UNDER_REVIEW, "The assessors are scoring the responses."),
        (
            S.CLARIFICATION_REQUESTED,
            "The assessors asked for a clarification: answer it.",
        ),
        (S.RESUBMITTED, "Clarification answered; waiting for the assessors."),
        (S.ASSESSED, "Assessed; waiting for the lead assessor's decision."),
    ],
)
def test_progress_line_while_the_assessors_hold_the_stage(state, detail):
    w = stage_in(state)

    steps = _steps(w)

    assert (steps["5"].status, _line(steps["6"])) == (
        DONE,
        (CURRENT, detail, f"/en/tahap/isi/{w.stage.pk}/"),
    )


def test_progress_line_of_a_decided_stage_shows_the_decision():
    w = stage_in(S.DECIDED)

    steps = _steps(w)

    assert (w.stage.decision, _line(steps["6"])) == (
        Decision.PASSED,
        (DONE, "passed", f"/en/tahap/isi/{w.stage.pk}/"),
    )


def test_coordinator_dashboard_links_the_next_step_to_the_stage(client):
    w = stage_in(S.OPEN)
    client.force_login(w.coordinator)

    body = client.get("/dasbor/participant/").content.decode()

    assert f'<a class="btn btn-brand" href="/tahap/isi/{w.stage.pk}/">' in body


@pytest.mark.parametrize(
    "state", [S.SUBMITTED, S.UNDER_REVIEW, S.CLARIFICATION_REQUESTED, S.ASSESSED]
)
def test_assessor_dashboard_links_the_assignment_to_the_review(client, state):
    w = stage_in(state)
    client.force_login(w.second)

    body = client.get("/dasbor/assessor/").content.decode()

    assert f'data-testid="review-link" href="/tahap/tinjau/{w.stage.pk}/"' in body


@pytest.mark.parametrize("state", [S.NOT_OPEN, S.OPEN, S.DECIDED])
def test_assessor_dashboard_has_no_review_link_outside_the_review(client, state):
    w = stage_in(state)
    client.force_login(w.lead)

    body = client.get("/dasbor/assessor/").content.decode()

    assert 'data-testid="review-link"' not in body


def _open_link(registration):
    return f'data-testid="open-stage" href="/tahap/buka/{registration.pk}/"'


def test_schedule_page_offers_the_admin_to_open_the_stage(client):
    w = world()
    client.force_login(w.admin)

    body = client.get(f"/jadwal/{w.registration.pk}/kelola/readiness/")

    assert _open_link(w.registration) in body.content.decode()


def test_schedule_page_of_an_open_stage_links_to_its_overview(client):
    w = stage_in(S.OPEN)
    client.force_login(w.admin)

    body = client.get(f"/jadwal/{w.registration.pk}/kelola/readiness/")

    assert (
        f'data-testid="stage-overview" href="/tahap/isi/{w.stage.pk}/"'
        in body.content.decode()
    )


def test_registration_page_offers_the_admin_to_open_the_stage(client):
    w = world()
    client.force_login(w.admin)

    body = client.get(f"/pendaftaran/{w.registration.pk}/").content.decode()

    assert _open_link(w.registration) in body


def test_registration_page_without_a_window_offers_no_opening(client):
    w = world()
    DataEntryWindow.objects.filter(registration=w.registration).delete()
    client.force_login(w.admin)

    body = client.get(f"/pendaftaran/{w.registration.pk}/").content.decode()

    assert 'data-testid="open-stage"' not in body


def test_registration_page_offers_the_coordinator_no_opening(client):
    w = world()
    client.force_login(w.coordinator)

    body = client.get(f"/pendaftaran/{w.registration.pk}/").content.decode()

    assert 'data-testid="open-stage"' not in body


def test_member_dashboard_links_the_indicators_given_to_the_member(client):
    w = stage_in(S.OPEN)
    response = w.response(0)
    services.assign_response(response, actor=w.coordinator, member=w.member_a)
    client.force_login(w.member_a)

    body = client.get("/dasbor/region_member/").content.decode()

    assert body.count('href="/tahap/isi/jawaban/') == 1
    assert f'href="/tahap/isi/jawaban/{response.pk}/"' in body


def test_member_dashboard_leaves_out_indicators_of_a_submitted_stage(client):
    w = stage_in(S.SUBMITTED)
    Response.objects.filter(pk=w.response(0).pk).update(assigned_to=w.member_a)
    client.force_login(w.member_a)

    body = client.get("/dasbor/region_member/").content.decode()

    assert 'data-testid="my-indicators"' not in body


@pytest.mark.parametrize("extra", [0, 5])
def test_assessor_dashboard_query_count_does_not_grow(
    client, django_assert_num_queries, extra
):
    w = stage_in(S.UNDER_REVIEW)
    for period in range(extra):
        AssignmentFactory(
            registration=RegistrationFactory(period=2030 + period), assessor=w.second
        )
    client.force_login(w.second)
    client.get("/dasbor/assessor/")  # the session and roles are read once

    with django_assert_num_queries(QUERIES_ASSESSOR):
        response = client.get("/dasbor/assessor/")

    assert response.content.decode().count('data-testid="review-link"') == 1
