"""Readiness results against hand-computed cases, through the stage functions.

With the default methodology (eight criteria of weight 1, 2 points each) an
indicator's maximum is 16 points and a score is points / 16 × 100; a score of
exactly 70 cannot occur there (11 points are 68.75, 12 are 75), so that edge
is computed with a version whose S1 and I1 weigh 2 (maximum 20 points).
"""

import copy
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kotacerdas.assessments import services
from kotacerdas.assessments.models import Decision
from kotacerdas.assessments.scoring import indicator_result, stage_result
from kotacerdas.common.models import Notification
from kotacerdas.indicators.methodology import readiness_score
from kotacerdas.indicators.models import Methodology
from kotacerdas.indicators.services import current_methodology, load_methodology
from kotacerdas.scheduling.models import Stage
from tests.assessments.factories import (
    CODES,
    FULL,
    fill_all,
    open_stage,
    score_and_submit,
    world,
)

pytestmark = pytest.mark.django_db


def _version(number, change, *, make_current=False):
    document = copy.deepcopy(current_methodology().document)
    document["version"] = number
    change(document["readiness"])
    methodology, _outcome = load_methodology(document, make_current=make_current)
    return methodology


def _weighted(readiness):
    for criterion in readiness["criteria"]:
        if criterion["code"] in ("S1", "I1"):
            criterion["weight"] = 2


def _assessed(w, points_by_indicator):
    """Open, fill, submit, review; the one assessor scores ``points_by_indicator``
    (a list of ``{code: points}`` in indicator order); complete the assessment."""
    open_stage(w)
    fill_all(w)
    services.submit_stage(w.stage, actor=w.coordinator)
    services.start_review(w.stage, actor=w.lead)
    scores = {
        indicator.pk: {code: (points, "") for code, points in by_code.items()}
        for indicator, by_code in zip(w.indicators, points_by_indicator, strict=True)
    }
    score_and_submit(w, w.lead, scores)
    services.complete_assessment(w.stage, actor=w.lead)
    return w.refresh()


def _points(**changes):
    return {**FULL, **changes}


def test_exactly_70_with_i1_and_s1_met_is_ready():
    methodology = _version(2, _weighted)
    w = world(indicator_count=1, second_assessor=False, methodology=methodology)
    # S1 2×2 + I1 2×2 + six criteria at 1 point = 14 of 20.
    ones = {code: 1 for code in CODES if code not in ("S1", "I1")}
    stage = _assessed(w, [_points(**ones)])

    result = indicator_result(stage, w.indicators[0])

    assert result.score == Decimal("70.00")
    assert result.ready is True
    assert result.unmet_required == ()


def test_i1_only_partly_met_is_not_ready_despite_the_score():
    w = world(indicator_count=1, second_assessor=False)
    stage = _assessed(w, [_points(I1=1)])

    result = indicator_result(stage, w.indicators[0])

    assert result.score == Decimal("93.75")
    assert result.ready is False
    assert result.unmet_required == ("I1",)
    assert result.explanation() == (
        f"{w.indicators[0].clause}: 15 of 16 weighted points = 93.75; ready needs "
        "at least 70 and full points on S1, I1. Not ready: I1 not fully met."
    )


def test_a_score_below_70_is_not_ready():
    w = world(indicator_count=1, second_assessor=False)
    # 11 of 16 points.
    stage = _assessed(w, [_points(S2=1, S3=1, I2=1, P1=1, P2=1)])

    result = indicator_result(stage, w.indicators[0])

    assert result.score == Decimal("68.75")
    assert result.ready is False
    assert result.unmet_required == ()


def test_fewer_than_five_ready_indicators_fail_the_stage():
    # 4 of 6 ready: more than half, but fewer than five.
    w = world(indicator_count=6, second_assessor=False)
    stage = _assessed(w, [FULL] * 4 + [_points(S1=0)] * 2)

    result = stage_result(stage)

    assert (result.ready_count, result.agreed_count, result.passes) == (4, 6, False)


def test_half_of_the_agreed_set_ready_passes_the_stage():
    # 5 of 10 ready: exactly half and exactly five.
    w = world(indicator_count=10, second_assessor=False)
    stage = _assessed(w, [FULL] * 5 + [_points(I1=0)] * 5)

    result = stage_result(stage)

    assert (result.ready_count, result.agreed_count, result.passes) == (5, 10, True)
    assert result.ready_indicators == w.indicators[:5]
    assert result.explanation() == (
        "5 of 10 agreed indicators are ready; passing needs at least 50% of them "
        "and at least 5 (methodology version 1). The stage passes."
    )


def test_one_short_of_half_fails_the_stage():
    # 5 of 11 ready: five, but less than half.
    w = world(indicator_count=11, second_assessor=False)
    stage = _assessed(w, [FULL] * 5 + [_points(I1=0)] * 6)

    assert stage_result(stage).passes is False


