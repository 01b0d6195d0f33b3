"""The spreadsheet round trip of a maturity stage (issue 5, item 3).

Every file is a real workbook: downloaded from the page, opened and filled
with openpyxl as a user's spreadsheet program would, and uploaded again.
"""

import io
import zipfile
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

from kotacerdas.assessments import services
from kotacerdas.assessments.models import Response, StageRecord
from kotacerdas.common.models import AuditEvent
from kotacerdas.indicators.models import ValueType
from kotacerdas.maturity import excel
from kotacerdas.maturity.models import MaturityData
from kotacerdas.maturity.services_filling import save_data
from kotacerdas.regions.models import Region
from kotacerdas.scheduling.models import DataEntryWindow, Stage
from tests.common.files import docx_bytes, pdf_bytes
from tests.maturity.factories import figures_for, open_world, submitted_world
from tests.scheduling.factories import RegistrationFactory

pytestmark = pytest.mark.django_db

COL = excel.COLUMN_OF


@pytest.fixture
def w():
    """An open maturity stage of six indicators, nothing filled."""
    return open_world()


def _by_type(w, *types):
    for response in w.stage.responses.select_related("indicator").order_by(
        "indicator__sort_key"
    ):
        if response.indicator.value_type in types:
            return response
    raise AssertionError(f"no indicator of type {types}")


def _download(client, w, user=None):
    client.force_login(user or w.coordinator)
    answer = client.get(reverse("maturity:excel_download", args=[w.stage.pk]))
    assert answer.status_code == 200
    assert answer["Content-Type"] == excel.CONTENT_TYPE
    return load_workbook(io.BytesIO(answer.content))


