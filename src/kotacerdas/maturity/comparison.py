"""A stage's result beside the region's previous period and its peer group.

Both read published reports only (their frozen figures), so a comparison
printed in a report never depends on a draft or on another region's report
changing later. Figures are JSON-ready (decimals as strings): the report
freezes them in ``MaturityReport.result`` at publication.
"""

import statistics
from decimal import Decimal

from kotacerdas.maturity.models import MaturityReport, ReportLine, ReportState
from kotacerdas.maturity.scoring import rounded
from kotacerdas.scheduling.models import Stage


def _text(value):
    return None if value is None else str(rounded(value))


def _published():
    return MaturityReport.objects.filter(
        state=ReportState.PUBLISHED, stage__stage=Stage.MATURITY
    )


def previous_period(stage, lines):
    """The region's latest published report of an earlier period, or None.

    ``lines`` are this stage's IndicatorLines; the level change is given for
    every indicator that has a level in both periods.

    Queries: three, whatever the count of indicators.
    """
    registration = stage.registration
    report = (
        _published()
        .filter(
            stage__registration__region_id=registration.region_id,
            stage__registration__period__lt=registration.period,
        )
        .select_related("stage__registration")
        .order_by("-stage__registration__period")
        .first()
    )
    if report is None:
        return None

    before = dict(
        ReportLine.objects.filter(report=report, level__isnull=False).values_list(
            "indicator_id", "level"
        )
    )
    changes = []
    for line in lines:
        if line.counts and line.indicator.pk in before:
            changes.append(
                {
                    "clause": line.indicator.clause,
                    "from": before[line.indicator.pk],
                    "to": line.entry.level,
                    "change": line.entry.level - before[line.indicator.pk],
                }
            )
    return {
        "report": report.pk,
        "period": report.stage.registration.period,
        "version": report.version,
        "index": None if report.index is None else str(report.index),
        "predicate": (report.result.get("predicate") or None),
        "tier": report.tier or None,
        "dimensions": {
            item["code"]: item["score"] for item in report.result.get("dimensions", [])
        },
        "changes": changes,
    }


def distribution(values):
    """Count, median, quartiles, minimum and maximum of Decimal ``values``.

    Quartiles by the inclusive method (the median of each half, interpolated
    like a spreadsheet's QUARTILE.INC); one value is its own quartiles.
    """
    values = sorted(Decimal(v) for v in values)
    if not values:
        return {"count": 0}
    if len(values) == 1:
        q1 = q3 = values[0]
    else:
        q1, _median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return {
        "count": len(values),
        "median": _text(statistics.median(values)),
        "q1": _text(q1),
        "q3": _text(q3),
        "min": _text(values[0]),
        "max": _text(values[-1]),
    }


def peers(stage, index, dimensions):
    """The region among the published results of the same period.

    ``index`` and ``dimensions`` ({code: Decimal or None}) are this stage's own
    figures: its report is not published yet when the comparison is frozen, so
    the region is counted with its current figures and any earlier published
    version of its own report is left out. The peer group is the regions of the
    same kind (kota or kabupaten); ``national`` is every kind.

    Queries: two, whatever the count of regions.
    """
    registration = stage.registration
    region = registration.region
    others = (
        _published()
        .filter(stage__registration__period=registration.period, index__isnull=False)
        .exclude(stage__registration__region_id=region.pk)
    )
    rows = list(
        # Only the dimensions are read from the frozen JSON, not every line.
        others.values_list(
            "index", "stage__registration__region__kind", "result__dimensions"
        )
    )
    own = [] if index is None else [Decimal(index)]
    same_kind = [row for row in rows if row[1] == region.kind]

    group = distribution([row[0] for row in same_kind] + own)
    group["kind"] = region.kind
    group["rank"] = (
        None
        if index is None
        else 1 + sum(1 for row in same_kind if Decimal(row[0]) > Decimal(index))
    )
    medians = {}
    for code in dimensions:
        scores = [
            Decimal(item["score"])
            for row in same_kind
            for item in row[2] or []
            if item["code"] == code and item["score"] is not None
        ]
        if dimensions[code] is not None:
            scores.append(Decimal(dimensions[code]))
        medians[code] = _text(statistics.median(scores)) if scores else None
    group["dimensions"] = medians

    national = distribution([row[0] for row in rows] + own)
    return {"period": registration.period, "group": group, "national": national}
