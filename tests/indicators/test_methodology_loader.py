"""Validating and storing methodology versions."""

import copy
import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from kotacerdas.common.models import AuditEvent
from kotacerdas.indicators.models import Methodology
from kotacerdas.indicators.services import (
    DATA_DIR,
    check_methodology,
    current_methodology,
    load_default_methodologies,
    load_methodology,
)

pytestmark = pytest.mark.django_db

ALL_THEMES = "5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23"


@pytest.fixture
def document():
    """A fresh copy of the default methodology v1, safe to change."""
    return json.loads((DATA_DIR / "methodology" / "v1.json").read_text("utf-8"))


def _messages(document):
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            check_methodology(document)
        return list(caught.value.messages)


def test_valid_v1_passes_the_check(document):
    check_methodology(document)

    assert document["version"] == 1


def test_v1_is_loaded_and_current(document):
    methodology = current_methodology()

    assert methodology.version == 1
    assert methodology.document == document


def test_v1_has_names_in_both_languages():
    methodology = current_methodology()

    assert methodology.name_id == "Metodologi bawaan Indeks Kematangan Kota Cerdas"
    assert methodology.name_en == "Default Smart City Maturity Index methodology"


def test_reloading_the_defaults_changes_nothing():
    outcomes = load_default_methodologies()

    assert [(m.version, outcome) for m, outcome in outcomes] == [(1, "unchanged")]


def test_reloading_the_defaults_writes_no_audit_event():
    before = AuditEvent.objects.filter(action="methodology.loaded").count()

    load_default_methodologies()

    assert AuditEvent.objects.filter(action="methodology.loaded").count() == before


def test_missing_maturity_level_is_refused(document):
    del document["maturity"]["levels"][2]

    messages = _messages(document)

    assert messages == ["The maturity rubric must define levels 1 to 5, in order."]


def test_themes_not_covering_all_19_are_refused(document):
    document["maturity"]["dimensions"][4]["themes"].remove(23)

    messages = _messages(document)

    assert messages == [
        f"Every theme must belong to exactly one dimension (themes {ALL_THEMES})."
    ]


def test_theme_in_two_dimensions_is_refused(document):
    document["maturity"]["dimensions"][0]["themes"].append(16)

    messages = _messages(document)

    assert messages == [
        f"Every theme must belong to exactly one dimension (themes {ALL_THEMES})."
    ]


def test_tiers_not_ascending_by_index_are_refused(document):
    tiers = document["maturity"]["tiers"]
    tiers[1]["min_index"], tiers[2]["min_index"] = 3.5, 2.6

    messages = _messages(document)

    assert messages == ["Tiers must be listed in ascending order of min_index."]


def test_tiers_not_ascending_by_coverage_are_refused(document):
    document["maturity"]["tiers"][4]["min_verified"] = 30

    messages = _messages(document)

    assert messages == ["Tiers must be listed in ascending order of min_verified."]


def test_repeated_predicate_bound_is_refused(document):
    document["maturity"]["predicates"][2]["min"] = 1.8

    messages = _messages(document)

    assert messages == ["Predicates must not repeat a value of min."]


def test_unknown_must_meet_criterion_is_refused(document):
    document["readiness"]["must_meet"] = ["I1", "S1", "X9"]

    messages = _messages(document)

    assert messages == ["Criteria that must be met are not defined: X9."]


@pytest.mark.parametrize("weight", [0, -1, "1", None, True])
def test_criterion_without_a_positive_number_weight_is_refused(document, weight):
    document["readiness"]["criteria"][0]["weight"] = weight

    messages = _messages(document)

    assert messages == ["Criterion S1 needs a positive weight."]


def test_dimension_with_zero_weight_is_refused(document):
    document["maturity"]["dimensions"][0]["weight"] = 0

    messages = _messages(document)

    assert messages == ["Dimension governance needs a positive weight."]


def test_unknown_dimension_is_refused(document):
    document["maturity"]["dimensions"][0]["code"] = "culture"

    messages = _messages(document)

    assert messages == ["Unknown dimension culture."]


def test_every_problem_is_listed_at_once(document):
    del document["maturity"]["levels"][0]
    document["readiness"]["must_meet"] = ["Z1"]

    messages = _messages(document)

    assert messages == [
        "Criteria that must be met are not defined: Z1.",
        "The maturity rubric must define levels 1 to 5, in order.",
    ]


def test_document_that_is_not_an_object_is_refused():
    messages = _messages([1, 2, 3])

    assert messages == ["A methodology must be a JSON object."]


def test_loading_an_invalid_document_stores_nothing(document):
    document["version"] = 2
    document["readiness"]["must_meet"] = ["X9"]

    with pytest.raises(ValidationError):
        load_methodology(document)

    assert Methodology.objects.filter(version=2).exists() is False


def test_changed_document_of_an_in_use_version_is_refused(document):
    Methodology.objects.filter(version=1).update(in_use=True)
    document["readiness"]["ready_threshold"] = 60

    with translation.override("en"), pytest.raises(ValidationError) as caught:
        load_methodology(document)

    assert caught.value.messages == [
        "Methodology version 1 is in use and cannot change; "
        "publish the new rules as a new version."
    ]


def test_refused_change_leaves_the_in_use_document_as_it_was(document):
    original = copy.deepcopy(document)
    Methodology.objects.filter(version=1).update(in_use=True)
    document["readiness"]["ready_threshold"] = 60

    with pytest.raises(ValidationError):
        load_methodology(document)

    assert Methodology.objects.get(version=1).document == original


def test_unchanged_document_of_an_in_use_version_loads_as_unchanged(document):
    Methodology.objects.filter(version=1).update(in_use=True)

    _methodology, outcome = load_methodology(document)

    assert outcome == "unchanged"


def test_changed_document_of_an_unused_version_is_updated(document):
    document["readiness"]["ready_threshold"] = 60

    methodology, outcome = load_methodology(document)

    assert outcome == "updated"
    assert methodology.document["readiness"]["ready_threshold"] == 60


def test_new_version_made_current_replaces_the_old_current(document):
    document["version"] = 2

    load_methodology(document, make_current=True)

    assert list(
        Methodology.objects.filter(is_current=True).values_list("version", flat=True)
    ) == [2]


def test_new_version_is_recorded_in_the_audit_trail(document):
    document["version"] = 2

    methodology, _outcome = load_methodology(document)

    event = AuditEvent.objects.get(
        action="methodology.loaded", object_id=str(methodology.pk)
    )
    assert event.note == "created"
