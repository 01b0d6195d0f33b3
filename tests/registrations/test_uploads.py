"""Uploading the three documents: bad files are refused with a translated
message next to that document, odd names are stored safely, and nothing else
of the form is lost."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils import translation

from kotacerdas.common.models import StoredFile
from kotacerdas.registrations import services
from kotacerdas.registrations.models import Registration
from tests.registrations.factories import complete_draft, pdf_bytes, pdf_upload, url

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
ACCEPTED = ".doc, .docx, .jpeg, .jpg, .odt, .pdf, .png, .ppt, .xls"
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


@pytest.fixture
def draft(people, client):
    registration = complete_draft(people["coordinator"])
    registration.contact_name = "Nama Tersimpan"
    registration.save()
    client.force_login(people["coordinator"])
    return registration


def _upload(client, registration, name, content, *, htmx=True, slug="sk-tim"):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    headers = HTMX if htmx else {}
    return client.post(
        url("upload", registration.pk, slug, language="id"), {"file": upload}, **headers
    )


def _card_error(response):
    match = re.search(
        r'<div class="invalid-feedback d-block">([^<]*)</div>',
        response.content.decode(),
    )
    return match.group(1) if match else None


def _unchanged(registration, before):
    after = Registration.objects.get(pk=registration.pk)
    return (
        after.contact_name,
        after.team_decree_id,
        after.application_letter_id,
        set(after.proposed_indicators.values_list("pk", flat=True)),
    ) == before


def _state(registration):
    return (
        registration.contact_name,
        registration.team_decree_id,
        registration.application_letter_id,
        set(registration.proposed_indicators.values_list("pk", flat=True)),
    )


def test_pdf_renamed_to_exe_is_refused(client, draft):
    before = _state(draft)

    response = _upload(client, draft, "surat.exe", pdf_bytes())

    assert _card_error(response) == (
        f"Berkas berakhiran “.exe” tidak diterima. Yang diterima: {ACCEPTED}."
    )
    assert _unchanged(draft, before)


def test_executable_renamed_to_pdf_is_refused(client, draft):
    before = _state(draft)

    response = _upload(client, draft, "surat.pdf", EXECUTABLE)

    assert _card_error(response) == (
        "Isi “surat.pdf” tidak sesuai dengan jenis berkas yang ditunjukkan oleh "
        f"namanya (.pdf). Yang diterima: {ACCEPTED}."
    )
    assert _unchanged(draft, before)


def test_empty_file_is_refused(client, draft):
    before = _state(draft)

    response = _upload(client, draft, "kosong.pdf", b"")

    assert _card_error(response) == "Berkas kosong."
    assert _unchanged(draft, before)


def test_file_over_the_limit_is_refused(client, draft, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    content = pdf_bytes() + b"%" + b"x" * 2048
    before = _state(draft)

    response = _upload(client, draft, "besar.pdf", content)

    with translation.override("id"):
        size, limit = filesizeformat(len(content)), filesizeformat(1024)
    assert _card_error(response) == (
        f"Ukuran berkas {size}; batas maksimumnya {limit}."
    )
    assert _unchanged(draft, before)


def test_name_with_dot_dot_slash_is_stored_under_its_base_name(client, draft):
    _upload(client, draft, "../../etc/sk-tim.pdf", pdf_bytes())

    stored = Registration.objects.get(pk=draft.pk).team_decree
    assert stored.original_name == "sk-tim.pdf"
    assert re.fullmatch(r"uploads/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", stored.file.name)


def test_non_ascii_name_is_kept_for_display_and_not_used_on_disk(client, draft):
    name = "SK Tim Kota Cerdas – Wali Kota ñ 日本.pdf"

    response = _upload(client, draft, name, pdf_bytes())

    stored = Registration.objects.get(pk=draft.pk).team_decree
    assert stored.original_name == name
    assert re.fullmatch(r"uploads/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", stored.file.name)
    assert f">{name}</a>" in response.content.decode()


def test_accepted_upload_replaces_only_that_document(client, draft):
    before = _state(draft)
    old_decree = draft.team_decree

    _upload(client, draft, "sk-baru.pdf", pdf_bytes("baru"))

    after = Registration.objects.get(pk=draft.pk)
    assert after.team_decree.original_name == "sk-baru.pdf"
    assert (after.contact_name, after.application_letter_id) == (
        before[0],
        before[2],
    )
    # The old file stays: the earlier round's snapshot points to it.
    assert StoredFile.objects.filter(pk=old_decree.pk).exists()


def test_refused_upload_answers_only_its_own_card(client, draft):
    response = _upload(client, draft, "surat.exe", pdf_bytes())

    html = response.content.decode()
    assert re.findall(r'data-testid="(document-\w+)"', html) == ["document-team_decree"]
    assert 'name="contact_name"' not in html
    assert response["X-Registration-Fragment"] == "1"


def test_refused_upload_without_javascript_keeps_the_rest_of_the_form(client, draft):
    response = _upload(client, draft, "surat.exe", pdf_bytes(), htmx=False)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Nama Tersimpan"' in html
    card = re.search(
        r'data-testid="document-team_decree">(.*?)</form>', html, re.S
    ).group(1)
    assert "Berkas berakhiran “.exe” tidak diterima." in card


def test_accepted_upload_without_javascript_returns_to_the_form(client, draft):
    response = _upload(client, draft, "sk.pdf", pdf_bytes(), htmx=False)

    assert response.url == url("edit", draft.pk, language="id")


def test_upload_to_a_submitted_registration_is_refused_without_storing(
    client, people, draft
):
    services.submit_registration(draft, actor=people["coordinator"])
    files_before = StoredFile.objects.count()

    response = client.post(
        url("upload", draft.pk, "sk-tim"), {"file": pdf_upload("sk.pdf")}, **HTMX
    )

    assert re.findall(r'role="alert">([^<]*)<', response.content.decode()) == [
        "The registration is “submitted” and cannot be changed now."
    ]
    assert StoredFile.objects.count() == files_before
