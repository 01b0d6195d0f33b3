"""The spreadsheet round trip of a maturity stage (issue 5, item 3).

The region downloads an ``.xlsx`` template of its agreed indicators (only the
ones assigned to them, for a team member), fills it offline, uploads it, sees a
dry run of what would change row by row, and confirms. The template carries a
signed mark (stage, region, period, language) in a hidden sheet, so a file of
another region or stage is recognised before anything is read.

Every cell goes through ``services_filling.clean_fields``, the same check as
the filling page, and the import is all or nothing: one refused row and no row
is saved. ``plan`` computes the dry run; ``import_workbook`` locks the stage,
computes it again and saves it only when it is still what the user saw.
"""

import hashlib
import io
import json
import logging
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from kotacerdas.assessments.models import StageState
from kotacerdas.assessments.services import edit_refusal, open_clarification_of
from kotacerdas.common.audit import record, register_actions
from kotacerdas.common.i18n import pick
from kotacerdas.common.uploads import sniff_kind
from kotacerdas.common.workflow import WorkflowError, lock
from kotacerdas.indicators.models import ValueType
from kotacerdas.maturity import services_filling
from kotacerdas.maturity.models import MaturityData
from kotacerdas.maturity.services_filling import FIELDS, NUMBER_FIELDS, clean_fields
from kotacerdas.maturity.values import (
    compute_value,
    needs_denominator,
    plain,
    warnings,
)

logger = logging.getLogger(__name__)

register_actions(
    {"stage.data_imported": gettext_lazy("imported data from a spreadsheet")}
)

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SALT = "kotacerdas.maturity.excel"
# Bumped when the columns change, so that an old template is refused clearly.
LAYOUT = 1
META_SHEET = "kotacerdas"
HEADER_ROW = 1
FIRST_ROW = 2
# A stage has at most the catalogue's indicators; a sheet far longer than that
# is not a filled template, and reading it would only cost time.
MAX_ROWS = 1000
GREY = PatternFill("solid", fgColor="D9D9D9")
HEAD = PatternFill("solid", fgColor="1F4E79")

# (key, header) of every column, in order. The first six describe the
# indicator and are read-only; the others are MaturityData fields.
READ_ONLY = [
    ("clause", gettext_lazy("Clause")),
    ("title", gettext_lazy("Indicator")),
    ("unit", gettext_lazy("Unit")),
    ("value_type", gettext_lazy("Value type")),
    ("numerator_label", gettext_lazy("Numerator is")),
    ("denominator_label", gettext_lazy("Denominator is")),
]
FILLABLE = [
    ("data_year", gettext_lazy("Data year")),
    ("numerator", gettext_lazy("Numerator")),
    ("denominator", gettext_lazy("Denominator")),
    ("direct_value", gettext_lazy("Value (direct)")),
    ("source", gettext_lazy("Data source")),
    ("method", gettext_lazy("Method notes")),
    ("solution", gettext_lazy("Smart solution")),
    ("self_level", gettext_lazy("Self-assessed level (1–5)")),
    ("justification", gettext_lazy("Justification of the level")),
]
# The spreadsheet's own computation of the value, to guide whoever fills it
# offline; the upload ignores it and the application computes the value again.
COMPUTED = [("computed_value", gettext_lazy("Value (computed)"))]
COLUMNS = READ_ONLY + FILLABLE + COMPUTED
assert {key for key, _label in FILLABLE} == set(FIELDS)
WIDTHS = {"clause": 9, "title": 45, "unit": 16, "source": 30, "method": 30}
TEXT_WIDTH = 30
COLUMN_OF = {key: index + 1 for index, (key, _label) in enumerate(COLUMNS)}
HEADERS = dict(COLUMNS)


class WorkbookError(WorkflowError):
    """The file as a whole cannot be read or is not this stage's template."""


class ImportRefusedError(WorkflowError):
    """Rows with errors: nothing was imported. ``errors`` lists the sentences."""

    def __init__(self, errors):
        super().__init__(
            _("Nothing was imported: %(count)s problems in the file.")
            % {"count": len(errors)}
        )
        self.errors = errors


# Which indicators a user exchanges.


def responses_for(stage, user):
    """The stage's responses the user's template holds, in clause order."""
    responses = stage.responses.select_related("indicator", "maturity_data").order_by(
        "indicator__sort_key"
    )
    if not user.has_perm("assessments.submit_stage", stage):
        responses = responses.filter(assigned_to=user)
    return responses


