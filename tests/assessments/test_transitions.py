"""Every state change of a stage, from every state.

The table says which states each domain function allows (acting as the role
allowed to do it) and the state it leads to; from every other state it must be
refused with a WorkflowError, leaving the state as it was.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from kotacerdas.assessments import services
from kotacerdas.assessments.models import StageRecord, StageState
from kotacerdas.common.models import AuditEvent
from kotacerdas.common.workflow import WorkflowError
from kotacerdas.scheduling.models import Stage
from tests.assessments.factories import FULL, points_for_all, stage_in

pytestmark = pytest.mark.django_db

S = StageState
STATES = [state.value for state in StageState]


def _open(w):
    services.open_stage(w.registration, actor=w.admin, stage=Stage.READINESS)


def _submit(w):
    services.submit_stage(w.stage, actor=w.coordinator)


def _start_review(w):
    services.start_review(w.stage, actor=w.lead)


def _clarify(w):
    services.open_clarification(
        w.stage,
        actor=w.second,
        indicators=w.indicators[2:3],
        question="Mohon jelaskan sumber data.",
        due_date=timezone.localdate() + timedelta(days=5),
    )


def _answer(w):
    services.answer_clarification(w.stage, actor=w.coordinator, answer="Sudah.")


def _complete(w):
    services.complete_assessment(w.stage, actor=w.lead)


def _decide(w):
    services.decide_stage(w.stage, actor=w.lead, summary="Siap.")


# action -> (function, states it is allowed from, state after)
TABLE = {
    "open": (_open, {S.NOT_OPEN}, S.OPEN),
    "submit": (_submit, {S.OPEN}, S.SUBMITTED),
    "start_review": (_start_review, {S.SUBMITTED, S.RESUBMITTED}, S.UNDER_REVIEW),
    "open_clarification": (_clarify, {S.UNDER_REVIEW}, S.CLARIFICATION_REQUESTED),
    "answer_clarification": (_answer, {S.CLARIFICATION_REQUESTED}, S.RESUBMITTED),
    "complete_assessment": (_complete, {S.UNDER_REVIEW}, S.ASSESSED),
    "decide": (_decide, {S.ASSESSED}, S.DECIDED),
}

CASES = [(action, state) for action in TABLE for state in STATES]


@pytest.mark.parametrize(("action", "state"), CASES)
def test_transition_from_every_state(action, state):
    function, allowed, target = TABLE[action]
    w = stage_in(state)
    events_before = AuditEvent.objects.count()

    if state in allowed:
        function(w)
        assert StageRecord.objects.get(pk=w.stage.pk).state == target
        assert AuditEvent.objects.count() > events_before
    else:
        with pytest.raises(WorkflowError):
            function(w)
        assert StageRecord.objects.get(pk=w.stage.pk).state == state


def _save(w):
    services.save_response(
        w.response(0), actor=w.coordinator, answers={"S1": {"answer": "partly"}}
    )


def _assign(w):
    services.assign_response(w.response(0), actor=w.coordinator, member=w.member_a)


def _record_scores(w):
    services.record_scores(w.stage, actor=w.lead, scores=points_for_all(w, {"S1": 1}))


def _submit_scores(w):
    services.record_scores(w.stage, actor=w.lead, scores=points_for_all(w, FULL))
    services.submit_scores(w.stage, actor=w.lead)


def _reconcile(w):
    services.reconcile(
        w.stage, actor=w.lead, scores={w.indicators[0].pk: {"S1": (1, "Sebagian.")}}
    )


# Changes that leave the state alone: the states they are allowed in. A stage
# that never opened has no responses, so the filling actions start at "open".
# Scoring is asked of a stage whose assessors have not submitted yet.
EDITS = {
    "save_response": (_save, {S.OPEN, S.CLARIFICATION_REQUESTED}, {}),
    "assign_response": (_assign, {S.OPEN, S.CLARIFICATION_REQUESTED}, {}),
    "record_scores": (_record_scores, {S.UNDER_REVIEW}, {"scored": False}),
    "submit_scores": (_submit_scores, {S.UNDER_REVIEW}, {"scored": False}),
    "reconcile": (_reconcile, {S.UNDER_REVIEW}, {}),
}
EDIT_CASES = [
    (action, state)
    for action in EDITS
    for state in STATES
    if state != S.NOT_OPEN or action not in ("save_response", "assign_response")
]


@pytest.mark.parametrize(("action", "state"), EDIT_CASES)
def test_change_within_a_state_from_every_state(action, state):
    function, allowed, builder = EDITS[action]
    w = stage_in(state, **builder)

    if state in allowed:
        function(w)
    else:
        with pytest.raises(WorkflowError):
            function(w)
    assert StageRecord.objects.get(pk=w.stage.pk).state == state
