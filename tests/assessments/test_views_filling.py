"""The region's filling pages of a stage (step 5) and the admin's opening."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kotacerdas.accounts.models import Role
from kotacerdas.assessments import services
from kotacerdas.assessments.models import (
    Evidence,
    ReadinessAnswer,
    StageRecord,
    StageState,
)
from kotacerdas.scheduling.models import DataEntryWindow, Stage
from tests.assessments.factories import (
    CODES,
    all_answers,
    fill_all,
    open_stage,
    stage_in,
    world,
)
from tests.factories import UserFactory
from tests.registrations.factories import pdf_upload

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def w():
    """An open stage of three indicators: the first is Yusuf's, the second
    Ayu's, the third nobody's."""
    w = world(indicator_count=3)
    open_stage(w)
    services.assign_response(w.response(0), actor=w.coordinator, member=w.member_a)
    services.assign_response(w.response(1), actor=w.coordinator, member=w.member_b)
    w.stranger = UserFactory(roles=[Role.ASSESSOR], full_name="Agus Salim")
    return w


def _person(w, who):
    return {
        "coordinator": w.coordinator,
        "member": w.member_a,
        "other member": w.member_b,
        "outsider": w.outsider,
        "assessor on the team": w.lead,
        "assessor not on the team": w.stranger,
        "admin": w.admin,
        "anonymous": None,
    }[who]


def _client(client, w, who):
    person = _person(w, who)
    if person is not None:
        client.force_login(person)
    return client


def _is_login_redirect(answer):
    return answer.status_code == 302 and answer["Location"].startswith(
        reverse("accounts:login")
    )


def _answered(response):
    return {
        a.criterion: (a.answer, a.explanation)
        for a in ReadinessAnswer.objects.filter(response=response)
    }


# Permission matrix. "member" is Yusuf, whose indicator is the first one;
# "other member" is Ayu, who may not open it.

OVERVIEW = {
    "coordinator": 200,
    "member": 200,
    "other member": 200,
    "outsider": 404,
    "assessor on the team": 200,
    "assessor not on the team": 404,
    "admin": 200,
    "anonymous": "login",
}
RESPONSE_PAGE = {**OVERVIEW, "other member": 404}
FILL = {
    "coordinator": 200,
    "member": 200,
    "other member": 404,
    "outsider": 404,
    "assessor on the team": 404,
    "assessor not on the team": 404,
    "admin": 404,
    "anonymous": "login",
}
COORDINATOR_ONLY = {**FILL, "member": 404}


def _check(answer, expected):
    if expected == "login":
        assert _is_login_redirect(answer)
    else:
        assert answer.status_code == expected


@pytest.mark.parametrize(("who", "expected"), OVERVIEW.items())
def test_who_sees_the_overview(client, w, who, expected):
    answer = _client(client, w, who).get(
        reverse("assessments:fill_overview", args=[w.stage.pk])
    )
    _check(answer, expected)


@pytest.mark.parametrize(("who", "expected"), RESPONSE_PAGE.items())
def test_who_sees_the_first_indicators_response(client, w, who, expected):
    answer = _client(client, w, who).get(
        reverse("assessments:fill_response", args=[w.response(0).pk])
    )
    _check(answer, expected)


@pytest.mark.parametrize(("who", "expected"), FILL.items())
def test_who_may_autosave_the_first_indicator(client, w, who, expected):
    answer = _client(client, w, who).post(
        reverse("assessments:fill_autosave", args=[w.response(0).pk]),
        {"S1-answer": "yes"},
        **HTMX,
    )
    _check(answer, expected)
    saved = _answered(w.response(0))
    assert saved == ({"S1": ("yes", "")} if expected == 200 else {})


@pytest.mark.parametrize(("who", "expected"), FILL.items())
def test_who_may_add_evidence_to_the_first_indicator(client, w, who, expected):
    answer = _client(client, w, who).post(
        reverse("assessments:fill_add_evidence", args=[w.response(0).pk]),
        {"label": "SK wali data", "url": "https://surakarta.go.id/sk"},
    )
    _check(answer, 302 if expected == 200 else expected)
    assert Evidence.objects.count() == (1 if expected == 200 else 0)


@pytest.mark.parametrize(("who", "expected"), FILL.items())
def test_who_may_remove_evidence_of_the_first_indicator(client, w, who, expected):
    evidence = services.add_evidence(
        w.response(0), actor=w.coordinator, label="SK", url="https://example.test/sk"
    )
    answer = _client(client, w, who).post(
        reverse("assessments:fill_remove_evidence", args=[evidence.pk])
    )
    _check(answer, 302 if expected == 200 else expected)
    assert Evidence.objects.filter(pk=evidence.pk).exists() == (expected != 200)


@pytest.mark.parametrize(("who", "expected"), COORDINATOR_ONLY.items())
def test_who_may_assign_an_indicator(client, w, who, expected):
    answer = _client(client, w, who).post(
        reverse("assessments:fill_assign", args=[w.response(2).pk]),
        {"member": w.member_b.pk},
        **HTMX,
    )
    _check(answer, expected)
    assert w.response(2).assigned_to == (w.member_b if expected == 200 else None)


@pytest.mark.parametrize(("who", "expected"), COORDINATOR_ONLY.items())
def test_who_may_submit(client, w, who, expected):
    fill_all(w)
    answer = _client(client, w, who).post(
        reverse("assessments:fill_submit", args=[w.stage.pk])
    )
    _check(answer, 302 if expected == 200 else expected)
    assert w.refresh().state == (
        StageState.SUBMITTED if expected == 200 else StageState.OPEN
    )


OPEN = {
    "coordinator": 404,
    "assessor on the team": 404,
    "admin": 200,
    "anonymous": "login",
}


@pytest.mark.parametrize(("who", "expected"), OPEN.items())
def test_who_may_see_the_opening_page(client, who, expected):
    w = world(indicator_count=2)
    w.stranger = None
    answer = _client(client, w, who).get(
        reverse("assessments:fill_open", args=[w.registration.pk])
    )
    _check(answer, expected)


# Opening.


def test_the_admin_opens_the_readiness_stage(client):
    w = world(indicator_count=2)
    client.force_login(w.admin)

    answer = client.post(reverse("assessments:fill_open", args=[w.registration.pk]))

    stage = StageRecord.objects.get(registration=w.registration, stage=Stage.READINESS)
    assert answer["Location"] == reverse("assessments:fill_overview", args=[stage.pk])
    assert stage.state == StageState.OPEN
    assert stage.responses.count() == 2


def test_opening_without_a_window_shows_why_and_opens_nothing(client):
    w = world(indicator_count=2)
    DataEntryWindow.objects.filter(registration=w.registration).delete()
    client.force_login(w.admin)

    answer = client.post(
        reverse("assessments:fill_open", args=[w.registration.pk]), follow=True
    )

    assert answer.status_code == 200
    assert "Set the data-entry window of the stage first." in answer.text
    assert not StageRecord.objects.exists()


def test_the_opening_page_of_an_open_stage_leads_to_its_overview(client, w):
    client.force_login(w.admin)
    answer = client.get(reverse("assessments:fill_open", args=[w.registration.pk]))
    assert answer["Location"] == reverse("assessments:fill_overview", args=[w.stage.pk])


# The overview.


def test_a_member_sees_only_their_own_indicators(client, w):
    client.force_login(w.member_a)
    answer = client.get(reverse("assessments:fill_overview", args=[w.stage.pk]))
    assert [row.indicator for row in answer.context["rows"]] == [w.indicators[0]]
    assert answer.context["by_member"] is None


def test_the_coordinator_sees_progress_per_member_and_per_agency(client, w):
    type(w.member_a).objects.filter(pk=w.member_a.pk).update(agency="Diskominfo")
    type(w.member_b).objects.filter(pk=w.member_b.pk).update(agency="Bappeda")
    services.save_response(w.response(0), actor=w.member_a, answers=all_answers())
    client.force_login(w.coordinator)

    answer = client.get(reverse("assessments:fill_overview", args=[w.stage.pk]))

    by_member = {
        row.label: (row.indicators, row.complete, row.answered)
        for row in answer.context["by_member"]
    }
    assert by_member == {
        "Yusuf Hidayat": (1, 1, 8),
        "Ayu Lestari": (1, 0, 0),
        "": (1, 0, 0),
    }
    by_agency = {
        row.label: (row.indicators, row.complete, row.answered)
        for row in answer.context["by_agency"]
    }
    assert by_agency == {
        "Bappeda": (1, 0, 0),
        "Diskominfo": (1, 1, 8),
        "": (1, 0, 0),
    }


def test_assigning_answers_the_row_with_the_new_assignee(client, w):
    client.force_login(w.coordinator)

    answer = client.post(
        reverse("assessments:fill_assign", args=[w.response(2).pk]),
        {"member": w.member_a.pk},
        **HTMX,
    )

    assert answer["X-Filling-Fragment"] == "1"
    assert answer.text.strip().startswith(f'<tr id="response-{w.response(2).pk}"')
    assert f'<option value="{w.member_a.pk}" selected>' in answer.text
    assert w.response(2).assigned_to == w.member_a


def test_assigning_also_refreshes_the_progress_tables(client, w):
    client.force_login(w.coordinator)

    answer = client.post(
        reverse("assessments:fill_assign", args=[w.response(2).pk]),
        {"member": w.member_a.pk},
        **HTMX,
    )

    assert '<div id="progress" hx-swap-oob="true">' in answer.text
    assert [(row.label, row.indicators) for row in answer.context["by_member"]] == [
        ("Ayu Lestari", 1),
        ("Yusuf Hidayat", 2),
    ]


def test_assigning_to_someone_outside_the_team_is_refused_in_the_row(client, w):
    client.force_login(w.coordinator)

    answer = client.post(
        reverse("assessments:fill_assign", args=[w.response(2).pk]),
        {"member": w.outsider.pk},
        **HTMX,
    )

    assert answer.status_code == 200
    assert 'data-testid="assign-error"' in answer.text
    assert w.response(2).assigned_to is None


def test_submitting_with_gaps_is_refused_with_the_missing_list(client, w):
    services.save_response(w.response(0), actor=w.member_a, answers=all_answers())
    services.save_response(
        w.response(1), actor=w.member_b, answers={"S1": {"answer": "no"}}
    )
    client.force_login(w.coordinator)

    answer = client.post(reverse("assessments:fill_submit", args=[w.stage.pk]))

    assert answer.status_code == 400
    assert [(i.clause, codes) for i, codes in answer.context["missing"]] == [
        (w.indicators[1].clause, CODES[1:]),
        (w.indicators[2].clause, CODES),
    ]
    assert 'data-testid="missing"' in answer.text
    assert w.refresh().state == StageState.OPEN


def test_the_overview_lists_what_is_missing_before_submitting(client, w):
    client.force_login(w.coordinator)
    answer = client.get(reverse("assessments:fill_overview", args=[w.stage.pk]))
    assert [i.clause for i, _codes in answer.context["missing"]] == [
        i.clause for i in w.indicators
    ]
    assert "disabled>" in answer.text


def test_a_complete_stage_is_submitted(client, w):
    fill_all(w)
    client.force_login(w.coordinator)

    answer = client.post(reverse("assessments:fill_submit", args=[w.stage.pk]))

    assert answer["Location"] == reverse("assessments:fill_overview", args=[w.stage.pk])
    assert w.refresh().state == StageState.SUBMITTED


def _overview_queries(client, django_assert_num_queries, count, expected):
    w = world(indicator_count=count)
    open_stage(w)
    for position in range(count):
        services.assign_response(
            w.response(position),
            actor=w.coordinator,
            member=(w.member_a, w.member_b)[position % 2],
        )
    fill_all(w)
    client.force_login(w.coordinator)
    url = reverse("assessments:fill_overview", args=[w.stage.pk])
    client.get(url)  # warm the session and the user's roles
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


def test_the_overview_with_one_indicator_takes_a_fixed_number_of_queries(
    client, django_assert_num_queries
):
    _overview_queries(client, django_assert_num_queries, 1, 12)


def test_the_overview_with_many_indicators_takes_the_same_number_of_queries(
    client, django_assert_num_queries
):
    _overview_queries(client, django_assert_num_queries, 12, 12)


# One indicator's response.


def test_the_response_page_groups_the_criteria_by_the_methodologys_groups(client, w):
    client.force_login(w.member_a)
    answer = client.get(reverse("assessments:fill_response", args=[w.response(0).pk]))
    groups = [
        (group["code"], [c["code"] for c in group["criteria"]])
        for group in answer.context["groups"]
    ]
    assert groups == [
        ("struktur", ["S1", "S2", "S3"]),
        ("infrastruktur", ["I1", "I2"]),
        ("suprastruktur", ["P1", "P2", "P3"]),
    ]
    assert answer.context["editable"] is True


def test_autosave_saves_only_the_field_sent(client, w):
    response = w.response(0)
    services.save_response(
        response,
        actor=w.member_a,
        answers={"S1": {"answer": "yes", "explanation": "SK Wali Kota 2025"}},
    )
    client.force_login(w.member_a)

    answer = client.post(
        reverse("assessments:fill_autosave", args=[response.pk]),
        {"S1-answer": "partly"},
        **HTMX,
    )

    assert answer["X-Filling-Fragment"] == "1"
    assert 'data-testid="saved"' in answer.text
    assert _answered(response) == {"S1": ("partly", "SK Wali Kota 2025")}


def test_autosave_of_an_explanation_keeps_the_answer(client, w):
    response = w.response(0)
    services.save_response(response, actor=w.member_a, answers={"I1": {"answer": "no"}})
    client.force_login(w.member_a)

    client.post(
        reverse("assessments:fill_autosave", args=[response.pk]),
        {"I1-explanation": "Belum ada aplikasi."},
        **HTMX,
    )

    assert _answered(response) == {"I1": ("no", "Belum ada aplikasi.")}


def test_a_validation_error_saves_the_valid_fields_and_loses_nothing(client, w):
    response = w.response(0)
    services.save_response(
        response, actor=w.member_a, answers={"S2": {"explanation": "Pelatihan 2025"}}
    )
    client.force_login(w.member_a)

    answer = client.post(
        reverse("assessments:fill_autosave", args=[response.pk]),
        {"S1-answer": "yes", "S2-answer": "maybe", "S2-explanation": "x" * 5001},
        **HTMX,
    )

    assert answer.status_code == 200
    assert 'data-testid="save-error"' in answer.text
    assert _answered(response) == {"S1": ("yes", ""), "S2": ("", "Pelatihan 2025")}


def test_without_script_a_validation_error_shows_the_page_with_what_was_typed(
    client, w
):
    response = w.response(0)
    client.force_login(w.member_a)
    typed = "y" * 5001

    answer = client.post(
        reverse("assessments:fill_autosave", args=[response.pk]),
        {"S1-answer": "yes", "S1-explanation": typed, "S2-explanation": "Ada SOP"},
    )

    assert answer.status_code == 400
    assert typed in answer.text
    assert _answered(response) == {"S1": ("yes", ""), "S2": ("", "Ada SOP")}


def test_without_script_saving_everything_returns_to_the_page(client, w):
    response = w.response(0)
    client.force_login(w.member_a)
    data = {}
    for code in CODES:
        data[f"{code}-answer"] = "yes"
        data[f"{code}-explanation"] = f"Bukti {code}"

    answer = client.post(reverse("assessments:fill_autosave", args=[response.pk]), data)

    assert answer["Location"] == reverse(
        "assessments:fill_response", args=[response.pk]
    )
    assert _answered(response) == {code: ("yes", f"Bukti {code}") for code in CODES}


def test_an_expired_session_answers_the_login_page_without_the_fragment_mark(client, w):
    answer = client.post(
        reverse("assessments:fill_autosave", args=[w.response(0).pk]),
        {"S1-answer": "yes"},
        **HTMX,
    )
    assert _is_login_redirect(answer)
    assert "X-Filling-Fragment" not in answer
    assert _answered(w.response(0)) == {}


def test_a_member_cannot_open_another_members_indicator(client, w):
    client.force_login(w.member_b)
    answer = client.get(reverse("assessments:fill_response", args=[w.response(0).pk]))
    assert answer.status_code == 404


def test_an_assessor_reads_the_response_without_fields_to_change(client, w):
    client.force_login(w.lead)
    answer = client.get(reverse("assessments:fill_response", args=[w.response(0).pk]))
    assert answer.context["editable"] is False
    assert answer.context["refusal"] == "You can read this response but not change it."
    assert 'data-testid="evidence-form"' not in answer.text


def test_a_submitted_stage_is_read_only_with_the_reason(client):
    w = stage_in(StageState.SUBMITTED, indicator_count=2)
    client.force_login(w.coordinator)

    answer = client.get(reverse("assessments:fill_response", args=[w.response(0).pk]))

    assert answer.context["refusal"] == (
        "The stage is “submitted”; the responses are locked."
    )
    assert '<fieldset class="card mb-3" data-group="struktur" disabled>' in (
        answer.text
    )


def test_saving_into_a_locked_stage_is_refused_and_changes_nothing(client):
    w = stage_in(StageState.SUBMITTED, indicator_count=2)
    client.force_login(w.coordinator)

    answer = client.post(
        reverse("assessments:fill_autosave", args=[w.response(0).pk]),
        {"S1-answer": "no"},
        **HTMX,
    )

    assert "The stage is “submitted”; the responses are locked." in answer.text
    assert _answered(w.response(0))["S1"] == ("yes", "Sudah ditetapkan.")


@pytest.fixture
def clarifying():
    return stage_in(StageState.CLARIFICATION_REQUESTED, indicator_count=3)


def test_during_a_clarification_a_named_indicator_shows_the_question(
    client, clarifying
):
    client.force_login(clarifying.coordinator)
    answer = client.get(
        reverse("assessments:fill_response", args=[clarifying.response(0).pk])
    )
    assert answer.context["editable"] is True
    assert "Mohon lampirkan SK wali data." in answer.text


def test_during_a_clarification_other_indicators_stay_locked(client, clarifying):
    client.force_login(clarifying.coordinator)
    answer = client.get(
        reverse("assessments:fill_response", args=[clarifying.response(2).pk])
    )
    assert answer.context["refusal"] == (
        "Only the indicators named in the clarification request can be changed now."
    )


def test_the_coordinator_answers_the_clarification(client, clarifying):
    client.force_login(clarifying.coordinator)

    answer = client.post(
        reverse("assessments:fill_submit", args=[clarifying.stage.pk]),
        {"answer": "SK terlampir."},
    )

    assert answer.status_code == 302
    stage = clarifying.refresh()
    assert stage.state == StageState.RESUBMITTED
    assert stage.clarifications.get().answer == "SK terlampir."


# Evidence.


def test_a_file_is_added_as_evidence(client, w):
    client.force_login(w.member_a)

    answer = client.post(
        reverse("assessments:fill_add_evidence", args=[w.response(0).pk]),
        {"label": "SK wali data", "file": pdf_upload("sk.pdf")},
    )

    assert answer.status_code == 302
    evidence = Evidence.objects.get()
    assert (evidence.label, evidence.file.original_name, evidence.url) == (
        "SK wali data",
        "sk.pdf",
        "",
    )


def test_evidence_with_neither_a_file_nor_a_link_is_refused_and_keeps_the_label(
    client, w
):
    client.force_login(w.member_a)

    answer = client.post(
        reverse("assessments:fill_add_evidence", args=[w.response(0).pk]),
        {"label": "SK wali data"},
    )

    assert answer.status_code == 400
    assert "Give either a file or a link." in answer.text
    assert 'value="SK wali data"' in answer.text
    assert not Evidence.objects.exists()


def test_a_file_that_is_not_what_it_says_is_refused(client, w):
    client.force_login(w.member_a)
    fake = SimpleUploadedFile("sk.pdf", b"not a pdf at all", "application/pdf")

    answer = client.post(
        reverse("assessments:fill_add_evidence", args=[w.response(0).pk]),
        {"label": "SK", "file": fake},
    )

    assert answer.status_code == 400
    assert not Evidence.objects.exists()
