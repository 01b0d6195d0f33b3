"""Agreement between assessors: the weighted kappa against a hand-computed
example, the query over finished stages, and the admin's pages."""

from decimal import Decimal

import pytest
from django.urls import reverse

from kotacerdas.maturity import agreement, services_review
from tests.factories import UserFactory
from tests.maturity.factories_review import entries_for, entry, review_world

D = Decimal

# Five indicators, (own level, other's level):
#   (1,1) (2,2) (3,4) (4,4) (5,3)
# Linear disagreement weights w = |i − j| / 4.
# Observed mean weight: (0 + 0 + 1/4 + 0 + 2/4) / 5 = 0.75 / 5 = 0.15.
# Marginals: own 1..5 each 1/5; other: 1→1/5, 2→1/5, 3→1/5, 4→2/5, 5→0.
# Expected mean weight Σ_i Σ_j w_ij · p_i · q_j, per own level i (p_i = 1/5):
#   i=1: (0·.2 + 1·.2 + 2·.2 + 3·.4) / 4 = 1.8/4 = .45
#   i=2: (1·.2 + 0·.2 + 1·.2 + 2·.4) / 4 = 1.2/4 = .30
#   i=3: (2·.2 + 1·.2 + 0·.2 + 1·.4) / 4 = 1.0/4 = .25
#   i=4: (3·.2 + 2·.2 + 1·.2 + 0·.4) / 4 = 1.2/4 = .30
#   i=5: (4·.2 + 3·.2 + 2·.2 + 1·.4) / 4 = 2.2/4 = .55
#   sum 1.85 × 1/5 = 0.37
# κw = 1 − 0.15 / 0.37 = 1 − 0.405405… = 0.594594… → 0.595
# Exact: 3 of 5 = 60.0 %; within one level: 4 of 5 = 80.0 %.
OWN = [1, 2, 3, 4, 5]
OTHER = [1, 2, 4, 4, 3]
PAIRS = list(zip(OWN, OTHER, strict=True))


def test_weighted_kappa_of_the_hand_computed_example():
    assert agreement.weighted_kappa(PAIRS) == D("0.595")


def test_kappa_does_not_depend_on_who_is_first():
    assert agreement.weighted_kappa([(b, a) for a, b in PAIRS]) == D("0.595")


def test_agreement_figures_of_the_example():
    verifications = [("verified", "verified")] * 4 + [("verified", "adjusted")]
    result = agreement.agreement(PAIRS, verifications)
    assert result.pairs == 5
    assert result.kappa == D("0.595")
    assert result.exact == D("60.0")
    assert result.within_one == D("80.0")
    assert result.verification_pairs == 5
    assert result.verification == D("80.0")  # 4 of 5


def test_full_agreement_and_the_undefined_cases():
    assert agreement.weighted_kappa([(1, 1), (3, 3), (5, 5)]) == D("1.000")
    # Both sides used level 3 only: the expected disagreement is 0.
    assert agreement.weighted_kappa([(3, 3), (3, 3)]) is None
    assert agreement.weighted_kappa([]) is None
    empty = agreement.agreement([], [])
    assert (empty.pairs, empty.kappa, empty.exact, empty.verification) == (
        0,
        None,
        None,
        None,
    )
    # Opposite extremes only: observed 1, expected 0.5 → 1 − 1/0.5 = −1.
    assert agreement.weighted_kappa([(1, 5), (5, 1)]) == D("-1.000")


def finished_world():
    """Lead: levels 1–5; second: 1, 2, 4, 4, 3 and rejects nothing; the lead
    reconciles the differing indicators and completes the assessment."""
    w = review_world(indicator_count=5)
    services_review.record_levels(w.stage, actor=w.lead, entries=entries_for(w, OWN))
    services_review.submit_levels(w.stage, actor=w.lead)
    services_review.record_levels(
        w.stage, actor=w.second, entries=entries_for(w, OTHER)
    )
    services_review.submit_levels(w.stage, actor=w.second)
    for position in (2, 4):
        services_review.reconcile_level(
            w.stage, actor=w.lead, indicator=w.indicators[position], entry=entry(4)
        )
    services_review.complete_assessment(w.stage, actor=w.lead)
    w.refresh()
    return w


@pytest.mark.django_db
def test_query_pairs_each_assessor_with_the_others():
    w = finished_world()
    figures = agreement.by_assessor()
    assert set(figures) == {w.lead.pk, w.second.pk}
    for person in (w.lead, w.second):
        assert figures[person.pk].pairs == 5
        assert figures[person.pk].kappa == D("0.595")
        assert figures[person.pk].exact == D("60.0")
        assert figures[person.pk].verification == D("100.0")
    periods = agreement.by_period(w.lead.pk)
    assert [period for period, _a in periods] == [w.registration.period]
    assert periods[0][1].kappa == D("0.595")


@pytest.mark.django_db
def test_unfinished_stages_and_lone_assessors_give_no_pairs():
    w = review_world(indicator_count=5)
    services_review.record_levels(w.stage, actor=w.lead, entries=entries_for(w, OWN))
    services_review.submit_levels(w.stage, actor=w.lead)
    services_review.record_levels(
        w.stage, actor=w.second, entries=entries_for(w, OTHER)
    )
    services_review.submit_levels(w.stage, actor=w.second)
    # Under review: not finished, not counted.
    assert agreement.by_assessor() == {}
    assert agreement.by_period(w.lead.pk) == []


@pytest.mark.django_db
def test_rejected_indicators_count_for_verification_only():
    w = review_world(indicator_count=5)
    lead = entries_for(w, [3, 3, 3, 3, None])
    second = entries_for(w, [3, 3, 3, 3, 3])
    services_review.record_levels(w.stage, actor=w.lead, entries=lead)
    services_review.submit_levels(w.stage, actor=w.lead)
    services_review.record_levels(w.stage, actor=w.second, entries=second)
    services_review.submit_levels(w.stage, actor=w.second)
    services_review.reconcile_level(
        w.stage, actor=w.lead, indicator=w.indicators[4], entry=entry(3)
    )
    services_review.complete_assessment(w.stage, actor=w.lead)
    result = agreement.by_assessor()[w.lead.pk]
    assert result.pairs == 4  # the rejected indicator has no level pair
    assert result.verification_pairs == 5
    assert result.verification == D("80.0")
    assert result.kappa is None  # level 3 only on both sides


# The admin's pages.


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"),
    [("admin", 200), ("lead", 404), ("second", 404), ("coordinator", 404)],
)
def test_agreement_pages_are_for_the_admin_only(client, role, status):
    w = finished_world()
    client.force_login(getattr(w, role))
    assert client.get(reverse("maturity:agreement")).status_code == status
    detail = reverse("maturity:agreement_detail", args=[w.lead.pk])
    assert client.get(detail).status_code == status


@pytest.mark.django_db
def test_agreement_page_lists_every_assessor_with_the_figures(
    client, django_assert_max_num_queries
):
    w = finished_world()
    client.force_login(w.admin)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("maturity:agreement"))
    html = response.content.decode()
    assert "Budi Santoso" in html and "Dewi Lestari" in html
    assert html.count("0.595") == 2
    assert "60.0 %" in html
    detail = client.get(reverse("maturity:agreement_detail", args=[w.second.pk]))
    text = detail.content.decode()
    assert str(w.registration.period) in text
    assert "0.595" in text


@pytest.mark.django_db
def test_agreement_page_of_an_unknown_assessor_is_404(client):
    admin = UserFactory(roles=["admin"])
    client.force_login(admin)
    url = reverse("maturity:agreement_detail", args=[999999])
    assert client.get(url).status_code == 404
