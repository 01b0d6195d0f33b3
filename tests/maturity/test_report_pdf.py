"""The report PDF, parsed: the figures, every clause, the page count."""

import hashlib
import io

import pytest
from pypdf import PdfReader

from kotacerdas.maturity import report as reports
from kotacerdas.maturity.models import MaturityReport
from kotacerdas.maturity.pdf import ensure_report_pdf, render_report
from tests.maturity.factories_review import decided_world
from tests.maturity.test_report_services import drafted, published

pytestmark = pytest.mark.django_db


def text_of(content):
    reader = PdfReader(io.BytesIO(content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_published_report_pdf_states_result_and_every_clause(
    django_capture_on_commit_callbacks,
):
    w = decided_world()
    with django_capture_on_commit_callbacks(execute=True):
        report = published(w)
    # The task ran on commit (immediate backend) and kept the PDF and its hash.
    report = MaturityReport.objects.get(pk=report.pk)
    assert report.pdf_id is not None
    with report.pdf.file.open("rb") as handle:
        content = handle.read()
    assert hashlib.sha256(content).hexdigest() == report.sha256

    reader, text = text_of(content)
    assert "Kota Surakarta" in text
    assert "3.00" in text
    assert "Baik" in text
    assert "M1 Pratama (Perunggu)" in text
    for indicator in w.indicators:
        assert indicator.clause in text
    assert "Kota telah membangun layanan terpadu." in text
    # Headings carry the English below the Indonesian.
    assert "Methodology appendix" in text
    # Cover; result and radar; theme charts; indicators, gap, comparison and
    # the start of the narrative; the recommendations; methodology appendix.
    assert len(reader.pages) == 6


def test_the_pdf_is_kept_once_and_drawn_the_same_twice():
    w = decided_world()
    report = published(w)
    first = ensure_report_pdf(report)
    again = ensure_report_pdf(MaturityReport.objects.get(pk=report.pk))
    assert again.pdf_id == first.pdf_id
    assert render_report(again) == render_report(again)


def test_a_draft_gets_no_stored_pdf_but_can_be_drawn():
    w = decided_world()
    report = drafted(w)
    assert ensure_report_pdf(report).pdf_id is None
    _reader, text = text_of(render_report(report, reports.build_result(w.stage)))
    assert "3.00" in text


def test_forty_indicators_fit_and_are_all_listed():
    w = decided_world(indicator_count=40)
    report = published(w)
    reader, text = text_of(render_report(report))
    for indicator in w.indicators:
        assert indicator.clause in text
    assert len(reader.pages) > 5


def test_adjusted_values_and_the_gap_are_printed():
    from decimal import Decimal

    from tests.maturity.factories_review import entry

    adjusted = entry(
        2,
        "adjusted",
        adjusted_value=Decimal("35"),
        adjustment_reason="Angka BPS terbaru.",
        comment="Dikoreksi asesor.",
    )
    w = decided_world(levels=[adjusted, 2, 2, 2, 2, 2])
    report = published(w)
    line = report.lines.get(indicator=w.indicators[0])
    assert line.value == Decimal("35")
    _reader, text = text_of(render_report(report))
    flat = " ".join(text.split())
    assert "35 %" in flat
    assert "Angka BPS terbaru." in flat
    assert "Dikoreksi asesor." in flat
    # The raises of the gap (see test_report_services): 6.1 to 4, 6.2 to 3,
    # giving 2.75.
    assert "2.75" in flat


def test_the_task_skips_a_report_that_is_gone():
    from kotacerdas.maturity.tasks import render_report_pdf

    assert render_report_pdf.call(987654) is False
