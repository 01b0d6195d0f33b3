"""The certificate PDF: A4 landscape, Indonesian with English below, QR code.

ReportLab is imported inside the functions: it costs a third of a second, and
only the processes that draw certificates should pay it. The document is built
with ``invariant=1`` so that drawing the same certificate twice gives the same
bytes, and its SHA-256 stays meaningful.
"""

import io
import logging
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kotacerdas.certificates.models import CertificateKind

logger = logging.getLogger(__name__)

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"
_FONT_FILES = {
    FONT: "DejaVuSans.ttf",
    FONT_BOLD: "DejaVuSans-Bold.ttf",
    FONT_ITALIC: "DejaVuSans-Oblique.ttf",
}

BRAND = (0.11, 0.27, 0.42)
MUTED = (0.35, 0.38, 0.42)
# Scope lines beyond this many go to an annex page instead of the front.
FRONT_ITEMS = 5

_fonts_registered = False


def register_fonts():
    """Register the DejaVu fonts once per process, or say clearly what is missing."""
    global _fonts_registered
    if _fonts_registered:
        return

    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    folder = Path(settings.PDF_FONT_DIR)
    for name, filename in _FONT_FILES.items():
        path = folder / filename
        if not path.is_file():
            raise ImproperlyConfigured(
                f"The certificate font {path} is missing. Install the DejaVu fonts "
                "(Debian: fonts-dejavu-core) or set DJANGO_PDF_FONT_DIR to a folder "
                f"holding {', '.join(_FONT_FILES.values())}."
            )
        pdfmetrics.registerFont(TTFont(name, str(path)))
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, FONT_BOLD)
    addMapping(FONT, 0, 1, FONT_ITALIC)
    addMapping(FONT, 1, 1, FONT_BOLD)
    _fonts_registered = True


def both(message, **params):
    """``message`` in Indonesian and in English, as a pair."""
    pair = []
    for language in ("id", "en"):
        with translation.override(language):
            text = _(message)
            pair.append(text % params if params else text)
    return tuple(pair)


def _date(value, language):
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value).date()
    with translation.override(language):
        return formats.date_format(value, "j F Y")


def _bilingual(value, language):
    if isinstance(value, dict):
        return value.get(language) or value.get("id") or value.get("en") or ""
    return str(value or "")


def _styles():
    from reportlab.lib.enums import TA_CENTER, TA_LEFT
    from reportlab.lib.styles import ParagraphStyle

    base = ParagraphStyle("base", fontName=FONT, fontSize=11, leading=14)
    return {
        "summary_id": ParagraphStyle(
            "summary_id", parent=base, fontSize=12.5, leading=16, alignment=TA_CENTER
        ),
        "summary_en": ParagraphStyle(
            "summary_en",
            parent=base,
            fontName=FONT_ITALIC,
            fontSize=10,
            leading=13,
            alignment=TA_CENTER,
            textColor=MUTED,
        ),
        "item": ParagraphStyle(
            "item", parent=base, fontSize=10, leading=12.5, alignment=TA_CENTER
        ),
        "annex_title": ParagraphStyle(
            "annex_title", parent=base, fontName=FONT_BOLD, fontSize=14, leading=18
        ),
        "annex_item": ParagraphStyle(
            "annex_item", parent=base, fontSize=9.5, leading=12, alignment=TA_LEFT
        ),
    }


def _paragraph(canvas, text, style, x, y_top, width):
    """Draw wrapped ``text`` with its top at ``y_top``; return the new top."""
    from reportlab.platypus import Paragraph

    paragraph = Paragraph(text, style)
    _w, height = paragraph.wrapOn(canvas, width, 1000)
    paragraph.drawOn(canvas, x, y_top - height)
    return y_top - height


def _centred_pair(canvas, pair, y, *, size, bold=False, gap=None):
    """Indonesian line at ``y``, the English one below it, smaller and grey."""
    width = canvas._pagesize[0]
    canvas.setFillColorRGB(*BRAND)
    canvas.setFont(FONT_BOLD if bold else FONT, size)
    canvas.drawCentredString(width / 2, y, pair[0])
    canvas.setFillColorRGB(*MUTED)
    canvas.setFont(FONT_ITALIC, size * 0.6)
    english_y = y - (gap or size * 0.85)
    canvas.drawCentredString(width / 2, english_y, pair[1])
    canvas.setFillColorRGB(0, 0, 0)
    return english_y


def draw_qr(canvas, url, x, y, size):
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing

    widget = QrCodeWidget(url, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(
        size,
        size,
        transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0],
    )
    drawing.add(widget)
    # Else the renderer selects Helvetica, which is not embedded.
    drawing.initialFontName = FONT
    renderPDF.draw(drawing, canvas, x, y)