def _bytes(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _row_of(sheet, clause):
    for row in range(excel.FIRST_ROW, sheet.max_row + 1):
        if sheet.cell(row, COL["clause"]).value == clause:
            return row
    raise AssertionError(f"{clause} not in the sheet")


def _set(sheet, clause, **cells):
    row = _row_of(sheet, clause)
    for key, value in cells.items():
        # cell(row, column, None) would leave the cell as it is.
        sheet.cell(row, COL[key]).value = value
    return row


def _upload(client, w, content, name="isian.xlsx"):
    return client.post(
        reverse("maturity:excel_upload", args=[w.stage.pk]),
        {"file": SimpleUploadedFile(name, content)},
    )


def _confirm(client, w, answer):
    form = answer.context["preview"]["confirm"]
    return client.post(
        reverse("maturity:excel_confirm", args=[w.stage.pk]),
        {"token": form.initial["token"], "sha256": form.initial["sha256"]},
    )


def _stored(w):
    return {
        data.response.indicator.clause: data
        for data in MaturityData.objects.filter(response__stage=w.stage).select_related(
            "response__indicator"
        )
    }


def _imports(w):
    return AuditEvent.objects.filter(
        action="stage.data_imported", object_id=str(w.stage.pk)
    )


def _snapshot(w):
    """Every stored figure and the number of history rows: to show that a
    refused upload changed nothing at all."""
    data = {
        clause: tuple(getattr(row, name) for name in excel.FIELDS)
        for clause, row in _stored(w).items()
    }
    return data, MaturityData.history.count(), _imports(w).count()


def _fill_sheet(sheet, w):
    """Fill every row with the factory's figures, numbers as real cells."""
    clauses = {
        sheet.cell(row, COL["clause"]).value
        for row in range(excel.FIRST_ROW, sheet.max_row + 1)
    }
    for response in w.stage.responses.select_related("indicator"):
        if response.indicator.clause not in clauses:
            continue
        fields = figures_for(response.indicator, year=2025, level=4)
        _set(
            sheet,
            response.indicator.clause,
            **{
                key: float(value) if isinstance(value, Decimal) else value
                for key, value in fields.items()
            },
        )


# The template.


def test_the_template_has_a_row_per_agreed_indicator_with_headers(client, w):
    book = _download(client, w)
    sheet = book.worksheets[0]
    assert [sheet.cell(1, c).value for c in range(1, len(excel.COLUMNS) + 1)] == [
        str(header) for _key, header in excel.COLUMNS
    ]
    clauses = [
        sheet.cell(row, COL["clause"]).value
        for row in range(excel.FIRST_ROW, sheet.max_row + 1)
    ]
    assert clauses == [i.clause for i in w.indicators]
    first = w.indicators[0]
    assert sheet.cell(2, COL["title"]).value == first.title_en
    assert sheet.cell(2, COL["unit"]).value == first.unit_en
    assert book.sheetnames[1] == "Instructions"
    # 5.1 is a percentage: the sheet computes H ÷ I × 100 as a guide.
    assert sheet.cell(2, COL["computed_value"]).value == (
        '=IF(AND(ISNUMBER(H2),ISNUMBER(I2),I2<>0),H2/I2*100,"")'
    )
    assert book[excel.META_SHEET].sheet_state == "veryHidden"


def test_the_template_carries_validations_and_locks_the_description(client, w):
    sheet = _download(client, w).worksheets[0]
    kinds = {v.type: v for v in sheet.data_validations.dataValidation}
    assert kinds["whole"].formula1 == "2000"
    assert kinds["list"].formula1 == '"1,2,3,4,5"'
    assert "decimal" in kinds
    assert sheet.protection.sheet
    assert sheet.cell(2, COL["clause"]).protection.locked
    assert not sheet.cell(2, COL["data_year"]).protection.locked


def test_the_template_is_in_the_users_language(client, w):
    client.force_login(w.coordinator)
    with translation.override("id"):
        url = reverse("maturity:excel_download", args=[w.stage.pk])
    answer = client.get(url)
    book = load_workbook(io.BytesIO(answer.content))
    sheet = book.worksheets[0]
    assert sheet.cell(2, COL["title"]).value == w.indicators[0].title_id
    with translation.override("id"):
        assert sheet.cell(1, COL["numerator"]).value == str(excel.HEADERS["numerator"])
        assert book.sheetnames[1] == str(translation.gettext("Instructions"))[:31]


def test_the_template_is_prefilled_with_the_stored_data(client, w):
    response = _by_type(w, ValueType.PERCENTAGE)
    services_data = figures_for(response.indicator)
    save_data(response, actor=w.coordinator, fields=services_data)
    sheet = _download(client, w).worksheets[0]
    row = _row_of(sheet, response.indicator.clause)
    assert sheet.cell(row, COL["numerator"]).value == 40
    assert sheet.cell(row, COL["denominator"]).value == 100
    assert sheet.cell(row, COL["data_year"]).value == 2026
    assert sheet.cell(row, COL["source"]).value == "Dinas Komunikasi dan Informatika"
    assert sheet.cell(row, COL["self_level"]).value == 3


def test_a_member_downloads_only_the_indicators_assigned_to_them(client, w):
    services.assign_response(w.response(1), actor=w.coordinator, member=w.member_a)
    services.assign_response(w.response(3), actor=w.coordinator, member=w.member_a)
    sheet = _download(client, w, w.member_a).worksheets[0]
    clauses = [
        sheet.cell(row, COL["clause"]).value
        for row in range(excel.FIRST_ROW, sheet.max_row + 1)
    ]
    assert clauses == [w.indicators[1].clause, w.indicators[3].clause]


# The round trip.


def test_a_filled_template_round_trips_into_the_stage(client, w):
    book = _download(client, w)
    _fill_sheet(book.worksheets[0], w)
    answer = _upload(client, w, _bytes(book))
    assert answer.status_code == 200
    result = answer.context["preview"]["plan"]
    assert not result.errors
    assert len(result.changed) == 6
    assert (
        MaturityData.objects.filter(response__stage=w.stage)
        .exclude(data_year=None)
        .count()
        == 0
    )  # the preview saved nothing

    percentage = _by_type(w, ValueType.PERCENTAGE).indicator.clause
    body = answer.content.decode()
    assert "Numerator" in body and "40" in body
    row = next(r for r in result.rows if r.clause == percentage)
    assert {c.field: (c.old, c.new) for c in row.changes}["numerator"] == ("—", "40")
    assert row.formula == "40 ÷ 100 × 100 = 40"

    done = _confirm(client, w, answer)
    assert done.status_code == 302
    stored = _stored(w)
    assert stored[percentage].numerator == Decimal("40")
    assert stored[percentage].denominator == Decimal("100")
    assert stored[percentage].value == Decimal("40.0000")
    assert stored[percentage].data_year == 2025
    assert stored[percentage].self_level == 4
    assert all(data.source for data in stored.values())
    event = _imports(w).get()
    assert event.data["count"] == 6
    assert event.data["clauses"] == [i.clause for i in w.indicators]


def test_a_rate_is_computed_with_its_scale(client, w):
    response = _by_type(w, ValueType.RATE)
    book = _download(client, w)
    _set(
        book.worksheets[0],
        response.indicator.clause,
        numerator=60,
        denominator=500000,
        data_year=2025,
    )
    answer = _upload(client, w, _bytes(book))
    row = next(r for r in answer.context["preview"]["plan"].rows if r.changes)
    # 60 / 500 000 × 100 000 = 12
    assert row.value == Decimal("12.0000")
    _confirm(client, w, answer)
    data = _stored(w)[response.indicator.clause]
    assert data.value == Decimal("12.0000")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1.234,5", Decimal("1234.5")),
        ("1234.5", Decimal("1234.5")),
        ("1.234.567", Decimal("1234567")),
        ("1,234.5", Decimal("1234.5")),
        ("12,75", Decimal("12.75")),
        (" 2 500 ", Decimal("2500")),
        (1234.5, Decimal("1234.5")),
        (77, Decimal("77")),
    ],
)
def test_numbers_are_read_in_indonesian_and_plain_notation(client, w, typed, expected):
    response = _by_type(w, ValueType.PERCENTAGE)
    book = _download(client, w)
    _set(book.worksheets[0], response.indicator.clause, numerator=typed)
    answer = _upload(client, w, _bytes(book))
    assert answer.status_code == 200
    _confirm(client, w, answer)
    assert _stored(w)[response.indicator.clause].numerator == expected