def _mark(stage):
    registration = stage.registration
    return {
        "stage": stage.pk,
        "region": registration.region.code,
        "region_name": str(registration.region),
        "period": registration.period,
        "layout": LAYOUT,
        "lang": (translation.get_language() or "id")[:2],
    }


def template_name(stage):
    registration = stage.registration
    code = registration.region.code.replace(".", "")
    return f"kematangan-{code}-{registration.period}.xlsx"


# The template.


def _cell_value(data, key):
    value = getattr(data, key, None) if data is not None else None
    if isinstance(value, Decimal):
        # A whole figure is written as a whole number, so that the sheet shows
        # 1250, not 1250.0000; the decimals stay as typed.
        return int(value) if value == value.to_integral() else value.normalize()
    return value


def _indicator_cells(indicator):
    with_denominator = needs_denominator(indicator)
    return {
        "clause": indicator.clause,
        "title": indicator.title,
        "unit": indicator.unit,
        "value_type": indicator.get_value_type_display(),
        "numerator_label": indicator.numerator if with_denominator else "",
        "denominator_label": indicator.denominator if with_denominator else "",
    }


def _not_applicable(indicator):
    if needs_denominator(indicator):
        return {"direct_value"}
    return {"numerator", "denominator"}


def _validations(sheet, last_row):
    this_year = timezone.localdate().year

    def rule(key, validation):
        letter = get_column_letter(COLUMN_OF[key])
        validation.add(f"{letter}{FIRST_ROW}:{letter}{max(last_row, FIRST_ROW)}")
        sheet.add_data_validation(validation)

    common = {"allow_blank": True, "showErrorMessage": True, "errorTitle": _("Check")}
    rule(
        "data_year",
        DataValidation(
            type="whole",
            operator="between",
            formula1="2000",
            formula2=str(this_year),
            error=_("The data year must lie between 2000 and %(year)s.")
            % {"year": this_year},
            **common,
        ),
    )
    for key in NUMBER_FIELDS:
        rule(
            key,
            DataValidation(
                type="decimal",
                operator="between",
                formula1="-9999999999999999",
                formula2="9999999999999999",
                error=_("Enter a number."),
                **common,
            ),
        )
    rule(
        "self_level",
        DataValidation(
            type="list",
            formula1='"1,2,3,4,5"',
            error=_("Choose a level from 1 to 5."),
            **common,
        ),
    )
    rule(
        "source",
        DataValidation(
            type="textLength",
            operator="lessThanOrEqual",
            formula1="300",
            error=_("Keep the data source under 300 characters."),
            **common,
        ),
    )


def _yes_no(sheet, responses):
    """A yes/no indicator's value is 1 (yes) or 0 (no): offer just those."""
    rows = [
        row
        for row, response in enumerate(responses, start=FIRST_ROW)
        if response.indicator.value_type == ValueType.BOOLEAN
    ]
    if not rows:
        return
    validation = DataValidation(
        type="list",
        formula1='"0,1"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Check"),
        error=_("Enter 1 for yes or 0 for no."),
    )
    letter = get_column_letter(COLUMN_OF["direct_value"])
    for row in rows:
        validation.add(f"{letter}{row}")
    sheet.add_data_validation(validation)


def _formula(indicator, row):
    def at(key):
        return f"{get_column_letter(COLUMN_OF[key])}{row}"

    if not needs_denominator(indicator):
        return f'=IF(ISNUMBER({at("direct_value")}),{at("direct_value")},"")'
    numerator, denominator = at("numerator"), at("denominator")
    return (
        f"=IF(AND(ISNUMBER({numerator}),ISNUMBER({denominator}),"
        f'{denominator}<>0),{numerator}/{denominator}*{indicator.scale or 1},"")'
    )


