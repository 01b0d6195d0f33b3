"""The ISO 37122 catalogue, as ``load_catalogue`` puts it in the database."""

import pytest

from kotacerdas.common.loading import LoadReport
from kotacerdas.indicators.models import Dimension, Indicator, Theme
from kotacerdas.indicators.services import load_catalogue

pytestmark = pytest.mark.django_db

# Indicators per theme, clauses 5 to 23, from data/indicators.csv.
INDICATORS_PER_THEME = [4, 3, 10, 3, 2, 4, 3, 2, 4, 1, 1, 6, 4, 3, 14, 3, 4, 5, 4]


def test_catalogue_has_80_indicators():
    count = Indicator.objects.count()

    assert count == 80


def test_catalogue_has_19_themes_numbered_5_to_23():
    numbers = list(Theme.objects.values_list("number", flat=True))

    assert numbers == list(range(5, 24))


def test_indicator_count_per_theme_matches_the_standard():
    counts = [theme.indicators.count() for theme in Theme.objects.order_by("number")]

    assert counts == INDICATORS_PER_THEME


def test_catalogue_has_the_six_dimensions_in_order():
    codes = list(Dimension.objects.values_list("code", flat=True))

    assert codes == [
        "governance",
        "people",
        "living",
        "mobility",
        "environment",
        "economy",
    ]


def test_solid_waste_theme_belongs_to_smart_environment():
    theme = Theme.objects.get(number=16)

    assert theme.dimension.code == "environment"
    assert theme.name_id == "Sampah"


def test_indicators_sort_by_clause_number_not_text():
    clauses = list(
        Indicator.objects.filter(theme__number=19).values_list("clause", flat=True)
    )

    assert clauses[8:11] == ["19.9", "19.10", "19.11"]


def test_reload_reports_nothing_created_or_updated():
    report = load_catalogue()

    assert report == LoadReport(created=0, updated=0, unchanged=6 + 19 + 80)


def test_reload_keeps_the_row_counts():
    load_catalogue()

    counts = (
        Dimension.objects.count(),
        Theme.objects.count(),
        Indicator.objects.count(),
    )
    assert counts == (6, 19, 80)


def test_reload_restores_a_title_the_admin_changed():
    Indicator.objects.filter(clause="16.1").update(title_id="Judul yang salah")

    report = load_catalogue()

    indicator = Indicator.objects.get(clause="16.1")
    assert indicator.title_id == (
        "Persentase tempat penampungan sampah (kontainer) yang dilengkapi telemetri"
    )
    assert (report.created, report.updated) == (0, 1)


def test_reload_keeps_an_indicator_the_admin_deactivated():
    Indicator.objects.filter(clause="16.1").update(active=False)

    report = load_catalogue()

    assert Indicator.objects.get(clause="16.1").active is False
    assert report.updated == 0


def test_reload_restores_the_title_but_keeps_the_active_flag_off():
    Indicator.objects.filter(clause="16.1").update(title_en="Wrong", active=False)

    load_catalogue()

    indicator = Indicator.objects.get(clause="16.1")
    assert indicator.title_en == (
        "Percentage of waste drop-off centres (containers) equipped with telemetering"
    )
    assert indicator.active is False


def test_reload_moves_a_theme_back_to_its_default_dimension():
    Theme.objects.filter(number=16).update(
        dimension=Dimension.objects.get(code="economy")
    )

    load_catalogue()

    assert Theme.objects.get(number=16).dimension.code == "environment"


def test_reload_keeps_an_indicator_the_admin_added():
    added = Indicator.objects.create(
        clause="23.9",
        theme=Theme.objects.get(number=23),
        title_id="Indikator tambahan",
        title_en="Added indicator",
        unit_id="%",
        unit_en="%",
        value_type="percentage",
        numerator_id="a",
        numerator_en="a",
        better="higher",
    )

    load_catalogue()

    assert Indicator.objects.filter(pk=added.pk).exists()
    assert Indicator.objects.count() == 81
