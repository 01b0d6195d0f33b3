"""The Maturity Index report PDF: A4, Indonesian with English headings.

Drawn from the report's frozen ``result`` (a draft is drawn from the figures
of the moment, for preview), with the charts of ``maturity.charts`` and the
embedded DejaVu fonts of the certificates. Built with ``invariant=1`` so that
drawing the same version twice gives the same bytes and its SHA-256 holds.

Sections: cover; result (index, rating, tier, dimension scores, radar); a chart
per theme; the table of every indicator; the gap to the next tier; the
comparison with the previous period and the peer group; the narrative; the
methodology appendix.
"""

import hashlib
import io
import logging
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kotacerdas.certificates.pdf import (
    BRAND,
    FONT,
    FONT_BOLD,
    FONT_ITALIC,
    MUTED,
    _date,
    both,
    register_fonts,
)
from kotacerdas.common.audit import record
from kotacerdas.common.uploads import store_upload
from kotacerdas.common.workflow import lock
from kotacerdas.maturity import charts, values
from kotacerdas.maturity.models import Verification

logger = logging.getLogger(__name__)

LANGUAGES = ("id", "en")


def _pick(value, language="id"):
    if isinstance(value, dict):
        return value.get(language) or value.get("id") or value.get("en") or ""
    return "" if value is None else str(value)


def _dash(value):
    return "—" if value in (None, "") else str(value)


def _plain(value):
    """A figure without trailing zeros, as the filling pages show it."""
    return values.plain(value)


def _styles():
    from reportlab.lib.styles import ParagraphStyle

    base = ParagraphStyle("base", fontName=FONT, fontSize=9.5, leading=12.5)
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5),
        "muted": ParagraphStyle(
            "muted", parent=base, fontName=FONT_ITALIC, fontSize=8.5, textColor=MUTED
        ),
        "h1": ParagraphStyle(
            "h1",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=14,
            leading=18,
            spaceBefore=6,
            spaceAfter=4,
            textColor=BRAND,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=11,
            leading=14,
            spaceBefore=8,
            spaceAfter=3,
            textColor=BRAND,
        ),
        "cover_title": ParagraphStyle(
            "cover_title",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=22,
            leading=28,
            textColor=BRAND,
            alignment=1,
        ),
        "cover": ParagraphStyle(
            "cover", parent=base, fontSize=13, leading=18, alignment=1
        ),
        "cover_muted": ParagraphStyle(
            "cover_muted",
            parent=base,
            fontName=FONT_ITALIC,
            fontSize=11,
            leading=15,
            alignment=1,
            textColor=MUTED,
        ),
        "big": ParagraphStyle(
            "big", parent=base, fontName=FONT_BOLD, fontSize=18, leading=22
        ),
    }


