"""The results pages: who may open them, what they show, how many queries."""

import pytest
from django.urls import reverse
from django.utils import translation

from kotacerdas.accounts.models import Role
from tests.factories import ParticipantFactory, UserFactory
from tests.maturity.factories_results import certify, consent, published, set_policy

pytestmark = pytest.mark.django_db

CODES = [
    "33.72", "33.71", "33.73", "33.74", "33.75", "33.76", "32.71", "32.72",
    "32.73", "32.74", "32.75", "32.76", "32.77", "32.78", "32.79", "35.71",
    "35.72", "35.73", "35.74", "35.75", "35.76", "35.77", "35.78", "35.79",
    "33.01", "33.02", "33.03", "33.04", "33.05", "33.06",
]  # fmt: skip


@pytest.fixture
def people():
    surakarta = "33.72"
    from kotacerdas.regions.models import Region

    region = Region.objects.get(code=surakarta)
    return {
        "admin": UserFactory(roles=[Role.ADMIN], preferred_language="en"),
        "assessor": UserFactory(roles=[Role.ASSESSOR], preferred_language="en"),
        "instructor": UserFactory(roles=[Role.INSTRUCTOR], preferred_language="en"),
        "coordinator": ParticipantFactory(preferred_language="en"),
        "member": UserFactory(
            roles=[Role.REGION_MEMBER], region=region, preferred_language="en"
        ),
        "outsider": ParticipantFactory(
            region=Region.objects.get(code="32.01"), preferred_language="en"
        ),
    }


@pytest.fixture
def surakarta_results():
    published("33.72", 2025, index="2.40", tier="M1")
    return published("33.72", 2026, index="3.60", tier="M3", predicate="Sangat Baik")


# Permission matrix of the signed-in pages ----------------------------------------

# Reversed in English whatever language the collection runs in, so that the
# pages answer in the language the assertions use.
with translation.override("en"):
    REGION = reverse("maturity:results_region", args=["33.72"])
    RADAR = reverse("maturity:results_radar", args=["33.72"])
    TREND = reverse("maturity:results_trend", args=["33.72"])
    CONSENT = reverse("maturity:results_consent")
    NATIONAL = reverse("maturity:national_overview")
    POLICY = reverse("maturity:publication_policy")
ROLES = ["admin", "assessor", "instructor", "coordinator", "member", "outsider"]
MATRIX = {
    # The region's own people, every assessor and the admins; others 404.
    REGION: {"admin", "assessor", "coordinator", "member"},
    RADAR: {"admin", "assessor", "coordinator", "member"},
    TREND: {"admin", "assessor", "coordinator", "member"},
    # A coordinator's own region's consent (the outsider has their own).
    CONSENT: {"coordinator", "outsider"},
    NATIONAL: {"admin"},
    POLICY: {"admin"},
}
CASES = [(url, role) for url in MATRIX for role in ROLES]


@pytest.mark.parametrize(("url", "role"), CASES)
def test_permission_matrix(client, people, surakarta_results, url, role):
    client.force_login(people[role])

    response = client.get(url)

    assert response.status_code == (200 if role in MATRIX[url] else 404)