def _data_sheet(sheet, responses):
    sheet.title = _("Data")[:31]
    for key, header in COLUMNS:
        cell = sheet.cell(HEADER_ROW, COLUMN_OF[key], str(header))
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEAD
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        width = WIDTHS.get(key, TEXT_WIDTH if key in FIELDS else 16)
        sheet.column_dimensions[get_column_letter(COLUMN_OF[key])].width = width

    row = FIRST_ROW
    for row, response in enumerate(responses, start=FIRST_ROW):
        indicator = response.indicator
        data = getattr(response, "maturity_data", None)
        for key, value in _indicator_cells(indicator).items():
            cell = sheet.cell(row, COLUMN_OF[key], value)
            cell.fill = GREY
            cell.alignment = Alignment(wrap_text=key == "title", vertical="top")
        blocked = _not_applicable(indicator)
        for key, _header in FILLABLE:
            cell = sheet.cell(row, COLUMN_OF[key], _cell_value(data, key))
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if key in blocked:
                cell.fill = GREY
            else:
                cell.protection = Protection(locked=False)
        cell = sheet.cell(row, COLUMN_OF["computed_value"], _formula(indicator, row))
        cell.fill = GREY
    last_row = row if responses else FIRST_ROW

    _validations(sheet, last_row)
    _yes_no(sheet, responses)
    sheet.freeze_panes = sheet.cell(FIRST_ROW, COLUMN_OF["unit"])
    # The descriptive columns and the order of the columns are locked, so that
    # the rows can be matched on upload; no password: this is a guide, the
    # upload checks every cell anyway.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.protection.formatCells = False


def _instructions_sheet(sheet, stage, levels):
    registration = stage.registration
    lines = [
        _("Maturity stage data: %(region)s, period %(period)s")
        % {"region": registration.region, "period": registration.period},
        "",
        _("How to fill in this workbook"),
        _(
            "1. Fill in one row per indicator on the sheet “%(sheet)s”. The grey "
            "columns describe the indicator and cannot be changed."
        )
        % {"sheet": _("Data")[:31]},
        _(
            "2. For an indicator with a denominator, give numerator and "
            "denominator: the value is computed by the application with the "
            "indicator's scale. For the others, give the value directly."
        ),
        _(
            "3. Numbers may be typed as 1234.5 or in the Indonesian way as "
            "1.234,5. Text such as 1.234, which reads two ways, is refused: "
            "write 1234 or 1,234. The data year lies between 2000 and this year."
        ),
        _("4. The self-assessed level is a number from 1 to 5 (see below)."),
        _("   For a yes/no indicator, the value is 1 for yes and 0 for no."),
        _(
            "5. An empty cell empties the field. The workbook was filled with "
            "the data stored when it was downloaded."
        ),
        _(
            "6. Upload the workbook on the stage's spreadsheet page: you first "
            "see what would change, row by row, and nothing is saved until you "
            "confirm. A row with an error stops the whole import."
        ),
        _("7. Evidence files and links are added on the indicator's page."),
        "",
        _("Maturity levels"),
    ]
    lines += [
        f"{level['level']}. {pick(level['name'])}: {pick(level.get('meaning', {}))}"
        for level in levels
    ]
    for row, text in enumerate(lines, start=1):
        sheet.cell(row, 1, text)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A3"].font = Font(bold=True)
    sheet.cell(len(lines) - len(levels), 1).font = Font(bold=True)
    sheet.column_dimensions["A"].width = 120


def write_template(stage, user):
    """The ``.xlsx`` template of the user's indicators as bytes.

    Headers, instructions and indicator titles are in the active language.
    """
    responses = list(responses_for(stage, user))
    workbook = Workbook()
    _data_sheet(workbook.active, responses)
    _instructions_sheet(
        workbook.create_sheet(_("Instructions")[:31]),
        stage,
        stage.methodology.document["maturity"]["levels"],
    )

    meta = workbook.create_sheet(META_SHEET)
    meta["A1"] = signing.Signer(salt=_SALT).sign_object(_mark(stage))
    meta.sheet_state = "veryHidden"
    workbook.properties.title = _(
        "Maturity stage data: %(region)s, period %(period)s"
    ) % {
        "region": stage.registration.region,
        "period": stage.registration.period,
    }
    workbook.properties.creator = "PPTI"

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# Reading an upload.


@dataclass
class Upload:
    """What was read from an uploaded workbook, before any comparison."""

    sha256: str
    name: str
    rows: list  # [{"row": n, "clause": str, "fields": {name: str|int|None}}]


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
_SPACES = re.compile(r"[\s\u00a0\u202f']")


