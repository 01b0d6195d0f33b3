"""The public indicator catalogue and its search."""

import re

import pytest
from django.urls import reverse

from kotacerdas.indicators.models import Indicator
from kotacerdas.public.views import search_indicators

pytestmark = pytest.mark.django_db

# Every indicator whose Indonesian or English title holds "sampah"
# (data/indicators.csv): the six of theme 16 Solid waste, two of theme 7 Energy
# (energy from waste treatment) and one of theme 20 (composted food waste).
SAMPAH = ["7.1", "7.3", "16.1", "16.2", "16.3", "16.4", "16.5", "16.6", "20.2"]


def _clauses(response):
    return re.findall(r'data-clause="([^"]+)"', response.content.decode())


def _count(response):
    match = re.search(r'data-testid="result-count">([^<]*)<', response.content.decode())
    return match.group(1)


def test_catalogue_lists_all_80_indicators_without_a_query(client):
    response = client.get(reverse("public:catalogue"))

    assert len(_clauses(response)) == 80
    assert _count(response) == "80 indikator"


def test_search_for_sampah_finds_exactly_the_waste_indicators(client):
    response = client.get(reverse("public:catalogue"), {"q": "sampah"})

    assert _clauses(response) == SAMPAH


def test_search_for_sampah_reports_the_count(client):
    response = client.get("/en" + reverse("public:catalogue"), {"q": "sampah"})

    assert _count(response) == "9 indicators"


def test_search_ignores_case(client):
    response = client.get(reverse("public:catalogue"), {"q": "SAMPAH"})

    assert _clauses(response) == SAMPAH


def test_search_matches_english_titles(client):
    response = client.get(reverse("public:catalogue"), {"q": "telemetering"})

    assert _clauses(response) == ["16.1"]


def test_search_needs_every_word(client):
    response = client.get(reverse("public:catalogue"), {"q": "sampah plastik"})

    assert _clauses(response) == ["16.4"]


def test_search_by_clause_finds_clauses_starting_with_it(client):
    response = client.get(reverse("public:catalogue"), {"q": "19.1"})

    assert _clauses(response) == ["19.1", "19.10", "19.11", "19.12", "19.13", "19.14"]


def test_search_without_match_says_so(client):
    response = client.get("/en" + reverse("public:catalogue"), {"q": "zzzz"})

    assert _clauses(response) == []
    assert "No indicator matches your search." in response.content.decode()


def test_theme_filter_shows_only_that_theme(client):
    response = client.get(reverse("public:catalogue"), {"tema": "16"})

    assert _clauses(response) == ["16.1", "16.2", "16.3", "16.4", "16.5", "16.6"]


def test_dimension_filter_shows_only_its_themes(client):
    response = client.get(reverse("public:catalogue"), {"dimensi": "mobility"})

    clauses = _clauses(response)
    assert len(clauses) == 3 + 14
    assert {clause.split(".")[0] for clause in clauses} == {"18", "19"}


def test_non_numeric_theme_filter_is_ignored(client):
    response = client.get(reverse("public:catalogue"), {"tema": "abc"})

    assert len(_clauses(response)) == 80


def test_deactivated_indicator_is_not_listed(client):
    Indicator.objects.filter(clause="16.1").update(active=False)

    response = client.get(reverse("public:catalogue"), {"q": "sampah"})

    assert "16.1" not in _clauses(response)


def test_htmx_search_returns_only_the_results_fragment(client):
    response = client.get(
        reverse("public:catalogue"), {"q": "sampah"}, HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<div id="results" aria-live="polite">')
    assert _clauses(response) == SAMPAH


def test_catalogue_page_needs_the_same_queries_for_one_or_many_results(
    client, django_assert_num_queries
):
    with django_assert_num_queries(4):
        client.get(reverse("public:catalogue"), {"q": "telemetering"})

    with django_assert_num_queries(4):
        client.get(reverse("public:catalogue"))


def test_htmx_fragment_needs_only_the_two_result_queries(
    client, django_assert_num_queries
):
    with django_assert_num_queries(2):
        client.get(reverse("public:catalogue"), {"q": "sampah"}, HTTP_HX_REQUEST="true")


def test_search_indicators_matches_a_clause_prefix_or_a_title_word():
    clauses = list(search_indicators("16.").values_list("clause", flat=True))

    assert clauses == ["16.1", "16.2", "16.3", "16.4", "16.5", "16.6"]


def test_long_query_is_cut_to_100_characters(client):
    response = client.get(reverse("public:catalogue"), {"q": "sampah" + "x" * 200})

    assert f'value="sampah{"x" * 94}"' in response.content.decode()
