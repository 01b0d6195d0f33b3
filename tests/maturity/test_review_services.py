"""The maturity assessment's domain functions (step 10): every function from
every state and role, validation, independence, disagreement flags,
reconciliation, completion and the decision that follows from the tier."""

import pytest
from django.core.exceptions import PermissionDenied

from kotacerdas.accounts.models import Role
from kotacerdas.assessments import services
from kotacerdas.assessments.models import AssessorSubmission, Decision, StageState
from kotacerdas.assessments.services import IncompleteError
from kotacerdas.common.models import AuditEvent, Notification
from kotacerdas.common.workflow import WorkflowError
from kotacerdas.maturity import scoring, services_review
from kotacerdas.maturity.models import LevelScore, ReconciledLevel, Verification
from kotacerdas.maturity.services_review import LevelError
from tests.factories import UserFactory
from tests.maturity.factories_review import (
    assess_and_submit,
    decided_world,
    entries_for,
    entry,
    maturity_in,
    review_world,
    scored_world,
)

pytestmark = pytest.mark.django_db


def events(w, action):
    """The audit events of the maturity stage (not of the readiness stage)."""
    return AuditEvent.objects.filter(action=action, object_id=str(w.stage.pk)).order_by(
        "pk"
    )


S = StageState
STATE_REFUSAL = "this cannot be done now"
FASTER = "Someone may have acted on it a moment ago"


def _record(w):
    services_review.record_levels(w.stage, actor=w.lead, entries=entries_for(w, 3))


def _submit(w):
    _record_if_possible(w)
    services_review.submit_levels(w.stage, actor=w.lead)


def _record_if_possible(w):
    if w.stage.state == S.UNDER_REVIEW:
        _record(w)


def _reconcile(w):
    services_review.reconcile_level(
        w.stage, actor=w.lead, indicator=w.indicators[0], entry=entry(4)
    )


def _complete(w):
    services_review.complete_assessment(w.stage, actor=w.lead)


def _decide(w):
    services_review.decide(w.stage, actor=w.lead, summary="Sudah dinilai.")


# function, allowed from (in the fixture state named), state after, the
# message fragment when refused elsewhere
TABLE = {
    "record": (_record, {S.UNDER_REVIEW}, S.UNDER_REVIEW, STATE_REFUSAL),
    "submit": (_submit, {S.UNDER_REVIEW}, S.UNDER_REVIEW, STATE_REFUSAL),
    "reconcile": (_reconcile, {"scored"}, S.UNDER_REVIEW, STATE_REFUSAL),
    "complete": (_complete, {"scored"}, S.ASSESSED, FASTER),
    "decide": (_decide, {S.ASSESSED}, S.DECIDED, FASTER),
}
FIXTURES = [
    S.SUBMITTED,
    S.UNDER_REVIEW,
    "scored",
    S.CLARIFICATION_REQUESTED,
    S.RESUBMITTED,
    S.ASSESSED,
    S.DECIDED,
]


def _world(name):
    if name == "scored":
        return scored_world(3, indicator_count=5)
    return maturity_in(name, indicator_count=5)


@pytest.mark.parametrize("fixture", FIXTURES)
@pytest.mark.parametrize("action", list(TABLE))
def test_transition_table(action, fixture):
    function, allowed, after, refusal = TABLE[action]
    w = _world(fixture)
    before = w.stage.state
    if fixture in allowed:
        function(w)
        w.refresh()
        assert w.stage.state == after
        return
    with pytest.raises(WorkflowError) as error:
        function(w)
    w.refresh()
    assert w.stage.state == before
    if fixture == S.UNDER_REVIEW and action in ("reconcile", "complete"):
        # Under review but the team has not submitted: a different reason.
        assert "must submit their levels first" in error.value.message
    elif fixture == "scored" and action in ("record", "submit"):
        # The lead has submitted this round already.
        assert "submitted your levels for this round" in error.value.message
    else:
        assert refusal in error.value.message


