"""The official list of regions, as ``load_regions`` puts it in the database."""

import pytest

from kotacerdas.common.loading import LoadReport
from kotacerdas.regions.models import Region, RegionKind, TimeZone
from kotacerdas.regions.services import load_regions
from tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


def test_reference_data_has_38_provinces():
    count = Region.objects.filter(kind=RegionKind.PROVINCE).count()

    assert count == 38


def test_reference_data_has_416_regencies():
    count = Region.objects.filter(kind=RegionKind.REGENCY).count()

    assert count == 416


def test_reference_data_has_98_cities():
    count = Region.objects.filter(kind=RegionKind.CITY).count()

    assert count == 98


def test_reference_data_has_552_regions_in_all():
    count = Region.objects.count()

    assert count == 552


def test_assessable_regions_are_the_514_kota_and_kabupaten():
    count = Region.objects.assessable().count()

    assert count == 514


def test_every_kota_and_kabupaten_belongs_to_a_province():
    orphans = Region.objects.assessable().filter(province__isnull=True).count()

    assert orphans == 0


def test_code_11_10_is_a_region_distinct_from_11_01():
    singkil = Region.objects.get(code="11.10")
    selatan = Region.objects.get(code="11.01")

    assert singkil.official_name == "Kabupaten Aceh Singkil"
    assert selatan.official_name == "Kabupaten Aceh Selatan"


def test_code_11_1_is_not_read_as_11_10():
    exists = Region.objects.filter(code="11.1").exists()

    assert exists is False


def test_region_code_is_stored_as_a_string():
    region = Region.objects.get(code="11.10")

    assert region.code == "11.10"
    assert isinstance(region.code, str)


@pytest.mark.parametrize(
    ("code", "zone", "abbreviation"),
    [
        ("91.71", TimeZone.WIT, "WIT"),  # Kota Jayapura, Papua
        ("94.04", TimeZone.WIT, "WIT"),  # Kabupaten Mimika, Papua Tengah
        ("51.71", TimeZone.WITA, "WITA"),  # Kota Denpasar, Bali
        ("31.71", TimeZone.WIB, "WIB"),  # Kota Adm. Jakarta Pusat
        ("33.72", TimeZone.WIB, "WIB"),  # Kota Surakarta, Jawa Tengah
    ],
)
def test_region_time_zone_follows_its_province(code, zone, abbreviation):
    region = Region.objects.get(code=code)

    assert region.time_zone == zone
    assert region.zone_abbreviation == abbreviation


def test_papua_region_zone_is_asia_jayapura():
    region = Region.objects.get(code="91.71")

    assert str(region.zone) == "Asia/Jayapura"


def test_reload_changes_nothing_already_right():
    report = load_regions()

    assert report == LoadReport(created=0, updated=0, unchanged=552)


def test_reload_keeps_the_row_count():
    load_regions()

    assert Region.objects.count() == 552


def test_reload_restores_a_name_changed_by_hand():
    Region.objects.filter(code="33.72").update(official_name="Kota Solo")

    report = load_regions()

    assert Region.objects.get(code="33.72").official_name == "Kota Surakarta"
    assert (report.created, report.updated) == (0, 1)


def test_reload_restores_a_wrong_time_zone():
    Region.objects.filter(code="51.71").update(time_zone=TimeZone.WIB)

    load_regions()

    assert Region.objects.get(code="51.71").time_zone == TimeZone.WITA


def test_reload_keeps_a_region_that_is_not_in_the_file():
    extra = RegionFactory()

    report = load_regions()

    assert Region.objects.filter(pk=extra.pk).exists()
    assert Region.objects.count() == 552 + 2  # the kota and its province
    assert report == LoadReport(created=0, updated=0, unchanged=552)