def number_text(value):
    """A number cell as text with a point as decimal separator.

    Real numeric cells are taken as they are; text may be plain (1234.5), in
    the Indonesian way (1.234,5 or 1.234.567) or the English one (1,234.5).
    A single dot is a decimal point, a single comma a decimal comma. Text that
    is no number is passed on unchanged, for clean_fields to refuse.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    text = str(value).strip()
    if not text:
        return None
    compact = _SPACES.sub("", text)
    comma, dot = compact.rfind(","), compact.rfind(".")
    if comma >= 0 and dot >= 0:
        if comma > dot:
            compact = compact.replace(".", "").replace(",", ".")
        else:
            compact = compact.replace(",", "")
    elif comma >= 0:
        compact = (
            compact.replace(",", "")
            if compact.count(",") > 1
            else compact.replace(",", ".")
        )
    elif compact.count(".") > 1:
        compact = compact.replace(".", "")
    return compact if _PLAIN_NUMBER.match(compact) else text


# Typed as text, "1.234" is 1234 to an Indonesian reader and 1.234 to an
# English one; the reader asks instead of guessing. A numeric cell is never
# ambiguous, nor is "0.125" (no thousands group starts with a zero).
_AMBIGUOUS = re.compile(r"^[+-]?[1-9]\d{0,2}\.\d{3}$")


def is_ambiguous(value):
    return isinstance(value, str) and bool(_AMBIGUOUS.match(_SPACES.sub("", value)))


def _whole_text(value):
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return str(value).strip() or None


def _cell_fields(cells):
    """``(fields, ambiguous)``: the row's fields as clean_fields takes them,
    and the number fields whose text could be read two ways."""
    fields, ambiguous = {}, []
    for key in FIELDS:
        value = cells.get(key)
        if key in NUMBER_FIELDS:
            fields[key] = number_text(value)
            if is_ambiguous(value):
                ambiguous.append(key)
        elif key in ("data_year", "self_level"):
            fields[key] = _whole_text(value)
        else:
            fields[key] = _text(value).strip()
    return fields, ambiguous


def _open(content):
    if sniff_kind(io.BytesIO(content)) != "xlsx":
        raise WorkbookError(
            _(
                "This file is not an Excel workbook (.xlsx). Download the "
                "template from this page, fill it in and upload it."
            )
        )
    try:
        return load_workbook(io.BytesIO(content), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError) as error:
        logger.info("unreadable workbook: %s", error)
    except Exception:
        # openpyxl raises many kinds of errors on a damaged file; the user
        # needs one answer, the log keeps the detail.
        logger.exception("workbook could not be read")
    raise WorkbookError(
        _(
            "The workbook cannot be read; it may be damaged. Save it again as "
            ".xlsx in Excel or LibreOffice and upload it again."
        )
    )


def _check_mark(workbook, stage):
    """The template's mark, checked against ``stage``; returns its language."""
    not_a_template = WorkbookError(
        _(
            "This workbook is not a template of this stage. Download the "
            "template from this page, fill it in and upload it."
        )
    )
    if META_SHEET not in workbook.sheetnames:
        raise not_a_template
    try:
        mark = signing.Signer(salt=_SALT).unsign_object(
            str(workbook[META_SHEET]["A1"].value or "")
        )
    except (signing.BadSignature, ValueError, TypeError):
        raise not_a_template from None

    expected = _mark(stage)
    if (
        mark.get("region") != expected["region"]
        or mark.get("period") != (expected["period"])
    ):
        raise WorkbookError(
            _(
                "This template belongs to %(region)s, period %(period)s, not to "
                "this stage. Download the template from this page."
            )
            % {"region": mark.get("region_name"), "period": mark.get("period")}
        )
    if mark.get("stage") != stage.pk:
        raise not_a_template
    if mark.get("layout") != LAYOUT:
        raise WorkbookError(
            _(
                "This template is of an older layout. Download the template "
                "again and copy your figures into it."
            )
        )
    return mark.get("lang") or "id"


def _check_headers(sheet, language):
    with translation.override(language):
        expected = [str(header) for _key, header in COLUMNS]
    found = [
        _text(sheet.cell(HEADER_ROW, column).value).strip()
        for column in range(1, len(COLUMNS) + 1)
    ]
    if found != expected:
        raise WorkbookError(
            _(
                "The columns of the sheet were moved or renamed. Keep the "
                "template's columns as they are, or download it again."
            )
        )


