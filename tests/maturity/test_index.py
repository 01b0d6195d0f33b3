"""The Maturity Index computed from hand-made fixtures (SPEC §7).

Every expected figure below was worked out by hand; the arithmetic is in the
comments. The methodology is the shipped v1 document (six dimensions of
weight 1, predicates from 1.8/2.6/3.5/4.2, tiers M1–M5 with 5/10/20/40/60
verified indicators), changed only where a test says so.
"""

import copy
import json
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.utils import translation

from kotacerdas.indicators.methodology import maturity_index, predicate_for, tier_for
from kotacerdas.indicators.models import Indicator, ValueType
from kotacerdas.maturity.models import Verification
from kotacerdas.maturity.scoring import Entry, IndicatorLine, index_from_lines
from kotacerdas.maturity.values import compute_value, plain, typed

DOCUMENT = json.loads(
    (
        Path(__file__).parents[2] / "src/kotacerdas/indicators/data/methodology/v1.json"
    ).read_text()
)
D = Decimal


def figures(**kwargs):
    fields = {"numerator": None, "denominator": None, "direct_value": None}
    fields.update(kwargs)
    return SimpleNamespace(**fields)


# Values from the region's figures, per value type.

VALUES = [
    # 45 ÷ 120 × 100 = 37.5
    (ValueType.PERCENTAGE, 100, figures(numerator=45, denominator=120), D("37.5")),
    # 7 ÷ 250 000 × 100 000 = 2.8 per 100 000 population
    (ValueType.RATE, 100000, figures(numerator=7, denominator=250000), D("2.8")),
    # 3 ÷ 8 × 1 = 0.375
    (ValueType.RATIO, 1, figures(numerator=3, denominator=8), D("0.375")),
    # 1 ÷ 3 × 1 = 0.33333… → four decimals, half up: 0.3333
    (ValueType.RATIO, 1, figures(numerator=1, denominator=3), D("0.3333")),
    # 2 ÷ 3 × 100 = 66.666… → 66.6667
    (ValueType.PERCENTAGE, 100, figures(numerator=2, denominator=3), D("66.6667")),
    # Without a denominator the value is taken as given.
    (ValueType.COUNT, 1, figures(direct_value=1250), D("1250")),
    (ValueType.DURATION, 1, figures(direct_value=D("2.5")), D("2.5")),
    (ValueType.BOOLEAN, 1, figures(direct_value=1), D("1")),
]


@pytest.mark.parametrize(("value_type", "scale", "data", "expected"), VALUES)
def test_value_from_the_figures_of_each_value_type(value_type, scale, data, expected):
    indicator = Indicator(value_type=value_type, scale=scale)
    computed = compute_value(indicator, data)
    assert computed.value == expected
    assert computed.value.as_tuple().exponent == -4  # four decimals kept
    assert computed.problem == ""


def test_formula_shows_the_inputs_and_the_scale():
    indicator = Indicator(value_type=ValueType.RATE, scale=100000)
    computed = compute_value(indicator, figures(numerator=7, denominator=250000))
    assert computed.formula == "7 ÷ 250 000 × 100 000 = 2.8"
    count = Indicator(value_type=ValueType.COUNT, scale=1)
    assert (
        compute_value(count, figures(direct_value=1250)).formula
        == "value as given: 1 250"
    )


def test_zero_denominator_and_missing_figures_give_no_value():
    indicator = Indicator(value_type=ValueType.PERCENTAGE, scale=100)
    zero = compute_value(indicator, figures(numerator=3, denominator=0))
    assert zero.value is None
    assert zero.problem == "The denominator is zero."
    assert compute_value(indicator, figures(numerator=3)).value is None


# Theme, dimension and index means.

_pk = iter(range(1, 10_000))


def indicator(theme, clause=None):
    pk = next(_pk)
    return SimpleNamespace(
        pk=pk,
        sort_key=pk,
        clause=clause or f"{theme}.{pk}",
        title=f"Indicator {pk}",
        theme=SimpleNamespace(number=theme),
    )


def line(theme, level, verification=Verification.VERIFIED, entry=True):
    return IndicatorLine(
        indicator=indicator(theme),
        data=None,
        reported_value=None,
        formula="",
        entry=Entry(verification, level) if entry else None,
    )