def statement(certificate):
    """The closing sentence, per kind; stage certificates say what they attest."""
    if certificate.kind == CertificateKind.TRAINING:
        return both(
            gettext_noop(
                "This certificate states that the holder completed the smart "
                "city indicator training (SNI ISO 37122:2019) given by PPTI."
            )
        )
    return both(
        gettext_noop(
            "This certificate is an attestation against SNI ISO 37122:2019 "
            "indicators, issued by PPTI."
        )
    )


def _draw_front(canvas, certificate, styles):
    from kotacerdas.certificates.services import verification_url

    width, height = canvas._pagesize

    # Frame: a heavy outer line and a thin inner one.
    canvas.setStrokeColorRGB(*BRAND)
    canvas.setLineWidth(3)
    canvas.rect(18, 18, width - 36, height - 36)
    canvas.setLineWidth(0.8)
    canvas.rect(26, 26, width - 52, height - 52)

    canvas.setFont(FONT_BOLD, 11)
    canvas.setFillColorRGB(*BRAND)
    canvas.drawCentredString(width / 2, height - 58, settings.INSTITUTE_NAME)

    y = _centred_pair(
        canvas,
        (
            _bilingual(certificate.title, "id").upper(),
            _bilingual(certificate.title, "en"),
        ),
        height - 100,
        size=24,
        bold=True,
        gap=22,
    )
    canvas.setFont(FONT, 11)
    number_label = both(gettext_noop("Number"))
    canvas.drawCentredString(
        width / 2,
        y - 22,
        f"{number_label[0]} / {number_label[1]}: {certificate.number}",
    )

    y = _centred_pair(canvas, both(gettext_noop("awarded to")), y - 48, size=12, gap=13)
    canvas.setFont(FONT_BOLD, 22)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawCentredString(width / 2, y - 30, certificate.holder_name)
    y -= 30
    # A region's own certificate already names it as the holder.
    if certificate.region_id and str(certificate.region) != certificate.holder_name:
        canvas.setFont(FONT, 12)
        canvas.drawCentredString(width / 2, y - 18, str(certificate.region))
        y -= 18

    text_width = width - 200
    summary = certificate.scope.get("summary", {})
    top = _paragraph(
        canvas,
        escape(_bilingual(summary, "id")),
        styles["summary_id"],
        100,
        y - 14,
        text_width,
    )
    top = _paragraph(
        canvas,
        escape(_bilingual(summary, "en")),
        styles["summary_en"],
        100,
        top - 3,
        text_width,
    )
    items = certificate.scope.get("items", [])
    if items and len(items) <= FRONT_ITEMS:
        for item in items:
            line = (
                f"{escape(_bilingual(item, 'id'))} · "
                f"<i>{escape(_bilingual(item, 'en'))}</i>"
            )
            # A line that reads the same in both languages (a list of clauses)
            # is printed once, to keep the front on one page.
            if _bilingual(item, "id") == _bilingual(item, "en"):
                line = escape(_bilingual(item, "id"))
            top = _paragraph(canvas, line, styles["item"], 100, top - 4, text_width)
    elif items:
        annex = both(
            gettext_noop("The %(count)s items are listed in the annex."),
            count=len(items),
        )
        top = _paragraph(
            canvas,
            f"{escape(annex[0])} · <i>{escape(annex[1])}</i>",
            styles["item"],
            100,
            top - 6,
            text_width,
        )

    _draw_facts(canvas, certificate)
    _draw_signatories(canvas, certificate)

    url = verification_url(certificate.number)
    draw_qr(canvas, url, width - 150, 62, 96)
    canvas.setFont(FONT, 6.5)
    canvas.setFillColorRGB(*MUTED)
    canvas.drawRightString(width - 54, 52, url)

    closing = statement(certificate)
    canvas.setFont(FONT, 8)
    canvas.drawCentredString(width / 2, 40, closing[0])
    canvas.setFont(FONT_ITALIC, 7)
    canvas.drawCentredString(width / 2, 31, closing[1])
    canvas.setFillColorRGB(0, 0, 0)


def _draw_facts(canvas, certificate):
    """Issue date, validity and methodology version, bottom left."""
    lines = []
    issued = both(gettext_noop("Date of issue"))
    lines.append(
        (
            f"{issued[0]}: {_date(certificate.issued_at, 'id')}",
            f"{issued[1]}: {_date(certificate.issued_at, 'en')}",
        )
    )
    valid = both(gettext_noop("Valid until"))
    if certificate.valid_until:
        lines.append(
            (
                f"{valid[0]}: {_date(certificate.valid_until, 'id')}",
                f"{valid[1]}: {_date(certificate.valid_until, 'en')}",
            )
        )
    else:
        no_expiry = both(gettext_noop("no expiry date"))
        lines.append((f"{valid[0]}: {no_expiry[0]}", f"{valid[1]}: {no_expiry[1]}"))
    if certificate.methodology_id:
        version = both(gettext_noop("Methodology version"))
        lines.append(
            (
                f"{version[0]}: {certificate.methodology.version}",
                f"{version[1]}: {certificate.methodology.version}",
            )
        )

    y = 140
    for indonesian, english in lines:
        canvas.setFont(FONT, 9)
        canvas.setFillColorRGB(0, 0, 0)
        canvas.drawString(50, y, indonesian)
        canvas.setFont(FONT_ITALIC, 7.5)
        canvas.setFillColorRGB(*MUTED)
        canvas.drawString(50, y - 10, english)
        y -= 26
    canvas.setFillColorRGB(0, 0, 0)


