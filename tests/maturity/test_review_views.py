"""The maturity review pages: who may open them, independence of the entries
(HTML and JSON), the forms, reconciliation and decision through the pages,
the result page with its traces, the changes after a clarification, and a
constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kotacerdas.accounts.models import Role
from kotacerdas.assessments import services
from kotacerdas.assessments.models import Decision, StageState
from kotacerdas.maturity import services_filling, services_review
from kotacerdas.maturity.models import LevelScore, ReconciledLevel
from tests.factories import UserFactory
from tests.maturity.factories import fill_all, open_world
from tests.maturity.factories_review import (
    assess_and_submit,
    clarify,
    decided_world,
    entries_for,
    entry,
    maturity_in,
    review_world,
    scored_world,
)

pytestmark = pytest.mark.django_db

S = StageState
SECRET = "Catatan rahasia Budi tentang sumber data"


def _url(name, w, *args):
    return reverse(f"maturity:{name}", args=[w.stage.pk, *args])


def _person(w, role):
    if role == "stranger":
        return UserFactory(roles=[Role.ASSESSOR], full_name="Asesor Lain")
    return getattr(w, role)


def _form(fields):
    return {k: "" if v is None else str(v) for k, v in fields.items()}


# Who may open the pages.

TEAM_ONLY = [
    ("coordinator", 404),
    ("member_a", 404),
    ("outsider", 404),
    ("stranger", 404),
    ("admin", 404),
    ("lead", 200),
    ("second", 200),
]


@pytest.mark.parametrize(("role", "status"), TEAM_ONLY)
@pytest.mark.parametrize("name", ["review", "review_levels_json"])
def test_review_page_and_json_answer_only_the_team(client, name, role, status):
    w = review_world(indicator_count=5)
    client.force_login(_person(w, role))
    assert client.get(_url(name, w)).status_code == status


@pytest.mark.parametrize(("role", "status"), TEAM_ONLY)
def test_changes_page_answers_only_the_team(client, role, status):
    w = maturity_in(S.CLARIFICATION_REQUESTED, indicator_count=5)
    clarification = w.stage.clarifications.get()
    client.force_login(_person(w, role))
    assert client.get(_url("review_changes", w, clarification.pk)).status_code == (
        status
    )


RESULT_UNDER_REVIEW = [
    ("coordinator", 404),
    ("member_a", 404),
    ("outsider", 404),
    ("stranger", 404),
    ("admin", 200),
    ("lead", 200),
    ("second", 200),
]
RESULT_DECIDED = [
    ("coordinator", 200),
    ("member_a", 200),
    ("outsider", 404),
    ("stranger", 404),
    ("admin", 200),
    ("lead", 200),
    ("second", 200),
]


@pytest.mark.parametrize(("role", "status"), RESULT_UNDER_REVIEW)
def test_result_before_the_decision_is_for_the_team_and_the_admin(client, role, status):
    w = scored_world(3, indicator_count=5)
    client.force_login(_person(w, role))
    assert client.get(_url("review_result", w)).status_code == status


@pytest.mark.parametrize(("role", "status"), RESULT_DECIDED)
def test_result_after_the_decision_is_also_the_regions_read_only(client, role, status):
    w = decided_world(indicator_count=5)
    client.force_login(_person(w, role))
    response = client.get(_url("review_result", w))
    assert response.status_code == status
    if status == 200 and role in ("coordinator", "member_a"):
        html = response.content.decode()
        assert 'data-testid="index">3.00' in html
        assert "<form" not in html.split("<main", 1)[-1].split("</main>", 1)[0]


POSTS = [
    ("review_start", ()),
    ("review_submit", ()),
    ("review_complete", ()),
    ("review_decide", ()),
]


@pytest.mark.parametrize("role", ["coordinator", "outsider", "stranger", "admin"])
@pytest.mark.parametrize("name", [n for n, _a in POSTS])
def test_stage_actions_answer_404_outside_the_team(client, name, role):
    w = maturity_in(S.SUBMITTED, indicator_count=5)
    client.force_login(_person(w, role))
    assert client.post(_url(name, w), {"summary": "x"}).status_code == 404
    w.refresh()
    assert w.stage.state == S.SUBMITTED


@pytest.mark.parametrize("role", ["coordinator", "outsider", "stranger", "admin"])
def test_levels_outside_the_team_answer_404_and_save_nothing(client, role):
    w = review_world(indicator_count=5)
    client.force_login(_person(w, role))
    url = _url("review_level", w, w.indicators[0].pk)
    assert client.post(url, _form(entry(3))).status_code == 404
    assert not LevelScore.objects.exists()


@pytest.mark.parametrize("name", ["review_complete", "review_decide"])
def test_lead_actions_answer_404_to_the_second_assessor(client, name):
    w = scored_world(3, indicator_count=5)
    client.force_login(w.second)
    assert client.post(_url(name, w), {"summary": "x"}).status_code == 404
    url = _url("review_reconcile", w, w.indicators[0].pk)
    assert client.post(url, _form(entry(4))).status_code == 404
    assert not ReconciledLevel.objects.exists()


def test_an_indicator_outside_the_stage_answers_404(client):
    w = review_world(indicator_count=5)
    client.force_login(w.lead)
    assert client.post(_url("review_level", w, 999999), _form(entry(3))).status_code
    assert client.post(_url("review_level", w, 999999), {}).status_code == 404


def test_a_readiness_stage_is_not_a_maturity_review(client):
    from tests.assessments.factories import stage_in

    w = stage_in(S.UNDER_REVIEW, scored=False, indicator_count=5)
    client.force_login(w.lead)
    assert client.get(_url("review", w)).status_code == 404


def test_the_readiness_review_link_leads_a_maturity_stage_here(client):
    w = review_world(indicator_count=5)
    client.force_login(w.lead)
    response = client.get(reverse("assessments:review", args=[w.stage.pk]))
    assert response.status_code == 302
    assert response["Location"] == _url("review", w)


def test_anonymous_visitors_are_sent_to_the_login(client):
    w = review_world(indicator_count=5)
    for name in ("review", "review_levels_json", "review_result"):
        response = client.get(_url(name, w))
        assert response.status_code == 302
        assert "/login" in response["Location"] or "masuk" in response["Location"]


# Independence: nobody sees another's entries before everyone submitted.


def _secret_entries(w):
    services_review.record_levels(
        w.stage,
        actor=w.lead,
        entries=entries_for(w, [entry(4, comment=SECRET)] + [4] * 4),
    )
    services_review.submit_levels(w.stage, actor=w.lead)


def test_another_assessors_entry_is_hidden_until_everyone_submitted(client):
    w = review_world(indicator_count=5)
    _secret_entries(w)
    client.force_login(w.second)
    page = client.get(_url("review", w)).content.decode()
    assert SECRET not in page
    assert 'data-testid="team-entries"' not in page
    data = client.get(_url("review_levels_json", w)).json()
    assert data == {"all_submitted": False, "entries": []}

    # The lead sees their own secret, and only their own.
    client.force_login(w.lead)
    data = client.get(_url("review_levels_json", w)).json()
    assert {e["assessor"] for e in data["entries"]} == {"Budi Santoso"}
    assert data["entries"][0]["comment"] == SECRET


def test_another_assessors_entry_shows_once_everyone_submitted(client):
    w = review_world(indicator_count=5)
    _secret_entries(w)
    assess_and_submit(w, w.second, 3)
    client.force_login(w.second)
    page = client.get(_url("review", w)).content.decode()
    assert SECRET in page
    data = client.get(_url("review_levels_json", w)).json()
    assert data["all_submitted"] is True
    assert {e["assessor"] for e in data["entries"]} == {
        "Budi Santoso",
        "Dewi Lestari",
    }
    assert len(data["entries"]) == 10


# The forms.


def test_the_assessor_saves_an_entry_through_the_page(client):
    w = review_world(indicator_count=5)
    client.force_login(w.second)
    first = w.indicators[0]
    fields = {
        "verification": "adjusted",
        "level": "4",
        "adjusted_value": "1.237,5",
        "adjustment_reason": "Angka BPS",
        "comment": "Bagus",
    }
    response = client.post(_url("review_level", w, first.pk), fields)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#indicator-{first.pk}")
    saved = LevelScore.objects.get(assessor=w.second, indicator=first)
    assert (saved.verification, saved.level, str(saved.adjusted_value)) == (
        "adjusted",
        4,
        "1237.5000",
    )
    page = client.get(_url("review", w)).content.decode()
    assert 'value="1237.5"' in page
    assert "1 of 5 indicators assessed." in page


def test_a_wrong_entry_is_shown_again_with_its_errors(client):
    w = review_world(indicator_count=5)
    client.force_login(w.second)
    first = w.indicators[0]
    response = client.post(
        _url("review_level", w, first.pk),
        {"verification": "adjusted", "level": "4", "comment": "Tetap di sini"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Correct the marked fields; nothing was saved." in html
    assert "Give the corrected value." in html
    assert "Say why the value is corrected." in html
    assert "Tetap di sini" in html
    assert not LevelScore.objects.exists()


def test_submitting_too_early_says_what_is_missing(client):
    w = review_world(indicator_count=5)
    client.force_login(w.second)
    response = client.post(_url("review_submit", w), follow=True)
    assert "Verify and level every indicator first." in response.content.decode()


def test_the_lead_reconciles_completes_and_decides_through_the_pages(client):
    w = review_world(indicator_count=5)
    assess_and_submit(w, w.lead, [2, 3, 3, 3, 3])
    assess_and_submit(w, w.second, [4, 3, 3, 3, 3])
    client.force_login(w.lead)
    page = client.get(_url("review", w)).content.decode()
    assert page.count('data-testid="flag"') == 1
    assert "levels differ by 2" in page
    assert page.count('data-testid="reconcile-form"') == 1

    response = client.post(_url("review_complete", w), follow=True)
    assert "Reconcile the differing entries first" in response.content.decode()

    url = _url("review_reconcile", w, w.indicators[0].pk)
    assert client.post(url, _form(entry(3, comment="Sesuai bukti"))).status_code == 302
    assert client.post(_url("review_complete", w)).status_code == 302
    w.refresh()
    assert w.stage.state == S.ASSESSED
    page = client.get(_url("review", w)).content.decode()
    assert "The decision follows from the result: passed." in page
    response = client.post(_url("review_decide", w), {"summary": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    response = client.post(_url("review_decide", w), {"summary": "Lulus M1."})
    assert response.status_code == 302
    w.refresh()
    assert (w.stage.state, w.stage.decision) == (S.DECIDED, Decision.PASSED)


def test_the_result_page_traces_every_figure_and_the_gap(client):
    w = decided_world(levels=[2, 2, 2, 2, 3], indicator_count=5)
    client.force_login(w.admin)
    html = client.get(_url("review_result", w)).content.decode()
    # Theme 5: 5.1–5.4 at 2 → 2.00; theme 6: 6.1 at 3 → 3.00;
    # Economy 2.00, People 3.00 → (2 + 3) / 2 = 2.50 → Adequate, M1 (5 verified)
    assert 'data-testid="index">2.50' in html
    assert 'data-testid="predicate">Adequate' in html
    assert "M1 Pratama (Bronze)" in html
    assert "Smart People = mean of themes 6 (3.00) = 3.00" in html
    assert "Maturity Index = (1 × 3.00 + 1 × 2.00) ÷ 2 = 2.50" in html
    # Gap to M2 (2.6, 10 verified): 5 more verified; one step on 6.1 weighs
    # 1/2/1/1 = 0.5 and is done first: 6.1 from 3 → 4 gives (2 + 4) / 2 = 3.00.
    assert "5 more verified indicators are needed." in html
    assert "level 3 → 4" in html
    assert "The index would then be 3.00." in html


def test_changes_page_shows_the_figures_the_region_changed(client):
    w = review_world(indicator_count=5)
    clarify(w, positions=(0,))
    response = w.stage.responses.get(indicator=w.indicators[0])
    services_filling.save_data(
        response,
        actor=w.coordinator,
        fields={"source": "BPS Kota Surakarta", "numerator": "45"},
    )
    services.answer_clarification(w.stage, actor=w.coordinator, answer="Diperbaiki.")
    clarification = w.stage.clarifications.get()
    client.force_login(w.second)
    page = client.get(_url("review", w)).content.decode()
    changes_url = _url("review_changes", w, clarification.pk)
    assert changes_url in page
    html = client.get(changes_url).content.decode()
    assert "Data source: Dinas Komunikasi dan Informatika → BPS Kota Surakarta" in html
    assert "Numerator: 40 → 45" in html
    assert html.count('data-testid="changes"') == 1
    assert html.split('data-testid="changes"')[1].count("<li>") == 2
    # The readiness page's changes link for this stage leads here too.
    old = reverse("assessments:review_changes", args=[w.stage.pk, clarification.pk])
    assert client.get(old)["Location"] == changes_url


# Queries: the same number for 6 indicators as for 40.


def _with_evidence(count):
    w = open_world(indicator_count=count)
    fill_all(w)
    for response in w.stage.responses.all():
        services.add_evidence(
            response, actor=w.coordinator, label="Laporan", url="https://data.go.id/x"
        )
    services.submit_stage(w.stage, actor=w.coordinator)
    services.start_review(w.stage, actor=w.lead)
    w.refresh()
    return w


def _queries(client, url):
    client.get(url)  # warms the session and the user's roles
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries), response


# Measured once and fixed here: a change that adds a query per indicator fails.
QUERIES = {False: 16, True: 29}
QUERIES_RESULT = 14


@pytest.mark.parametrize("count", [6, 40])
@pytest.mark.parametrize("scored", [False, True])
def test_review_page_runs_a_constant_number_of_queries(client, scored, count):
    w = _with_evidence(count)
    if scored:
        for assessor in w.assessors:
            assess_and_submit(w, assessor, 3)
    client.force_login(w.lead)
    queries, response = _queries(client, _url("review", w))
    html = response.content.decode()
    assert html.count('data-testid="evidence"') == count
    if not scored:
        assert html.count('data-testid="level-form"') == count
    assert queries == QUERIES[scored]


@pytest.mark.parametrize("count", [6, 40])
def test_result_page_runs_a_constant_number_of_queries(client, count):
    w = scored_world(3, indicator_count=count)
    client.force_login(w.lead)
    queries, _response = _queries(client, _url("review_result", w))
    assert queries == QUERIES_RESULT


# Saving one entry with htmx answers with that entry only.

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_an_htmx_save_answers_with_the_entry_fragment(client):
    w = review_world(indicator_count=5)
    client.force_login(w.second)
    first = w.indicators[0]
    response = client.post(_url("review_level", w, first.pk), _form(entry(4)), **HTMX)
    assert response.status_code == 200
    assert response["X-Review-Fragment"] == "1"
    html = response.content.decode()
    assert html.startswith(f'<div id="entry-{first.pk}">')
    assert 'data-testid="saved"' in html
    assert "<html" not in html
    assert LevelScore.objects.get(assessor=w.second, indicator=first).level == 4


def test_an_htmx_save_with_errors_keeps_the_input(client):
    w = review_world(indicator_count=5)
    client.force_login(w.second)
    first = w.indicators[0]
    response = client.post(
        _url("review_level", w, first.pk),
        {"verification": "rejected", "level": "3", "comment": "Dijaga"},
        **HTMX,
    )
    html = response.content.decode()
    assert response["X-Review-Fragment"] == "1"
    assert "Correct the marked fields; nothing was saved." in html
    assert "Rejected data gets no maturity level." in html
    assert "Dijaga" in html
    assert 'data-testid="saved"' not in html
    assert not LevelScore.objects.exists()


def test_an_htmx_save_after_submission_says_why(client):
    w = review_world(indicator_count=5)
    assess_and_submit(w, w.second, 3)
    client.force_login(w.second)
    response = client.post(
        _url("review_level", w, w.indicators[0].pk), _form(entry(5)), **HTMX
    )
    assert "You have submitted your levels for this round." in (
        response.content.decode()
    )
    assert set(LevelScore.objects.values_list("level", flat=True)) == {3}


def test_the_review_page_stays_light(client):
    # 40 indicators with their forms: about 3.3 kB each (the readiness review
    # page needs about 7 kB per indicator).
    w = review_world(indicator_count=40)
    client.force_login(w.second)
    response = client.get(_url("review", w))
    assert len(response.content) < 150_000


def test_the_lead_starts_the_review_through_the_page(client):
    w = maturity_in(S.SUBMITTED, indicator_count=5)
    client.force_login(w.lead)
    page = client.get(_url("review", w)).content.decode()
    assert 'data-testid="start-review"' in page
    response = client.post(_url("review_start", w), follow=True)
    assert "The review has started. Verify and level every indicator." in (
        response.content.decode()
    )
    w.refresh()
    assert w.stage.state == S.UNDER_REVIEW


def test_the_readiness_clarification_page_serves_a_maturity_stage(client):
    from datetime import timedelta

    from django.utils import timezone

    w = review_world(indicator_count=5)
    client.force_login(w.second)
    url = reverse("assessments:review_clarify", args=[w.stage.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "indicators": [w.indicators[1].pk],
            "question": "Mohon kirim data BPS.",
            "due_date": (timezone.localdate() + timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == _url("review", w)
    w.refresh()
    assert w.stage.state == S.CLARIFICATION_REQUESTED
    page = client.get(_url("review", w)).content.decode()
    assert "Mohon kirim data BPS." in page
    assert page.count("reopened by the clarification") == 1


def test_a_stage_below_m1_says_it_will_not_pass(client):
    w = scored_world([1, 1, 1, None, 2], indicator_count=5)
    services_review.complete_assessment(w.stage, actor=w.lead)
    client.force_login(w.lead)
    html = client.get(_url("review", w)).content.decode()
    assert "The decision follows from the result: not passed (no tier reached)." in (
        html
    )
    assert 'data-testid="tier">no tier' in html
    # 5.4 is rejected: listed as left out.
    assert f"Left out (rejected): {w.indicators[3].clause}" in html
    # M1 needs 5 verified, there are 4: one more.
    assert "1 more verified indicator is needed." in html
    assert 'data-testid="result-link"' in html
