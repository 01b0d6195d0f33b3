"""Behind nginx, private downloads leave through X-Accel-Redirect after the check."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kotacerdas.common.models import StoredFile
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def stored(client):
    owner = ParticipantFactory()
    client.force_login(owner)
    client.post("/berkas/unggah/", {"file": SimpleUploadedFile("bukti 1.pdf", PDF)})
    return StoredFile.objects.get()


def test_download_hands_the_file_to_nginx_when_configured(client, settings, stored):
    settings.PRIVATE_FILES_X_ACCEL_PREFIX = "/_protected/"

    response = client.get(reverse("common:download", args=[stored.pk]))

    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_protected/{stored.file.name}"
    assert response.content == b""
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "bukti 1.pdf" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"


def test_refused_download_never_names_the_file_to_nginx(client, settings, stored):
    settings.PRIVATE_FILES_X_ACCEL_PREFIX = "/_protected/"
    client.force_login(ParticipantFactory(region=None, roles=[]))

    response = client.get(reverse("common:download", args=[stored.pk]))

    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response