def _stranger():
    return UserFactory(roles=[Role.ASSESSOR], full_name="Asesor Lain")


ROLES = ["coordinator", "member_a", "outsider", "admin", "stranger"]


@pytest.mark.parametrize("role", ROLES)
def test_only_the_team_records_and_submits(role):
    w = review_world(indicator_count=5)
    person = _stranger() if role == "stranger" else getattr(w, role)
    with pytest.raises(PermissionDenied):
        services_review.record_levels(w.stage, actor=person, entries=entries_for(w))
    with pytest.raises(PermissionDenied):
        services_review.submit_levels(w.stage, actor=person)
    assert not LevelScore.objects.exists()


@pytest.mark.parametrize("role", [*ROLES, "second"])
def test_only_the_lead_reconciles_completes_and_decides(role):
    w = scored_world(3, indicator_count=5)
    person = _stranger() if role == "stranger" else getattr(w, role)
    with pytest.raises(PermissionDenied):
        services_review.reconcile_level(
            w.stage, actor=person, indicator=w.indicators[0], entry=entry(4)
        )
    with pytest.raises(PermissionDenied):
        services_review.complete_assessment(w.stage, actor=person)
    services_review.complete_assessment(w.stage, actor=w.lead)
    with pytest.raises(PermissionDenied):
        services_review.decide(w.stage, actor=person, summary="x")


def test_somebody_else_was_faster():
    w = scored_world(3, indicator_count=5)
    stale = w.stage
    services_review.complete_assessment(w.stage, actor=w.lead)
    with pytest.raises(WorkflowError) as error:
        services_review.complete_assessment(stale, actor=w.lead)
    assert "This cannot be done any more: it is now “assessed”" in error.value.message
    services_review.decide(w.stage, actor=w.lead, summary="Sudah dinilai.")
    with pytest.raises(WorkflowError) as error:
        services_review.decide(stale, actor=w.lead, summary="Lagi.")
    assert FASTER in error.value.message


def test_the_readiness_functions_refuse_nothing_here_but_maturity_refuses_readiness():
    from tests.assessments.factories import stage_in

    readiness = stage_in(S.UNDER_REVIEW, scored=False, indicator_count=1)
    with pytest.raises(WorkflowError) as error:
        services_review.record_levels(readiness.stage, actor=readiness.lead, entries={})
    assert error.value.message == "This is not a maturity stage."


# Validation.

INVALID = [
    (
        {"verification": "adjusted", "level": 3},
        {
            "adjusted_value": "Give the corrected value.",
            "adjustment_reason": "Say why the value is corrected.",
        },
    ),
    (
        {"verification": "adjusted", "level": 3, "adjusted_value": "12,5"},
        {
            "adjusted_value": "Enter a number.",
            "adjustment_reason": "Say why the value is corrected.",
        },
    ),
    (
        {"verification": "rejected", "level": 2},
        {"level": "Rejected data gets no maturity level."},
    ),
    ({"verification": "verified"}, {"level": "Give a maturity level from 1 to 5."}),
    (
        {"verification": "verified", "level": 6},
        {"level": "Give a maturity level from 1 to 5."},
    ),
    (
        {"verification": "verified", "level": "tiga"},
        {"level": "Give a maturity level from 1 to 5."},
    ),
    (
        {"verification": "approved", "level": 3},
        {"verification": "Choose verified, adjusted or rejected."},
    ),
    ({}, {"verification": "Choose verified, adjusted or rejected."}),
]


@pytest.mark.parametrize(("fields", "errors"), INVALID)
def test_invalid_entries_are_refused_per_field(fields, errors):
    _values, found = services_review.clean_entry(fields)
    assert found == errors


