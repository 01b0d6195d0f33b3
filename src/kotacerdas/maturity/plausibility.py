"""Plausibility warnings of a maturity stage's figures, with their inputs.

``values.warnings`` judges one indicator's figures; this module gathers what it
compares them with: the region's value of the previous period, the
methodology's jump factor and the range other regions published for the same
indicator. Warnings never block the region: they ask it to look again.

``warnings_for_stage`` serves a whole stage in a fixed number of queries (the
overview); ``warnings_for`` one indicator (its page).
"""

import logging
from decimal import Decimal

from django.db.models import Count, Max, Min

from kotacerdas.maturity import services_filling
from kotacerdas.maturity.models import MaturityData, ReportLine, ReportState
from kotacerdas.maturity.values import NationalRange, compute_value, warnings

logger = logging.getLogger(__name__)


def jump_factor(stage):
    """The methodology's factor beyond which a change from last period is odd."""
    document = stage.methodology.document if stage.methodology_id else {}
    factor = document.get("maturity", {}).get("plausibility", {}).get("jump_factor")
    return Decimal(str(factor)) if factor else None


def national_ranges(stage, indicator_ids):
    """``{indicator id: NationalRange}`` of other regions' published values.

    Only lines of published reports count (a superseded version was corrected),
    and never the stage's own region: a region is not its own yardstick.
    """
    rows = (
        ReportLine.objects.filter(
            indicator_id__in=list(indicator_ids),
            report__state=ReportState.PUBLISHED,
            value__isnull=False,
        )
        .exclude(report__stage__registration__region_id=stage.registration.region_id)
        .values("indicator_id")
        .annotate(low=Min("value"), high=Max("value"), count=Count("pk"))
        .order_by()
    )
    return {
        row["indicator_id"]: NationalRange(
            low=row["low"], high=row["high"], count=row["count"]
        )
        for row in rows
    }


def _previous_values(stage, indicators, earlier=None):
    """``{indicator id: value}`` of the region's previous period (2 queries,
    none when ``earlier``, the result of ``previous_data``, is given)."""
    if earlier is None:
        earlier = services_filling.previous_data(stage)
    found = {}
    for indicator in indicators:
        data = earlier.get(indicator.pk)
        if data is not None:
            found[indicator.pk] = compute_value(indicator, data).value
    return found


def _empty(indicator):
    return MaturityData()


def warnings_for_stage(stage, responses=None, *, earlier=None):
    """``{response id: [warning sentences]}`` for every response of ``stage``.

    ``responses`` may be given already loaded with their indicator and
    maturity data (the overview has them); otherwise they are read.
    ``earlier`` may be ``services_filling.previous_data(stage)`` when the
    caller has it already. Four queries at most, whatever the number of
    indicators.
    """
    if responses is None:
        responses = list(stage.responses.select_related("indicator", "maturity_data"))
    indicators = [response.indicator for response in responses]
    previous = _previous_values(stage, indicators, earlier)
    ranges = national_ranges(stage, [indicator.pk for indicator in indicators])
    factor = jump_factor(stage)

    found = {}
    for response in responses:
        indicator = response.indicator
        data = getattr(response, "maturity_data", None) or _empty(indicator)
        found[response.pk] = warnings(
            indicator,
            data,
            previous_value=previous.get(indicator.pk),
            jump_factor=factor,
            national=ranges.get(indicator.pk),
        )
    return found


def warnings_for(response, data=None, *, earlier=None):
    """The warning sentences of one response (its page and its autosave).

    ``data`` may be the MaturityData just saved; by default the stored one.
    ``earlier`` as for ``warnings_for_stage``.
    """
    if data is None:
        data = MaturityData.objects.filter(response=response).first() or _empty(
            response.indicator
        )
    response.maturity_data = data
    return warnings_for_stage(response.stage, [response], earlier=earlier)[response.pk]
