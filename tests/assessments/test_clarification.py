"""A clarification reopens only the indicators it names; the diff shows changes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kotacerdas.assessments import services
from kotacerdas.assessments.diff import response_diff
from kotacerdas.assessments.models import Clarification, StageState
from kotacerdas.common.models import Notification
from kotacerdas.common.workflow import WorkflowError
from tests.assessments.factories import stage_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked():
    """Under clarification on the first two of three indicators."""
    w = stage_in(StageState.CLARIFICATION_REQUESTED, indicator_count=3)
    w.clarification = Clarification.objects.get(stage=w.stage)
    return w


def test_a_named_indicator_can_be_changed(asked):
    w = asked
    services.save_response(
        w.response(1), actor=w.coordinator, answers={"S1": {"answer": "partly"}}
    )

    assert w.response(1).readiness_answers.get(criterion="S1").answer == "partly"


def test_an_indicator_the_clarification_does_not_name_is_refused(asked):
    w = asked
    with pytest.raises(WorkflowError) as refused:
        services.save_response(
            w.response(2), actor=w.coordinator, answers={"S1": {"answer": "no"}}
        )

    assert refused.value.message == (
        "Only the indicators named in the clarification request can be changed now."
    )
    assert w.response(2).readiness_answers.get(criterion="S1").answer == "yes"


def test_evidence_of_an_indicator_not_named_cannot_be_added(asked):
    w = asked
    with pytest.raises(WorkflowError):
        services.add_evidence(
            w.response(2),
            actor=w.coordinator,
            label="Portal data",
            url="https://data.surakarta.go.id/",
        )


def test_can_edit_response_tells_the_interface_which_indicators_reopened(asked):
    w = asked
    assert [
        services.can_edit_response(w.coordinator, w.response(i)) for i in range(3)
    ] == [True, True, False]


def test_the_diff_shows_exactly_what_changed(asked):
    w = asked
    response = w.response(0)
    services.save_response(
        response,
        actor=w.coordinator,
        answers={
            "S1": {"answer": "partly"},
            "P3": {"explanation": "Data 2025 tersedia di portal."},
            "I1": {"answer": "yes"},  # unchanged
        },
    )
    services.add_evidence(
        response,
        actor=w.coordinator,
        label="SK wali data",
        url="https://jdih.surakarta.go.id/sk-12",
    )

    changes = [str(change) for change in response_diff(response, w.clarification)]

    assert changes == [
        "S1 answer: “yes” → “partly”",
        "P3 explanation: “Sudah ditetapkan.” → “Data 2025 tersedia di portal.”",
        "Evidence added: SK wali data (https://jdih.surakarta.go.id/sk-12)",
    ]


def test_removed_evidence_shows_in_the_diff(asked):
    w = asked
    response = w.response(0)
    evidence = services.add_evidence(
        response, actor=w.coordinator, label="Foto", url="https://example.test/foto"
    )
    services.answer_clarification(w.stage, actor=w.coordinator, answer="Terlampir.")
    services.start_review(w.stage, actor=w.lead)
    services.open_clarification(
        w.refresh(),
        actor=w.lead,
        indicators=[w.indicators[0]],
        question="Foto tidak terbaca; ganti.",
        due_date=timezone.localdate() + timedelta(days=3),
    )
    second_round = Clarification.objects.get(stage=w.stage, round=2)

    services.remove_evidence(evidence, actor=w.coordinator)

    assert [str(c) for c in response_diff(response, second_round)] == [
        "Evidence removed: Foto (https://example.test/foto)"
    ]


def test_an_unchanged_response_has_an_empty_diff(asked):
    w = asked
    assert response_diff(w.response(0), w.clarification) == []


def test_answering_resubmits_and_starts_the_next_round(asked):
    w = asked
    services.answer_clarification(w.stage, actor=w.coordinator, answer="Terlampir.")

    stage = w.refresh()
    clarification = Clarification.objects.get(pk=w.clarification.pk)
    assert (stage.state, stage.round) == (StageState.RESUBMITTED, 2)
    assert clarification.answer == "Terlampir."
    assert clarification.answered_by == w.coordinator
    assert services.can_edit_response(w.coordinator, w.response(0)) is False


def test_the_region_is_told_which_indicators_reopened(asked):
    w = asked
    notification = Notification.objects.get(
        recipient=w.coordinator, action="stage.clarification_requested"
    )
    clauses = f"{w.indicators[0].clause}, {w.indicators[1].clause}"
    assert notification.subject == (
        "Clarification requested: Kota Surakarta, readiness (stage 1)"
    )
    assert clauses in notification.body


def test_a_clarification_needs_indicators_of_the_stage():
    w = stage_in(StageState.UNDER_REVIEW, indicator_count=2)
    with pytest.raises(WorkflowError):
        services.open_clarification(
            w.stage,
            actor=w.lead,
            indicators=[],
            question="?",
            due_date=timezone.localdate(),
        )
    assert w.refresh().state == StageState.UNDER_REVIEW
