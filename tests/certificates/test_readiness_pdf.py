"""The readiness certificate's PDF, its QR code and its public page."""

import io
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from kotacerdas.assessments.models import StageState
from kotacerdas.certificates.readiness import issue_readiness_certificate
from kotacerdas.certificates.services import ensure_pdf, suspend_certificate
from tests.assessments.factories import stage_in
from tests.certificates.test_pdf import OUTPUT

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return stage_in(StageState.DECIDED, indicator_count=12)


@pytest.fixture
def certificate(world):
    return ensure_pdf(issue_readiness_certificate(world.stage, actor=world.admin))


def _content(certificate):
    with certificate.pdf.file.open("rb") as handle:
        return handle.read()


def _flat_text(content):
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() for page in reader.pages)
    return reader, " ".join(text.split())


def test_pdf_names_the_number_and_the_region(certificate, world):
    _reader, text = _flat_text(_content(certificate))

    assert certificate.number in text
    assert world.registration.region.official_name in text


def test_pdf_lists_every_ready_indicator_by_clause(certificate, world):
    _reader, text = _flat_text(_content(certificate))

    missing = [i.clause for i in world.indicators if f"{i.clause} " not in text]
    assert missing == []


def test_twelve_indicators_take_a_front_page_and_an_annex(certificate):
    reader, _text = _flat_text(_content(certificate))

    assert len(reader.pages) == 2
    assert "Indicators assessed ready" in reader.pages[1].extract_text()


def test_pdf_is_an_attestation_in_both_languages_never_iso_certified(certificate):
    _reader, text = _flat_text(_content(certificate))

    assert "attestation against SNI ISO 37122:2019 indicators" in text
    assert "Smart City Readiness Certificate" in text
    assert "ISO certified" not in text


def test_pdf_names_the_methodology_version_and_validity(certificate, world):
    _reader, text = _flat_text(_content(certificate))

    assert "Methodology version: 1" in text
    assert f"31 December {world.registration.period + 1}" in text


def test_pdf_prints_the_signatories_configured_by_the_admin(world):
    from kotacerdas.certificates.models import Signatory

    Signatory.objects.create(
        name="Dr. Hendra Gunawan", title_id="Ketua Umum PPTI", title_en="Chair of PPTI"
    )
    certificate = ensure_pdf(
        issue_readiness_certificate(world.stage, actor=world.admin)
    )

    _reader, text = _flat_text(_content(certificate))
    assert "Dr. Hendra Gunawan" in text
    assert certificate.signatories[0]["title"] == {
        "id": "Ketua Umum PPTI",
        "en": "Chair of PPTI",
    }


def test_qr_code_points_at_the_verification_page(world, tmp_path, settings):
    settings.SITE_URL = "https://sertifikat.ppti.example"
    certificate = ensure_pdf(
        issue_readiness_certificate(world.stage, actor=world.admin)
    )
    source = tmp_path / "certificate.pdf"
    source.write_bytes(_content(certificate))
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(source)]
        + [str(tmp_path / "page")],
        check=True,
        timeout=60,
    )
    image = next(tmp_path.glob("page*.png"))
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / "readiness-certificate.png").write_bytes(image.read_bytes())

    result = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(image)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.stdout.split() == [
        f"https://sertifikat.ppti.example/verifikasi/{certificate.number}"
    ]


def _check(client, certificate, content):
    upload = SimpleUploadedFile("sertifikat.pdf", content, "application/pdf")
    return client.post(
        reverse("certificates:verify", args=[certificate.number]), {"file": upload}
    )


def test_the_issued_pdf_is_reported_genuine(client, certificate):
    response = _check(client, certificate, _content(certificate))

    assert 'data-genuine="yes"' in response.content.decode()


def test_a_pdf_with_one_changed_byte_is_reported_not_genuine(client, certificate):
    content = bytearray(_content(certificate))
    middle = len(content) // 2
    content[middle] = (content[middle] + 1) % 256

    response = _check(client, certificate, bytes(content))

    assert 'data-genuine="no"' in response.content.decode()


def test_the_public_page_shows_the_ready_indicators(client, certificate, world):
    response = client.get(reverse("certificates:verify", args=[certificate.number]))

    page = response.content.decode()
    assert [i.clause for i in world.indicators if f"<li>{i.clause} " not in page] == []


def test_the_public_page_shows_every_status_change(client, certificate, world):
    suspend_certificate(certificate, actor=world.admin, reason="Sedang ditinjau.")

    response = client.get(reverse("certificates:verify", args=[certificate.number]))

    changes = [
        (c.from_state, c.to_state, c.reason) for c in response.context["changes"]
    ]
    assert changes == [("", "valid", ""), ("valid", "suspended", "Sedang ditinjau.")]
    assert "Sedang ditinjau." in response.content.decode()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("coordinator", 200),
        ("member_a", 200),
        ("admin", 200),
        ("outsider", 404),
        ("lead", 404),
    ],
)
def test_who_may_download_the_readiness_pdf(client, certificate, world, who, status):
    client.force_login(getattr(world, who))

    response = client.get(reverse("certificates:download", args=[certificate.number]))
    if response.streaming:
        b"".join(response.streaming_content)

    assert response.status_code == status


def test_every_annex_page_carries_the_number_and_its_page(certificate):
    reader, _text = _flat_text(_content(certificate))

    annex = " ".join(reader.pages[1].extract_text().split())
    # The English half of the footer; the Indonesian one comes first.
    assert f"{certificate.number} · " in annex
    assert "/ page 2" in annex