class _Builder:
    """Collects the story of one report, section by section."""

    def __init__(self, report, result):
        from reportlab.lib.pagesizes import A4

        self.report = report
        self.result = result
        self.styles = _styles()
        self.story = []
        self.width = A4[0] - 2 * 48
        self.section_number = 0

    # Small helpers ----------------------------------------------------------

    def p(self, text, style="base"):
        from reportlab.platypus import Paragraph

        self.story.append(Paragraph(text, self.styles[style]))

    def heading(self, message, style="h1", **params):
        indonesian, english = both(message, **params)
        if style == "h1":
            self.section_number += 1
            indonesian = f"{self.section_number}. {indonesian}"
        self.p(
            f"{escape(indonesian)} <font name='{FONT_ITALIC}' size='8.5' "
            f"color='#59616b'>· {escape(english)}</font>",
            style,
        )

    def label(self, message, **params):
        indonesian, english = both(message, **params)
        return (
            f"{escape(indonesian)}<br/><font name='{FONT_ITALIC}' size='7' "
            f"color='#59616b'>{escape(english)}</font>"
        )

    def cell(self, text, style="small"):
        from reportlab.platypus import Paragraph

        return Paragraph(text, self.styles[style])

    def table(self, rows, widths, *, header=True):
        from reportlab.lib import colors
        from reportlab.platypus import Table, TableStyle

        table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
        style = [
            ("FONT", (0, 0), (-1, -1), FONT, 8),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("GRID", (0, 0), (-1, -1), 0.3, colors.Color(0.8, 0.82, 0.85)),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]
        if header:
            style.append(
                ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.91, 0.93, 0.96))
            )
        table.setStyle(TableStyle(style))
        self.story.append(table)

    def space(self, height=6):
        from reportlab.platypus import Spacer

        self.story.append(Spacer(1, height))

    def page_break(self):
        from reportlab.platypus import PageBreak

        self.story.append(PageBreak())

    def tier_text(self, tier, language="id"):
        if not tier:
            return {"id": "belum mencapai peringkat", "en": "no tier reached"}[language]
        return f"{tier['code']} {_pick(tier['name'], language)}"

    # Sections -----------------------------------------------------------------

    def cover(self):
        result, report = self.result, self.report
        self.space(120)
        self.p(escape(settings.INSTITUTE_NAME), "cover_muted")
        self.space(24)
        title = both(gettext_noop("Smart City Maturity Index Report"))
        self.p(escape(title[0]), "cover_title")
        self.p(escape(title[1]), "cover_muted")
        self.space(40)
        self.p(f"<b>{escape(result['region']['name'])}</b>", "cover")
        period = both(gettext_noop("Assessment period %(period)s"), **result)
        self.p(escape(period[0]), "cover")
        self.p(escape(period[1]), "cover_muted")
        self.space(16)
        version = both(gettext_noop("Version %(version)s"), version=report.version)
        self.p(f"{escape(version[0])} · {escape(version[1])}", "cover")
        if report.published_at:
            published = both(gettext_noop("Published on"))
            self.p(
                f"{escape(published[0])} {_date(report.published_at, 'id')} · "
                f"{escape(published[1])} {_date(report.published_at, 'en')}",
                "cover_muted",
            )
        else:
            draft = both(gettext_noop("Draft, not published"))
            self.p(f"{escape(draft[0])} · {escape(draft[1])}", "cover_muted")
        if report.version > 1 and report.correction_note:
            self.space(16)
            corrects = both(gettext_noop("This version corrects the previous one"))
            self.p(f"{escape(corrects[0])} · {escape(corrects[1])}:", "cover_muted")
            self.p(escape(report.correction_note), "cover")
        self.page_break()

    def headline(self):
        result = self.result
        self.heading(gettext_noop("Result"))
        predicate = result["predicate"]
        rows = [
            [
                self.cell(self.label(gettext_noop("Maturity Index"))),
                self.cell(self.label(gettext_noop("Rating"))),
                self.cell(self.label(gettext_noop("Tier"))),
                self.cell(self.label(gettext_noop("Verified indicators"))),
            ],
            [
                self.cell(escape(_dash(result["index"])), "big"),
                self.cell(
                    f"<b>{escape(_pick(predicate, 'id') or '—')}</b><br/>"
                    f"<i>{escape(_pick(predicate, 'en'))}</i>",
                    "base",
                ),
                self.cell(
                    f"<b>{escape(self.tier_text(result['tier']))}</b><br/>"
                    f"<i>{escape(self.tier_text(result['tier'], 'en'))}</i>",
                    "base",
                ),
                self.cell(
                    f"<b>{result['verified_count']}</b> / {result['indicator_count']}",
                    "base",
                ),
            ],
        ]
        quarter = self.width / 4
        self.table(rows, [quarter] * 4)
        self.space(8)

        rows = [
            [
                self.cell(self.label(gettext_noop("Dimension"))),
                self.cell(self.label(gettext_noop("Themes"))),
                self.cell(self.label(gettext_noop("Weight"))),
                self.cell(self.label(gettext_noop("Score"))),
            ]
        ]
        theme_names = {t["number"]: t for t in result["themes"]}
        for dimension in result["dimensions"]:
            themes = [
                f"{t['number']} {escape(_pick(t['name']))} ({_dash(t['score'])})"
                for n in dimension["themes"]
                if (t := theme_names.get(n))
            ]
            rows.append(
                [
                    self.cell(escape(_pick(dimension["name"]))),
                    self.cell(", ".join(themes) or "—"),
                    self.cell(_dash(dimension["weight"])),
                    self.cell(f"<b>{_dash(dimension['score'])}</b>"),
                ]
            )
        self.table(rows, [self.width * f for f in (0.25, 0.53, 0.1, 0.12)])
        self.space(6)
        self.story.append(self.radar())

    def radar(self):
        return radar_for_result(self.result, "id")

    def theme_charts(self):
        from reportlab.platypus import KeepTogether

        result = self.result
        self.heading(gettext_noop("Levels per theme"))
        previous = result.get("previous") or {}
        before = {c["clause"]: c["from"] for c in previous.get("changes", [])}
        for theme in result["themes"]:
            lines = [ln for ln in result["lines"] if ln["theme"] == theme["number"]]
            labels = [
                (ln["clause"], f"{ln['clause']} {_pick(ln['title'])}") for ln in lines
            ]
            series = [
                (str(result["period"]), {ln["clause"]: ln["level"] for ln in lines})
            ]
            if any(ln["clause"] in before for ln in lines):
                series.append(
                    (
                        str(previous["period"]),
                        {c: before[c] for c in before},
                    )
                )
            title = (
                f"{theme['number']}. {_pick(theme['name'])} · "
                f"{_pick(theme['name'], 'en')} — {_dash(theme['score'])}"
            )
            drawing = charts.theme_bars_drawing(
                series, labels, width=self.width, title=title
            )
            self.story.append(KeepTogether([drawing]))
            self.space(4)

    def indicator_table(self):
        result = self.result
        self.heading(gettext_noop("Every indicator"))
        rows = [
            [
                self.cell(self.label(gettext_noop("Clause"))),
                self.cell(self.label(gettext_noop("Indicator"))),
                self.cell(self.label(gettext_noop("Value"))),
                self.cell(self.label(gettext_noop("Year"))),
                self.cell(self.label(gettext_noop("Verification"))),
                self.cell(self.label(gettext_noop("Level"))),
                self.cell(self.label(gettext_noop("Comment"))),
            ]
        ]
        for line in result["lines"]:
            verification = ""
            if line["verification"]:
                with translation.override("id"):
                    verification = str(Verification(line["verification"]).label)
            comment = escape(line["comment"] or "")
            if line["verification"] == Verification.ADJUSTED:
                reported = both(
                    gettext_noop("reported %(value)s"),
                    value=_plain(line["reported_value"]),
                )[0]
                comment = f"{escape(reported)}; {escape(line['adjustment_reason'])}" + (
                    f"<br/>{comment}" if comment else ""
                )
            rows.append(
                [
                    self.cell(escape(line["clause"])),
                    self.cell(
                        f"{escape(_pick(line['title']))}<br/><font color='#59616b'>"
                        f"<i>{escape(_pick(line['title'], 'en'))}</i></font>"
                    ),
                    self.cell(f"{_plain(line['value'])} {escape(_pick(line['unit']))}"),
                    self.cell(_dash(line["year"])),
                    self.cell(escape(verification) or "—"),
                    self.cell(f"<b>{_dash(line['level'])}</b>"),
                    self.cell(comment or "—"),
                ]
            )
        widths = (0.09, 0.31, 0.13, 0.07, 0.13, 0.07, 0.20)
        self.table(rows, [self.width * f for f in widths])

    def gap(self):
        result = self.result
        self.heading(gettext_noop("Gap to the next tier"))
        gap = result.get("gap")
        if gap is None:
            self.p(
                escape(both(gettext_noop("The highest tier is reached."))[0]), "base"
            )
            return
        tier = gap["tier"]
        text = both(
            gettext_noop(
                "Tier %(tier)s needs an index of at least %(index)s and at least "
                "%(verified)s verified indicators."
            ),
            tier=f"{tier['code']} {_pick(tier['name'])}",
            index=gap["index_needed"],
            verified=gap["verified_needed"],
        )
        self.p(escape(text[0]))
        self.p(escape(text[1]), "muted")
        if gap["more_verified"]:
            more = both(
                gettext_noop("%(count)s more indicators must be verified."),
                count=gap["more_verified"],
            )
            self.p(f"{escape(more[0])} <i>{escape(more[1])}</i>")
        if gap["raises"]:
            rows = [
                [
                    self.cell(self.label(gettext_noop("Clause"))),
                    self.cell(self.label(gettext_noop("Indicator"))),
                    self.cell(self.label(gettext_noop("From level"))),
                    self.cell(self.label(gettext_noop("To level"))),
                ]
            ]
            for item in gap["raises"]:
                rows.append(
                    [
                        self.cell(escape(item["clause"])),
                        self.cell(escape(_pick(item["title"]))),
                        self.cell(str(item["from"])),
                        self.cell(f"<b>{item['to']}</b>"),
                    ]
                )
            self.space(4)
            self.table(rows, [self.width * f for f in (0.1, 0.6, 0.15, 0.15)])
            after = both(
                gettext_noop("With these levels the index would be %(index)s."),
                index=_dash(gap["index_after"]),
            )
            self.p(f"{escape(after[0])} <i>{escape(after[1])}</i>", "small")
        elif not gap["reachable"]:
            self.p(
                escape(
                    both(gettext_noop("Raising levels alone cannot reach this tier."))[
                        0
                    ]
                )
            )

    def comparison(self):
        result = self.result
        self.heading(gettext_noop("Comparison"))
        self.heading(gettext_noop("Previous period"), "h2")
        previous = result.get("previous")
        if not previous:
            self.p(
                escape(
                    both(
                        gettext_noop(
                            "The region has no published result of an earlier period."
                        )
                    )[0]
                )
            )
        else:
            rows = [
                [
                    self.cell(self.label(gettext_noop("Figure"))),
                    self.cell(str(previous["period"])),
                    self.cell(str(result["period"])),
                ],
                [
                    self.cell(self.label(gettext_noop("Maturity Index"))),
                    self.cell(_dash(previous["index"])),
                    self.cell(_dash(result["index"])),
                ],
                [
                    self.cell(self.label(gettext_noop("Tier"))),
                    self.cell(_dash(previous["tier"])),
                    self.cell(_dash((result["tier"] or {}).get("code"))),
                ],
            ]
            for dimension in result["dimensions"]:
                rows.append(
                    [
                        self.cell(escape(_pick(dimension["name"]))),
                        self.cell(_dash(previous["dimensions"].get(dimension["code"]))),
                        self.cell(_dash(dimension["score"])),
                    ]
                )
            self.table(rows, [self.width * f for f in (0.5, 0.25, 0.25)])
            changed = [c for c in previous["changes"] if c["change"]]
            if changed:
                text = ", ".join(
                    f"{c['clause']} {c['from']}→{c['to']}" for c in changed
                )
                label = both(gettext_noop("Level changes"))
                self.p(
                    f"<b>{escape(label[0])}</b> ({escape(label[1])}): {text}", "small"
                )

        self.heading(gettext_noop("Peer group"), "h2")
        peers = result.get("peers") or {}
        group = peers.get("group") or {}
        national = peers.get("national") or {}
        with translation.override("id"):
            from kotacerdas.regions.models import RegionKind

            kind = str(RegionKind(group["kind"]).label) if group.get("kind") else ""
        rows = [
            [
                self.cell(self.label(gettext_noop("Group"))),
                self.cell(self.label(gettext_noop("Regions"))),
                self.cell(self.label(gettext_noop("Median"))),
                self.cell(self.label(gettext_noop("Quartiles"))),
                self.cell(self.label(gettext_noop("Range"))),
                self.cell(self.label(gettext_noop("Rank"))),
            ]
        ]
        for name, figures, rank in (
            (kind, group, group.get("rank")),
            (both(gettext_noop("national"))[0], national, None),
        ):
            if not figures.get("count"):
                continue
            rows.append(
                [
                    self.cell(escape(name)),
                    self.cell(str(figures["count"])),
                    self.cell(figures["median"]),
                    self.cell(f"{figures['q1']} – {figures['q3']}"),
                    self.cell(f"{figures['min']} – {figures['max']}"),
                    self.cell(
                        f"{rank} / {figures['count']}" if rank is not None else "—"
                    ),
                ]
            )
        self.table(rows, [self.width / 6] * 6)

    def narrative(self):
        report = self.report
        self.heading(gettext_noop("Assessors' narrative"))
        self.heading(gettext_noop("Summary"), "h2")
        self._text(report.summary)
        self.heading(gettext_noop("Strengths"), "h2")
        self._text(report.strengths)
        self.heading(gettext_noop("Recommendations per dimension"), "h2")
        for dimension in self.result["dimensions"]:
            self.p(
                f"<b>{escape(_pick(dimension['name']))}</b> "
                f"<font color='#59616b'><i>{escape(_pick(dimension['name'], 'en'))}"
                "</i></font>"
            )
            self._text(report.recommendations.get(dimension["code"], ""))

    def _text(self, text):
        for paragraph in (text or "—").split("\n\n"):
            self.p(escape(paragraph.strip()).replace("\n", "<br/>"))

    def appendix(self, document):
        section = document["maturity"]
        self.page_break()
        self.heading(gettext_noop("Methodology appendix"))
        text = both(
            gettext_noop(
                "Methodology version %(version)s. Theme score = mean level of its "
                "verified indicators; dimension score = mean of its assessed themes; "
                "index = weighted mean of the assessed dimensions, rounded to "
                "%(decimals)s decimals. Rejected or unassessed indicators are left "
                "out, not counted as zero."
            ),
            version=self.result["methodology_version"],
            decimals=section["index_decimals"],
        )
        self.p(escape(text[0]))
        self.p(escape(text[1]), "muted")

        self.heading(gettext_noop("Maturity levels"), "h2")
        rows = [
            [
                self.cell(self.label(gettext_noop("Level"))),
                self.cell(self.label(gettext_noop("Name"))),
                self.cell(self.label(gettext_noop("Meaning"))),
            ]
        ]
        for level in section["levels"]:
            rows.append(
                [
                    self.cell(str(level["level"])),
                    self.cell(
                        f"{escape(_pick(level['name']))}<br/>"
                        f"<i>{escape(_pick(level['name'], 'en'))}</i>"
                    ),
                    self.cell(
                        f"{escape(_pick(level['meaning']))}<br/><i>"
                        f"{escape(_pick(level['meaning'], 'en'))}</i>"
                    ),
                ]
            )
        self.table(rows, [self.width * f for f in (0.08, 0.22, 0.7)])

        self.heading(gettext_noop("Dimensions, themes and weights"), "h2")
        from kotacerdas.indicators.models import Dimension, Theme

        dimension_names = {d.code: d for d in Dimension.objects.all()}
        theme_names = {t.number: t for t in Theme.objects.all()}
        rows = [
            [
                self.cell(self.label(gettext_noop("Dimension"))),
                self.cell(self.label(gettext_noop("Weight"))),
                self.cell(self.label(gettext_noop("Themes (ISO 37122 clause)"))),
            ]
        ]
        for dimension in section["dimensions"]:
            named = dimension_names.get(dimension["code"])
            themes = ", ".join(
                f"{n} {escape(theme_names[n].name_id) if n in theme_names else ''}"
                for n in dimension["themes"]
            )
            rows.append(
                [
                    self.cell(escape(named.name_id if named else dimension["code"])),
                    self.cell(str(dimension["weight"])),
                    self.cell(themes),
                ]
            )
        self.table(rows, [self.width * f for f in (0.25, 0.1, 0.65)])

        self.heading(gettext_noop("Ratings and tiers"), "h2")
        rows = [
            [
                self.cell(self.label(gettext_noop("Rating"))),
                self.cell(self.label(gettext_noop("Index from"))),
            ]
        ]
        for band in section["predicates"]:
            rows.append(
                [
                    self.cell(
                        f"{escape(_pick(band['name']))} · "
                        f"<i>{escape(_pick(band['name'], 'en'))}</i>"
                    ),
                    self.cell(str(band["min"])),
                ]
            )
        self.table(rows, [self.width * 0.5, self.width * 0.2])
        self.space(6)
        rows = [
            [
                self.cell(self.label(gettext_noop("Tier"))),
                self.cell(self.label(gettext_noop("Index from"))),
                self.cell(self.label(gettext_noop("Verified indicators from"))),
            ]
        ]
        for tier in section["tiers"]:
            rows.append(
                [
                    self.cell(
                        f"{tier['code']} {escape(_pick(tier['name']))} · "
                        f"<i>{escape(_pick(tier['name'], 'en'))}</i>"
                    ),
                    self.cell(str(tier["min_index"])),
                    self.cell(str(tier["min_verified"])),
                ]
            )
        self.table(rows, [self.width * 0.5, self.width * 0.2, self.width * 0.3])


