"""Two assessors score independently; large differences are flagged."""

import pytest

from kotacerdas.assessments import services
from kotacerdas.assessments.scoring import disagreements, visible_scores
from tests.assessments.factories import CODES, FULL, points_for_all, stage_in

pytestmark = pytest.mark.django_db


def _seen_by(w, user):
    return sorted({score.assessor.full_name for score in visible_scores(w.stage, user)})


@pytest.fixture
def reviewing():
    return stage_in("under_review", scored=False, indicator_count=2)


def test_before_anyone_submits_each_assessor_sees_only_their_own(reviewing):
    w = reviewing
    services.record_scores(w.stage, actor=w.lead, scores=points_for_all(w, FULL))
    services.record_scores(w.stage, actor=w.second, scores=points_for_all(w, FULL))

    assert _seen_by(w, w.lead) == ["Budi Santoso"]
    assert _seen_by(w, w.second) == ["Dewi Lestari"]


def test_the_second_assessor_cannot_see_the_first_who_has_submitted(reviewing):
    w = reviewing
    services.record_scores(w.stage, actor=w.lead, scores=points_for_all(w, FULL))
    services.submit_scores(w.stage, actor=w.lead)

    assert visible_scores(w.stage, w.second).count() == 0
    assert _seen_by(w, w.lead) == ["Budi Santoso"]


def test_someone_outside_the_team_sees_no_scores_before_all_submitted(reviewing):
    w = reviewing
    services.record_scores(w.stage, actor=w.lead, scores=points_for_all(w, FULL))

    assert visible_scores(w.stage, w.admin).count() == 0


def test_once_all_have_submitted_everyone_sees_all_scores(reviewing):
    w = reviewing
    for assessor in (w.lead, w.second):
        services.record_scores(w.stage, actor=assessor, scores=points_for_all(w, FULL))
        services.submit_scores(w.stage, actor=assessor)

    assert _seen_by(w, w.second) == ["Budi Santoso", "Dewi Lestari"]
    assert visible_scores(w.stage, w.second).count() == 2 * 2 * len(CODES)


def test_the_lead_cannot_reconcile_before_all_have_submitted(reviewing):
    w = reviewing
    services.record_scores(w.stage, actor=w.lead, scores=points_for_all(w, FULL))
    services.submit_scores(w.stage, actor=w.lead)

    with pytest.raises(services.WorkflowError):
        services.reconcile(
            w.stage, actor=w.lead, scores={w.indicators[0].pk: {"S1": (2, "")}}
        )


def test_submitted_scores_are_locked_for_the_round(reviewing):
    w = reviewing
    services.record_scores(w.stage, actor=w.lead, scores=points_for_all(w, FULL))
    services.submit_scores(w.stage, actor=w.lead)

    with pytest.raises(services.WorkflowError):
        services.record_scores(
            w.stage, actor=w.lead, scores=points_for_all(w, {"S1": 0})
        )


def test_submitting_incomplete_scores_lists_what_is_missing(reviewing):
    w = reviewing
    services.record_scores(
        w.stage, actor=w.lead, scores={w.indicators[0].pk: {"S1": (2, "")}}
    )

    with pytest.raises(services.IncompleteError) as refused:
        services.submit_scores(w.stage, actor=w.lead)

    assert refused.value.missing == [
        (w.indicators[0], CODES[1:]),
        (w.indicators[1], CODES),
    ]


def test_points_outside_zero_to_two_are_refused(reviewing):
    w = reviewing
    with pytest.raises(services.WorkflowError) as refused:
        services.record_scores(
            w.stage, actor=w.lead, scores={w.indicators[0].pk: {"S1": (3, "")}}
        )
    assert refused.value.message == "Points must be a whole number from 0 to 2."


def test_a_difference_of_more_than_one_point_is_flagged(reviewing):
    w = reviewing
    first = w.indicators[0].pk
    services.record_scores(w.stage, actor=w.lead, scores=points_for_all(w, FULL))
    services.record_scores(
        w.stage,
        actor=w.second,
        scores={
            **points_for_all(w, FULL),
            first: {**dict.fromkeys(CODES, (2, "")), "S1": (0, ""), "S2": (1, "")},
        },
    )

    flagged = disagreements(w.stage)

    assert [(d.indicator_id, d.criterion, d.spread) for d in flagged] == [
        (first, "S1", 2)
    ]
    assert flagged[0].points == {w.lead.pk: 2, w.second.pk: 0}
