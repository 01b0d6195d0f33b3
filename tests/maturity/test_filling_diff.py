"""What the region changed in a maturity response during a clarification."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kotacerdas.assessments import services
from kotacerdas.assessments.diff import response_diff, snapshot_response
from kotacerdas.maturity import services_filling
from tests.maturity.factories import submitted_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    """Every indicator filled with 40 ÷ 100 (percentages), level 3; the
    assessors ask about the first two."""
    w = submitted_world(indicator_count=5)
    services.start_review(w.stage, actor=w.lead)
    w.clarification = services.open_clarification(
        w.stage,
        actor=w.second,
        indicators=w.indicators[:2],
        question="Mohon periksa pembilang.",
        due_date=timezone.localdate() + timedelta(days=7),
    )
    w.refresh()
    return w


def test_the_snapshot_holds_the_maturity_figures(w):
    snapshot = w.clarification.snapshot[str(w.indicators[0].pk)]
    assert snapshot["maturity"]["numerator"] == "40"
    assert snapshot["maturity"]["denominator"] == "100"
    assert snapshot["maturity"]["self_level"] == "3"
    assert snapshot["maturity"]["data_year"] == "2026"
    assert snapshot["maturity"]["direct_value"] == ""
    assert snapshot["answers"] == {}


def test_the_diff_lists_changed_figures_readably(w):
    response = w.response(0)
    services_filling.save_data(
        response,
        actor=w.coordinator,
        fields={"numerator": 45, "self_level": 4, "source": "BPS Kota Surakarta"},
    )
    services.add_evidence(
        response, actor=w.coordinator, label="Rekap BPS", url="https://bps.test/r"
    )
    changes = [str(change) for change in response_diff(response, w.clarification)]
    assert changes == [
        "Numerator: 40 → 45",
        "Data source: Dinas Komunikasi dan Informatika → BPS Kota Surakarta",
        "Self-assessed level: 3 → 4",
        "Evidence added: Rekap BPS (https://bps.test/r)",
    ]


def test_an_emptied_field_shows_a_dash(w):
    response = w.response(1)
    services_filling.save_data(response, actor=w.coordinator, fields={"method": ""})
    assert [str(c) for c in response_diff(response, w.clarification)] == [
        "Method notes: Rekap tahunan dari aplikasi. → —"
    ]


def test_nothing_changed_no_diff(w):
    assert response_diff(w.response(0), w.clarification) == []
    # An indicator the clarification did not reopen has no snapshot.
    assert response_diff(w.response(2), w.clarification) == []


def test_a_readiness_snapshot_has_no_maturity_part(w):
    readiness_response = w.readiness.responses.first()
    assert "maturity" not in snapshot_response(readiness_response)