def test_a_number_typed_as_1_234_is_asked_about_not_guessed(client, w):
    response = _by_type(w, ValueType.PERCENTAGE)
    book = _download(client, w)
    row = _set(book.worksheets[0], response.indicator.clause, numerator="1.234")
    _refused(
        client,
        w,
        _bytes(book),
        f"Row {row}, column Numerator: “1.234” can be read as a whole number "
        "with a thousands dot or as a decimal number.",
    )
    # The same figure in a numeric cell is a number, and is taken as it is.
    _set(book.worksheets[0], response.indicator.clause, numerator=1.234)
    answer = _upload(client, w, _bytes(book))
    _confirm(client, w, answer)
    assert _stored(w)[response.indicator.clause].numerator == Decimal("1.234")


def test_an_emptied_cell_empties_the_field_as_the_preview_says(client, w):
    response = _by_type(w, ValueType.PERCENTAGE)
    save_data(response, actor=w.coordinator, fields=figures_for(response.indicator))
    book = _download(client, w)
    _set(book.worksheets[0], response.indicator.clause, source=None)
    answer = _upload(client, w, _bytes(book))
    (row,) = answer.context["preview"]["plan"].changed
    assert [(c.field, c.old, c.new) for c in row.changes] == [
        ("source", "Dinas Komunikasi dan Informatika", "—")
    ]
    _confirm(client, w, answer)
    assert _stored(w)[response.indicator.clause].source == ""


def test_a_plausibility_warning_shows_but_does_not_block(client, w):
    response = _by_type(w, ValueType.PERCENTAGE)
    book = _download(client, w)
    _set(book.worksheets[0], response.indicator.clause, numerator=150, denominator=100)
    answer = _upload(client, w, _bytes(book))
    (row,) = answer.context["preview"]["plan"].changed
    assert row.warnings == [
        "A percentage should lie between 0 and 100; this one is 150."
    ]
    assert "A percentage should lie between 0 and 100" in answer.content.decode()
    assert _confirm(client, w, answer).status_code == 302
    assert _stored(w)[response.indicator.clause].numerator == Decimal(150)


# Uploading the same file twice.


def test_the_same_file_uploaded_again_changes_nothing(client, w):
    book = _download(client, w)
    _fill_sheet(book.worksheets[0], w)
    content = _bytes(book)
    _confirm(client, w, _upload(client, w, content))
    before = _snapshot(w)

    again = _upload(client, w, content)
    assert again.status_code == 200
    result = again.context["preview"]["plan"]
    assert not result.changed and not result.errors
    assert len(result.unchanged) == 6
    assert again.context["preview"]["confirm"] is None
    assert "No changes: the file holds the data that is stored already." in (
        again.content.decode()
    )
    # Even imported directly, the same rows save nothing and record nothing.
    read = excel.read_upload(w.stage, content)
    applied = excel.import_workbook(w.stage, actor=w.coordinator, rows=read.rows)
    assert applied.changed == []
    assert _snapshot(w) == before
    assert _imports(w).count() == 1


