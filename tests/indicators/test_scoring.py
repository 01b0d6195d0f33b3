"""Scores computed from the methodology document, checked against hand sums.

These are pure functions of the document, so the tests read v1 from its file and
need no database.
"""

import json
from decimal import Decimal

import pytest

from kotacerdas.indicators.methodology import (
    label,
    maturity_index,
    predicate_for,
    readiness_score,
    readiness_stage_passes,
    tier_for,
)
from kotacerdas.indicators.services import DATA_DIR

V1 = json.loads((DATA_DIR / "methodology" / "v1.json").read_text("utf-8"))

# v1 has eight criteria of weight 1 scored 0-2, so the maximum is 16 points and a
# point is worth 6.25. A score of exactly 70 needs other weights: this document
# has weights 2, 2, 3, 3 (maximum 10 x 2 = 20 points, a point is worth 5).
WEIGHTED = {
    "readiness": {
        "criteria": [
            {"code": "S1", "weight": 2},
            {"code": "I1", "weight": 2},
            {"code": "P1", "weight": 3},
            {"code": "P2", "weight": 3},
        ],
        "max_points": 2,
        "ready_threshold": 70,
        "must_meet": ["I1", "S1"],
        "stage_pass": {"min_ready_share": 0.5, "min_ready_count": 5},
    }
}


def _name(entry):
    return entry["name"]["id"] if entry else None


def test_readiness_score_of_exactly_70_with_i1_and_s1_met_is_ready():
    # (2*2 + 2*2 + 3*2 + 3*0) / 20 * 100 = 14 / 20 * 100 = 70
    points = {"S1": 2, "I1": 2, "P1": 2, "P2": 0}

    result = readiness_score(WEIGHTED, points)

    assert result.score == Decimal("70.00")
    assert result.ready is True
    assert result.unmet_required == ()


def test_readiness_score_of_75_with_i1_only_partly_met_is_not_ready():
    # 2+2+2 + 1+2 + 2+1+0 = 12 of 16 points = 75
    points = {"S1": 2, "S2": 2, "S3": 2, "I1": 1, "I2": 2, "P1": 2, "P2": 1, "P3": 0}

    result = readiness_score(V1, points)

    assert result.score == Decimal("75.00")
    assert result.ready is False
    assert result.unmet_required == ("I1",)


def test_readiness_score_just_below_threshold_is_not_ready():
    # 11 of 16 points = 68.75, with I1 and S1 fully met
    points = {"S1": 2, "S2": 2, "S3": 2, "I1": 2, "I2": 2, "P1": 1, "P2": 0, "P3": 0}

    result = readiness_score(V1, points)

    assert result.score == Decimal("68.75")
    assert result.ready is False
    assert result.unmet_required == ()


def test_readiness_with_s1_and_i1_unmet_names_both_in_must_meet_order():
    points = {"S2": 2, "S3": 2, "I2": 2, "P1": 2, "P2": 2, "P3": 2}

    result = readiness_score(V1, points)

    assert result.score == Decimal("75.00")
    assert result.unmet_required == ("I1", "S1")


def test_readiness_with_every_criterion_met_scores_100():
    points = dict.fromkeys(("S1", "S2", "S3", "I1", "I2", "P1", "P2", "P3"), 2)

    result = readiness_score(V1, points)

    assert result.score == Decimal("100.00")
    assert result.ready is True


def test_readiness_counts_an_unscored_criterion_as_zero():
    result = readiness_score(V1, {"S1": 2, "I1": 2})

    assert result.score == Decimal("25.00")


def test_readiness_score_is_rounded_half_up_to_two_decimals():
    # 1 of 3 criteria of weight 1, max 1 point: 33.333... -> 33.33
    document = {
        "readiness": {
            "criteria": [
                {"code": "A", "weight": 1},
                {"code": "B", "weight": 1},
                {"code": "C", "weight": 1},
            ],
            "max_points": 1,
            "ready_threshold": 70,
            "must_meet": [],
        }
    }

    result = readiness_score(document, {"A": 1, "B": 1})

    assert result.score == Decimal("66.67")


def test_stage_with_fewer_than_five_ready_fails_even_when_all_are_ready():
    passed = readiness_stage_passes(V1, ready_count=4, agreed_count=4)

    assert passed is False


def test_stage_with_exactly_half_of_the_agreed_set_ready_passes():
    passed = readiness_stage_passes(V1, ready_count=5, agreed_count=10)

    assert passed is True