def test_a_wrong_entry_saves_nothing_of_the_call():
    w = review_world(indicator_count=5)
    good, bad = w.indicators[:2]
    with pytest.raises(LevelError) as error:
        services_review.record_levels(
            w.stage,
            actor=w.second,
            entries={
                good.pk: entry(3),
                bad.pk: {"verification": "adjusted", "level": 2},
            },
        )
    assert set(error.value.errors) == {bad.pk}
    assert error.value.message == f"Check the entries of indicators {bad.clause}."
    assert not LevelScore.objects.exists()
    with pytest.raises(WorkflowError, match="not part of the stage"):
        services_review.record_levels(
            w.stage, actor=w.second, entries={999999: entry(3)}
        )


def test_valid_entries_are_stored_cleaned_and_may_be_changed():
    w = review_world(indicator_count=5)
    first, second = w.indicators[:2]
    services_review.record_levels(
        w.stage,
        actor=w.second,
        entries={
            first.pk: {
                "verification": "adjusted",
                "level": "4",
                "adjusted_value": "37.5",
                "adjustment_reason": "  Data BPS 2025 dipakai.  ",
                "comment": " Baik ",
            },
            # A corrected value typed on rejected data is dropped.
            second.pk: {
                "verification": "rejected",
                "adjusted_value": "3",
                "comment": "Tanpa bukti.",
            },
        },
    )
    adjusted = LevelScore.objects.get(indicator=first)
    assert (adjusted.verification, adjusted.level, adjusted.adjusted_value) == (
        "adjusted",
        4,
        __import__("decimal").Decimal("37.5"),
    )
    assert adjusted.adjustment_reason == "Data BPS 2025 dipakai."
    assert adjusted.comment == "Baik"
    rejected = LevelScore.objects.get(indicator=second)
    assert (rejected.level, rejected.adjusted_value) == (None, None)
    # Partial and repeated: the second call changes one indicator only.
    services_review.record_levels(
        w.stage, actor=w.second, entries={second.pk: entry(2)}
    )
    assert LevelScore.objects.get(indicator=second).level == 2
    assert LevelScore.objects.get(indicator=first).level == 4


# Submission and independence.


def test_submit_needs_every_indicator_and_locks_the_round():
    w = review_world(indicator_count=5)
    services_review.record_levels(
        w.stage, actor=w.second, entries={w.indicators[0].pk: entry(3)}
    )
    with pytest.raises(IncompleteError) as error:
        services_review.submit_levels(w.stage, actor=w.second)
    clauses = [i.clause for i in w.indicators[1:]]
    assert error.value.message == (
        f"Verify and level every indicator first. Missing: {', '.join(clauses)}."
    )
    assert [i for i, _gaps in error.value.missing] == w.indicators[1:]
    services_review.record_levels(w.stage, actor=w.second, entries=entries_for(w))
    services_review.submit_levels(w.stage, actor=w.second)
    assert AssessorSubmission.objects.filter(
        stage=w.stage, assessor=w.second, round=1
    ).exists()
    with pytest.raises(WorkflowError, match="submitted your levels for this round"):
        services_review.record_levels(w.stage, actor=w.second, entries=entries_for(w))
    with pytest.raises(WorkflowError, match="submitted your levels for this round"):
        services_review.submit_levels(w.stage, actor=w.second)


def test_lead_is_notified_once_the_whole_team_has_submitted():
    w = review_world(indicator_count=5)
    assess_and_submit(w, w.second, 3)
    assert not Notification.objects.filter(
        recipient=w.lead, subject__startswith="All levels are in"
    ).exists()
    assess_and_submit(w, w.lead, 3)
    notice = Notification.objects.get(
        recipient=w.lead, subject__startswith="All levels are in"
    )
    assert "Reconcile the differences" in notice.body
    assert not Notification.objects.filter(
        recipient=w.second, subject__startswith="All levels are in"
    ).exists()
    assert events(w, "stage.scores_submitted").count() == 2