def radar_for_result(result, language=None, *, size=330):
    """The radar of a report's result: this period, the previous period and the
    peer median where there are peers, dimension names in ``language``."""
    with translation.override(language or translation.get_language()):
        language = (translation.get_language() or "id")[:2]
        labels = [(d["code"], _pick(d["name"], language)) for d in result["dimensions"]]
        series = [
            (
                str(result["period"]),
                {d["code"]: d["score"] for d in result["dimensions"]},
            )
        ]
        previous = result.get("previous")
        if previous:
            series.append((str(previous["period"]), previous["dimensions"]))
        peers = (result.get("peers") or {}).get("group") or {}
        if peers.get("count", 0) > 1:
            series.append((str(_("peer median")), peers.get("dimensions", {})))
        return charts.radar_drawing(series, labels, size=size)


def _footer(report, result):
    def draw(canvas, document):
        if canvas.getPageNumber() == 1:
            return
        page = both(gettext_noop("page %(page)s"), page=canvas.getPageNumber())
        canvas.setFont(FONT, 7.5)
        canvas.setFillColorRGB(*MUTED)
        canvas.drawString(
            48,
            28,
            f"{result['region']['name']} · {result['period']} · v{report.version}",
        )
        canvas.drawRightString(document.pagesize[0] - 48, 28, f"{page[0]} / {page[1]}")

    return draw


