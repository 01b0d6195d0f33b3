"""Who reaches the spreadsheet pages, what they cost, and the pages' details."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kotacerdas.accounts.models import Role
from kotacerdas.assessments import services
from kotacerdas.maturity import excel
from kotacerdas.maturity.models import MaturityData
from tests.factories import UserFactory
from tests.maturity.factories import fill_all, open_world, submitted_world

pytestmark = pytest.mark.django_db

COL = excel.COLUMN_OF


@pytest.fixture
def w():
    """An open maturity stage of six indicators; the first is Yusuf's."""
    w = open_world()
    services.assign_response(w.response(0), actor=w.coordinator, member=w.member_a)
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


def _members_template(w):
    """Yusuf's template with a data source typed for his indicator."""
    content = excel.write_template(w.stage, w.member_a)
    book = load_workbook(io.BytesIO(content))
    book.worksheets[0].cell(excel.FIRST_ROW, COL["source"]).value = "BPS Kota"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# Permission matrix: the region's people reach the pages, nobody else does.

PAGE = {
    "coordinator": 200,
    "member": 200,
    "other member": 200,
    "outsider": 404,
    "assessor on the team": 404,
    "assessor not on the team": 404,
    "admin": 404,
    "anonymous": "login",
}
# Ayu may upload, but Yusuf's indicator is not hers: the preview refuses it.
UPLOAD = {**PAGE, "other member": 400}
# Without a preview in the session, the confirmation leads back to the page.
CONFIRM = {**PAGE, "coordinator": 302, "member": 302, "other member": 302}


@pytest.mark.parametrize(("who", "expected"), PAGE.items())
def test_who_sees_the_spreadsheet_page(client, w, who, expected):
    answer = _client(client, w, who).get(reverse("maturity:excel", args=[w.stage.pk]))
    _check(answer, expected)