def test_a_freshly_downloaded_template_shows_no_changes(client, w):
    for response in w.stage.responses.select_related("indicator"):
        save_data(response, actor=w.coordinator, fields=figures_for(response.indicator))
    book = _download(client, w)
    answer = _upload(client, w, _bytes(book))
    assert answer.context["preview"]["plan"].changed == []


# Refused files: the right message and nothing imported.


def _refused(client, w, content, message, name="isian.xlsx", user=None):
    if user is not None or "_auth_user_id" not in client.session:
        client.force_login(user or w.coordinator)
    before = _snapshot(w)
    answer = _upload(client, w, content, name=name)
    assert answer.status_code == 400
    assert message in answer.content.decode()
    assert (
        answer.context["preview"] is None
        or answer.context["preview"]["confirm"] is None
    )
    assert _snapshot(w) == before
    return answer


def test_a_pdf_renamed_xlsx_is_refused(client, w):
    _refused(client, w, pdf_bytes(), "“isian.xlsx” is not an Excel workbook")


def test_a_text_file_renamed_xlsx_is_refused(client, w):
    _refused(client, w, b"clause;value\n5.1;12\n", "is not an Excel workbook")


def test_a_word_document_renamed_xlsx_is_refused(client, w):
    _refused(client, w, docx_bytes(), "is not an Excel workbook")


def test_a_csv_file_is_refused_by_its_name(client, w):
    _refused(
        client,
        w,
        b"a,b\n",
        "Files ending in “.csv” are not accepted",
        name="isian.csv",
    )