def _draw_signatories(canvas, certificate):
    signatories = certificate.signatories[:3]
    if not signatories:
        return
    width = canvas._pagesize[0]
    # The signature blocks share the space between the facts and the QR code.
    left, right = 250, width - 180
    step = (right - left) / len(signatories)
    for position, signatory in enumerate(signatories):
        centre = left + step * (position + 0.5)
        canvas.setStrokeColorRGB(*MUTED)
        canvas.setLineWidth(0.6)
        canvas.line(centre - 75, 118, centre + 75, 118)
        canvas.setFont(FONT_BOLD, 10)
        canvas.setFillColorRGB(0, 0, 0)
        canvas.drawCentredString(centre, 104, signatory["name"])
        canvas.setFont(FONT, 8.5)
        canvas.drawCentredString(centre, 92, _bilingual(signatory["title"], "id"))
        canvas.setFont(FONT_ITALIC, 7.5)
        canvas.setFillColorRGB(*MUTED)
        canvas.drawCentredString(centre, 82, _bilingual(signatory["title"], "en"))
    canvas.setFillColorRGB(0, 0, 0)


def _annex_flowables(certificate, styles):
    from reportlab.platypus import Paragraph, Spacer

    title = both(
        gettext_noop("Annex to certificate %(number)s"), number=certificate.number
    )
    flowables = [
        Paragraph(escape(title[0]), styles["annex_title"]),
        Paragraph(f"<i>{escape(title[1])}</i>", styles["annex_item"]),
    ]
    if certificate.kind == CertificateKind.READINESS:
        heading = both(gettext_noop("Indicators assessed ready (clause and title)"))
        flowables.append(
            Paragraph(
                f"{escape(heading[0])} · <i>{escape(heading[1])}</i>",
                styles["annex_item"],
            )
        )
    flowables.append(Spacer(1, 10))
    for position, item in enumerate(certificate.scope.get("items", []), start=1):
        flowables.append(
            Paragraph(
                f"{position}. {escape(_bilingual(item, 'id'))} · "
                f"<i>{escape(_bilingual(item, 'en'))}</i>",
                styles["annex_item"],
            )
        )
    return flowables


def _draw_annex_footer(canvas, certificate):
    """Number and page on every annex page, so that no page stands alone."""
    page = both(gettext_noop("page %(page)s"), page=canvas.getPageNumber())
    canvas.setFont(FONT, 7.5)
    canvas.setFillColorRGB(*MUTED)
    canvas.drawRightString(
        canvas._pagesize[0] - 50,
        30,
        f"{certificate.number} · {page[0]} / {page[1]}",
    )
    canvas.setFillColorRGB(0, 0, 0)


def render_certificate(certificate):
    """The PDF of ``certificate`` as bytes."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import (
        BaseDocTemplate,
        Frame,
        NextPageTemplate,
        PageBreak,
        PageTemplate,
        Spacer,
    )

    register_fonts()
    styles = _styles()
    buffer = io.BytesIO()
    size = landscape(A4)
    document = BaseDocTemplate(
        buffer,
        pagesize=size,
        invariant=1,
        title=certificate.number,
        author=settings.INSTITUTE_NAME,
        creator=settings.INSTITUTE_NAME,
        subject=_bilingual(certificate.title, "id"),
        initialFontName=FONT,
    )
    front = PageTemplate(
        id="front",
        # The front is drawn on the canvas; its frame only holds a spacer.
        frames=[
            Frame(
                40,
                40,
                10,
                10,
                leftPadding=0,
                rightPadding=0,
                topPadding=0,
                bottomPadding=0,
                id="front",
            )
        ],
        onPage=lambda canvas, _doc: _draw_front(canvas, certificate, styles),
    )
    annex = PageTemplate(
        id="annex",
        frames=[Frame(50, 50, size[0] - 100, size[1] - 100, id="annex")],
        onPage=lambda canvas, _doc: _draw_annex_footer(canvas, certificate),
    )
    document.addPageTemplates([front, annex])

    story = [Spacer(1, 1)]
    if len(certificate.scope.get("items", [])) > FRONT_ITEMS:
        story += [NextPageTemplate("annex"), PageBreak()]
        story += _annex_flowables(certificate, styles)
    document.build(story)
    logger.info("certificate %s drawn", certificate.number)
    return buffer.getvalue()