@pytest.mark.parametrize("url", list(MATRIX))
def test_anonymous_visitors_are_sent_to_the_login(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert "/akun/masuk/" in response["Location"]


def test_a_province_code_is_not_a_region_page(client, people):
    client.force_login(people["admin"])

    assert client.get(reverse("maturity:results_region", args=["33"])).status_code == (
        404
    )


def test_signed_in_page_shows_results_whatever_the_policy(
    client, people, surakarta_results
):
    set_policy("certified", require_consent=True)  # nothing is public
    client.force_login(people["member"])

    # Without a language prefix the page is in Indonesian, its notation too.
    with translation.override("id"):
        response = client.get(reverse("maturity:results_region", args=["33.72"]))

    page = response.content.decode()
    assert [r.period for r in response.context["trend"]] == [2025, 2026]
    assert "3,60" in page
    assert "Sangat Baik" in page
    assert "M3 Madya (Emas)" in page
    assert response.context["consent"].consented is False


def test_signed_in_page_of_a_region_without_results(client, people):
    client.force_login(people["coordinator"])

    response = client.get(REGION)

    assert response.status_code == 200
    assert "No Maturity Index report of this region is published yet." in (
        response.content.decode()
    )


# Public pages ----------------------------------------------------------------------


def test_public_list_shows_only_what_the_policy_allows(client):
    set_policy("certified", require_consent=True)
    shown = published("33.72")
    certify(shown)
    consent("33.72")
    uncertified = published("32.73")
    consent("32.73")
    unconsented = published("35.78")
    certify(unconsented)

    response = client.get(reverse("open_results:list"))

    assert [r.pk for r in response.context["page"]] == [shown.pk]
    page = response.content.decode()
    assert "Kota Surakarta" in page
    assert "Kota Bandung" not in page
    assert "Kota Surabaya" not in page
    assert uncertified.pk and unconsented.pk


def test_public_list_filters_by_tier_and_ignores_bad_values(client):
    set_policy("all")
    published("33.72", tier="M3")
    published("32.73", tier="M1")

    def regions(query):
        response = client.get(reverse("open_results:list"), query)
        return [r.stage.registration.region.code for r in response.context["page"]]

    assert regions({"peringkat": "M1"}) == ["32.73"]
    assert regions({"jenis": "regency"}) == []
    assert regions({"peringkat": "M9"}) == ["32.73", "33.72"]


def test_public_region_page_shows_trend_dimensions_and_peers(client):
    set_policy("all")
    published("33.72", 2025, index="2.40", tier="M1", predicate="Cukup")
    published(
        "33.72",
        2026,
        index="3.60",
        tier="M3",
        predicate="Sangat Baik",
        dimensions={"governance": "3.50", "people": "4.00"},
    )
    published("32.73", 2026, index="2.00")
    published("35.78", 2026, index="4.00")

    response = client.get(reverse("open_results:region", args=["33.72"]))

    assert response.status_code == 200
    context = response.context
    assert [r.period for r in context["trend"]] == [2025, 2026]
    assert context["peers"].rank == 2
    assert str(context["peers"].median) == "3.60"
    dimensions = {d["code"]: d["score"] for d in context["dimensions"]}
    assert str(dimensions["people"]) == "4.00"
    assert dimensions["mobility"] is None
    page = response.content.decode()
    assert 'src="/en/terbuka/hasil/33.72/radar.svg"' in page
    assert "Rank 2 of 3" in page


def test_radar_svg_is_served_under_the_strict_csp(client):
    set_policy("all")
    published("33.72", 2025, index="2.40")
    published("33.72", 2026, index="3.60")

    response = client.get(reverse("open_results:radar", args=["33.72"]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    svg = response.content.decode()
    assert svg.lstrip().startswith("<?xml") or "<svg" in svg[:200]
    assert "<script" not in svg
    assert "style=" not in svg
    assert "onload" not in svg.lower()
    assert "2026" in svg and "2025" in svg  # both series in the legend
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "style-src 'self';" in csp
    assert "unsafe-inline" not in csp


def test_public_region_page_of_an_unpublished_region_is_404(client):
    set_policy("all")

    assert client.get(reverse("open_results:region", args=["33.72"])).status_code == (
        404
    )


# Query counts ----------------------------------------------------------------------


def _count_queries(client, url, django_assert_max_num_queries, limit):
    client.get(url)
    with django_assert_max_num_queries(limit) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    "url", [reverse("open_results:list"), reverse("open_results:api_list")]
)
def test_public_lists_make_the_same_queries_for_5_and_30_regions(
    client, django_assert_max_num_queries, url
):
    set_policy("certified", require_consent=True)

    def add(codes):
        for code in codes:
            report = published(code)
            certify(report)
            consent(code)

    add(CODES[:5])
    few = _count_queries(client, url, django_assert_max_num_queries, 12)
    add(CODES[5:])
    many = _count_queries(client, url, django_assert_max_num_queries, 12)

    assert few == many


def test_public_region_page_makes_the_same_queries_for_1_and_3_periods(
    client, django_assert_max_num_queries
):
    set_policy("all")
    published("33.72", 2024)
    published("32.73", 2024)
    url = reverse("open_results:region", args=["33.72"])
    one = _count_queries(client, url, django_assert_max_num_queries, 10)
    published("33.72", 2025)
    published("33.72", 2026)
    published("32.71", 2026)
    three = _count_queries(client, url, django_assert_max_num_queries, 10)

    assert one == three


def test_signed_in_region_page_makes_the_same_queries_for_1_and_3_periods(
    client, people, django_assert_max_num_queries
):
    client.force_login(people["coordinator"])
    published("33.72", 2024)
    one = _count_queries(client, REGION, django_assert_max_num_queries, 16)
    published("33.72", 2025)
    published("33.72", 2026)
    three = _count_queries(client, REGION, django_assert_max_num_queries, 16)

    assert one == three


def test_national_overview_makes_the_same_queries_for_5_and_30_regions(
    client, people, django_assert_max_num_queries
):
    client.force_login(people["admin"])
    url = reverse("maturity:national_overview")
    for code in CODES[:5]:
        published(code, levels=[3, 4, 2])
    few = _count_queries(client, url, django_assert_max_num_queries, 16)
    for code in CODES[5:]:
        published(code, levels=[3, 4, 2])
    many = _count_queries(client, url, django_assert_max_num_queries, 16)

    assert few == many


def test_national_overview_page_shows_the_figures(client, people):
    client.force_login(people["admin"])
    published("33.72", tier="M2", levels=[1, 5])
    published("32.73", tier="M1", levels=[3, 5])

    response = client.get(reverse("maturity:national_overview"), {"periode": 2026})

    assert response.context["overview"].reports == 2
    page = response.content.decode()
    assert "Jawa Tengah" in page and "Jawa Barat" in page
    assert "Weakest indicators nationally" in page
    assert "5.00" in page  # the second indicator's mean level


@pytest.mark.parametrize("name", ["list", "region"])
def test_public_pages_keep_the_strict_csp(client, name):
    set_policy("all")
    published("33.72")
    args = ["33.72"] if name == "region" else []

    response = client.get(reverse(f"open_results:{name}", args=args))

    page = response.content.decode()
    assert response.status_code == 200
    assert " style=" not in page
    assert "<style" not in page
    assert "<script>" not in page
    assert " onclick=" not in page


def test_trend_svg_draws_every_public_period_with_its_index(client):
    set_policy("all")
    published("33.72", 2024, index="2.10")
    published("33.72", 2025, index="2.75")
    published("33.72", 2026, index="3.60")

    response = client.get(reverse("open_results:trend", args=["33.72"]))

    assert response["Content-Type"].startswith("image/svg+xml")
    svg = response.content.decode()
    for text in ["2024", "2025", "2026", "2.10", "2.75", "3.60"]:
        assert f">{text}<" in svg, text
    assert "style=" not in svg and "<script" not in svg
    page = client.get(reverse("open_results:region", args=["33.72"])).content.decode()
    assert 'src="/en/terbuka/hasil/33.72/tren.svg"' in page


def test_trend_svg_leaves_out_periods_the_public_may_not_see(client):
    set_policy("all", require_consent=True)
    published("33.72", 2025, index="2.75")
    consent("33.72")

    svg = client.get(reverse("open_results:trend", args=["33.72"])).content.decode()
    assert ">2025<" in svg
    assert client.get(reverse("open_results:trend", args=["32.01"])).status_code == 404
