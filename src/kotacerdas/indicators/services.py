"""Loading the indicator catalogue and methodology versions."""

import csv
import json
import logging
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kotacerdas.common.audit import record
from kotacerdas.common.loading import LoadReport, upsert
from kotacerdas.indicators.methodology import validate_document
from kotacerdas.indicators.models import (
    Dimension,
    Indicator,
    Methodology,
    Theme,
    clause_sort_key,
)

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"


def _rows(name):
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def load_catalogue():
    """Bring dimensions, themes and indicators in line with the data files.

    Side effects: creates or updates rows; rows the admin added are kept, and an
    indicator's ``active`` flag, which the admin owns, is never touched.
    """
    report = LoadReport()

    existing = {d.code: d for d in Dimension.objects.all()}
    dimensions = {}
    for order, row in enumerate(_rows("dimensions.csv"), start=1):
        dimensions[row["code"]] = upsert(
            Dimension,
            row["code"],
            {
                "code": row["code"],
                "name_id": row["name_id"],
                "name_en": row["name_en"],
                "order": order,
            },
            existing,
            report,
        )

    existing = {t.number: t for t in Theme.objects.all()}
    themes = {}
    for row in _rows("iso37122_themes.csv"):
        number = int(row["theme_no"])
        themes[number] = upsert(
            Theme,
            number,
            {
                "number": number,
                "name_id": row["name_id"],
                "name_en": row["name_en"],
                "dimension_id": dimensions[row["default_dimension"]].pk,
            },
            existing,
            report,
        )

    existing = {i.clause: i for i in Indicator.objects.all()}
    for row in _rows("indicators.csv"):
        upsert(
            Indicator,
            row["clause"],
            {
                "clause": row["clause"],
                "sort_key": clause_sort_key(row["clause"]),
                "theme_id": themes[int(row["theme_no"])].pk,
                "title_id": row["title_id"],
                "title_en": row["title_en"],
                "unit_id": row["unit_id"],
                "unit_en": row["unit_en"],
                "value_type": row["value_type"],
                "scale": int(row["scale"]),
                "numerator_id": row["numerator_id"],
                "numerator_en": row["numerator_en"],
                "denominator_id": row["denominator_id"],
                "denominator_en": row["denominator_en"],
                "better": row["better"],
                "clause_confidence": row["clause_confidence"],
            },
            existing,
            report,
        )

    logger.info("Catalogue loaded: %s", report)
    return report


def check_methodology(document):
    """Validate a document against the catalogue as it is in the database."""
    validate_document(
        document,
        theme_numbers=list(Theme.objects.values_list("number", flat=True)),
        dimension_codes=set(Dimension.objects.values_list("code", flat=True)),
    )


@transaction.atomic
def load_methodology(document, *, actor=None, make_current=False):
    """Store a validated methodology version; a used version never changes.

    Returns ``(methodology, outcome)`` with outcome ``created``, ``updated`` or
    ``unchanged``. Side effects: a Methodology row and an audit event when it is
    created or updated.
    """
    check_methodology(document)
    version = document["version"]
    methodology = (
        Methodology.objects.select_for_update().filter(version=version).first()
    )

    if methodology is not None and methodology.document == document:
        outcome = "unchanged"
    elif methodology is not None and methodology.in_use:
        raise ValidationError(
            _(
                "Methodology version %(version)s is in use and cannot change; "
                "publish the new rules as a new version."
            )
            % {"version": version}
        )
    else:
        outcome = "updated" if methodology else "created"
        methodology = methodology or Methodology(version=version)
        methodology.document = document
        methodology.name_id = document["name"]["id"]
        methodology.name_en = document["name"]["en"]
        methodology.created_by = methodology.created_by or actor
        methodology.save()
        record(actor=actor, action="methodology.loaded", obj=methodology, note=outcome)

    if make_current and not methodology.is_current:
        Methodology.objects.filter(is_current=True).update(is_current=False)
        methodology.is_current = True
        methodology.save(update_fields=["is_current"])
    return methodology, outcome


def load_default_methodologies(*, actor=None):
    """Load every ``data/methodology/v*.json``; the highest becomes current
    unless a version is already current."""
    paths = sorted(
        (DATA_DIR / "methodology").glob("v*.json"),
        key=lambda path: int(path.stem[1:]),
    )
    has_current = Methodology.objects.filter(is_current=True).exists()
    outcomes = []
    for position, path in enumerate(paths, start=1):
        document = json.loads(path.read_text(encoding="utf-8"))
        last = position == len(paths)
        outcomes.append(
            load_methodology(
                document, actor=actor, make_current=last and not has_current
            )
        )
    return outcomes


def current_methodology():
    return Methodology.objects.get(is_current=True)
