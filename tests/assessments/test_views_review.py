"""The assessors' review pages: who may open them, independence of the scores,
the disagreement flag, reconciliation, clarification and the decision."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kotacerdas.accounts.models import Role
from kotacerdas.assessments import services
from kotacerdas.assessments.models import (
    AssessorScore,
    Decision,
    ReconciledScore,
    StageState,
)
from tests.assessments.factories import (
    CODES,
    FULL,
    fill_all,
    indicators,
    open_stage,
    points_for_all,
    score_and_submit,
    stage_in,
    world,
)
from tests.factories import UserFactory
from tests.registrations.factories import pdf_upload

pytestmark = pytest.mark.django_db

S = StageState
QUERIES = 24
QUERIES_SCORING = 17
SECRET = "Komentar rahasia Budi tentang SK wali data"


def _url(name, w, *args):
    return reverse(f"assessments:{name}", args=[w.stage.pk, *args])


def _person(w, role):
    if role == "stranger":
        return UserFactory(roles=[Role.ASSESSOR], full_name="Asesor Lain")
    return getattr(w, role)


def _scores_form(by_code):
    data = {}
    for code, (points, comment) in by_code.items():
        data[f"points_{code}"] = str(points)
        data[f"comment_{code}"] = comment
    return data


@pytest.fixture
def reviewing():
    return stage_in(S.UNDER_REVIEW, scored=False, indicator_count=2)


# Who may open the pages.

REVIEW_MATRIX = [
    ("coordinator", 404),
    ("member_a", 404),
    ("outsider", 404),
    ("stranger", 404),
    ("admin", 404),
    ("lead", 200),
    ("second", 200),
]


@pytest.mark.parametrize(("role", "status"), REVIEW_MATRIX)
def test_review_page_answers_only_the_assessors_on_the_team(client, role, status):
    w = stage_in(S.UNDER_REVIEW, scored=False, indicator_count=1)
    client.force_login(_person(w, role))

    assert client.get(_url("review", w)).status_code == status


@pytest.mark.parametrize("name", ["review", "review_clarify", "review_scores_json"])
def test_anonymous_visitors_are_sent_to_the_login(client, name):
    w = stage_in(S.UNDER_REVIEW, scored=False, indicator_count=1)

    response = client.get(_url(name, w))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(("role", "status"), REVIEW_MATRIX)
def test_clarification_form_answers_only_the_assessors_on_the_team(
    client, role, status
):
    w = stage_in(S.UNDER_REVIEW, scored=False, indicator_count=1)
    client.force_login(_person(w, role))

    assert client.get(_url("review_clarify", w)).status_code == status


@pytest.mark.parametrize("role", ["coordinator", "outsider", "stranger", "admin"])
def test_scoring_outside_the_team_answers_404_and_saves_nothing(client, role):
    w = stage_in(S.UNDER_REVIEW, scored=False, indicator_count=1)
    client.force_login(_person(w, role))

    response = client.post(
        _url("review_score", w, w.indicators[0].pk), _scores_form({"S1": (2, "")})
    )

    assert response.status_code == 404
    assert AssessorScore.objects.count() == 0


@pytest.mark.parametrize(
    "name", ["review_start", "review_submit", "review_complete", "review_decide"]
)
@pytest.mark.parametrize("role", ["coordinator", "member_a", "outsider", "stranger"])
def test_stage_actions_answer_404_outside_the_team(client, name, role):
    w = stage_in(S.SUBMITTED, indicator_count=1)
    client.force_login(_person(w, role))

    response = client.post(_url(name, w), {"summary": "Lulus."})

    assert response.status_code == 404
    assert w.refresh().state == S.SUBMITTED


@pytest.mark.parametrize("name", ["review_complete", "review_decide"])
def test_lead_actions_answer_404_to_the_second_assessor(client, name):
    w = stage_in(S.ASSESSED, indicator_count=1)
    client.force_login(w.second)

    response = client.post(_url(name, w), {"summary": "Lulus."})

    assert response.status_code == 404
    assert w.refresh().state == S.ASSESSED


def test_reconciling_answers_404_to_the_second_assessor(client):
    w = stage_in(S.UNDER_REVIEW, indicator_count=1)
    client.force_login(w.second)

    response = client.post(
        _url("review_reconcile", w, w.indicators[0].pk), _scores_form({"S1": (1, "")})
    )

    assert response.status_code == 404
    assert ReconciledScore.objects.count() == 0


def test_an_indicator_outside_the_stage_answers_404(client, reviewing):
    w = reviewing
    client.force_login(w.lead)
    not_agreed = indicators(3)[2]

    response = client.post(
        _url("review_score", w, not_agreed.pk), _scores_form({"S1": (2, "")})
    )

    assert response.status_code == 404
    assert AssessorScore.objects.count() == 0


# Independence.


def test_another_assessors_comment_is_hidden_until_everyone_has_submitted(
    client, reviewing
):
    w = reviewing
    scores = points_for_all(w, FULL)
    scores[w.indicators[0].pk]["S1"] = (2, SECRET)
    services.record_scores(w.stage, actor=w.lead, scores=scores)
    client.force_login(w.second)

    assert SECRET not in client.get(_url("review", w)).content.decode()


def test_a_submitted_assessors_comment_stays_hidden_from_one_still_scoring(
    client, reviewing
):
    w = reviewing
    scores = points_for_all(w, FULL)
    scores[w.indicators[0].pk]["S1"] = (2, SECRET)
    score_and_submit(w, w.lead, scores)
    client.force_login(w.second)

    page = client.get(_url("review", w)).content.decode()

    assert SECRET not in page
    assert 'data-testid="team-scores"' not in page


def test_another_assessors_comment_shows_once_everyone_has_submitted(client, reviewing):
    w = reviewing
    scores = points_for_all(w, FULL)
    scores[w.indicators[0].pk]["S1"] = (2, SECRET)
    score_and_submit(w, w.lead, scores)
    score_and_submit(w, w.second, points_for_all(w, FULL))
    client.force_login(w.second)

    page = client.get(_url("review", w)).content.decode()

    assert f"Budi Santoso: 2 — {SECRET}" in page


def test_the_json_scores_hold_only_the_users_own_before_all_submitted(
    client, reviewing
):
    w = reviewing
    score_and_submit(w, w.lead, points_for_all(w, FULL))
    services.record_scores(
        w.stage, actor=w.second, scores={w.indicators[0].pk: {"S1": (1, "Kurang")}}
    )
    client.force_login(w.second)

    data = client.get(_url("review_scores_json", w)).json()

    assert data == {
        "all_submitted": False,
        "scores": [
            {
                "indicator": w.indicators[0].clause,
                "criterion": "S1",
                "assessor": "Dewi Lestari",
                "points": 1,
                "comment": "Kurang",
            }
        ],
    }


def test_the_json_scores_hold_everyones_once_all_submitted(client, reviewing):
    w = reviewing
    score_and_submit(w, w.lead, points_for_all(w, FULL))
    score_and_submit(w, w.second, points_for_all(w, FULL))
    client.force_login(w.second)

    data = client.get(_url("review_scores_json", w)).json()

    assert data["all_submitted"] is True
    assert len(data["scores"]) == 2 * 2 * len(CODES)
    assert {s["assessor"] for s in data["scores"]} == {"Budi Santoso", "Dewi Lestari"}


# Saving and submitting one's own scores.


def test_scores_of_one_indicator_are_saved_through_htmx(client, reviewing):
    w = reviewing
    client.force_login(w.lead)
    indicator = w.indicators[0]

    response = client.post(
        _url("review_score", w, indicator.pk),
        _scores_form({"S1": (1, "SK belum ditandatangani"), "S2": (2, "")}),
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert 'data-testid="saved"' in response.content.decode()
    assert "<html" not in response.content.decode()
    saved = AssessorScore.objects.filter(assessor=w.lead).order_by("criterion")
    assert [(s.indicator_id, s.criterion, s.points, s.comment) for s in saved] == [
        (indicator.pk, "S1", 1, "SK belum ditandatangani"),
        (indicator.pk, "S2", 2, ""),
    ]


def test_score_fragments_carry_the_fragment_header(client, reviewing):
    w = reviewing
    client.force_login(w.lead)

    response = client.post(
        _url("review_score", w, w.indicators[0].pk),
        _scores_form({"S1": (2, "")}),
        headers={"HX-Request": "true"},
    )

    assert response["X-Review-Fragment"] == "1"


def test_scoring_after_submitting_answers_the_reason_in_the_fragment(client, reviewing):
    w = reviewing
    score_and_submit(w, w.lead, points_for_all(w, FULL))
    client.force_login(w.lead)

    response = client.post(
        _url("review_score", w, w.indicators[0].pk),
        _scores_form({"S1": (0, "Berubah pikiran")}),
        headers={"HX-Request": "true"},
    )

    assert "You have submitted your scores for this round." in (
        response.content.decode()
    )
    assert (
        AssessorScore.objects.get(
            assessor=w.lead, indicator=w.indicators[0], criterion="S1"
        ).points
        == 2
    )


def test_points_out_of_range_save_nothing_and_keep_the_input(client, reviewing):
    w = reviewing
    client.force_login(w.lead)

    response = client.post(
        _url("review_score", w, w.indicators[0].pk),
        {"points_S1": "5", "comment_S1": "Catatan yang tidak boleh hilang"},
        headers={"HX-Request": "true"},
    )

    page = response.content.decode()
    assert "Correct the marked criteria; nothing was saved." in page
    assert "Catatan yang tidak boleh hilang" in page
    assert AssessorScore.objects.count() == 0


def test_a_comment_without_points_is_refused_on_a_plain_post(client, reviewing):
    w = reviewing
    client.force_login(w.lead)

    response = client.post(
        _url("review_score", w, w.indicators[0].pk),
        {"comment_S2": "Tanpa nilai"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Give points for S2 to save its comment." in page
    assert "Tanpa nilai" in page
    assert AssessorScore.objects.count() == 0


def test_submitting_incomplete_scores_names_what_is_missing(client, reviewing):
    w = reviewing
    client.force_login(w.lead)

    response = client.post(_url("review_submit", w), follow=True)

    page = response.content.decode()
    assert "Score every criterion first." in page
    assert w.lead.pk not in set(
        w.stage.assessor_submissions.values_list("assessor_id", flat=True)
    )


def test_submitted_scores_show_read_only(client, reviewing):
    w = reviewing
    score_and_submit(w, w.lead, points_for_all(w, FULL))
    client.force_login(w.lead)

    page = client.get(_url("review", w)).content.decode()

    assert "You have submitted your scores for this round." in page
    assert _url("review_score", w, w.indicators[0].pk) not in page


# The disagreement flag and reconciliation.


def _disagree_on_s1(w):
    score_and_submit(w, w.lead, points_for_all(w, FULL))
    second = points_for_all(w, FULL)
    second[w.indicators[0].pk]["S1"] = (0, "Belum ada SK")
    score_and_submit(w, w.second, second)


def test_a_difference_above_the_threshold_is_flagged_for_the_lead(client, reviewing):
    w = reviewing
    _disagree_on_s1(w)
    client.force_login(w.lead)

    page = client.get(_url("review", w)).content.decode()

    assert page.count('data-testid="flag"') == 1
    assert 'data-flagged="S1"' in page
    assert "differ by 2 points" in page
    assert _url("review_reconcile", w, w.indicators[0].pk) in page


def test_the_second_assessor_sees_the_flag_but_no_reconcile_form(client, reviewing):
    w = reviewing
    _disagree_on_s1(w)
    client.force_login(w.second)

    page = client.get(_url("review", w)).content.decode()

    assert 'data-flagged="S1"' in page
    assert 'data-testid="reconcile-form"' not in page


def test_a_difference_within_the_threshold_is_not_flagged(client, reviewing):
    w = reviewing
    score_and_submit(w, w.lead, points_for_all(w, FULL))
    second = points_for_all(w, FULL)
    second[w.indicators[0].pk]["S1"] = (1, "")
    score_and_submit(w, w.second, second)
    client.force_login(w.lead)

    page = client.get(_url("review", w)).content.decode()

    assert 'data-testid="flag"' not in page
    assert "to reconcile" in page


def test_reconciling_with_bad_points_keeps_the_lead_input(client, reviewing):
    w = reviewing
    _disagree_on_s1(w)
    client.force_login(w.lead)

    response = client.post(
        _url("review_reconcile", w, w.indicators[0].pk),
        {"points_S1": "7", "comment_S1": "Alasan yang tetap ada"},
    )

    page = response.content.decode()
    assert "Correct the marked criteria; nothing was saved." in page
    assert "Alasan yang tetap ada" in page
    assert ReconciledScore.objects.count() == 0


def test_completing_before_reconciling_names_the_criterion(client, reviewing):
    w = reviewing
    _disagree_on_s1(w)
    client.force_login(w.lead)

    page = client.post(_url("review_complete", w), follow=True).content.decode()

    assert f"Reconcile the differing scores first: {w.indicators[0].clause} (S1)." in (
        page.replace("&quot;", '"')
    )
    assert w.refresh().state == S.UNDER_REVIEW


def test_the_decision_flow_from_reconciling_to_the_summary(client, reviewing):
    w = reviewing
    _disagree_on_s1(w)
    client.force_login(w.lead)
    indicator = w.indicators[0]

    client.post(
        _url("review_reconcile", w, indicator.pk),
        {"points_S1": "2", "comment_S1": "SK terlihat di lampiran"},
    )
    client.post(_url("review_complete", w))
    assert w.refresh().state == S.ASSESSED
    client.post(_url("review_decide", w), {"summary": "Kedua indikator siap."})

    stage = w.refresh()
    assert (stage.state, stage.decision, stage.summary, stage.decided_by) == (
        S.DECIDED,
        Decision.NOT_PASSED,
        "Kedua indikator siap.",
        w.lead,
    )
    reconciled = ReconciledScore.objects.get()
    assert (reconciled.indicator, reconciled.points, reconciled.comment) == (
        indicator,
        2,
        "SK terlihat di lampiran",
    )


def test_the_decided_page_shows_the_decision_and_the_computation(client):
    w = stage_in(S.DECIDED)
    client.force_login(w.second)

    page = client.get(_url("review", w)).content.decode()

    assert "Seluruh indikator siap." in page
    assert (
        "6 of 6 agreed indicators are ready; passing needs at least 50% of them "
        "and at least 5 (methodology version 1). The stage passes." in page
    )
    assert (
        f"{w.indicators[0].clause}: 16 of 16 weighted points = 100.00; ready needs "
        "at least 70 and full points on S1, I1. Ready." in page
    )


def test_a_decision_without_summary_keeps_the_stage_assessed(client):
    w = stage_in(S.ASSESSED, indicator_count=1)
    client.force_login(w.lead)

    response = client.post(_url("review_decide", w), {"summary": "  "})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert w.refresh().state == S.ASSESSED


# Starting the review.


def test_an_assessor_starts_the_review_of_a_submitted_stage(client):
    w = stage_in(S.SUBMITTED, indicator_count=1)
    client.force_login(w.second)

    client.post(_url("review_start", w))

    assert w.refresh().state == S.UNDER_REVIEW


def test_starting_a_review_twice_is_a_message_not_an_error(client, reviewing):
    w = reviewing
    client.force_login(w.lead)

    response = client.post(_url("review_start", w), follow=True)

    assert response.status_code == 200
    assert "This cannot be done any more" in response.content.decode()


def test_the_region_drafts_are_not_shown_before_submission(client):
    w = stage_in(S.OPEN, indicator_count=1)
    client.force_login(w.lead)

    page = client.get(_url("review", w)).content.decode()

    assert "The region has not submitted its responses yet." in page
    assert "Sudah ditetapkan." not in page


# Clarification and what changed.


def test_a_clarification_reopens_the_chosen_indicators(client, reviewing):
    w = reviewing
    client.force_login(w.second)
    due = timezone.localdate() + timedelta(days=5)

    client.post(
        _url("review_clarify", w),
        {
            "indicators": [w.indicators[1].pk],
            "question": "Lampirkan SK.",
            "due_date": due.isoformat(),
        },
    )

    stage = w.refresh()
    clarification = stage.clarifications.get()
    assert stage.state == S.CLARIFICATION_REQUESTED
    assert list(clarification.indicators.all()) == [w.indicators[1]]
    assert (clarification.question, clarification.due_date) == ("Lampirkan SK.", due)


def test_a_past_due_date_is_refused_with_the_question_kept(client, reviewing):
    w = reviewing
    client.force_login(w.second)

    response = client.post(
        _url("review_clarify", w),
        {
            "indicators": [w.indicators[1].pk],
            "question": "Pertanyaan yang tetap ada",
            "due_date": (timezone.localdate() - timedelta(days=1)).isoformat(),
        },
    )

    page = response.content.decode()
    assert "Give a due date that is not in the past." in page
    assert "Pertanyaan yang tetap ada" in page
    assert w.refresh().state == S.UNDER_REVIEW


def test_the_changes_page_shows_what_the_region_changed(client):
    w = stage_in(S.CLARIFICATION_REQUESTED, indicator_count=2)
    services.save_response(
        w.response(0),
        actor=w.coordinator,
        answers={"S1": {"answer": "partly", "explanation": "SK masih draf."}},
    )
    services.answer_clarification(w.stage, actor=w.coordinator, answer="Diperbarui.")
    clarification = w.stage.clarifications.get()
    client.force_login(w.lead)

    response = client.get(_url("review_changes", w, clarification.pk))

    page = response.content.decode()
    assert "S1 answer: “yes” → “partly”" in page
    assert "S1 explanation: “Sudah ditetapkan.” → “SK masih draf.”" in page
    assert page.count("Nothing changed.") == 1


def test_the_changes_page_answers_404_outside_the_team(client):
    w = stage_in(S.RESUBMITTED, indicator_count=2)
    client.force_login(UserFactory(roles=[Role.ASSESSOR]))

    clarification = w.stage.clarifications.get()

    assert client.get(_url("review_changes", w, clarification.pk)).status_code == 404


def _with_evidence(count, *, scored):
    """A stage under review whose every indicator has a link as evidence, and
    the first one a file too."""
    w = world(indicator_count=count)
    open_stage(w)
    fill_all(w)
    for response in w.stage.responses.all():
        services.add_evidence(
            response,
            actor=w.coordinator,
            label=f"Portal data {response.indicator.clause}",
            url="https://data.surakarta.go.id/",
        )
    services.add_evidence(
        w.response(0), actor=w.coordinator, label="SK wali data", uploaded=pdf_upload()
    )
    services.submit_stage(w.stage, actor=w.coordinator)
    services.start_review(w.stage, actor=w.lead)
    w.refresh()
    if scored:
        for assessor in w.assessors:
            score_and_submit(w, assessor, points_for_all(w, FULL))
    return w


def test_evidence_files_are_offered_through_the_checked_download(client):
    w = _with_evidence(1, scored=False)
    stored = w.response(0).evidence.get(label="SK wali data").file
    client.force_login(w.second)

    page = client.get(_url("review", w)).content.decode()
    download = reverse("common:download", args=[stored.pk])

    assert f'href="{download}"' in page
    response = client.get(download)
    response.close()
    assert response.status_code == 200


# Queries: the same number for a stage of 5 indicators as for one of 80.


@pytest.mark.parametrize("count", [5, 80])
def test_review_page_runs_a_constant_number_of_queries(
    client, django_assert_num_queries, count
):
    w = _with_evidence(count, scored=True)
    client.force_login(w.lead)
    client.get(_url("review", w))  # warms the session and the user's roles

    with django_assert_num_queries(QUERIES):
        response = client.get(_url("review", w))

    assert response.content.decode().count('data-testid="computation"') == count


@pytest.mark.parametrize("count", [5, 80])
def test_review_page_while_scoring_runs_a_constant_number_of_queries(
    client, django_assert_num_queries, count
):
    w = _with_evidence(count, scored=False)
    client.force_login(w.second)
    client.get(_url("review", w))

    with django_assert_num_queries(QUERIES_SCORING):
        response = client.get(_url("review", w))

    assert response.content.decode().count('data-testid="own-scores"') == count