def test_stage_with_four_of_ten_ready_fails():
    passed = readiness_stage_passes(V1, ready_count=4, agreed_count=10)

    assert passed is False


def test_stage_with_five_of_eleven_ready_fails_on_the_share():
    passed = readiness_stage_passes(V1, ready_count=5, agreed_count=11)

    assert passed is False


def test_stage_with_no_agreed_indicators_fails():
    passed = readiness_stage_passes(V1, ready_count=0, agreed_count=0)

    assert passed is False


def test_maturity_index_leaves_unassessed_themes_and_dimensions_out():
    # Themes: 10 -> (3+4)/2 = 3.5, 21 -> 2, 6 -> 4, 5 -> (5+3)/2 = 4; 16 has none.
    # Dimensions: governance (3.5+2)/2 = 2.75, people 4, economy 4; living,
    # mobility and environment have no assessed theme.
    # Index: (2.75 + 4 + 4) / 3 = 3.5833... -> 3.58
    levels = {10: [3, 4], 21: [2], 6: [4], 16: [], 5: [5, 3]}

    result = maturity_index(V1, levels)

    assert result.themes == {
        10: Decimal("3.5"),
        21: Decimal("2"),
        6: Decimal("4"),
        5: Decimal("4"),
    }
    assert result.dimensions == {
        "governance": Decimal("2.75"),
        "people": Decimal("4"),
        "economy": Decimal("4"),
    }
    assert str(result.index) == "3.58"
    assert result.verified_count == 6


def test_maturity_index_of_all_six_dimensions_is_their_equal_weight_mean():
    # One theme per dimension: (1 + 2 + 3 + 4 + 5 + 5) / 6 = 20 / 6 = 3.333 -> 3.33
    levels = {10: [1], 6: [2], 11: [3], 18: [4], 7: [5], 5: [5]}

    result = maturity_index(V1, levels)

    assert str(result.index) == "3.33"


def test_maturity_index_applies_dimension_weights():
    # governance 2 with weight 3, people 5 with weight 1: (6 + 5) / 4 = 2.75
    document = {
        "maturity": {
            "dimensions": [
                {"code": "governance", "weight": 3, "themes": [10]},
                {"code": "people", "weight": 1, "themes": [6]},
            ],
            "index_decimals": 2,
        }
    }

    result = maturity_index(document, {10: [2], 6: [5]})

    assert str(result.index) == "2.75"


def test_maturity_index_without_any_level_is_none():
    result = maturity_index(V1, {10: [], 16: []})

    assert result.index is None
    assert result.verified_count == 0


@pytest.mark.parametrize(
    ("index", "predicate"),
    [
        ("1.00", "Kurang"),
        ("1.79", "Kurang"),
        ("1.80", "Cukup"),
        ("2.59", "Cukup"),
        ("2.6", "Baik"),
        ("3.49", "Baik"),
        ("3.5", "Sangat Baik"),
        ("4.19", "Sangat Baik"),
        ("4.2", "Memuaskan"),
        ("5.00", "Memuaskan"),
    ],
)
def test_predicate_band_starts_at_its_lower_bound(index, predicate):
    band = predicate_for(V1, Decimal(index))

    assert _name(band) == predicate


def test_predicate_of_no_index_is_none():
    band = predicate_for(V1, None)

    assert band is None


@pytest.mark.parametrize(
    ("index", "verified", "tier"),
    [
        ("4.6", 59, "M4"),
        ("4.6", 60, "M5"),
        ("4.5", 60, "M5"),
        ("4.49", 80, "M4"),
        ("4.2", 39, "M3"),
        ("3.5", 20, "M3"),
        ("2.6", 9, "M1"),
        ("2.6", 10, "M2"),
        ("1.8", 5, "M1"),
        ("1.8", 4, None),
        ("1.79", 80, None),
    ],
)
def test_tier_needs_both_the_index_and_the_coverage(index, verified, tier):
    chosen = tier_for(V1, Decimal(index), verified)

    assert (chosen["code"] if chosen else None) == tier


def test_tier_of_no_index_is_none():
    chosen = tier_for(V1, None, 80)

    assert chosen is None


def test_label_picks_the_requested_language():
    tier = V1["maturity"]["tiers"][4]

    names = (label(tier, "en"), label(tier, "id"))

    assert names == ("Paripurna (Diamond)", "Paripurna (Berlian)")
