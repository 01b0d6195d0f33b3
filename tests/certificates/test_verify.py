"""The public verification page and its genuine-copy check."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from kotacerdas.certificates.services import (
    reinstate_certificate,
    revoke_certificate,
    suspend_certificate,
)
from tests.training.factories import pdf_bytes

pytestmark = pytest.mark.django_db


def _url(certificate):
    return reverse("certificates:verify", args=[certificate.number])


def _genuine_pdf(certificate):
    with certificate.pdf.file.open("rb") as handle:
        return handle.read()


def _check(client, certificate, content, name="sertifikat.pdf", prefix="", **headers):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    return client.post(prefix + _url(certificate), {"file": upload}, **headers)


def test_the_verification_page_is_public(client, issue):
    certificate = issue()

    response = client.get(_url(certificate))

    assert response.status_code == 200
    assert response.context["certificate"] == certificate


def test_the_verification_address_has_no_trailing_slash(issue):
    certificate = issue(pdf=False)

    assert _url(certificate) == f"/verifikasi/{certificate.number}"


def test_the_english_page_lives_under_en(client, issue):
    certificate = issue()

    response = client.get(f"/en/verifikasi/{certificate.number}")

    assert response.status_code == 200
    assert 'lang="en"' in response.content.decode()


def test_the_page_shows_holder_number_status_and_sha256(client, issue):
    certificate = issue()

    html = client.get(_url(certificate)).content.decode()

    assert certificate.number in html
    assert "Sri Handayani" in html
    assert 'data-status="valid"' in html
    assert f'data-testid="sha256">{certificate.sha256}<' in html


def test_a_lower_case_number_redirects_to_the_printed_one(client, issue):
    certificate = issue()

    response = client.get(f"/verifikasi/{certificate.number.lower()}")

    assert (response.status_code, response["Location"]) == (302, _url(certificate))


def test_an_unknown_number_says_it_was_not_issued(client):
    response = client.get("/verifikasi/TRN-2026-9999")

    assert response.status_code == 404
    assert 'data-testid="not-found"' in response.content.decode()


def test_the_genuine_pdf_is_recognised(client, issue):
    certificate = issue()

    response = _check(client, certificate, _genuine_pdf(certificate))

    assert response.context["check"] == {
        "ready": True,
        "genuine": True,
        "name": "sertifikat.pdf",
    }
    assert 'data-genuine="yes"' in response.content.decode()


def test_a_pdf_with_one_changed_byte_is_not_genuine(client, issue):
    certificate = issue()
    content = bytearray(_genuine_pdf(certificate))
    middle = len(content) // 2
    content[middle] = (content[middle] + 1) % 256

    response = _check(client, certificate, bytes(content))

    assert response.context["check"]["genuine"] is False
    assert 'data-genuine="no"' in response.content.decode()


def test_another_pdf_is_not_genuine(client, issue):
    certificate = issue()

    response = _check(client, certificate, pdf_bytes("Sertifikat palsu"))

    assert response.context["check"]["genuine"] is False


def test_the_check_accepts_only_pdf_files(client, issue):
    certificate = issue()

    response = _check(
        client, certificate, b"\x89PNG\r\n\x1a\n" + b"0" * 64, "scan.png", "/en"
    )

    assert response.context["check"] is None
    assert response.context["form"].errors["file"] == [
        "Files ending in “.png” are not accepted. Accepted: .pdf."
    ]


def test_the_check_refuses_a_file_above_the_limit(client, issue, monkeypatch):
    from kotacerdas.certificates.forms import GenuineCheckForm

    certificate = issue()
    monkeypatch.setattr(GenuineCheckForm.base_fields["file"], "max_bytes", 100)

    response = _check(client, certificate, _genuine_pdf(certificate), prefix="/en")

    assert response.context["check"] is None
    assert (
        response.context["form"]
        .errors["file"][0]
        .endswith("; the limit is 100\xa0bytes.")
    )


def test_the_check_answers_htmx_with_the_result_only(client, issue):
    certificate = issue()

    response = _check(
        client, certificate, _genuine_pdf(certificate), HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert "<html" not in html
    assert 'data-genuine="yes"' in html


def test_a_certificate_whose_pdf_is_not_made_yet_says_so(client, issue):
    certificate = issue(pdf=False)

    response = _check(client, certificate, pdf_bytes())

    assert response.context["check"]["ready"] is False


def test_a_suspension_is_shown_with_its_reason(client, issue, admin):
    certificate = issue()
    suspend_certificate(certificate, actor=admin, reason="Data sedang diperiksa ulang.")

    html = client.get(_url(certificate)).content.decode()

    assert 'data-status="suspended"' in html
    assert "Data sedang diperiksa ulang." in html


def test_a_revocation_is_shown_with_its_reason(client, issue, admin):
    certificate = issue()
    revoke_certificate(
        certificate, actor=admin, reason="Diterbitkan karena kekeliruan."
    )

    html = client.get(_url(certificate)).content.decode()

    assert 'data-status="revoked"' in html
    assert "Diterbitkan karena kekeliruan." in html


def test_the_public_history_lists_every_change(client, issue, admin):
    certificate = issue()
    suspend_certificate(certificate, actor=admin, reason="Diperiksa.")
    reinstate_certificate(certificate, actor=admin, reason="Pemeriksaan selesai.")

    response = client.get(_url(certificate))

    assert [
        (c.from_state, c.to_state, c.reason) for c in response.context["changes"]
    ] == [
        ("", "valid", ""),
        ("valid", "suspended", "Diperiksa."),
        ("suspended", "valid", "Pemeriksaan selesai."),
    ]


def test_an_expired_certificate_shows_expired(client, issue):
    certificate = issue(valid_until=timezone.localdate() - timedelta(days=1))

    html = client.get(_url(certificate)).content.decode()

    assert 'data-status="expired"' in html


def test_lookup_by_number_redirects_to_the_page(client, issue):
    certificate = issue(pdf=False)

    response = client.get(
        reverse("certificates:lookup"), {"number": f" {certificate.number.lower()} "}
    )

    assert (response.status_code, response["Location"]) == (302, _url(certificate))


def test_lookup_of_an_unknown_number_explains(client):
    with translation.override("en"):
        response = client.get(
            reverse("certificates:lookup"), {"number": "TRN-2020-0001"}
        )

    assert response.context["form"].errors["number"] == [
        "No certificate has the number TRN-2020-0001. Check it on the document."
    ]


def test_the_verification_page_makes_a_constant_number_of_queries(
    client, issue, admin, django_assert_num_queries
):
    certificate = issue()
    client.get(_url(certificate))
    for _ in range(3):
        suspend_certificate(certificate, actor=admin, reason="Diperiksa.")
        reinstate_certificate(certificate, actor=admin, reason="Selesai.")

    with django_assert_num_queries(2):
        client.get(_url(certificate))
