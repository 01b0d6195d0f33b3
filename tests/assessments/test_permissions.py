"""Who may call each domain function and see a stage, by role.

Each function runs in a state that allows it; a role that may never do it is
refused by the rule (PermissionDenied, which views answer with 404) and the
state stays as it was.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from kotacerdas.accounts.models import Role
from kotacerdas.assessments import services
from kotacerdas.assessments.models import StageRecord, StageState
from kotacerdas.scheduling.models import Stage
from tests.assessments.factories import FULL, points_for_all, stage_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

S = StageState
ROLES = [
    "coordinator",
    "member_a",
    "member_b",
    "outsider",
    "lead",
    "second",
    "stranger",
    "admin",
]


def _person(w, role):
    if role == "stranger":
        return UserFactory(roles=[Role.ASSESSOR], full_name="Asesor Lain")
    return getattr(w, role)


def _assigned(w):
    services.assign_response(w.response(0), actor=w.coordinator, member=w.member_a)
    return w


# action -> (state, builder options, call(w, user), roles allowed)
TABLE = {
    "open_stage": (
        S.NOT_OPEN,
        {},
        lambda w, u: services.open_stage(
            w.registration, actor=u, stage=Stage.READINESS
        ),
        {"admin"},
    ),
    "assign_response": (
        S.OPEN,
        {},
        lambda w, u: services.assign_response(
            w.response(1), actor=u, member=w.member_b
        ),
        {"coordinator"},
    ),
    "save_response": (
        S.OPEN,
        {},
        lambda w, u: services.save_response(
            _assigned(w).response(0), actor=u, answers={"S1": {"answer": "no"}}
        ),
        {"coordinator", "member_a"},
    ),
    "add_evidence": (
        S.OPEN,
        {},
        lambda w, u: services.add_evidence(
            _assigned(w).response(0),
            actor=u,
            label="Portal",
            url="https://data.example.test/",
        ),
        {"coordinator", "member_a"},
    ),
    "submit_stage": (
        S.OPEN,
        {},
        lambda w, u: services.submit_stage(w.stage, actor=u),
        {"coordinator"},
    ),
    "start_review": (
        S.SUBMITTED,
        {},
        lambda w, u: services.start_review(w.stage, actor=u),
        {"lead", "second"},
    ),
    "record_scores": (
        S.UNDER_REVIEW,
        {"scored": False},
        lambda w, u: services.record_scores(
            w.stage, actor=u, scores=points_for_all(w, FULL)
        ),
        {"lead", "second"},
    ),
    "open_clarification": (
        S.UNDER_REVIEW,
        {},
        lambda w, u: services.open_clarification(
            w.stage,
            actor=u,
            indicators=w.indicators[:1],
            question="Mohon jelaskan.",
            due_date=timezone.localdate() + timedelta(days=3),
        ),
        {"lead", "second"},
    ),
    "answer_clarification": (
        S.CLARIFICATION_REQUESTED,
        {},
        lambda w, u: services.answer_clarification(w.stage, actor=u, answer="-"),
        {"coordinator"},
    ),
    "reconcile": (
        S.UNDER_REVIEW,
        {},
        lambda w, u: services.reconcile(
            w.stage, actor=u, scores={w.indicators[0].pk: {"S1": (1, "")}}
        ),
        {"lead"},
    ),
    "complete_assessment": (
        S.UNDER_REVIEW,
        {},
        lambda w, u: services.complete_assessment(w.stage, actor=u),
        {"lead"},
    ),
    "decide_stage": (
        S.ASSESSED,
        {},
        lambda w, u: services.decide_stage(w.stage, actor=u, summary="Siap."),
        {"lead"},
    ),
}

CASES = [(action, role) for action in TABLE for role in ROLES]


@pytest.mark.parametrize(("action", "role"), CASES)
def test_only_the_roles_allowed_may_call_it(action, role):
    state, builder, call, allowed = TABLE[action]
    w = stage_in(state, indicator_count=2, **builder)
    user = _person(w, role)

    if role in allowed:
        call(w, user)
    else:
        with pytest.raises(PermissionDenied):
            call(w, user)
        assert StageRecord.objects.get(pk=w.stage.pk).state == state


VIEWERS = {
    "coordinator": True,
    "member_a": True,
    "member_b": True,
    "outsider": False,
    "lead": True,
    "second": True,
    "stranger": False,
    "admin": True,
}


@pytest.mark.parametrize("role", ROLES)
def test_who_may_see_the_stage(role):
    w = stage_in(S.OPEN, indicator_count=1)
    assert (
        _person(w, role).has_perm("assessments.view_stage", w.stage) is (VIEWERS[role])
    )


@pytest.mark.parametrize("role", ROLES)
def test_a_member_sees_only_the_indicators_assigned_to_them(role):
    w = _assigned(stage_in(S.OPEN, indicator_count=1))
    expected = VIEWERS[role] and role != "member_b"
    assert _person(w, role).has_perm("assessments.view_response", w.response(0)) is (
        expected
    )