def test_a_damaged_workbook_is_refused(client, w):
    content = _bytes(_download(client, w))
    # Keep the zip's parts but cut the file: the archive cannot be read.
    _refused(client, w, content[: len(content) // 2], "is not an Excel workbook")


def test_a_workbook_openpyxl_cannot_read_is_refused(client, w):
    # The parts that make it look like a workbook, with nothing valid inside.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types")
        archive.writestr("xl/workbook.xml", "not xml at all")
    _refused(client, w, buffer.getvalue(), "The workbook cannot be read")


def test_a_sheet_of_too_many_rows_is_refused(client, w):
    book = _download(client, w)
    book.worksheets[0].cell(excel.MAX_ROWS + 5, COL["source"]).value = "x"
    _refused(client, w, _bytes(book), "The sheet has more than 1000 rows")


def test_a_spreadsheet_that_is_not_the_template_is_refused(client, w):
    book = Workbook()
    book.active["A1"] = "Klausul"
    book.active["A2"] = w.indicators[0].clause
    _refused(client, w, _bytes(book), "This workbook is not a template of this stage")


def test_a_template_with_a_forged_mark_is_refused(client, w):
    book = _download(client, w)
    # A mark like the site's, for this very stage, signed with another key.
    mark = signing.Signer(key="not-the-site-key", salt=excel._SALT).sign_object(
        signing.Signer(salt=excel._SALT).unsign_object(
            book[excel.META_SHEET]["A1"].value
        )
    )
    book[excel.META_SHEET]["A1"] = mark
    _refused(client, w, _bytes(book), "This workbook is not a template of this stage")


def _foreign_template(w, registration):
    """The template the site writes for another registration's maturity stage."""
    stage = StageRecord.objects.create(
        registration=registration,
        stage=Stage.MATURITY,
        methodology=registration.methodology,
    )
    return excel.write_template(stage, registration.coordinator)


def test_another_regions_template_is_refused(client, w):
    other = RegistrationFactory(region=Region.objects.get(code="32.01"))
    answer = _refused(
        client,
        w,
        _foreign_template(w, other),
        f"This template belongs to {other.region}, period {other.period}, not to "
        "this stage.",
    )
    assert answer.context["preview"] is None


def test_another_periods_template_is_refused(client, w):
    other = RegistrationFactory(period=w.registration.period - 1)
    _refused(
        client,
        w,
        _foreign_template(w, other),
        f"This template belongs to {w.registration.region}, period "
        f"{w.registration.period - 1}, not to this stage.",
    )


def test_moved_columns_are_refused(client, w):
    book = _download(client, w)
    sheet = book.worksheets[0]
    sheet.insert_cols(3)
    _refused(client, w, _bytes(book), "The columns of the sheet were moved or renamed")


def test_an_unknown_indicator_refuses_the_whole_file(client, w):
    book = _download(client, w)
    sheet = book.worksheets[0]
    _fill_sheet(sheet, w)
    sheet.cell(sheet.max_row + 1, COL["clause"], "99.9")
    sheet.cell(sheet.max_row, COL["source"], "BPS")
    answer = _refused(
        client,
        w,
        _bytes(book),
        "Row 8: indicator 99.9 is not one of this stage&#x27;s agreed indicators.",
    )
    assert len(answer.context["preview"]["plan"].errors) == 1


def test_text_in_a_number_cell_names_row_and_column(client, w):
    response = _by_type(w, ValueType.PERCENTAGE)
    book = _download(client, w)
    _fill_sheet(book.worksheets[0], w)
    row = _set(book.worksheets[0], response.indicator.clause, numerator="empat puluh")
    _refused(client, w, _bytes(book), f"Row {row}, column Numerator: Enter a number.")


def test_a_bad_year_and_level_are_refused_per_cell(client, w):
    response = _by_type(w, ValueType.PERCENTAGE)
    book = _download(client, w)
    row = _set(
        book.worksheets[0], response.indicator.clause, data_year=1990, self_level=7
    )
    answer = _refused(
        client,
        w,
        _bytes(book),
        f"Row {row}, column Data year: The data year must lie between 2000 and",
    )
    assert (
        f"Row {row}, column Self-assessed level (1–5): Choose a level from 1 to 5."
        in answer.context["preview"]["plan"].errors
    )


def test_a_direct_value_for_a_computed_indicator_is_refused(client, w):
    response = _by_type(w, ValueType.PERCENTAGE)
    book = _download(client, w)
    row = _set(book.worksheets[0], response.indicator.clause, direct_value=55)
    _refused(
        client,
        w,
        _bytes(book),
        f"Row {row}, column Value (direct): This indicator&#x27;s value is computed",
    )


def test_a_member_cannot_import_an_indicator_not_assigned_to_them(client, w):
    services.assign_response(w.response(0), actor=w.coordinator, member=w.member_a)
    book = _download(client, w)  # the coordinator's template: every indicator
    _fill_sheet(book.worksheets[0], w)
    client.force_login(w.member_a)
    answer = _refused(
        client,
        w,
        _bytes(book),
        f"Row 3: indicator {w.indicators[1].clause} is not assigned to you",
    )
    assert len(answer.context["preview"]["plan"].errors) == 5


def test_a_member_imports_their_own_indicators(client, w):
    services.assign_response(w.response(0), actor=w.coordinator, member=w.member_a)
    book = _download(client, w, w.member_a)
    _fill_sheet(book.worksheets[0], w)
    answer = _upload(client, w, _bytes(book))
    assert answer.status_code == 200
    _confirm(client, w, answer)
    assert _stored(w)[w.indicators[0].clause].source
    assert not _stored(w)[w.indicators[1].clause].source


def test_a_submitted_stage_refuses_the_upload(client):
    w = submitted_world()
    book = _download(client, w)
    _set(book.worksheets[0], w.indicators[0].clause, source="Lain")
    _refused(client, w, _bytes(book), "the responses are locked")


def test_a_closed_window_refuses_the_upload(client, w):
    book = _download(client, w)
    _fill_sheet(book.worksheets[0], w)
    window = DataEntryWindow.objects.get(
        registration=w.registration, stage=Stage.MATURITY
    )
    window.opens_at = timezone.now() - timedelta(days=30)
    window.closes_at = timezone.now() - timedelta(minutes=1)
    window.save()
    _refused(client, w, _bytes(book), "The data-entry window is closed")


def test_the_import_refuses_when_the_data_changed_after_the_preview(client, w):
    response = _by_type(w, ValueType.PERCENTAGE)
    book = _download(client, w)
    _fill_sheet(book.worksheets[0], w)
    answer = _upload(client, w, _bytes(book))
    save_data(response, actor=w.coordinator, fields={"source": "X"})
    before = _snapshot(w)
    done = _confirm(client, w, answer)
    assert done.status_code == 302
    follow = client.get(done["Location"])
    assert (
        "The stored data changed since you saw the preview" in follow.content.decode()
    )
    assert _snapshot(w) == before


def test_a_confirmation_of_an_older_preview_is_refused(client, w):
    book = _download(client, w)
    _fill_sheet(book.worksheets[0], w)
    first = _upload(client, w, _bytes(book))
    _set(book.worksheets[0], w.indicators[0].clause, source="Bappeda")
    _upload(client, w, _bytes(book))
    before = _snapshot(w)
    done = _confirm(client, w, first)
    follow = client.get(done["Location"])
    assert "The preview is no longer available" in follow.content.decode()
    assert _snapshot(w) == before


def test_import_workbook_is_all_or_nothing(w):
    rows = [
        {
            "row": 2,
            "clause": w.indicators[0].clause,
            "fields": {"source": "BPS", "data_year": 2025},
        },
        {"row": 3, "clause": w.indicators[1].clause, "fields": {"data_year": "abc"}},
    ]
    before = _snapshot(w)
    with pytest.raises(excel.ImportRefusedError) as refused:
        excel.import_workbook(w.stage, actor=w.coordinator, rows=rows)
    assert refused.value.errors == [
        "Row 3, column Data year: Enter a year such as 2025."
    ]
    assert _snapshot(w) == before


def test_direct_values_and_ratios_round_trip_by_their_value_type(client):
    """26 indicators reach a ratio (7.5) and a duration (10.3): the duration
    takes its value directly, the ratio is numerator ÷ denominator × 1."""
    w = open_world(indicator_count=26)
    ratio = _by_type(w, ValueType.RATIO).indicator
    duration = _by_type(w, ValueType.DURATION).indicator
    book = _download(client, w)
    sheet = book.worksheets[0]
    row = _row_of(sheet, duration.clause)
    # The cells that do not apply to a direct value are grey and locked.
    assert sheet.cell(row, COL["numerator"]).protection.locked
    assert not sheet.cell(row, COL["direct_value"]).protection.locked
    assert sheet.cell(row, COL["numerator_label"]).value is None
    _set(sheet, duration.clause, direct_value="2,5", data_year=2025)
    _set(sheet, ratio.clause, numerator=3, denominator=4)
    answer = _upload(client, w, _bytes(book))
    assert answer.status_code == 200
    rows = {r.clause: r for r in answer.context["preview"]["plan"].changed}
    assert rows[duration.clause].formula == "value as given: 2.5"
    assert rows[ratio.clause].value == Decimal("0.7500")
    _confirm(client, w, answer)
    stored = _stored(w)
    assert stored[duration.clause].direct_value == Decimal("2.5")
    assert stored[duration.clause].value == Decimal("2.5000")
    assert stored[ratio.clause].value == Decimal("0.7500")

    # A numerator for the duration is refused with the filling page's words.
    _set(sheet, duration.clause, numerator=5)
    refused = _upload(client, w, _bytes(book))
    assert refused.status_code == 400
    assert refused.context["preview"]["plan"].errors == [
        f"Row {row}, column Numerator: This indicator has no denominator: give "
        "its value directly."
    ]


def test_an_indonesian_template_is_read_back(client, w):
    """The template keeps the language it was written in: its Indonesian
    headers are recognised on upload, whatever the uploader's language."""
    client.force_login(w.coordinator)
    with translation.override("id"):
        content = client.get(
            reverse("maturity:excel_download", args=[w.stage.pk])
        ).content
    book = load_workbook(io.BytesIO(content))
    _set(book.worksheets[0], w.indicators[0].clause, source="BPS")
    answer = _upload(client, w, _bytes(book))  # on the English page
    assert answer.status_code == 200
    assert [r.clause for r in answer.context["preview"]["plan"].changed] == [
        w.indicators[0].clause
    ]


def test_a_jump_from_the_previous_period_warns_in_the_preview(
    client, w, django_assert_max_num_queries
):
    """Last period the region reported 10 %; 40 % is more than the
    methodology's factor of 3: a warning, not a refusal."""
    response = _by_type(w, ValueType.PERCENTAGE)
    earlier = StageRecord.objects.create(
        registration=RegistrationFactory(period=w.registration.period - 1),
        stage=Stage.MATURITY,
        methodology=w.registration.methodology,
    )
    for indicator in w.indicators:
        MaturityData.objects.create(
            response=Response.objects.create(stage=earlier, indicator=indicator),
            numerator=Decimal(10),
            denominator=Decimal(100),
        )
    book = _download(client, w)
    _set(book.worksheets[0], response.indicator.clause, numerator=40, denominator=100)
    with django_assert_max_num_queries(15):
        answer = _upload(client, w, _bytes(book))
    (row,) = answer.context["preview"]["plan"].changed
    assert row.warnings == [
        "The value changed from 10 last period to 40, more than 3 times."
    ]
    assert answer.context["preview"]["confirm"] is not None
