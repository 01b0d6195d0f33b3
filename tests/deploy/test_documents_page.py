""" "My documents" (/berkas/unggah/): the upload the scale-test journey walks."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kotacerdas.accounts.models import Role
from kotacerdas.common.models import AuditEvent, Notification, StoredFile
from tests.factories import ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
URL = "/berkas/unggah/"


def _pdf(name="laporan.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_documents_page_needs_a_login(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_upload_stores_audits_and_emails_the_uploader_once(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    user = ParticipantFactory()
    client.force_login(user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"file": _pdf()})

    assert response.status_code == 302
    stored = StoredFile.objects.get()
    assert (stored.original_name, stored.uploaded_by, stored.region) == (
        "laporan.pdf",
        user,
        user.region,
    )
    assert stored.sha256 == hashlib.sha256(PDF).hexdigest()
    assert AuditEvent.objects.filter(
        action="file.uploaded", object_id=str(stored.pk), actor=user
    ).exists()
    notification = Notification.objects.get(recipient=user)
    assert notification.emailed_at is not None
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [user.email]
    assert "laporan.pdf" in mailoutbox[0].subject


def test_file_whose_content_is_not_its_kind_is_refused(client, mailoutbox):
    client.force_login(ParticipantFactory())

    response = client.post(URL, {"file": _pdf("laporan.pdf", b"MZ\x90\x00 program")})

    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not StoredFile.objects.exists()
    assert mailoutbox == []


def test_list_shows_only_the_users_own_documents(client):
    user, other = ParticipantFactory(), ParticipantFactory()
    client.force_login(other)
    client.post(URL, {"file": _pdf("punya-orang-lain.pdf")})
    client.force_login(user)
    client.post(URL, {"file": _pdf("punya-saya.pdf")})

    response = client.get(URL)

    assert [s.original_name for s in response.context["page"]] == ["punya-saya.pdf"]


def test_uploaded_document_downloads_byte_identical_for_owner_and_admin(client):
    client.force_login(ParticipantFactory())
    client.post(URL, {"file": _pdf()})
    stored = StoredFile.objects.get()

    for user in (stored.uploaded_by, UserFactory(roles=[Role.ADMIN])):
        client.force_login(user)
        response = client.get(reverse("common:download", args=[stored.pk]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF


def test_document_of_another_region_is_not_found(client):
    client.force_login(ParticipantFactory())
    client.post(URL, {"file": _pdf()})
    stored = StoredFile.objects.get()
    stranger = ParticipantFactory(region__code="32.01")
    stranger.region = stored.region.__class__.objects.get(code="32.01")
    stranger.save()

    client.force_login(stranger)
    response = client.get(reverse("common:download", args=[stored.pk]))

    assert response.status_code == 404


def _queries_for_list(client, user, rows):
    client.force_login(user)
    for number in range(rows):
        client.post(URL, {"file": _pdf(f"dokumen-{number}.pdf")})
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_documents_list_queries_do_not_grow_with_rows(client):
    one = _queries_for_list(client, ParticipantFactory(), 1)
    several = _queries_for_list(client, ParticipantFactory(), 6)

    assert one == several