def test_nobody_sees_another_assessors_entries_before_all_submitted():
    w = review_world(indicator_count=5)
    assess_and_submit(w, w.lead, 4)
    services_review.record_levels(w.stage, actor=w.second, entries=entries_for(w, 2))
    lead_sees = services_review.visible_levels(w.stage, w.lead)
    second_sees = services_review.visible_levels(w.stage, w.second)
    assert {e.assessor_id for e in lead_sees} == {w.lead.pk}
    assert {e.assessor_id for e in second_sees} == {w.second.pk}
    services_review.submit_levels(w.stage, actor=w.second)
    assert {e.assessor_id for e in services_review.visible_levels(w.stage, w.lead)} == {
        w.lead.pk,
        w.second.pk,
    }


# Disagreements, reconciliation, completion.


def _two(w, lead, second):
    services_review.record_levels(w.stage, actor=w.lead, entries=entries_for(w, lead))
    services_review.submit_levels(w.stage, actor=w.lead)
    services_review.record_levels(
        w.stage, actor=w.second, entries=entries_for(w, second)
    )
    services_review.submit_levels(w.stage, actor=w.second)
    w.refresh()


def test_disagreement_flags_level_spread_two_and_verification_difference():
    w = review_world(indicator_count=5)
    adjusted = entry(3, "adjusted", adjusted_value="40", adjustment_reason="BPS")
    _two(w, [2, 3, 3, 3, 5], [4, 4, adjusted, 3, 5])
    flags = {d.indicator_id: d for d in scoring.disagreements(w.stage)}
    first, second, third, fourth, fifth = (i.pk for i in w.indicators)
    assert set(flags) == {first, third}
    assert (flags[first].reason, flags[first].spread) == ("level", 2)
    assert flags[third].reason == "verification"
    # A spread of one is no flag, but there is no final entry either.
    assert [i.pk for i, flag in services_review.to_reconcile(w.stage)] == [
        first,
        second,
        third,
    ]
    final = scoring.final_entries(w.stage)
    assert set(final) == {fourth, fifth}


def test_complete_is_refused_with_unreconciled_indicators_then_allowed():
    w = review_world(indicator_count=5)
    _two(w, [2, 3, 3, 3, 3], [4, 3, 3, 3, 3])
    with pytest.raises(IncompleteError) as error:
        services_review.complete_assessment(w.stage, actor=w.lead)
    assert error.value.message == (
        f"Reconcile the differing entries first: {w.indicators[0].clause}."
    )
    w.refresh()
    assert w.stage.state == S.UNDER_REVIEW
    services_review.reconcile_level(
        w.stage,
        actor=w.lead,
        indicator=w.indicators[0],
        entry={**entry(3), "comment": "Bukti mendukung level 3."},
    )
    reconciled = ReconciledLevel.objects.get(indicator=w.indicators[0])
    assert (reconciled.level, reconciled.by) == (3, w.lead)
    event = events(w, "stage.reconciled").get()
    assert event.note == f"{w.indicators[0].clause}: verified 3"
    services_review.complete_assessment(w.stage, actor=w.lead)
    w.refresh()
    assert w.stage.state == S.ASSESSED
    assessed = events(w, "stage.assessed").get()
    assert "Maturity Index = (1 × 3.00 + 1 × 3.00) ÷ 2 = 3.00" in assessed.note
    assert assessed.data == {
        "index": "3.00",
        "predicate": {"id": "Baik", "en": "Good"},
        "tier": "M1",
        "verified_count": 5,
    }


def test_reconcile_waits_for_the_whole_team_and_validates():
    w = review_world(indicator_count=5)
    assess_and_submit(w, w.lead, 3)
    with pytest.raises(WorkflowError, match="must submit their levels first"):
        _reconcile(w)
    assess_and_submit(w, w.second, 4)
    with pytest.raises(LevelError):
        services_review.reconcile_level(
            w.stage,
            actor=w.lead,
            indicator=w.indicators[0],
            entry={"verification": "rejected", "level": 3},
        )
    assert not ReconciledLevel.objects.exists()