def test_the_decision_follows_the_computed_result():
    w = world(indicator_count=5, second_assessor=False)
    stage = _assessed(w, [FULL] * 5)

    services.decide_stage(stage, actor=w.lead, summary="Lima indikator siap.")

    stage = w.refresh()
    assert stage.decision == Decision.PASSED
    assert stage.summary == "Lima indikator siap."
    assert stage.decided_by == w.lead


def test_a_later_methodology_version_leaves_an_earlier_result_unchanged():
    w = world(indicator_count=5, second_assessor=False)
    # 12 of 16 = 75: ready under version 1's threshold of 70.
    stage = _assessed(w, [_points(S2=0, S3=0)] * 5)
    before = stage_result(stage)

    stricter = _version(
        2, lambda readiness: readiness.update(ready_threshold=80), make_current=True
    )

    after = stage_result(w.refresh())
    assert current_methodology() == stricter
    assert w.stage.methodology.version == 1
    assert (before.ready_count, before.passes) == (5, True)
    assert (after.ready_count, after.passes) == (5, True)
    assert [r.score for r in after.indicators] == [Decimal("75.00")] * 5
    # The same points would not be ready under version 2.
    assert readiness_score(stricter.document, _points(S2=0, S3=0)).ready is False


def test_opening_a_stage_puts_its_methodology_in_use_for_good():
    w = world(indicator_count=1)
    open_stage(w)
    document = copy.deepcopy(w.stage.methodology.document)
    document["readiness"]["ready_threshold"] = 60

    assert Methodology.objects.get(version=1).in_use is True
    with pytest.raises(ValidationError):
        load_methodology(document)


def test_a_stage_keeps_the_registrations_methodology():
    methodology = _version(2, _weighted)
    w = world(indicator_count=1, methodology=methodology)

    stage = services.open_stage(w.registration, actor=w.admin, stage=Stage.READINESS)

    assert stage.methodology == methodology
    assert Methodology.objects.get(pk=methodology.pk).in_use is True


def test_the_result_is_not_final_while_assessors_differ():
    w = world(indicator_count=1)
    open_stage(w)
    fill_all(w)
    services.submit_stage(w.stage, actor=w.coordinator)
    services.start_review(w.stage, actor=w.lead)
    pk = w.indicators[0].pk
    score_and_submit(w, w.lead, {pk: dict.fromkeys(CODES, (2, ""))})
    score_and_submit(
        w, w.second, {pk: {**dict.fromkeys(CODES, (2, "")), "P3": (1, "")}}
    )

    result = indicator_result(w.stage, w.indicators[0])

    assert result.missing == ("P3",)
    assert result.ready is False


def test_the_leads_reconciled_points_are_final():
    w = world(indicator_count=1)
    open_stage(w)
    fill_all(w)
    services.submit_stage(w.stage, actor=w.coordinator)
    services.start_review(w.stage, actor=w.lead)
    pk = w.indicators[0].pk
    score_and_submit(w, w.lead, {pk: dict.fromkeys(CODES, (2, ""))})
    score_and_submit(
        w, w.second, {pk: {**dict.fromkeys(CODES, (2, "")), "S1": (0, "")}}
    )

    services.reconcile(w.stage, actor=w.lead, scores={pk: {"S1": (1, "Sebagian.")}})

    result = indicator_result(w.stage, w.indicators[0])
    assert result.missing == ()
    assert result.score == Decimal("93.75")
    assert result.unmet_required == ("S1",)


def test_completing_the_assessment_is_refused_while_scores_differ():
    w = world(indicator_count=1)
    open_stage(w)
    fill_all(w)
    services.submit_stage(w.stage, actor=w.coordinator)
    services.start_review(w.stage, actor=w.lead)
    pk = w.indicators[0].pk
    score_and_submit(w, w.lead, {pk: dict.fromkeys(CODES, (2, ""))})
    score_and_submit(
        w, w.second, {pk: {**dict.fromkeys(CODES, (2, "")), "S1": (0, "")}}
    )

    with pytest.raises(services.IncompleteError) as refused:
        services.complete_assessment(w.stage, actor=w.lead)

    assert refused.value.missing == [(w.indicators[0], ["S1"])]


@pytest.mark.parametrize("size", [1, 12])
def test_stage_result_runs_a_constant_number_of_queries(
    size, django_assert_num_queries
):
    w = world(indicator_count=size, second_assessor=False)
    stage = _assessed(w, [FULL] * size)

    with django_assert_num_queries(5):
        stage_result(stage)


def test_the_decision_is_sent_to_the_region_and_the_admins():
    w = world(indicator_count=5, second_assessor=False)
    stage = _assessed(w, [_points(I1=0)] * 5)

    services.decide_stage(stage, actor=w.lead, summary="Sumber data belum ada.")

    notification = Notification.objects.get(
        recipient=w.coordinator, action="stage.decided"
    )
    assert notification.body == (
        "The readiness (stage 1) of Kota Surakarta is decided: not passed. "
        "Sumber data belum ada."
    )
    assert Notification.objects.filter(
        recipient=w.admin, action="stage.decided"
    ).exists()
    assert w.refresh().decision == Decision.NOT_PASSED
