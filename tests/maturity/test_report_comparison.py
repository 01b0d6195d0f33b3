"""The comparison frozen in a report: the region's previous period and its
peer group, with hand-computed medians and quartiles."""

from decimal import Decimal

import pytest

from kotacerdas.assessments.models import StageRecord
from kotacerdas.maturity.comparison import distribution
from kotacerdas.maturity.models import MaturityReport, ReportState
from kotacerdas.regions.models import Region
from kotacerdas.registrations.models import Registration
from kotacerdas.scheduling.models import Stage
from tests.maturity.factories_review import decided_world
from tests.maturity.test_report_services import published
from tests.scheduling.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


def peer_report(code, index, *, period=2027, state=ReportState.PUBLISHED, **scores):
    """A published report of another region, as its figures were frozen."""
    registration = RegistrationFactory(
        region=Region.objects.get(code=code), period=period
    )
    stage = StageRecord.objects.create(registration=registration, stage=Stage.MATURITY)
    return MaturityReport.objects.create(
        stage=stage,
        state=state,
        index=Decimal(index),
        tier="M1",
        drafted_by=registration.coordinator,
        result={
            "dimensions": [
                {"code": code, "score": score} for code, score in scores.items()
            ]
        },
    )


def test_distribution_by_hand():
    # Sorted 2.00 3.00 3.50 4.00: median (3.00 + 3.50) / 2 = 3.25; inclusive
    # quartiles at positions 1.75 and 3.25 (1-based): 2.00 + 0.75 × 1.00 = 2.75
    # and 3.50 + 0.25 × 0.50 = 3.625, rounded half up to 3.63.
    figures = distribution(["3.00", "2.00", "4.00", "3.50"])
    assert figures == {
        "count": 4,
        "median": "3.25",
        "q1": "2.75",
        "q3": "3.63",
        "min": "2.00",
        "max": "4.00",
    }
    assert distribution(["2.40"])["q1"] == "2.40"
    assert distribution([]) == {"count": 0}


def test_peers_are_the_published_regions_of_the_same_kind_and_period():
    peer_report("33.71", "2.00", economy="2.00", people="1.00")  # Kota Magelang
    peer_report("33.73", "3.50", economy="4.00")  # Kota Salatiga
    peer_report("33.74", "4.00", economy="3.00")  # Kota Semarang
    peer_report("33.01", "1.50", economy="1.00")  # Kabupaten Cilacap: national only
    peer_report("33.75", "5.00", state=ReportState.SUPERSEDED)  # not current
    peer_report("33.76", "4.50", period=2026)  # another period
    # Surakarta: six indicators at level 3 in themes 5 (economy) and 6 (people).
    w = decided_world()
    report = published(w)

    group = report.result["peers"]["group"]
    # Kota: 2.00 3.00 (Surakarta) 3.50 4.00.
    assert (group["kind"], group["count"], group["median"]) == ("city", 4, "3.25")
    assert (group["q1"], group["q3"]) == ("2.75", "3.63")
    # Two kota above Surakarta's 3.00: rank 3.
    assert group["rank"] == 3
    # Economy: 2.00 4.00 3.00 and Surakarta's 3.00 → 3.00; people: 1.00 and
    # 3.00 → 2.00; governance: nobody has it.
    assert group["dimensions"]["economy"] == "3.00"
    assert group["dimensions"]["people"] == "2.00"
    assert group["dimensions"]["governance"] is None

    national = report.result["peers"]["national"]
    # Every kind: 1.50 2.00 3.00 3.50 4.00: median 3.00; quartiles at positions
    # 2 and 4: 2.00 and 3.50.
    assert (national["count"], national["median"]) == (5, "3.00")
    assert (national["q1"], national["q3"]) == ("2.00", "3.50")


def test_previous_period_of_the_region():
    # 2026: every indicator verified at level 2 (index 2.00, M1).
    earlier = decided_world(levels=2)
    Registration.objects.filter(pk=earlier.registration.pk).update(period=2026)
    first = published(earlier)
    assert first.index == Decimal("2.00")

    # 2027: the same six indicators, two raised to 4, the rest at 3.
    w = decided_world(levels=[4, 4, 3, 3, 3, 3])
    report = published(w)
    previous = report.result["previous"]
    assert previous["period"] == 2026
    assert previous["report"] == first.pk
    assert previous["index"] == "2.00"
    assert previous["tier"] == "M1"
    assert previous["dimensions"]["economy"] == "2.00"
    changes = {
        c["clause"]: (c["from"], c["to"], c["change"]) for c in previous["changes"]
    }
    clauses = [i.clause for i in w.indicators]
    assert changes[clauses[0]] == (2, 4, 2)
    assert changes[clauses[5]] == (2, 3, 1)
    assert len(changes) == 6


def test_no_previous_period_and_no_peers():
    w = decided_world()
    report = published(w)
    assert report.result["previous"] is None
    group = report.result["peers"]["group"]
    assert (group["count"], group["median"], group["rank"]) == (1, "3.00", 1)