def test_means_leave_unassessed_and_rejected_indicators_out():
    lines = [
        # Theme 5 (economy): 3 and 4 → 3.5
        line(5, 3),
        line(5, 4),
        # Theme 9 (economy): 2 → 2; a rejected indicator of theme 9 is left out
        line(9, 2),
        line(9, None, Verification.REJECTED),
        # Theme 20 (economy): only a rejected indicator → theme left out
        line(20, None, Verification.REJECTED),
        # Theme 6 (people): 4, 4, 5 → 13/3 = 4.3333…; theme 13 unassessed
        line(6, 4),
        line(6, 4),
        line(6, 5, Verification.ADJUSTED),
    ]
    result = index_from_lines(DOCUMENT, lines)
    assert result.themes == {5: D("3.5"), 9: D(2), 6: D(13) / 3}
    assert 20 not in result.themes and 13 not in result.themes
    # Economy = (3.5 + 2) / 2 = 2.75 (theme 20 left out, not counted as 0);
    # People = 4.3333…; the four other dimensions have nothing and are left out.
    assert result.dimensions == {"economy": D("2.75"), "people": D(13) / 3}
    # Index = (2.75 + 4.3333…) / 2 = 3.541666… → 3.54
    assert result.index == D("3.54")
    assert result.verified_count == 6
    assert result.predicate["name"]["en"] == "Very good"  # 3.54 ≥ 3.5
    assert result.tier["code"] == "M1"  # 6 verified: M2 needs 10
    assert result.missing == ()


def test_an_indicator_without_a_final_entry_is_missing_not_counted():
    lines = [line(5, 3), line(5, 1, entry=False)]
    result = index_from_lines(DOCUMENT, lines)
    assert result.index == D("3.00")
    assert [i.pk for i in result.missing] == [lines[1].indicator.pk]


def test_weighted_index_with_unequal_dimension_weights():
    document = copy.deepcopy(DOCUMENT)
    for dimension in document["maturity"]["dimensions"]:
        if dimension["code"] == "economy":
            dimension["weight"] = 3
    lines = [line(5, 3), line(5, 4), line(9, 2), line(6, 4), line(6, 4), line(6, 5)]
    result = index_from_lines(document, lines)
    # (3 × 2.75 + 1 × 4.3333…) / (3 + 1) = 12.58333… / 4 = 3.145833… → 3.15
    assert result.index == D("3.15")
    # With equal weights the same levels give 3.54 (previous test).
    assert index_from_lines(DOCUMENT, lines).index == D("3.54")


def test_no_verified_indicator_gives_no_index():
    result = maturity_index(DOCUMENT, {})
    assert result.index is None
    assert predicate_for(DOCUMENT, None) is None
    assert tier_for(DOCUMENT, None, 0) is None


# Predicate and tier boundaries.

PREDICATES = [
    ("0.00", "Insufficient"),
    ("1.79", "Insufficient"),
    ("1.80", "Adequate"),
    ("2.59", "Adequate"),
    ("2.60", "Good"),
    ("3.49", "Good"),
    ("3.50", "Very good"),
    ("4.19", "Very good"),
    ("4.20", "Excellent"),
    ("5.00", "Excellent"),
]


@pytest.mark.parametrize(("index", "name"), PREDICATES)
def test_predicate_boundaries(index, name):
    assert predicate_for(DOCUMENT, D(index))["name"]["en"] == name


TIERS = [
    # index, verified indicators, tier
    ("1.79", 60, None),
    ("1.80", 4, None),
    ("1.80", 5, "M1"),
    ("2.60", 9, "M1"),
    ("2.59", 10, "M1"),
    ("2.60", 10, "M2"),
    ("3.50", 19, "M2"),
    ("3.49", 20, "M2"),
    ("3.50", 20, "M3"),
    ("4.20", 39, "M3"),
    ("4.19", 40, "M3"),
    ("4.20", 40, "M4"),
    ("4.50", 59, "M4"),
    ("4.49", 60, "M4"),
    ("4.50", 60, "M5"),
    ("5.00", 80, "M5"),
    ("5.00", 4, None),
]


@pytest.mark.parametrize(("index", "verified", "code"), TIERS)
def test_tier_boundaries_of_index_and_coverage(index, verified, code):
    tier = tier_for(DOCUMENT, D(index), verified)
    assert (tier["code"] if tier else None) == code


