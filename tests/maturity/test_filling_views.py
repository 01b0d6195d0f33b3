"""The region's pages of the maturity stage (steps 8 and 9) and the opening."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from kotacerdas.accounts.models import Role
from kotacerdas.assessments import services
from kotacerdas.assessments.models import (
    Evidence,
    Response,
    StageRecord,
    StageState,
)
from kotacerdas.indicators.models import Indicator, ValueType
from kotacerdas.maturity import services_filling
from kotacerdas.maturity.models import MaturityData
from kotacerdas.scheduling.models import Stage
from tests.assessments.factories import stage_in
from tests.factories import UserFactory
from tests.maturity.factories import (
    continued_world,
    figures_for,
    fill_all,
    open_world,
    submitted_world,
)
from tests.scheduling.factories import RegistrationFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def w():
    """An open maturity stage of five indicators (5.1 %, 5.2 rate, 5.3, 5.4 and
    6.1 %): the first is Yusuf's, the second Ayu's, the others nobody's (five:
    the readiness stage needs five ready indicators to pass)."""
    w = open_world(indicator_count=5)
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


def _check(answer, expected):
    if expected == "login":
        assert answer.status_code == 302
        assert answer["Location"].startswith(reverse("accounts:login"))
    else:
        assert answer.status_code == expected


def _data(response):
    return MaturityData.objects.get(response=response)


# Permission matrix. "member" is Yusuf, whose indicator is the first one.

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


@pytest.mark.parametrize(("who", "expected"), OVERVIEW.items())
def test_who_sees_the_overview(client, w, who, expected):
    answer = _client(client, w, who).get(
        reverse("maturity:fill_overview", args=[w.stage.pk])
    )
    _check(answer, expected)


def test_a_member_sees_only_their_indicators_on_the_overview(client, w):
    client.force_login(w.member_a)
    page = client.get(reverse("maturity:fill_overview", args=[w.stage.pk]))
    content = page.content.decode()
    assert 'data-clause="5.1"' in content
    assert 'data-clause="5.2"' not in content
    assert 'data-clause="5.3"' not in content
    # Nor the team's progress tables, nor the submit box.
    assert 'data-testid="by-member"' not in content
    assert 'data-testid="submit"' not in content


def test_the_coordinator_sees_every_indicator_and_the_progress(client, w):
    services_filling.save_data(
        w.response(0), actor=w.member_a, fields=figures_for(w.indicators[0])
    )
    client.force_login(w.coordinator)
    page = client.get(reverse("maturity:fill_overview", args=[w.stage.pk]))
    content = page.content.decode()
    for clause in ("5.1", "5.2", "5.3", "5.4", "6.1"):
        assert f'data-clause="{clause}"' in content
    by_member = {row.label: row for row in page.context["by_member"]}
    assert (
        by_member["Yusuf Hidayat"].indicators,
        by_member["Yusuf Hidayat"].complete,
    ) == (1, 1)
    assert (by_member["Ayu Lestari"].indicators, by_member["Ayu Lestari"].complete) == (
        1,
        0,
    )
    assert (by_member[""].indicators, by_member[""].complete) == (3, 0)
    # 40 ÷ 100 × 100 = 40 %, shown in the table.
    assert "40 <span" in content


@pytest.mark.parametrize(("who", "expected"), RESPONSE_PAGE.items())
def test_who_sees_the_first_indicators_page(client, w, who, expected):
    answer = _client(client, w, who).get(
        reverse("maturity:fill_response", args=[w.response(0).pk])
    )
    _check(answer, expected)
    if expected == 200:
        editable = answer.context["editable"]
        assert editable == (who in ("coordinator", "member"))
        if not editable:
            assert 'data-testid="read-only"' in answer.content.decode()


@pytest.mark.parametrize(("who", "expected"), FILL.items())
def test_who_may_autosave_the_first_indicator(client, w, who, expected):
    answer = _client(client, w, who).post(
        reverse("maturity:fill_autosave", args=[w.response(0).pk]),
        {"numerator": "45"},
        **HTMX,
    )
    _check(answer, expected)
    assert _data(w.response(0)).numerator == (Decimal(45) if expected == 200 else None)


@pytest.mark.parametrize(("who", "expected"), FILL.items())
def test_who_may_add_evidence_to_the_first_indicator(client, w, who, expected):
    answer = _client(client, w, who).post(
        reverse("maturity:fill_add_evidence", args=[w.response(0).pk]),
        {"label": "Rekap kontrak 2026", "url": "https://surakarta.go.id/kontrak"},
    )
    _check(answer, 302 if expected == 200 else expected)
    assert Evidence.objects.count() == (1 if expected == 200 else 0)


@pytest.mark.parametrize(("who", "expected"), FILL.items())
def test_who_may_remove_evidence_of_the_first_indicator(client, w, who, expected):
    evidence = services.add_evidence(
        w.response(0), actor=w.coordinator, label="SK", url="https://example.test/sk"
    )
    answer = _client(client, w, who).post(
        reverse("maturity:fill_remove_evidence", args=[evidence.pk])
    )
    _check(answer, 302 if expected == 200 else expected)
    assert Evidence.objects.filter(pk=evidence.pk).exists() == (expected != 200)


@pytest.mark.parametrize(("who", "expected"), COORDINATOR_ONLY.items())
def test_who_may_assign_an_indicator(client, w, who, expected):
    answer = _client(client, w, who).post(
        reverse("maturity:fill_assign", args=[w.response(2).pk]),
        {"member": w.member_b.pk},
        **HTMX,
    )
    _check(answer, expected)
    assert w.response(2).assigned_to == (w.member_b if expected == 200 else None)
    if expected == 200:
        content = answer.content.decode()
        assert 'id="response-' in content
        assert 'hx-swap-oob="true"' in content


@pytest.mark.parametrize(("who", "expected"), COORDINATOR_ONLY.items())
def test_who_may_submit(client, w, who, expected):
    fill_all(w)
    answer = _client(client, w, who).post(
        reverse("maturity:fill_submit", args=[w.stage.pk])
    )
    _check(answer, 302 if expected == 200 else expected)
    assert w.refresh().state == (
        StageState.SUBMITTED if expected == 200 else StageState.OPEN
    )


def test_a_readiness_stage_is_not_served_by_the_maturity_pages(client, w):
    client.force_login(w.coordinator)
    readiness = w.readiness
    answer = client.get(reverse("maturity:fill_overview", args=[readiness.pk]))
    assert answer.status_code == 404
    response = readiness.responses.first()
    answer = client.get(reverse("maturity:fill_response", args=[response.pk]))
    assert answer.status_code == 404


def test_the_readiness_pages_send_a_maturity_stage_to_its_own(client, w):
    client.force_login(w.coordinator)
    answer = client.get(reverse("assessments:fill_overview", args=[w.stage.pk]))
    assert answer["Location"] == reverse("maturity:fill_overview", args=[w.stage.pk])
    answer = client.get(reverse("assessments:fill_response", args=[w.response(0).pk]))
    assert answer["Location"] == reverse(
        "maturity:fill_response", args=[w.response(0).pk]
    )
    answer = client.post(
        reverse("assessments:fill_autosave", args=[w.response(0).pk]),
        {"S1-answer": "yes"},
    )
    assert answer.status_code == 404
    assert not w.response(0).readiness_answers.exists()


# Step 8: continue, then open.

CONTINUE = {
    "coordinator": 200,
    "member": 404,
    "outsider": 404,
    "assessor on the team": 404,
    "admin": 404,
    "anonymous": "login",
}


@pytest.mark.parametrize(("who", "expected"), CONTINUE.items())
def test_who_may_continue_to_maturity(client, who, expected):
    w = stage_in(StageState.DECIDED, indicator_count=5)
    w.stranger = None
    url = reverse("maturity:fill_continue", args=[w.registration.pk])
    _check(_client(client, w, who).get(url), expected)
    answer = client.post(url)
    _check(answer, 302 if expected == 200 else expected)
    continued = StageRecord.objects.filter(
        registration=w.registration, stage=Stage.MATURITY
    )
    assert continued.exists() == (expected == 200)


def test_continuing_makes_the_stage_tells_the_admins_and_happens_once(
    client, django_capture_on_commit_callbacks
):
    w = stage_in(StageState.DECIDED, indicator_count=5)
    client.force_login(w.coordinator)
    url = reverse("maturity:fill_continue", args=[w.registration.pk])
    page = client.get(url)
    assert 'data-testid="continue"' in page.content.decode()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(url)
    stage = StageRecord.objects.get(registration=w.registration, stage=Stage.MATURITY)
    assert answer["Location"] == reverse("maturity:fill_overview", args=[stage.pk])
    assert stage.state == StageState.NOT_OPEN
    assert [m.to for m in mail.outbox] == [[w.admin.email]]
    assert "Continues to maturity" in mail.outbox[0].subject
    overview = client.get(answer["Location"])
    assert 'data-testid="not-open"' in overview.content.decode()

    # A second time: the page leads to the stage, a post changes nothing.
    assert client.get(url)["Location"] == answer["Location"]
    client.post(url)
    assert (
        StageRecord.objects.filter(
            registration=w.registration, stage=Stage.MATURITY
        ).count()
        == 1
    )


def test_continuing_is_refused_before_a_readiness_pass(client):
    w = stage_in(StageState.ASSESSED, indicator_count=5)
    client.force_login(w.coordinator)
    url = reverse("maturity:fill_continue", args=[w.registration.pk])
    page = client.get(url)
    assert "follows a passed readiness stage" in page.content.decode()
    assert 'data-testid="continue"' not in page.content.decode()
    answer = client.post(url)
    assert answer.status_code == 400
    assert not StageRecord.objects.filter(
        registration=w.registration, stage=Stage.MATURITY
    ).exists()


OPEN = {
    "coordinator": 404,
    "assessor on the team": 404,
    "admin": 200,
    "anonymous": "login",
}


@pytest.mark.parametrize(("who", "expected"), OPEN.items())
def test_who_may_open_the_maturity_stage(client, who, expected):
    w = continued_world(indicator_count=5)
    w.stranger = None
    url = reverse("maturity:fill_open", args=[w.registration.pk])
    _check(_client(client, w, who).get(url), expected)
    answer = client.post(url)
    _check(answer, 302 if expected == 200 else expected)
    assert w.refresh().state == (
        StageState.OPEN if expected == 200 else StageState.NOT_OPEN
    )


def test_opening_creates_one_data_row_per_agreed_indicator(client):
    w = continued_world(indicator_count=6)
    client.force_login(w.admin)
    url = reverse("maturity:fill_open", args=[w.registration.pk])
    page = client.get(url)
    assert page.context["agreed_count"] == 6
    assert page.context["window"] is not None
    answer = client.post(url)
    assert answer["Location"] == reverse("maturity:fill_overview", args=[w.stage.pk])
    assert MaturityData.objects.filter(response__stage=w.stage).count() == 6
    # Once open, the opening page leads to the stage.
    assert client.get(url)["Location"] == answer["Location"]


def test_opening_is_refused_before_the_region_continued(client):
    w = stage_in(StageState.DECIDED, indicator_count=5)
    client.force_login(w.admin)
    url = reverse("maturity:fill_open", args=[w.registration.pk])
    page = client.get(url)
    assert 'data-testid="not-continued"' in page.content.decode()
    answer = client.post(url)
    assert answer.status_code == 400
    assert not StageRecord.objects.filter(stage=Stage.MATURITY).exists()


# Autosave, errors, numbers.


def _autosave(client, response, fields, **extra):
    return client.post(
        reverse("maturity:fill_autosave", args=[response.pk]), fields, **extra
    )


def test_autosave_of_one_field_keeps_the_others(client, w):
    services_filling.save_data(
        w.response(0),
        actor=w.coordinator,
        fields={"numerator": 40, "denominator": 100, "source": "Dinas Kominfo"},
    )
    client.force_login(w.member_a)
    answer = _autosave(client, w.response(0), {"denominator": "80"}, **HTMX)
    assert answer.status_code == 200
    assert answer["X-Filling-Fragment"] == "1"
    data = _data(w.response(0))
    assert (data.numerator, data.denominator, data.source) == (
        Decimal(40),
        Decimal(80),
        "Dinas Kominfo",
    )
    content = answer.content.decode()
    assert 'data-testid="saved"' in content
    # The computed value follows, out of band: 40 ÷ 80 × 100 = 50.
    assert 'id="computed"' in content and 'hx-swap-oob="true"' in content
    assert "40 ÷ 80 × 100 = 50" in content


def test_a_wrong_field_is_shown_next_to_it_and_nothing_is_saved(client, w):
    client.force_login(w.coordinator)
    answer = _autosave(client, w.response(0), {"data_year": "1999"}, **HTMX)
    content = answer.content.decode()
    assert 'data-testid="save-error"' in content
    assert 'id="errors-data_year"' in content
    assert "The data year must lie between 2000 and" in content
    assert _data(w.response(0)).data_year is None

    answer = _autosave(client, w.response(0), {"numerator": "empat puluh"}, **HTMX)
    assert "Enter a number" in answer.content.decode()
    assert _data(w.response(0)).numerator is None


def test_without_script_a_refused_save_shows_the_page_with_the_input_kept(client, w):
    client.force_login(w.coordinator)
    answer = _autosave(
        client,
        w.response(0),
        {"data_year": "1999", "numerator": "12,5", "source": "BPS Kota"},
    )
    assert answer.status_code == 400
    content = answer.content.decode()
    assert 'value="1999"' in content
    assert 'value="12,5"' in content
    assert 'value="BPS Kota"' in content
    assert "The data year must lie between 2000 and" in content
    # save_data saves nothing when a field is wrong.
    data = _data(w.response(0))
    assert (data.data_year, data.numerator, data.source) == (None, None, "")


def test_without_script_a_good_save_redirects(client, w):
    client.force_login(w.coordinator)
    answer = _autosave(client, w.response(0), figures_for(w.indicators[0]))
    assert answer["Location"] == reverse(
        "maturity:fill_response", args=[w.response(0).pk]
    )
    assert _data(w.response(0)).self_level == 3


@pytest.mark.parametrize(
    ("language", "typed", "stored"),
    [
        ("id", "1.234,5", Decimal("1234.5")),
        ("id", "1.234", Decimal("1234")),
        ("id", "12,5", Decimal("12.5")),
        ("id", "1.234.567", Decimal("1234567")),
        ("en", "1234.5", Decimal("1234.5")),
        ("en", "1,234.5", Decimal("1234.5")),
        ("en", "1.234", Decimal("1.234")),
        ("en", "12,5", Decimal("12.5")),
    ],
)
def test_numbers_in_indonesian_and_english_notation(client, w, language, typed, stored):
    client.force_login(w.coordinator)
    with translation.override(language):
        answer = _autosave(client, w.response(1), {"denominator": typed}, **HTMX)
    assert answer.status_code == 200
    assert _data(w.response(1)).denominator == stored


def test_the_page_shows_the_stored_figures_in_the_users_notation(client, w):
    services_filling.save_data(
        w.response(1),
        actor=w.coordinator,
        fields={"numerator": "1234.5", "denominator": "500000"},
    )
    client.force_login(w.coordinator)
    with translation.override("id"):
        url = reverse("maturity:fill_response", args=[w.response(1).pk])
        assert 'value="1234,5"' in client.get(url).content.decode()
    page = client.get(reverse("maturity:fill_response", args=[w.response(1).pk]))
    content = page.content.decode()
    assert 'value="1234.5"' in content
    # 1234.5 ÷ 500 000 × 100 000 = 246.9 per 100 000 population.
    assert page.context["computed"].value == Decimal("246.9000")
    assert "1 234.5 ÷ 500 000 × 100 000 = 246.9" in content
    assert "per 100 000 population" in content


def test_the_page_shows_the_indicators_labels_and_the_rubric(client, w):
    client.force_login(w.coordinator)
    page = client.get(reverse("maturity:fill_response", args=[w.response(1).pk]))
    content = page.content.decode()
    assert "New businesses still operating" in content
    assert "Population" in content
    assert 'name="direct_value"' not in content
    for name in ("Initial", "Managed", "Defined", "Integrated and measured"):
        assert name in content
    assert "Data drives continuous improvement" in content


def test_an_indicator_without_denominator_asks_for_its_value(client):
    w = continued_world(indicator_count=5)
    duration = Indicator.objects.active().filter(value_type=ValueType.DURATION).first()
    w.registration.agreed_indicators.add(duration)
    w.stage = services.open_stage(w.registration, actor=w.admin, stage=Stage.MATURITY)
    response = w.stage.responses.get(indicator=duration)
    client.force_login(w.coordinator)
    page = client.get(reverse("maturity:fill_response", args=[response.pk]))
    content = page.content.decode()
    assert 'name="direct_value"' in content
    assert 'name="numerator"' not in content
    _autosave(client, response, {"direct_value": "2,5"}, **HTMX)
    assert _data(response).direct_value == Decimal("2.5")
    # A numerator sent anyway is not a field of this form: nothing is saved.
    _autosave(client, response, {"numerator": "4"}, **HTMX)
    assert _data(response).numerator is None


# Warnings on the page.


def test_warnings_show_on_the_page_and_after_an_autosave(client, w):
    client.force_login(w.coordinator)
    services_filling.save_data(
        w.response(0), actor=w.coordinator, fields={"numerator": 120}
    )
    answer = _autosave(client, w.response(0), {"denominator": "100"}, **HTMX)
    content = answer.content.decode()
    assert "A percentage should lie between 0 and 100; this one is 120." in content
    assert 'id="warnings"' in content

    answer = _autosave(client, w.response(0), {"denominator": "0"}, **HTMX)
    assert "The denominator is zero." in answer.content.decode()
    page = client.get(reverse("maturity:fill_response", args=[w.response(0).pk]))
    assert "The denominator is zero." in page.content.decode()
    overview = client.get(reverse("maturity:fill_overview", args=[w.stage.pk]))
    assert 'data-testid="warning-count"' in overview.content.decode()


# Copy forward.


def _previous_period(w, figures):
    """A maturity stage of Kota Surakarta's period 2026 with ``figures`` per
    indicator position, and a piece of evidence on the first indicator."""
    registration = RegistrationFactory(
        region=w.registration.region, period=2026, coordinator=w.coordinator
    )
    stage = StageRecord.objects.create(registration=registration, stage=Stage.MATURITY)
    for position, fields in figures.items():
        response = Response.objects.create(
            stage=stage, indicator=w.indicators[position]
        )
        MaturityData.objects.create(response=response, **fields)
        if position == 0:
            Evidence.objects.create(
                response=response,
                url="https://surakarta.go.id/2025",
                label="Laporan 2025",
                added_by=w.coordinator,
            )
    return stage


def test_copy_forward_copies_only_empty_indicators(client, w):
    _previous_period(
        w,
        {
            0: {
                "data_year": 2025,
                "numerator": 30,
                "denominator": 100,
                "self_level": 2,
            },
            1: {"data_year": 2025, "numerator": 50, "denominator": 500000},
        },
    )
    services_filling.save_data(
        w.response(1), actor=w.coordinator, fields={"numerator": 70}
    )
    client.force_login(w.coordinator)
    overview = client.get(reverse("maturity:fill_overview", args=[w.stage.pk]))
    assert 'data-testid="copy-forward"' in overview.content.decode()

    answer = client.post(reverse("maturity:fill_copy", args=[w.stage.pk]), follow=True)
    content = answer.content.decode()
    assert "Copied from the previous period into 1 indicators: 5.1." in content
    first, second = _data(w.response(0)), _data(w.response(1))
    assert (first.data_year, first.numerator, first.self_level) == (2025, 30, 2)
    assert first.copied_from_id is not None
    assert w.response(0).evidence.get().label == "Laporan 2025"
    # The second indicator had a figure typed this period: untouched.
    assert (second.numerator, second.denominator, second.copied_from_id) == (
        Decimal(70),
        None,
        None,
    )
    assert content.count('data-testid="copied"') == 1

    # Again: nothing left to copy.
    answer = client.post(reverse("maturity:fill_copy", args=[w.stage.pk]), follow=True)
    assert "Nothing was copied" in answer.content.decode()


def test_copy_forward_without_a_previous_period(client, w):
    client.force_login(w.coordinator)
    overview = client.get(reverse("maturity:fill_overview", args=[w.stage.pk]))
    assert 'data-testid="copy-forward"' not in overview.content.decode()
    answer = client.post(reverse("maturity:fill_copy", args=[w.stage.pk]), follow=True)
    assert "There is no previous period to copy from." in answer.content.decode()


def test_an_assessor_may_not_copy_forward(client, w):
    client.force_login(w.lead)
    answer = client.post(reverse("maturity:fill_copy", args=[w.stage.pk]))
    assert answer.status_code == 404


# Submission and clarification.


def test_submit_is_refused_with_the_missing_list_then_accepted(client, w):
    for position in (0, 1, 3, 4):
        services_filling.save_data(
            w.response(position),
            actor=w.coordinator,
            fields=figures_for(w.indicators[position]),
        )
    client.force_login(w.coordinator)
    overview = client.get(reverse("maturity:fill_overview", args=[w.stage.pk]))
    missing = overview.context["missing"]
    assert [(indicator.clause, gaps) for indicator, gaps in missing] == [
        (
            "5.3",
            [
                "data year",
                "numerator",
                "denominator",
                "data source",
                "self-assessed level",
            ],
        )
    ]
    assert 'data-clause="5.3"' in overview.content.decode()

    answer = client.post(reverse("maturity:fill_submit", args=[w.stage.pk]))
    assert answer.status_code == 400
    assert "Complete every indicator first. Missing: 5.3" in answer.content.decode()
    assert w.refresh().state == StageState.OPEN

    services_filling.save_data(
        w.response(2), actor=w.coordinator, fields=figures_for(w.indicators[2])
    )
    answer = client.post(reverse("maturity:fill_submit", args=[w.stage.pk]))
    assert answer.status_code == 302
    assert w.refresh().state == StageState.SUBMITTED
    page = client.get(reverse("maturity:fill_response", args=[w.response(0).pk]))
    assert page.context["editable"] is False


@pytest.fixture
def clarifying():
    """A submitted maturity stage of five indicators under clarification of
    the first two."""
    w = submitted_world(indicator_count=5)
    services.start_review(w.stage, actor=w.lead)
    services.open_clarification(
        w.stage,
        actor=w.second,
        indicators=w.indicators[:2],
        question="Mohon lampirkan sumber data resmi.",
        due_date=timezone.localdate() + timedelta(days=7),
    )
    w.refresh()
    return w


def test_during_a_clarification_only_the_named_indicators_are_editable(
    client, clarifying
):
    w = clarifying
    client.force_login(w.coordinator)
    named = client.get(reverse("maturity:fill_response", args=[w.response(0).pk]))
    other = client.get(reverse("maturity:fill_response", args=[w.response(2).pk]))
    assert named.context["editable"] is True
    assert other.context["editable"] is False
    assert "Only the indicators named" in other.content.decode()

    _autosave(client, w.response(0), {"source": "BPS Kota Surakarta"}, **HTMX)
    answer = _autosave(client, w.response(2), {"source": "Lain"}, **HTMX)
    assert "Only the indicators named" in answer.content.decode()
    assert _data(w.response(0)).source == "BPS Kota Surakarta"
    assert _data(w.response(2)).source == "Dinas Komunikasi dan Informatika"


def test_the_coordinator_answers_the_clarification(client, clarifying):
    w = clarifying
    client.force_login(w.coordinator)
    overview = client.get(reverse("maturity:fill_overview", args=[w.stage.pk]))
    content = overview.content.decode()
    assert 'data-testid="clarification"' in content
    assert "Send the answer" in content
    answer = client.post(
        reverse("maturity:fill_submit", args=[w.stage.pk]),
        {"answer": "Sumber data terlampir."},
    )
    assert answer.status_code == 302
    stage = w.refresh()
    assert stage.state == StageState.RESUBMITTED
    assert stage.clarifications.get().answer == "Sumber data terlampir."


# Query counts: constant in the number of indicators. The same exact count for
# 6 and for 40 indicators shows that no query runs per indicator.

OVERVIEW_QUERIES = 12
RESPONSE_QUERIES = 10


def _big_world(size):
    w = open_world(indicator_count=size)
    fill_all(w)
    services.assign_response(w.response(0), actor=w.coordinator, member=w.member_a)
    services.add_evidence(
        w.response(0), actor=w.coordinator, label="SK", url="https://e.test/sk"
    )
    w.refresh()
    return w


@pytest.mark.parametrize("size", [6, 40])
def test_overview_queries_do_not_grow_with_the_indicators(
    client, django_assert_num_queries, size
):
    w = _big_world(size)
    client.force_login(w.coordinator)
    url = reverse("maturity:fill_overview", args=[w.stage.pk])
    client.get(url)
    with django_assert_num_queries(OVERVIEW_QUERIES):
        page = client.get(url)
    assert len(page.context["rows"]) == size


@pytest.mark.parametrize("size", [6, 40])
def test_indicator_page_queries_do_not_grow_with_the_indicators(
    client, django_assert_num_queries, size
):
    w = _big_world(size)
    client.force_login(w.coordinator)
    url = reverse("maturity:fill_response", args=[w.response(0).pk])
    client.get(url)
    with django_assert_num_queries(RESPONSE_QUERIES):
        client.get(url)


def test_the_page_shows_the_previous_periods_value_and_the_jump(client, w):
    # Last period 30 ÷ 100 × 100 = 30 %; now 100 ÷ 100 × 100 = 100 %: 100/30 > 3.
    _previous_period(w, {0: {"data_year": 2025, "numerator": 30, "denominator": 100}})
    services_filling.save_data(
        w.response(0),
        actor=w.coordinator,
        fields={"numerator": 100, "denominator": 100},
    )
    client.force_login(w.coordinator)
    page = client.get(reverse("maturity:fill_response", args=[w.response(0).pk]))
    content = page.content.decode()
    assert "Previous period: 30 (data year 2025)" in content
    assert "The value changed from 30 last period to 100, more than 3 times." in content
