"""Plausibility warnings of a maturity stage, with their real inputs.

The previous period is a real maturity stage of the same region; the national
range comes from published reports' lines of other regions. Expected values are
worked out by hand in the comments.
"""

from decimal import Decimal

import pytest

from kotacerdas.assessments.models import Response, StageRecord
from kotacerdas.maturity import plausibility, services_filling
from kotacerdas.maturity.models import (
    MaturityData,
    MaturityReport,
    ReportLine,
    ReportState,
)
from kotacerdas.regions.models import Region
from kotacerdas.scheduling.models import Stage
from tests.maturity.factories import open_world
from tests.scheduling.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    """An open maturity stage: 5.1 (percentage) and 5.2 (per 100 000)."""
    return open_world(indicator_count=5)


def _save(w, position, **fields):
    services_filling.save_data(w.response(position), actor=w.coordinator, fields=fields)


def _warnings(w, position):
    return plausibility.warnings_for(w.response(position))


def _stage_of(region, period):
    registration = RegistrationFactory(region=region, period=period)
    return StageRecord.objects.create(registration=registration, stage=Stage.MATURITY)


def _publish(w, region, indicator, value, *, state=ReportState.PUBLISHED, period=2026):
    stage = _stage_of(region, period)
    report = MaturityReport.objects.create(stage=stage, state=state, drafted_by=w.admin)
    ReportLine.objects.create(report=report, indicator=indicator, value=value)
    return report


def _other_regions(count):
    return list(Region.objects.exclude(code="33.72").order_by("code")[:count])


def test_a_percentage_above_100(w):
    _save(w, 0, numerator=130, denominator=100)
    assert _warnings(w, 0) == [
        "A percentage should lie between 0 and 100; this one is 130."
    ]


def test_a_zero_denominator(w):
    _save(w, 0, numerator=5, denominator=0)
    assert _warnings(w, 0) == ["The denominator is zero."]


def test_plausible_figures_have_no_warning(w):
    _save(w, 0, numerator=40, denominator=100)
    assert _warnings(w, 0) == []


def _previous_period(w, position, **figures):
    stage = _stage_of(w.registration.region, 2026)
    response = Response.objects.create(stage=stage, indicator=w.indicators[position])
    MaturityData.objects.create(response=response, **figures)
    return stage


def test_a_jump_beyond_the_methodologys_factor_from_last_period(w):
    # Last period 10 ÷ 100 × 100 = 10 %; now 40 %: 40 / 10 = 4 > 3.
    _previous_period(w, 0, numerator=10, denominator=100)
    _save(w, 0, numerator=40, denominator=100)
    assert plausibility.jump_factor(w.stage) == Decimal(3)
    assert _warnings(w, 0) == [
        "The value changed from 10 last period to 40, more than 3 times."
    ]


def test_a_change_within_the_factor_is_not_a_jump(w):
    # 20 % then 40 %: twice, under the factor 3.
    _previous_period(w, 0, numerator=20, denominator=100)
    _save(w, 0, numerator=40, denominator=100)
    assert _warnings(w, 0) == []


def test_a_drop_beyond_the_factor_is_a_jump_too(w):
    # 50 % then 10 %: 10 / 50 = 0.2 < 1/3.
    _previous_period(w, 0, numerator=50, denominator=100)
    _save(w, 0, numerator=10, denominator=100)
    assert _warnings(w, 0) == [
        "The value changed from 50 last period to 10, more than 3 times."
    ]


def _national(w):
    """Five other regions published 10, 12, 14, 16, 20 per 100 000 for 5.2.

    Range 10–20; the spread is max(20 − 10, |20|, 1) = 20, so a value above
    20 + 20 = 40 or below 10 − 20 = −10 is far outside. The region's own
    earlier report (1000) and a superseded report (1000) would widen the
    range if they counted; they must not.
    """
    indicator = w.indicators[1]
    for region, value in zip(_other_regions(5), (10, 12, 14, 16, 20), strict=True):
        _publish(w, region, indicator, Decimal(value))
    _publish(w, w.registration.region, indicator, Decimal(1000), period=2025)
    _publish(
        w, _other_regions(6)[5], indicator, Decimal(1000), state=ReportState.SUPERSEDED
    )
    return indicator


def test_the_national_range_leaves_out_the_region_and_superseded_reports(w):
    indicator = _national(w)
    ranges = plausibility.national_ranges(w.stage, [indicator.pk])
    assert ranges[indicator.pk].low == Decimal(10)
    assert ranges[indicator.pk].high == Decimal(20)
    assert ranges[indicator.pk].count == 5


def test_a_value_far_outside_the_national_range(w):
    _national(w)
    # 60 ÷ 500 000 × 100 000 = 12: inside.
    _save(w, 1, numerator=60, denominator=500000)
    assert _warnings(w, 1) == []
    # 250 ÷ 500 000 × 100 000 = 50 > 40: far outside.
    _save(w, 1, numerator=250, denominator=500000)
    assert _warnings(w, 1) == [
        "The value 50 is far outside what other regions report (10 to 20)."
    ]


def test_fewer_than_five_other_regions_give_no_range_warning(w):
    indicator = w.indicators[1]
    for region, value in zip(_other_regions(4), (10, 12, 14, 16), strict=True):
        _publish(w, region, indicator, Decimal(value))
    _save(w, 1, numerator=250, denominator=500000)
    assert _warnings(w, 1) == []


def test_the_whole_stage_in_a_fixed_number_of_queries(w, django_assert_num_queries):
    _national(w)
    _previous_period(w, 0, numerator=10, denominator=100)
    _save(w, 0, numerator=40, denominator=100)
    _save(w, 1, numerator=250, denominator=500000)
    # The stage's responses, the previous stage and its data, the ranges.
    with django_assert_num_queries(4):
        found = plausibility.warnings_for_stage(w.stage)
    by_clause = {
        response.indicator.clause: found[response.pk]
        for response in w.stage.responses.select_related("indicator")
    }
    assert by_clause["5.1"] == [
        "The value changed from 10 last period to 40, more than 3 times."
    ]
    assert by_clause["5.2"] == [
        "The value 50 is far outside what other regions report (10 to 20)."
    ]
    assert by_clause["5.3"] == []
