"""Private files leave storage only through the permission-checked download."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kotacerdas.accounts.models import Role
from kotacerdas.common.uploads import PrivateFileField, store_upload
from kotacerdas.regions.models import Region
from tests.common.files import pdf_bytes
from tests.factories import ParticipantFactory, RegionFactory, UserFactory

pytestmark = pytest.mark.django_db

CONTENT = pdf_bytes("Surat permohonan")


@pytest.fixture
def uploader():
    return ParticipantFactory(region=Region.objects.get(code="33.72"))


@pytest.fixture
def stored(uploader):
    upload = SimpleUploadedFile("surat permohonan.pdf", CONTENT)
    return store_upload(
        PrivateFileField().clean(upload), user=uploader, region=uploader.region
    )


def _download(client, stored_file):
    """GET the file; read and close a streamed body so no file handle leaks."""
    response = client.get(reverse("common:download", args=[stored_file.pk]))
    if response.streaming:
        response.body = b"".join(response.streaming_content)
        response.close()
    return response


def test_uploader_gets_the_file_as_an_attachment(client, uploader, stored):
    client.force_login(uploader)

    response = _download(client, stored)

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="surat permohonan.pdf"'
    )


def test_download_carries_the_stored_bytes(client, uploader, stored):
    client.force_login(uploader)

    response = _download(client, stored)

    assert response.body == CONTENT


def test_download_forbids_content_sniffing(client, uploader, stored):
    client.force_login(uploader)

    response = _download(client, stored)

    assert response["X-Content-Type-Options"] == "nosniff"


def test_download_has_the_checked_content_type(client, uploader, stored):
    client.force_login(uploader)

    response = _download(client, stored)

    assert response["Content-Type"] == "application/pdf"


def test_download_is_not_cached_by_shared_caches(client, uploader, stored):
    client.force_login(uploader)

    response = _download(client, stored)

    assert response["Cache-Control"] == "private, no-store"


def test_admin_gets_the_file(client, stored):
    client.force_login(UserFactory(roles=[Role.ADMIN]))

    response = _download(client, stored)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_colleague_of_the_same_region_gets_the_file(client, stored):
    client.force_login(
        ParticipantFactory(region=stored.region, roles=[Role.REGION_MEMBER])
    )

    response = _download(client, stored)

    assert response.status_code == 200


def test_participant_of_another_region_gets_404(client, stored):
    client.force_login(ParticipantFactory(region=RegionFactory()))

    response = _download(client, stored)

    assert response.status_code == 404


def test_assessor_not_assigned_gets_404(client, stored):
    client.force_login(UserFactory(roles=[Role.ASSESSOR]))

    response = _download(client, stored)

    assert response.status_code == 404


def test_anonymous_visitor_is_sent_to_login(client, stored):
    response = _download(client, stored)

    url = reverse("common:download", args=[stored.pk])
    assert (response.status_code, response["Location"]) == (
        302,
        f"/akun/masuk/?next={url}",
    )


def test_unknown_file_gets_404(client, uploader):
    client.force_login(uploader)

    response = client.get(reverse("common:download", args=[uuid.uuid4()]))

    assert response.status_code == 404


def test_non_ascii_name_is_sent_encoded(client, uploader):
    upload = SimpleUploadedFile("Laporan – Surakarta.pdf", CONTENT)
    stored_file = store_upload(PrivateFileField().clean(upload), user=uploader)
    client.force_login(uploader)

    response = _download(client, stored_file)

    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''Laporan%20%E2%80%93%20Surakarta.pdf"
    )


def test_behind_nginx_the_file_is_handed_over_by_x_accel(
    client, uploader, stored, settings
):
    settings.PRIVATE_FILES_X_ACCEL_PREFIX = "/_private/"
    client.force_login(uploader)

    response = _download(client, stored)

    assert response["X-Accel-Redirect"] == f"/_private/{stored.file.name}"
    assert response["Content-Disposition"] == (
        'attachment; filename="surat permohonan.pdf"'
    )
    assert response.content == b""
