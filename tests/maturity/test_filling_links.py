"""The ways into the maturity stage: the coordinator's progress line (steps 8 to
11), the registration page, the readiness result and the admin's schedule."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kotacerdas.assessments import services
from kotacerdas.assessments.models import StageState
from kotacerdas.dashboard.progress import CURRENT, DONE, UPCOMING, coordinator_progress
from kotacerdas.maturity import services_filling
from kotacerdas.maturity.models import MaturityData
from kotacerdas.scheduling.models import DataEntryWindow, Stage, TeamAssignment
from tests.assessments.factories import stage_in
from tests.maturity.factories import continued_world, open_world, submitted_world

pytestmark = pytest.mark.django_db


def _steps(w):
    return {
        step.number: step
        for step in coordinator_progress(w.registration.region)["steps"]
    }


def _links(client, user, url):
    client.force_login(user)
    content = client.get(url).content.decode()
    client.logout()
    return content


def test_after_a_readiness_pass_the_coordinator_is_asked_to_continue(client):
    w = stage_in(StageState.DECIDED, indicator_count=5)
    steps = _steps(w)
    assert steps["8"].status == CURRENT
    assert steps["8"].href == reverse(
        "maturity:fill_continue", args=[w.registration.pk]
    )
    assert [steps[n].status for n in ("9", "10", "11")] == [UPCOMING] * 3

    continue_url = reverse("maturity:fill_continue", args=[w.registration.pk])
    detail = reverse("registrations:detail", args=[w.registration.pk])
    result = reverse("assessments:fill_overview", args=[w.stage.pk])
    for url in (detail, result):
        assert continue_url in _links(client, w.coordinator, url)
        # A member and the admin are not the ones who continue.
        assert continue_url not in _links(client, w.member_a, url)
        assert continue_url not in _links(client, w.admin, url)
    dashboard = _links(
        client, w.coordinator, reverse("dashboard:role", args=["participant"])
    )
    assert continue_url in dashboard


def test_before_a_pass_there_is_no_continue(client):
    w = stage_in(StageState.ASSESSED, indicator_count=5)
    assert _steps(w)["8"].status == UPCOMING
    detail = reverse("registrations:detail", args=[w.registration.pk])
    continue_url = reverse("maturity:fill_continue", args=[w.registration.pk])
    assert continue_url not in _links(client, w.coordinator, detail)


def test_once_continued_the_admin_is_shown_the_opening(client):
    w = continued_world(indicator_count=5)
    steps = _steps(w)
    assert steps["8"].status == DONE
    assert steps["9"].status == CURRENT
    assert "opens the stage" in str(steps["9"].detail)
    open_url = reverse("maturity:fill_open", args=[w.registration.pk])
    detail = reverse("registrations:detail", args=[w.registration.pk])
    manage = reverse("scheduling:manage", args=[w.registration.pk, Stage.MATURITY])
    assert open_url in _links(client, w.admin, detail)
    assert open_url in _links(client, w.admin, manage)
    assert open_url not in _links(client, w.coordinator, detail)
    overview = reverse("maturity:fill_overview", args=[w.stage.pk])
    assert overview in _links(client, w.coordinator, detail)


def test_an_open_stage_is_due_with_its_window():
    w = open_world(indicator_count=5)
    steps = _steps(w)
    assert steps["9"].status == CURRENT
    assert steps["9"].due is not None
    assert steps["9"].href == reverse("maturity:fill_overview", args=[w.stage.pk])


def test_a_submitted_stage_waits_for_the_assessors():
    w = submitted_world(indicator_count=5)
    steps = _steps(w)
    assert (steps["9"].status, steps["10"].status) == (DONE, CURRENT)
    assert "waiting for the assessors" in str(steps["10"].detail)
    services.start_review(w.stage, actor=w.lead)
    assert "scoring" in str(_steps(w)["10"].detail)


def test_the_admin_schedules_the_maturity_stage_with_the_scheduling_page(client):
    """Step 4's planning page serves the maturity stage: window and team, then
    the stage opens and the region can type."""
    w = stage_in(StageState.DECIDED, indicator_count=5)
    stage = services_filling.continue_to_maturity(w.registration, actor=w.coordinator)
    client.force_login(w.admin)
    manage = reverse("scheduling:manage", args=[w.registration.pk, Stage.MATURITY])
    assert client.get(manage).status_code == 200

    zone = w.registration.region.zone
    opens = timezone.localtime(timezone.now() - timedelta(hours=1), zone)
    closes = opens + timedelta(days=30)
    answer = client.post(
        manage,
        {
            "action": "window",
            "opens_at": opens.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": closes.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    assert DataEntryWindow.objects.filter(
        registration=w.registration, stage=Stage.MATURITY
    ).exists()
    # The readiness window is untouched.
    assert DataEntryWindow.objects.filter(
        registration=w.registration, stage=Stage.READINESS
    ).exists()
    answer = client.post(
        manage,
        {
            "action": "assign",
            "assessor": w.lead.pk,
            "is_lead": "on",
            "acknowledge_warnings": "on",
        },
    )
    assert answer.status_code == 302
    assert TeamAssignment.objects.filter(
        registration=w.registration, stage=Stage.MATURITY, assessor=w.lead, is_lead=True
    ).exists()

    open_url = reverse("maturity:fill_open", args=[w.registration.pk])
    assert open_url in client.get(manage).content.decode()
    client.post(open_url)
    stage.refresh_from_db()
    assert stage.state == StageState.OPEN

    client.force_login(w.coordinator)
    response = stage.responses.order_by("indicator__sort_key").first()
    client.post(
        reverse("maturity:fill_autosave", args=[response.pk]),
        {"data_year": "2026"},
        HTTP_HX_REQUEST="true",
    )
    assert MaturityData.objects.get(response=response).data_year == 2026