def render_report(report, result=None):
    """The PDF of ``report`` as bytes (its frozen result, or ``result``)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    register_fonts()
    result = result if result is not None else report.result
    builder = _Builder(report, result)
    builder.cover()
    builder.headline()
    builder.page_break()
    builder.theme_charts()
    builder.page_break()
    builder.indicator_table()
    builder.gap()
    builder.comparison()
    builder.narrative()
    builder.appendix(report.stage.methodology.document)

    buffer = io.BytesIO()
    title = f"{result['region']['name']} {result['period']} v{report.version}"
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=48,
        rightMargin=48,
        topMargin=48,
        bottomMargin=48,
        invariant=1,
        title=title,
        author=settings.INSTITUTE_NAME,
        creator=settings.INSTITUTE_NAME,
        subject=both(gettext_noop("Smart City Maturity Index Report"))[0],
        initialFontName=FONT,
    )
    footer = _footer(report, result)
    document.build(builder.story, onFirstPage=footer, onLaterPages=footer)
    logger.info("report %s drawn", report.pk)
    return buffer.getvalue()


def file_name(report):
    registration = report.stage.registration
    return f"laporan-kematangan-{registration.region.code}-{registration.period}-v{report.version}.pdf"


@transaction.atomic
def ensure_report_pdf(report):
    """Produce and keep the PDF of a published report once; later calls change
    nothing. A draft gets no stored PDF (its figures may still change).

    Side effects, the first time only: the PDF in private storage (a
    StoredFile with no region, so only the report's checked download hands it
    out), the SHA-256 on the report and an audit event.
    """
    report = lock(report)
    if report.pdf_id is not None or report.is_draft:
        return report

    content = render_report(report)
    stored = store_upload(ContentFile(content, name=file_name(report)), user=None)
    report.pdf = stored
    report.sha256 = hashlib.sha256(content).hexdigest()
    report.save(update_fields=["pdf", "sha256"])
    record(actor=None, action="report.pdf_rendered", obj=report)
    return report