def read_upload(stage, content, *, name=""):
    """Read an uploaded template: ``Upload`` or WorkbookError for the file."""
    workbook = _open(content)
    language = _check_mark(workbook, stage)
    sheet = workbook.worksheets[0]
    _check_headers(sheet, language)
    if sheet.max_row > MAX_ROWS:
        raise WorkbookError(
            _("The sheet has more than %(count)s rows; this is not a filled template.")
            % {"count": MAX_ROWS}
        )

    rows = []
    for number, values in enumerate(
        sheet.iter_rows(min_row=FIRST_ROW, max_col=len(COLUMNS), values_only=True),
        start=FIRST_ROW,
    ):
        if all(value in (None, "") for value in values):
            continue
        cells = {key: values[COLUMN_OF[key] - 1] for key, _header in COLUMNS}
        fields, ambiguous = _cell_fields(cells)
        rows.append(
            {
                "row": number,
                "clause": _text(cells["clause"]).strip(),
                "fields": fields,
                "ambiguous": ambiguous,
            }
        )
    return Upload(sha256=hashlib.sha256(content).hexdigest(), name=name, rows=rows)


# The dry run.


@dataclass
class Change:
    field: str
    label: str
    old: str
    new: str


@dataclass
class RowPlan:
    row: int
    clause: str
    indicator: object = None
    response: object = None
    values: dict = field(default_factory=dict)
    changes: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    value: object = None
    formula: str = ""


@dataclass
class Plan:
    rows: list
    errors: list  # every error sentence, in row order

    @property
    def changed(self):
        return [row for row in self.rows if row.changes]

    @property
    def unchanged(self):
        return [row for row in self.rows if not row.changes and not row.errors]

    @property
    def fingerprint(self):
        """A hash of the changes, to tell whether a later plan is the same."""
        changes = [
            [row.clause, change.field, change.old, change.new]
            for row in self.changed
            for change in row.changes
        ]
        return hashlib.sha256(json.dumps(changes).encode()).hexdigest()


def _shown(name, value):
    if value is None or value == "":
        return "—"
    if name in NUMBER_FIELDS:
        return plain(value)
    text = str(value)
    return text if len(text) <= 80 else text[:79] + "…"


def _refusals(stage, responses):
    """``{response id: why it cannot be changed now}`` for the locked ones.

    ``edit_refusal`` decides; it is asked once per kind of response (named in
    the open clarification or not), not once per row: its answer depends on
    nothing else.
    """
    responses = list(responses)
    if not responses:
        return {}
    if stage.state != StageState.CLARIFICATION_REQUESTED:
        refusal = edit_refusal(responses[0])
        return {r.pk: refusal for r in responses} if refusal else {}
    clarification = open_clarification_of(stage)
    named = set(
        clarification.indicators.values_list("pk", flat=True) if clarification else []
    )
    answers = {}
    refusals = {}
    for response in responses:
        kind = response.indicator_id in named
        if kind not in answers:
            answers[kind] = edit_refusal(response)
        if answers[kind]:
            refusals[response.pk] = answers[kind]
    return refusals


def _row_error(row, message, column=None):
    if column is None:
        return _("Row %(row)s: %(message)s") % {"row": row, "message": message}
    return _("Row %(row)s, column %(column)s: %(message)s") % {
        "row": row,
        "column": column,
        "message": message,
    }


def _previous_values(stage):
    """``{indicator id: value}`` of the region's previous period, in one query
    (the value needs the indicator, so it is read along)."""
    earlier = services_filling.previous_stage(stage)
    if earlier is None:
        return {}
    return {
        data.response.indicator_id: compute_value(data.response.indicator, data).value
        for data in MaturityData.objects.filter(response__stage=earlier).select_related(
            "response__indicator"
        )
    }


