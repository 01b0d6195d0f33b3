"""The public registry of valid certificates."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from kotacerdas.certificates.models import Certificate, CertificateKind
from kotacerdas.certificates.services import (
    issue_certificate,
    revoke_certificate,
    suspend_certificate,
)
from kotacerdas.certificates.views import REGISTRY_PAGE_SIZE
from kotacerdas.regions.models import Region

pytestmark = pytest.mark.django_db

URL = "/sertifikat/registri/"
JAKARTA = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def stage_certificate(admin):
    """A region's own certificate, issued in ``year`` (this year by default)."""

    def _issue(code="33.72", kind=CertificateKind.READINESS, year=None, **kwargs):
        region = Region.objects.get(code=code)
        issued_at = datetime(year, 5, 1, 9, tzinfo=JAKARTA) if year else None
        return issue_certificate(
            kind,
            actor=admin,
            region=region,
            holder_name=region.official_name,
            title={"id": "Sertifikat Kesiapan", "en": "Readiness certificate"},
            scope={},
            issued_at=issued_at,
            **kwargs,
        )

    return _issue


def _numbers(response):
    return [certificate.number for certificate in response.context["page"]]


def test_the_registry_is_public(client):
    assert client.get(URL).status_code == 200


def test_the_registry_lists_only_valid_certificates(client, stage_certificate, admin):
    valid = stage_certificate()
    suspended = stage_certificate()
    revoked = stage_certificate()
    stage_certificate(valid_until=timezone.localdate() - timedelta(days=1))
    suspend_certificate(suspended, actor=admin, reason="Ditinjau.")
    revoke_certificate(revoked, actor=admin, reason="Keliru.")

    assert _numbers(client.get(URL)) == [valid.number]


def test_a_certificate_valid_until_today_is_still_listed(client, stage_certificate):
    today = stage_certificate(valid_until=timezone.localdate())

    assert _numbers(client.get(URL)) == [today.number]


def test_filter_by_province(client, stage_certificate):
    surakarta = stage_certificate("33.72")
    stage_certificate("32.01")
    jawa_tengah = Region.objects.get(code="33")

    response = client.get(URL, {"provinsi": jawa_tengah.pk})

    assert _numbers(response) == [surakarta.number]


def test_filter_by_kind(client, stage_certificate):
    stage_certificate(kind=CertificateKind.READINESS)
    maturity = stage_certificate(kind=CertificateKind.MATURITY)

    response = client.get(URL, {"jenis": "maturity"})

    assert _numbers(response) == [maturity.number]


def test_filter_by_year(client, stage_certificate):
    old = stage_certificate(year=2025)
    stage_certificate(year=2026)

    response = client.get(URL, {"tahun": "2025"})

    assert _numbers(response) == [old.number]


def test_the_year_filter_offers_the_years_with_valid_certificates(
    client, stage_certificate
):
    stage_certificate(year=2025)
    stage_certificate(year=2026)

    response = client.get(URL)

    choices = [
        value for value, _label in response.context["form"]["tahun"].field.choices
    ]
    assert choices == ["", 2026, 2025]


def test_an_unknown_filter_value_shows_everything(client, stage_certificate):
    certificate = stage_certificate()

    response = client.get(URL, {"jenis": "diploma", "tahun": "abc"})

    assert (response.status_code, _numbers(response)) == (200, [certificate.number])


def test_the_registry_is_paginated_and_keeps_the_filters(client, stage_certificate):
    for _ in range(REGISTRY_PAGE_SIZE + 1):
        stage_certificate()

    first = client.get(URL, {"jenis": "readiness"})
    second = client.get(URL, {"jenis": "readiness", "page": "2"})

    assert (len(_numbers(first)), len(_numbers(second))) == (REGISTRY_PAGE_SIZE, 1)
    assert 'href="?jenis=readiness&amp;page=2"' in first.content.decode()


def test_the_registry_page_links_to_each_verification_page(client, stage_certificate):
    certificate = stage_certificate()

    page = client.get(URL).content.decode()

    assert f'href="/verifikasi/{certificate.number}"' in page


def test_the_english_registry_lives_under_en(client):
    response = client.get("/en" + URL)

    assert (response.status_code, 'lang="en"' in response.content.decode()) == (
        200,
        True,
    )


@pytest.mark.parametrize("count", [1, 20])
def test_the_registry_runs_a_constant_number_of_queries(
    client, stage_certificate, django_assert_num_queries, count
):
    for position in range(count):
        stage_certificate("33.72" if position % 2 else "32.01")

    # Session-less visitor: years, provinces, count, page.
    with django_assert_num_queries(4):
        response = client.get(URL)

    assert len(_numbers(response)) == count
    assert Certificate.objects.count() == count


def test_training_certificates_of_people_stay_out_of_the_registry(
    client, stage_certificate, admin
):
    region_certificate = stage_certificate()
    issue_certificate(
        CertificateKind.TRAINING,
        actor=admin,
        holder_user=admin,
        holder_name=admin.full_name,
        title={"id": "Sertifikat Pelatihan", "en": "Training certificate"},
        scope={},
    )

    response = client.get(URL)

    assert _numbers(response) == [region_certificate.number]