def test_a_clarification_round_lets_the_team_assess_again():
    w = review_world(indicator_count=5)
    _two(w, 3, 3)
    from tests.maturity.factories_review import clarify

    clarify(w, positions=(0,))
    services.answer_clarification(w.stage, actor=w.coordinator, answer="Terlampir.")
    services.start_review(w.stage, actor=w.second)
    w.refresh()
    assert w.stage.round == 2
    # Round 2: the lead changes one level, both submit again.
    services_review.record_levels(
        w.stage, actor=w.lead, entries={w.indicators[0].pk: entry(4)}
    )
    with pytest.raises(WorkflowError, match="must submit their levels first"):
        _complete(w)
    services_review.submit_levels(w.stage, actor=w.lead)
    services_review.record_levels(
        w.stage, actor=w.second, entries={w.indicators[0].pk: entry(4)}
    )
    services_review.submit_levels(w.stage, actor=w.second)
    _complete(w)
    assert scoring.stage_index(w.stage).index == (
        # Economy theme 5 (4 indicators: 4, 3, 3, 3 → 3.25); people theme 6
        # (one: 3) → (3.25 + 3) / 2 = 3.125 → 3.13
        __import__("decimal").Decimal("3.13")
    )


# The decision.


def test_decision_passed_at_tier_m1():
    w = decided_world(indicator_count=5)
    assert w.stage.decision == Decision.PASSED
    event = events(w, "stage.decided").get()
    assert event.data == {
        "decision": "passed",
        "index": "3.00",
        "predicate": {"id": "Baik", "en": "Good"},
        "tier": "M1",
        "verified_count": 5,
    }
    people = set(
        Notification.objects.filter(
            subject__startswith="Decision:", body__contains="Maturity Index 3.00"
        ).values_list("recipient_id", flat=True)
    )
    assert {w.coordinator.pk, w.member_a.pk, w.member_b.pk, w.admin.pk} <= people
    body = Notification.objects.filter(
        recipient=w.coordinator, subject__startswith="Decision:"
    ).latest("pk")
    assert "Maturity Index 3.00, tier M1" in body.body


@pytest.mark.parametrize(
    ("levels", "why"),
    [
        # Index 1.00 (every level 1): below 1.8
        ([1, 1, 1, 1, 1], "index"),
        # Five levels 3 with one rejected: 4 verified < 5
        ([3, 3, 3, 3, None], "coverage"),
    ],
)
def test_decision_not_passed_below_m1(levels, why):
    w = decided_world(levels=levels, indicator_count=5)
    assert w.stage.decision == Decision.NOT_PASSED
    event = events(w, "stage.decided").get()
    assert event.data["tier"] is None
    if why == "coverage":
        assert event.data["verified_count"] == 4
        assert event.data["index"] == "3.00"
    else:
        assert event.data["index"] == "1.00"


def test_decision_needs_a_summary():
    w = scored_world(3, indicator_count=5)
    _complete(w)
    with pytest.raises(WorkflowError, match="Write a summary"):
        services_review.decide(w.stage, actor=w.lead, summary="  ")


def test_rejected_and_adjusted_entries_in_the_final_result():
    levels = [
        entry(4, Verification.ADJUSTED, adjusted_value="55", adjustment_reason="x"),
        3,
        3,
        3,
        None,
        3,
    ]
    w = decided_world(levels=levels)
    result = scoring.stage_index(w.stage)
    # Theme 5: 4 (adjusted), 3, 3, 3 → 3.25; theme 6: 6.1 rejected, 6.2 at 3
    # → 3; (3.25 + 3) / 2 = 3.125 → 3.13 (half up); 5 verified → M1
    assert str(result.index) == "3.13"
    assert result.verified_count == 5
    assert result.lines[0].value == __import__("decimal").Decimal("55")
    assert w.stage.decision == Decision.PASSED