def plan(stage, *, actor, rows):
    """What importing ``rows`` (from ``read_upload``) would change: a Plan.

    Reads only; the same function runs again inside ``import_workbook``.
    """
    responses = {
        response.indicator.clause: response
        for response in stage.responses.select_related(
            "indicator", "indicator__theme", "maturity_data"
        )
    }
    for response in responses.values():
        response.stage = stage
    refusals = _refusals(stage, responses.values())
    jump_factor = (
        stage.methodology.document.get("maturity", {})
        .get("plausibility", {})
        .get("jump_factor")
    )
    previous = _previous_values(stage) if rows else {}

    planned, seen = [], {}
    for item in rows:
        row = RowPlan(row=item["row"], clause=item["clause"])
        planned.append(row)
        response = responses.get(row.clause)
        if not row.clause:
            row.errors.append(_row_error(row.row, _("the clause is empty.")))
            continue
        if response is None:
            row.errors.append(
                _row_error(
                    row.row,
                    _(
                        "indicator %(clause)s is not one of this stage's agreed "
                        "indicators."
                    )
                    % {"clause": row.clause},
                )
            )
            continue
        if row.clause in seen:
            row.errors.append(
                _row_error(
                    row.row,
                    _("indicator %(clause)s is already on row %(first)s.")
                    % {"clause": row.clause, "first": seen[row.clause]},
                )
            )
            continue
        seen[row.clause] = row.row
        row.response, row.indicator = response, response.indicator
        if not actor.has_perm("assessments.fill_response", response):
            row.errors.append(
                _row_error(
                    row.row,
                    _(
                        "indicator %(clause)s is not assigned to you; you cannot "
                        "change it."
                    )
                    % {"clause": row.clause},
                )
            )
            continue

        values, errors = clean_fields(row.indicator, item["fields"])
        for name in item.get("ambiguous", []):
            errors[name] = _(
                "“%(text)s” can be read as a whole number with a thousands dot "
                "or as a decimal number. Write it without the dot (1234) or "
                "with a decimal comma (1,234)."
            ) % {"text": item["fields"][name]}
        for name, message in errors.items():
            column = HEADERS.get(name)
            row.errors.append(_row_error(row.row, message, column and str(column)))
        if errors:
            continue
        row.values = values
        data = getattr(response, "maturity_data", None) or MaturityData(
            response=response
        )
        for key, header in FILLABLE:
            if key not in values:
                continue
            old = getattr(data, key)
            if values[key] != old and not (values[key] == "" and old is None):
                row.changes.append(
                    Change(key, str(header), _shown(key, old), _shown(key, values[key]))
                )
        if row.changes and response.pk in refusals:
            row.errors.append(_row_error(row.row, refusals[response.pk]))

        proposed = MaturityData(response=response, **values)
        computed = compute_value(row.indicator, proposed)
        row.value, row.formula = computed.value, computed.formula
        row.warnings = warnings(
            row.indicator,
            proposed,
            previous_value=previous.get(row.indicator.pk),
            jump_factor=jump_factor,
        )

    return Plan(rows=planned, errors=[error for row in planned for error in row.errors])


def upload_refusal(stage):
    """Why no upload can change the stage now, or None.

    During a clarification the named indicators reopen: the rows decide then.
    """
    if stage.state == StageState.CLARIFICATION_REQUESTED:
        return None
    if stage.state != StageState.OPEN:
        return _("The stage is “%(state)s”; the responses are locked.") % {
            "state": stage.get_state_display()
        }
    first = stage.responses.first()
    if first is None:
        return None
    first.stage = stage
    return edit_refusal(first)


# The import.


@transaction.atomic
def import_workbook(stage, *, actor, rows, expected=None, sha256=""):
    """Save ``rows`` of an uploaded template into the stage: all or nothing.

    ``expected`` is the fingerprint of the plan the user confirmed: when the
    stored data changed since, nothing is saved and WorkflowError says so.
    Raises ImportRefusedError with every row error when any row is refused, and
    PermissionDenied for a user who may not exchange the stage's data.
    Side effects: MaturityData rows (with their history) through
    ``services_filling.save_data``; one audit event ``stage.data_imported``
    with the count and the clauses, and none when nothing changes.
    Returns the Plan that was applied.
    """
    stage = lock(stage)
    if not actor.has_perm("maturity.use_spreadsheet", stage):
        raise PermissionDenied("maturity.use_spreadsheet")
    refusal = upload_refusal(stage)
    if refusal:
        raise WorkflowError(refusal)

    result = plan(stage, actor=actor, rows=rows)
    if result.errors:
        raise ImportRefusedError(result.errors)
    if expected is not None and result.fingerprint != expected:
        raise WorkflowError(
            _(
                "The stored data changed since you saw the preview. Upload the "
                "file again to see what it would change now."
            )
        )

    for row in result.changed:
        services_filling.save_data(
            row.response,
            actor=actor,
            fields={change.field: row.values[change.field] for change in row.changes},
        )

    clauses = [row.clause for row in result.changed]
    if clauses:
        record(
            actor=actor,
            action="stage.data_imported",
            obj=stage,
            note=", ".join(clauses),
            data={"count": len(clauses), "clauses": clauses, "sha256": sha256},
        )
        logger.info("stage %s: %s indicators imported", stage.pk, len(clauses))
    return result
