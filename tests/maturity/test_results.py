"""The results queries: which reports the public sees, peers, the national
overview. Expected figures are computed by hand in the comments."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from kotacerdas.maturity import results
from kotacerdas.maturity.models import (
    MaturityReport,
    PublicationPolicy,
    ReportState,
)
from kotacerdas.regions.models import Region
from tests.maturity.factories_results import certify, consent, published, set_policy

pytestmark = pytest.mark.django_db


def _codes(reports):
    return sorted(r.stage.registration.region.code for r in reports)


# Which reports the public sees --------------------------------------------------


def test_mode_all_without_consent_shows_every_published_report():
    set_policy("all", require_consent=False)
    published("33.72")
    published("32.01")

    assert _codes(results.public_reports()) == ["32.01", "33.72"]


def test_drafts_and_superseded_versions_are_never_public():
    set_policy("all", require_consent=False)
    old = published("33.72", version=1)
    MaturityReport.objects.filter(pk=old.pk).update(state=ReportState.SUPERSEDED)
    current = published("32.01")
    MaturityReport.objects.create(
        stage=current.stage, version=2, drafted_by=current.drafted_by
    )

    assert [r.pk for r in results.public_reports()] == [current.pk]


def test_consent_required_hides_regions_that_did_not_consent():
    set_policy("all", require_consent=True)
    published("33.72")
    published("32.01")
    published("35.78")
    consent("33.72")
    consent("32.01", consented=False)  # withdrawn
    # 35.78 never decided.

    assert _codes(results.public_reports()) == ["33.72"]


def test_certified_mode_shows_only_stages_with_a_valid_maturity_certificate():
    set_policy("certified", require_consent=False)
    valid = published("33.72")
    certify(valid)
    expired = published("32.01")
    certify(expired, valid_until=timezone.localdate() - timedelta(days=1))
    suspended = published("35.78")
    certify(suspended, state="suspended")
    revoked = published("32.73")
    certify(revoked, state="revoked")
    published("32.71")  # no certificate at all
    today = published("32.04")
    certify(today, valid_until=timezone.localdate())

    assert _codes(results.public_reports()) == ["32.04", "33.72"]


def test_certified_and_consent_together_need_both():
    set_policy("certified", require_consent=True)
    both = published("33.72")
    certify(both)
    consent("33.72")
    only_certified = published("32.01")
    certify(only_certified)
    published("35.78")
    consent("35.78")  # consented but uncertified

    assert _codes(results.public_reports()) == ["33.72"]


def test_the_default_policy_is_certified_with_consent():
    policy = PublicationPolicy.current()

    assert (policy.mode, policy.require_consent) == ("certified", True)


def test_the_certificate_of_the_stage_is_annotated_for_the_lists():
    set_policy("all")
    report = published("33.72")
    certificate = certify(report)
    published("32.01")

    rows = {
        r.stage.registration.region.code: r.certificate_number
        for r in results.with_details(results.public_reports())
    }

    assert rows == {"33.72": certificate.number, "32.01": None}


def test_filters_by_period_province_kind_and_tier():
    set_policy("all")
    published("33.72", 2025, tier="M1")  # Kota Surakarta, Jawa Tengah
    published("33.72", 2026, tier="M2")
    published("33.01", 2026, tier="M2")  # Kabupaten Cilacap, Jawa Tengah
    published("32.73", 2026, tier="", index="1.50")  # Kota Bandung, Jawa Barat
    reports = results.public_reports()

    def found(**kwargs):
        return [
            (r.stage.registration.region.code, r.period)
            for r in results.listed(reports, results.Filters(**kwargs))
        ]

    assert found(period=2025) == [("33.72", 2025)]
    assert found(province="33", period=2026) == [("33.01", 2026), ("33.72", 2026)]
    assert found(kind="city", period=2026) == [("32.73", 2026), ("33.72", 2026)]
    assert found(tier="M2") == [("33.01", 2026), ("33.72", 2026)]
    assert found(tier="none") == [("32.73", 2026)]
    # Newest period first, then by region code.
    assert found()[-1] == ("33.72", 2025)


# A region over time and among its peers --------------------------------------------


def test_trend_lists_the_region_periods_oldest_first():
    set_policy("all")
    published("33.72", 2026, index="3.40")
    published("33.72", 2024, index="2.10")
    published("32.01", 2025)
    region = Region.objects.get(code="33.72")

    trend = results.trend(results.public_reports(), region)

    assert [(r.period, r.index) for r in trend] == [
        (2024, Decimal("2.10")),
        (2026, Decimal("3.40")),
    ]


def test_peers_are_same_kind_same_period_with_median_quartiles_and_rank():
    set_policy("all")
    # Five kota in 2026: 1.00, 2.00, 3.00, 4.00, 5.00.
    # Inclusive quartiles: positions 1 + 4 x 0.25 = 2 and 1 + 4 x 0.75 = 4, so
    # Q1 = 2.00, median 3.00, Q3 = 4.00. Kota Surakarta at 4.00 ranks 2nd.
    for code, index in [
        ("33.72", "4.00"),
        ("32.73", "1.00"),
        ("32.71", "2.00"),
        ("32.75", "3.00"),
        ("35.78", "5.00"),
    ]:
        published(code, 2026, index=index)
    published("33.01", 2026, index="4.90")  # a kabupaten: not a peer
    published("32.74", 2025, index="4.90")  # another period: not a peer
    surakarta = results.report_of(results.public_reports(), "33.72", 2026)

    peers = results.peers(results.public_reports(), surakarta)

    assert peers == results.Peers(
        count=5,
        median=Decimal("3.00"),
        lower_quartile=Decimal("2.00"),
        upper_quartile=Decimal("4.00"),
        rank=2,
    )


def test_peer_quartiles_interpolate_between_values():
    set_policy("all")
    # Four kota: 1.00, 2.00, 2.50, 4.00. Median (2.00 + 2.50) / 2 = 2.25.
    # Q1 at position 1 + 3 x 0.25 = 1.75: 1.00 + 0.75 x (2.00 - 1.00) = 1.75.
    # Q3 at position 1 + 3 x 0.75 = 3.25: 2.50 + 0.25 x (4.00 - 2.50) = 2.875,
    # rounded half up to 2.88.
    for code, index in [
        ("33.72", "2.00"),
        ("32.73", "1.00"),
        ("32.71", "2.50"),
        ("32.75", "4.00"),
    ]:
        published(code, 2026, index=index)
    report = results.report_of(results.public_reports(), "32.73", 2026)

    peers = results.peers(results.public_reports(), report)

    assert (peers.median, peers.lower_quartile, peers.upper_quartile) == (
        Decimal("2.25"),
        Decimal("1.75"),
        Decimal("2.88"),
    )
    assert peers.rank == 4


def test_dimension_scores_read_the_frozen_result():
    report = published(
        dimensions={"governance": "3.50", "people": None, "living": "2.25"}
    )

    assert results.dimension_scores(report) == {
        "governance": Decimal("3.50"),
        "living": Decimal("2.25"),
    }


# The national overview -----------------------------------------------------------


def _overview(period=2026, kind=""):
    labels = results.labels()
    return results.national_overview(
        results.Filters(period=period, kind=kind), labels.tier_codes
    )


def test_tiers_are_counted_by_province():
    published("33.72", tier="M2")  # Jawa Tengah
    published("33.01", tier="M2")
    published("33.02", tier="", index="1.20")
    published("32.73", tier="M3")  # Jawa Barat
    published("32.01", 2025, tier="M5")  # another period

    overview = _overview()

    rows = {row.code: (row.counts, row.total) for row in overview.provinces}
    zero = dict.fromkeys(["M1", "M2", "M3", "M4", "M5", ""], 0)
    assert rows == {
        "32": ({**zero, "M3": 1}, 1),
        "33": ({**zero, "M2": 2, "": 1}, 3),
    }
    assert overview.tier_totals == {**zero, "M2": 2, "M3": 1, "": 1}
    assert overview.reports == 4


def test_the_overview_counts_published_reports_whatever_the_policy():
    set_policy("certified", require_consent=True)
    published("33.72")

    assert _overview().reports == 1
    assert list(results.public_reports()) == []


def test_histogram_bins_of_half_a_point_with_five_in_the_last_bin():
    # 1.00 and 1.49 -> [1.0, 1.5); 1.50 -> [1.5, 2.0); 4.50 and 5.00 -> [4.5, 5.0].
    for code, index in [
        ("33.72", "1.00"),
        ("33.01", "1.49"),
        ("33.02", "1.50"),
        ("33.03", "4.50"),
        ("33.04", "5.00"),
    ]:
        published(code, index=index)
    published("33.05", index=None, tier="", predicate="")

    overview = _overview()

    assert [(b.low, b.high, b.count) for b in overview.bins] == [
        (Decimal("1"), Decimal("1.5"), 2),
        (Decimal("1.5"), Decimal("2.0"), 1),
        (Decimal("2"), Decimal("2.5"), 0),
        (Decimal("2.5"), Decimal("3.0"), 0),
        (Decimal("3"), Decimal("3.5"), 0),
        (Decimal("3.5"), Decimal("4.0"), 0),
        (Decimal("4"), Decimal("4.5"), 0),
        (Decimal("4.5"), Decimal("5.0"), 2),
    ]
    assert [b.share for b in overview.bins][:2] == [100, 50]
    assert overview.without_index == 1


def test_weakest_and_strongest_indicators_by_mean_level_over_regions():
    # Three regions, three indicators (the first three clauses).
    # First: 1, 2, 3 -> mean 2.00. Second: 5, 5, rejected -> 5.00 over 2.
    # Third: 2, 2, 1 -> 1.67 (5 / 3 rounded half up).
    published("33.72", levels=[1, 5, 2])
    published("33.01", levels=[2, 5, 2])
    published("32.73", levels=[3, None, 1])

    overview = _overview()

    weakest = [(m.indicator.sort_key, m.mean, m.count) for m in overview.weakest]
    first, second, third = sorted(weakest)
    assert [m.mean for m in overview.weakest] == [
        Decimal("1.67"),
        Decimal("2.00"),
        Decimal("5.00"),
    ]
    assert (first[1], first[2]) == (Decimal("2.00"), 3)
    assert (second[1], second[2]) == (Decimal("5.00"), 2)
    assert (third[1], third[2]) == (Decimal("1.67"), 3)
    assert [m.mean for m in overview.strongest] == [
        Decimal("5.00"),
        Decimal("2.00"),
        Decimal("1.67"),
    ]


def test_the_overview_filters_by_kind():
    published("33.72", tier="M2")  # kota
    published("33.01", tier="M1")  # kabupaten

    assert _overview(kind="regency").tier_totals["M1"] == 1
    assert _overview(kind="regency").reports == 1
    assert _overview(kind="city").tier_totals["M2"] == 1


def test_labels_name_tiers_and_predicates_in_the_active_language():
    labels = results.labels()

    assert labels.tier("M1") == "Pratama (Bronze)"
    assert labels.predicate("Baik") == "Good"
    assert [code for code, _name in labels.dimensions][:2] == ["governance", "people"]
