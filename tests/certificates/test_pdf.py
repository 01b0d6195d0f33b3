"""The certificate PDF: its text, its QR code, its fonts and its stability."""

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from pypdf import PdfReader

from kotacerdas.certificates import pdf as certificate_pdf
from kotacerdas.certificates.models import CertificateKind
from kotacerdas.certificates.pdf import render_certificate

pytestmark = pytest.mark.django_db

OUTPUT = Path(__file__).resolve().parents[2] / "test-output" / "certificates"


def _text(content):
    reader = PdfReader(io.BytesIO(content))
    return reader, " ".join(page.extract_text() for page in reader.pages)


def _qr_codes(content, tmp_path):
    """Render the first page at 150 dpi and read every QR code on it."""
    source = tmp_path / "certificate.pdf"
    source.write_bytes(content)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "150",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            str(source),
            str(tmp_path / "page"),
        ],
        check=True,
        timeout=60,
    )
    image = next(tmp_path.glob("page*.png"))
    OUTPUT.mkdir(parents=True, exist_ok=True)
    shutil.copy(image, OUTPUT / "training-certificate.png")
    result = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(image)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return result.stdout.split()


def test_pdf_is_one_a4_landscape_page(issue):
    reader, _text_ = _text(render_certificate(issue(pdf=False)))

    box = reader.pages[0].mediabox
    assert (len(reader.pages), round(float(box.width)), round(float(box.height))) == (
        1,
        842,
        595,
    )


def test_pdf_names_the_number_holder_and_programme(issue):
    certificate = issue(pdf=False)

    _reader, text = _text(render_certificate(certificate))

    assert certificate.number in text
    assert "Sri Handayani" in text
    assert "Pelatihan Indikator Kota Cerdas" in text
    assert "Smart city indicator training" in text


def test_pdf_carries_the_number_as_its_title(issue):
    certificate = issue(pdf=False)

    reader, _text_ = _text(render_certificate(certificate))

    assert reader.metadata.title == certificate.number


def test_pdf_prints_the_signatories_of_the_day(issue, signatory):
    _reader, text = _text(render_certificate(issue(pdf=False)))

    assert "Dr. Hendra Gunawan" in text
    assert "Chair of PPTI" in text


def test_qr_code_points_at_the_indonesian_verification_page(issue, tmp_path, settings):
    settings.SITE_URL = "https://sertifikat.ppti.example"
    certificate = issue(pdf=False)

    codes = _qr_codes(render_certificate(certificate), tmp_path)

    assert codes == [f"https://sertifikat.ppti.example/verifikasi/{certificate.number}"]


def test_training_certificate_states_the_completed_training(issue):
    _reader, text = _text(render_certificate(issue(pdf=False)))

    assert (
        "completed the smart city indicator training (SNI ISO 37122:2019)"
        in " ".join(text.split())
    )


@pytest.mark.parametrize("kind", [CertificateKind.READINESS, CertificateKind.MATURITY])
def test_stage_certificate_is_an_attestation_never_iso_certification(issue, kind):
    _reader, text = _text(render_certificate(issue(kind, pdf=False)))

    flat = " ".join(text.split())
    assert "attestation against SNI ISO 37122:2019 indicators" in flat
    assert "ISO certified" not in flat


def test_long_scopes_go_to_an_annex_page(issue):
    items = [{"id": f"Indikator {n}", "en": f"Indicator {n}"} for n in range(1, 31)]
    certificate = issue(
        CertificateKind.READINESS,
        pdf=False,
        scope={"summary": {"id": "siap", "en": "ready"}, "items": items},
    )

    reader, text = _text(render_certificate(certificate))

    assert len(reader.pages) == 2
    assert "Indicator 30" in reader.pages[1].extract_text()


def test_drawing_the_same_certificate_twice_gives_the_same_bytes(issue):
    certificate = issue(pdf=False)

    assert render_certificate(certificate) == render_certificate(certificate)


def test_fonts_are_embedded(issue):
    reader, _text_ = _text(render_certificate(issue(pdf=False)))

    fonts = reader.pages[0]["/Resources"]["/Font"]
    descriptors = [
        font.get_object()["/FontDescriptor"].get_object() for font in fonts.values()
    ]
    assert all("/FontFile2" in descriptor for descriptor in descriptors)
    assert {d["/FontName"].split("+")[1] for d in descriptors} >= {
        "DejaVuSans",
        "DejaVuSans-Bold",
    }


def test_a_missing_font_folder_says_what_to_install(issue, tmp_path, monkeypatch):
    monkeypatch.setattr(certificate_pdf, "_fonts_registered", False)

    with (
        override_settings(PDF_FONT_DIR=str(tmp_path)),
        pytest.raises(ImproperlyConfigured, match="DJANGO_PDF_FONT_DIR"),
    ):
        render_certificate(issue(pdf=False))


def test_stored_pdf_matches_its_published_sha256(issue):
    import hashlib

    certificate = issue()

    with certificate.pdf.file.open("rb") as handle:
        content = handle.read()
    assert hashlib.sha256(content).hexdigest() == certificate.sha256