@pytest.mark.parametrize(("who", "expected"), PAGE.items())
def test_who_downloads_the_template(client, w, who, expected):
    answer = _client(client, w, who).get(
        reverse("maturity:excel_download", args=[w.stage.pk])
    )
    _check(answer, expected)
    if expected == 200:
        assert answer["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize(("who", "expected"), UPLOAD.items())
def test_who_may_upload(client, w, who, expected):
    answer = _client(client, w, who).post(
        reverse("maturity:excel_upload", args=[w.stage.pk]),
        {"file": SimpleUploadedFile("isian.xlsx", _members_template(w))},
    )
    _check(answer, expected)
    assert (
        not MaturityData.objects.filter(response__stage=w.stage)
        .exclude(source="")
        .exists()
    )


@pytest.mark.parametrize(("who", "expected"), CONFIRM.items())
def test_who_may_confirm(client, w, who, expected):
    answer = _client(client, w, who).post(
        reverse("maturity:excel_confirm", args=[w.stage.pk]),
        {"token": "0" * 32, "sha256": "0" * 64},
    )
    _check(answer, expected)


def test_a_readiness_stage_has_no_spreadsheet_page(client, w):
    client.force_login(w.coordinator)
    answer = client.get(reverse("maturity:excel", args=[w.readiness.pk]))
    assert answer.status_code == 404


def test_the_member_confirms_their_own_import(client, w):
    client.force_login(w.member_a)
    preview = client.post(
        reverse("maturity:excel_upload", args=[w.stage.pk]),
        {"file": SimpleUploadedFile("isian.xlsx", _members_template(w))},
    )
    form = preview.context["preview"]["confirm"]
    done = client.post(
        reverse("maturity:excel_confirm", args=[w.stage.pk]),
        {"token": form.initial["token"], "sha256": form.initial["sha256"]},
        follow=True,
    )
    assert "The data of 1 indicator was imported." in done.content.decode()
    assert w.response(0).maturity_data.source == "BPS Kota"
    assert w.response(0).maturity_data.history.first().history_user == w.member_a


# The page.


def test_the_page_offers_the_download_and_the_upload(client, w):
    client.force_login(w.coordinator)
    answer = client.get(reverse("maturity:excel", args=[w.stage.pk]))
    body = answer.content.decode()
    assert reverse("maturity:excel_download", args=[w.stage.pk]) in body
    assert 'data-testid="upload-form"' in body
    assert "6 agreed indicators" in body
    assert "<script>" not in body and 'style="' not in body


def test_a_locked_stage_shows_why_instead_of_the_upload(client):
    w = submitted_world()
    client.force_login(w.coordinator)
    answer = client.get(reverse("maturity:excel", args=[w.stage.pk]))
    body = answer.content.decode()
    assert 'data-testid="refusal"' in body
    assert "the responses are locked" in body
    assert 'data-testid="upload-form"' not in body


# During a clarification only the named indicators reopen.


def test_during_a_clarification_only_named_indicators_are_imported(client):
    w = submitted_world()
    services.start_review(w.stage, actor=w.lead)
    services.open_clarification(
        w.stage,
        actor=w.lead,
        indicators=w.indicators[:1],
        question="Mohon perbaiki sumber data.",
        due_date=timezone.localdate() + timedelta(days=7),
    )
    w.refresh()
    book = load_workbook(io.BytesIO(excel.write_template(w.stage, w.coordinator)))
    sheet = book.worksheets[0]
    sheet.cell(excel.FIRST_ROW, COL["source"]).value = "BPS"
    buffer = io.BytesIO()
    book.save(buffer)

    # The unnamed rows are unchanged: the named row's change is accepted.
    read = excel.read_upload(w.stage, buffer.getvalue())
    result = excel.plan(w.stage, actor=w.coordinator, rows=read.rows)
    assert not result.errors
    assert [row.clause for row in result.changed] == [w.indicators[0].clause]

    # A change to an unnamed indicator refuses the whole file.
    sheet.cell(excel.FIRST_ROW + 1, COL["source"]).value = "BPS"
    buffer = io.BytesIO()
    book.save(buffer)
    read = excel.read_upload(w.stage, buffer.getvalue())
    with pytest.raises(excel.ImportRefusedError) as refused:
        excel.import_workbook(w.stage, actor=w.coordinator, rows=read.rows)
    assert refused.value.errors == [
        "Row 3: Only the indicators named in the clarification request can be "
        "changed now."
    ]
    assert w.response(0).maturity_data.source != "BPS"


# Reading numbers.


@pytest.mark.parametrize(
    ("cell", "text"),
    [
        ("1.234,5", "1234.5"),
        ("1234.5", "1234.5"),
        ("1.234.567", "1234567"),
        ("1,234,567", "1234567"),
        ("1,234.5", "1234.5"),
        ("0,5", "0.5"),
        ("-12", "-12"),
        ("\u00a012 500\u00a0", "12500"),
        (12.25, "12.25"),
        (7, "7"),
        (Decimal("3.5"), "3.5"),
        (True, "1"),
        ("", None),
        (None, None),
        ("empat", "empat"),
        ("12 persen", "12 persen"),
    ],
)
def test_number_text_reads_the_notations(cell, text):
    assert excel.number_text(cell) == text


@pytest.mark.parametrize(
    ("cell", "ambiguous"),
    [
        ("1.234", True),
        ("12.500", True),
        ("-999.000", True),
        ("0.125", False),
        ("1.23", False),
        ("1234.567", False),
        ("1.234,5", False),
        (1.234, False),
    ],
)
def test_a_single_thousands_like_dot_in_text_is_ambiguous(cell, ambiguous):
    assert excel.is_ambiguous(cell) is ambiguous


# Query counts: the dry run costs the same for 6 and for 40 indicators.


def _preview_queries(client, django_assert_num_queries, count):
    w = open_world(indicator_count=count)
    fill_all(w)
    book = load_workbook(io.BytesIO(excel.write_template(w.stage, w.coordinator)))
    sheet = book.worksheets[0]
    for row in range(excel.FIRST_ROW, sheet.max_row + 1):
        sheet.cell(row, COL["source"]).value = "Badan Pusat Statistik"
    buffer = io.BytesIO()
    book.save(buffer)
    client.force_login(w.coordinator)
    client.get(reverse("maturity:excel", args=[w.stage.pk]))  # warm the session
    url = reverse("maturity:excel_upload", args=[w.stage.pk])
    with django_assert_num_queries(PREVIEW_QUERIES):
        answer = client.post(
            url, {"file": SimpleUploadedFile("isian.xlsx", buffer.getvalue())}
        )
    assert answer.status_code == 200
    assert len(answer.context["preview"]["plan"].changed) == count


# Session, user, stage, roles; the stage's lock check (first response, its
# window); the responses with their data, the window again for the rows; the
# previous period's stage; the row count; the unread notifications; saving the
# session (savepoint, update, release).
PREVIEW_QUERIES = 14


def test_the_preview_of_six_indicators_takes_a_fixed_number_of_queries(
    client, django_assert_num_queries
):
    _preview_queries(client, django_assert_num_queries, 6)


def test_the_preview_of_forty_indicators_takes_the_same_number_of_queries(
    client, django_assert_num_queries
):
    _preview_queries(client, django_assert_num_queries, 40)


def _world_of(count):
    w = open_world(indicator_count=count)
    fill_all(w)
    return w


@pytest.mark.parametrize("count", [6, 40])
def test_the_page_takes_a_fixed_number_of_queries(
    client, django_assert_num_queries, count
):
    w = _world_of(count)
    client.force_login(w.coordinator)
    url = reverse("maturity:excel", args=[w.stage.pk])
    client.get(url)
    with django_assert_num_queries(PAGE_QUERIES):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("count", [6, 40])
def test_the_download_takes_a_fixed_number_of_queries(
    client, django_assert_num_queries, count
):
    w = _world_of(count)
    client.force_login(w.coordinator)
    url = reverse("maturity:excel_download", args=[w.stage.pk])
    client.get(url)
    with django_assert_num_queries(DOWNLOAD_QUERIES):
        answer = client.get(url)
    sheet = load_workbook(io.BytesIO(answer.content)).worksheets[0]
    assert sheet.max_row == count + 1


PAGE_QUERIES = 8
DOWNLOAD_QUERIES = 5