def test_rounding_half_up_reaches_a_boundary():
    # Theme 5: 100 indicators, 59 at 2 and 41 at 1 → 159/100 = 1.59; theme 9:
    # one at 2. Economy = (1.59 + 2) / 2 = 1.795 → rounded half up 1.80.
    lines = [line(5, 2) for _ in range(59)] + [line(5, 1) for _ in range(41)]
    lines += [line(9, 2)]
    result = index_from_lines(DOCUMENT, lines)
    assert result.dimensions["economy"] == D("1.795")
    assert result.index == D("1.80")
    assert result.predicate["name"]["en"] == "Adequate"


# The gap to the next tier.


def test_gap_raises_the_indicator_that_weighs_most():
    economy = line(5, 2)
    people = [line(6, 2) for _ in range(4)]
    result = index_from_lines(DOCUMENT, [economy, *people])
    # Economy 2, People 2 → index 2.00; 5 verified → M1. Next: M2 (2.6, 10).
    assert result.index == D("2.00")
    assert result.tier["code"] == "M1"
    assert result.next_tier["code"] == "M2"
    gap = result.gap
    assert gap.index_needed == D("2.6")
    assert gap.verified_needed == 10
    assert gap.more_verified == 5  # 10 − 5
    # One level step moves the index by dimension weight / total weight /
    # themes in the dimension / indicators in the theme:
    #   the economy indicator 1/2/1/1 = 0.5, each people indicator 1/2/1/4 = 0.125.
    # 2.00 + 0.5 = 2.50 < 2.6; + 0.5 = 3.00 ≥ 2.6: the economy indicator twice.
    assert [(r.indicator.pk, r.from_level, r.to_level) for r in gap.raises] == [
        (economy.indicator.pk, 2, 4)
    ]
    # Economy 4, People 2 → (4 + 2) / 2 = 3.00
    assert gap.index_after == D("3.00")
    assert gap.reachable


def test_gap_spreads_equal_steps_over_the_lowest_levels_first():
    lines = [line(5, 2) for _ in range(6)]
    result = index_from_lines(DOCUMENT, lines)
    # 6 indicators of one theme at 2 → index 2.00, M1; to M2 each step is 1/6.
    # 2 + n/6 + 0.005 ≥ 2.6 → n ≥ 3.57 → 4 steps, lowest level then clause
    # order: the first four indicators 2 → 3; index (4×3 + 2×2)/6 = 2.666… → 2.67
    gap = result.gap
    assert [(r.indicator.pk, r.from_level, r.to_level) for r in gap.raises] == [
        (lines[i].indicator.pk, 2, 3) for i in range(4)
    ]
    assert gap.index_after == D("2.67")
    assert gap.more_verified == 4


def test_gap_below_the_first_tier_asks_for_more_verified_indicators():
    lines = [line(5, 2), line(6, 2), line(6, 2), line(6, 2)]
    result = index_from_lines(DOCUMENT, lines)
    # Index 2.00 ≥ 1.8 but only 4 verified: no tier; M1 needs one more.
    assert result.tier is None
    assert result.next_tier["code"] == "M1"
    assert result.gap.more_verified == 1
    assert result.gap.raises == ()


def test_gap_when_only_coverage_is_missing():
    lines = [line(5, 1), line(9, 1), *[line(6, 5) for _ in range(3)]]
    result = index_from_lines(DOCUMENT, lines)
    # Economy (1 + 1)/2 = 1, People 5 → index 3.00, 5 verified → M1.
    assert result.index == D("3.00")
    assert result.tier["code"] == "M1"
    gap = result.gap
    # To M2: 3.00 is already ≥ 2.6, so no level needs raising; 10 − 5 = 5 more.
    assert gap.raises == ()
    assert gap.more_verified == 5


@pytest.mark.parametrize(
    ("language", "shown", "typed_back"),
    [("id", "1 234 567,25", "1234567,25"), ("en", "1 234 567.25", "1234567.25")],
)
def test_a_figure_reads_in_the_readers_notation(language, shown, typed_back):
    with translation.override(language):
        assert plain(Decimal("1234567.2500")) == shown
        assert typed(Decimal("1234567.2500")) == typed_back
        assert plain(Decimal("1250.0000")) == "1 250"
