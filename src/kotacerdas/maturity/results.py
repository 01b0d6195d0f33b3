"""The published Maturity Index results, read for pages, downloads and the API.

Everything here reads published reports (``MaturityReport.state ==
"published"``: the current version of a stage's report; superseded versions are
history and never counted twice). The public sees the subset the publication
policy allows (``public_reports``); signed-in staff and the region itself see
every published report of the region.

The national figures are aggregated in the database (``values()`` with
``annotate``), so that a national overview of 514 regions x 80 indicators is a
handful of queries whatever the number of rows.
"""

import logging
import statistics
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.fields.json import KeyTransform
from django.db.models.functions import Floor
from django.utils import timezone

from kotacerdas.certificates.models import (
    Certificate,
    CertificateKind,
    CertificateState,
)
from kotacerdas.common.i18n import pick
from kotacerdas.indicators.models import Dimension, Indicator, Methodology
from kotacerdas.maturity.models import (
    MaturityReport,
    PublicationConsent,
    PublicationMode,
    PublicationPolicy,
    ReportLine,
    ReportState,
    Verification,
)

logger = logging.getLogger(__name__)

REGION = "stage__registration__region"
PERIOD = "stage__registration__period"
# The index runs from 1 to 5; the overview's histogram has bins of 0.5.
BIN_WIDTH = Decimal("0.5")
LOWEST_BIN = Decimal(1)
HIGHEST_INDEX = Decimal(5)
EXTREMES = 10  # weakest and strongest indicators shown nationally


# Which reports -----------------------------------------------------------------


def valid_maturity_certificates():
    """Maturity certificates valid today: stored valid and not past their date."""
    return Certificate.objects.filter(
        kind=CertificateKind.MATURITY, state=CertificateState.VALID
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=timezone.localdate()))


def published_reports():
    """Every current (published, not superseded) report."""
    return MaturityReport.objects.filter(state=ReportState.PUBLISHED)


def public_reports(policy=None):
    """The published reports the public may see under ``policy`` (the current
    one by default).

    Mode "all" shows every published report; mode "certified" only those whose
    stage has a valid maturity certificate. With ``require_consent`` the region
    must also have consented. One query when evaluated; the conditions are
    ``EXISTS`` subqueries, so the result can be filtered and aggregated further.
    """
    policy = policy or PublicationPolicy.current()
    reports = published_reports()
    if policy.mode == PublicationMode.CERTIFIED:
        reports = reports.filter(
            Exists(valid_maturity_certificates().filter(stage=OuterRef("stage")))
        )
    if policy.require_consent:
        reports = reports.filter(
            Exists(
                PublicationConsent.objects.filter(
                    region=OuterRef(REGION), consented=True
                )
            )
        )
    return reports


def with_details(reports):
    """``reports`` with their region, province and period loaded and the number
    of the stage's live maturity certificate annotated (``certificate_number``).
    """
    live_certificate = (
        Certificate.objects.filter(
            stage=OuterRef("stage"), kind=CertificateKind.MATURITY
        )
        .exclude(state=CertificateState.REVOKED)
        .order_by("-issued_at")
        .values("number")[:1]
    )
    # A published report's ``result`` holds every figure (all its lines, the
    # gap, the comparisons): tens of kilobytes. Lists read only its dimensions
    # and themes, taken out in the database.
    return (
        reports.select_related("stage__registration__region__province")
        .defer("result", "summary", "strengths", "recommendations", "correction_note")
        .annotate(
            certificate_number=Subquery(live_certificate),
            period=F(PERIOD),
            result_dimensions=KeyTransform("dimensions", "result"),
            result_themes=KeyTransform("themes", "result"),
        )
    )


@dataclass(frozen=True)
class Filters:
    """What a list of results may be narrowed by; empty values do not filter."""

    period: int | None = None
    province: str = ""  # a province code
    kind: str = ""  # RegionKind value
    tier: str = ""  # a tier code; "none" for reports without a tier

    def apply(self, reports):
        if self.period:
            reports = reports.filter(**{PERIOD: self.period})
        if self.province:
            reports = reports.filter(**{f"{REGION}__province__code": self.province})
        if self.kind:
            reports = reports.filter(**{f"{REGION}__kind": self.kind})
        if self.tier == "none":
            reports = reports.filter(tier="")
        elif self.tier:
            reports = reports.filter(tier=self.tier)
        return reports


def listed(reports, filters=None):
    """Reports for a list: filtered, with details, newest period first, then by
    region code."""
    reports = (filters or Filters()).apply(reports)
    return with_details(reports).order_by(f"-{PERIOD}", f"{REGION}__code")


def periods(reports):
    """The periods that have a report among ``reports``, newest first."""
    return list(
        reports.order_by(f"-{PERIOD}").values_list(PERIOD, flat=True).distinct()
    )


def report_of(reports, code, period):
    """The report of region ``code`` for ``period`` among ``reports``, or None."""
    return (
        with_details(reports)
        .filter(**{f"{REGION}__code": code, PERIOD: period})
        .first()
    )


# Labels -----------------------------------------------------------------------


@dataclass
class Labels:
    """Localised names of tiers, predicates and dimensions.

    Tiers and predicates are stored as codes or names in the report; their
    names come from the methodology documents (every version, so an old report
    keeps its words). Two queries, made once per page.
    """

    tiers: dict = field(default_factory=dict)  # code -> {"id", "en"}
    predicates: dict = field(default_factory=dict)  # any stored name -> {"id", "en"}
    dimensions: list = field(default_factory=list)  # [(code, name)] in order
    tier_codes: list = field(default_factory=list)

    def tier(self, code):
        return pick(self.tiers[code]) if code in self.tiers else code

    def predicate(self, stored):
        return pick(self.predicates[stored]) if stored in self.predicates else stored

    def dimension(self, code):
        return dict(self.dimensions).get(code, code)


def labelled(reports, found):
    """``reports`` with ``predicate_label`` and ``tier_label`` set for display."""
    for report in reports:
        report.predicate_label = found.predicate(report.predicate)
        report.tier_label = found.tier(report.tier) if report.tier else ""
    return reports


def labels():
    found = Labels()
    dimension_order = []
    documents = Methodology.objects.order_by("version").values_list(
        "document", flat=True
    )
    for document in documents:
        section = (document or {}).get("maturity", {})
        for tier in section.get("tiers", []):
            found.tiers[tier["code"]] = tier["name"]
            if tier["code"] not in found.tier_codes:
                found.tier_codes.append(tier["code"])
        for band in section.get("predicates", []):
            for name in band["name"].values():
                found.predicates[name] = band["name"]
        # The newest version's order of the dimensions is the one shown.
        dimension_order = [
            d["code"] for d in section.get("dimensions", [])
        ] or dimension_order
    names = {d.code: d.name for d in Dimension.objects.all()}
    found.dimensions = [(code, names.get(code, code)) for code in dimension_order]
    return found


# Figures of one report -------------------------------------------------------------


def _decimal(value):
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


def dimension_scores(report):
    """``{dimension code: Decimal}`` from the report's frozen ``result``.

    The report stores its dimensions either as ``{code: score}`` or as a list of
    ``{"code", "score"}``; both are read. Reports from ``with_details`` carry
    only their dimensions (``result_dimensions``), the rest is deferred. A dimension without a score (no
    verified indicator in it) is left out.
    """
    if hasattr(report, "result_dimensions"):
        raw = report.result_dimensions or {}
    else:
        raw = (report.result or {}).get("dimensions") or {}
    if isinstance(raw, list):
        raw = {item.get("code"): item.get("score", item.get("index")) for item in raw}
    scores = {}
    for code, value in raw.items():
        if isinstance(value, dict):
            value = value.get("score", value.get("index"))
        number = _decimal(value)
        if number is not None:
            scores[code] = number
    return scores


def radar_series(reports, names):
    """The charts' series of ``reports`` (newest first): ``[(name, {dimension
    code: Decimal})]``, one per report, named by ``names``."""
    return [
        (name, dimension_scores(report))
        for report, name in zip(reports, names, strict=True)
    ]


def radar_svg(reports, names, labels_):
    """The radar chart of the six dimensions as SVG text, drawn with the
    report's own chart functions (the same drawing as in the PDF)."""
    from kotacerdas.maturity.charts import radar_drawing, to_svg

    drawing = radar_drawing(radar_series(reports, names), labels_.dimensions)
    return to_svg(drawing)


def trend_drawing(trend, *, width=420, height=200):
    """The index per period as a line on the 1–5 scale, one point per period
    labelled with its index (a period without an index has no point). Drawn
    with ReportLab like the report's charts, and sent as SVG."""
    from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, String
    from reportlab.lib.colors import Color

    from kotacerdas.certificates.pdf import FONT, register_fonts

    register_fonts()
    ink, grid, brand = (
        Color(0.15, 0.15, 0.15),
        Color(0.8, 0.82, 0.85),
        Color(0.11, 0.27, 0.42),
    )
    drawing = Drawing(width, height)
    left, right, bottom, top = 34, width - 16, 26, height - 14

    def y_of(value):
        return bottom + (top - bottom) * (float(value) - 1) / 4

    for level in range(1, 6):
        y = y_of(level)
        drawing.add(Line(left, y, right, y, strokeColor=grid, strokeWidth=0.6))
        drawing.add(
            String(
                left - 6,
                y - 3,
                str(level),
                fontName=FONT,
                fontSize=7,
                textAnchor="end",
                fillColor=ink,
            )
        )
    points = [r for r in trend if r.index is not None]
    count = len(trend)
    step = (right - left) / max(count - 1, 1)

    def x_of(position):
        return left + step * position if count > 1 else (left + right) / 2

    for position, report in enumerate(trend):
        drawing.add(
            String(
                x_of(position),
                10,
                str(report.stage.registration.period),
                fontName=FONT,
                fontSize=7.5,
                textAnchor="middle",
                fillColor=ink,
            )
        )
    line = []
    for position, report in enumerate(trend):
        if report.index is None:
            continue
        x, y = x_of(position), y_of(report.index)
        line.extend((x, y))
        drawing.add(Circle(x, y, 3, fillColor=brand, strokeColor=brand))
        drawing.add(
            String(
                x,
                y + 6,
                f"{report.index:.2f}",
                fontName=FONT,
                fontSize=7.5,
                textAnchor="middle",
                fillColor=ink,
            )
        )
    if len(points) > 1:
        drawing.add(PolyLine(line, strokeColor=brand, strokeWidth=1.6))
    return drawing


def trend_svg(trend):
    from kotacerdas.maturity.charts import to_svg

    return to_svg(trend_drawing(trend))


# A region over time and among its peers -------------------------------------------


def trend(reports, region):
    """The region's reports among ``reports``, oldest period first. One query."""
    return list(
        with_details(reports.filter(**{REGION: region})).order_by(PERIOD, "version")
    )


@dataclass(frozen=True)
class Peers:
    """Where a report stands among the reports of the same kind and period."""

    count: int
    median: Decimal | None
    lower_quartile: Decimal | None
    upper_quartile: Decimal | None
    rank: int | None  # 1 = highest index

    @property
    def empty(self):
        return self.count == 0


def _quantize(value):
    if value is None:
        return None
    return Decimal(value).quantize(Decimal("0.01"), ROUND_HALF_UP)


def peers(reports, report):
    """The peer group of ``report`` among ``reports``: same region kind, same
    period, with an index. Median and quartiles by the inclusive method (the
    quartiles of 1, 2, 3, 4, 5 are 2 and 4); rank 1 is the highest index.
    One query.
    """
    region = report.stage.registration.region
    indices = sorted(
        reports.filter(
            **{f"{REGION}__kind": region.kind, PERIOD: report.stage.registration.period}
        )
        .exclude(index__isnull=True)
        .values_list("index", flat=True)
    )
    if not indices:
        return Peers(0, None, None, None, None)
    if len(indices) == 1:
        lower = upper = indices[0]
    else:
        lower, _median, upper = statistics.quantiles(indices, n=4, method="inclusive")
    rank = None
    if report.index is not None:
        rank = 1 + sum(1 for index in indices if index > report.index)
    return Peers(
        count=len(indices),
        median=_quantize(statistics.median(indices)),
        lower_quartile=_quantize(lower),
        upper_quartile=_quantize(upper),
        rank=rank,
    )


# The national overview (admin) ---------------------------------------------------


@dataclass(frozen=True)
class ProvinceRow:
    code: str
    name: str
    counts: dict  # tier code ("" = no tier) -> count
    total: int


@dataclass(frozen=True)
class Bin:
    low: Decimal
    high: Decimal
    count: int
    share: int  # percent of the largest bin, for the bar width


@dataclass(frozen=True)
class IndicatorMean:
    indicator: object
    mean: Decimal
    count: int


@dataclass(frozen=True)
class Overview:
    reports: int
    tiers: list  # tier codes in order, then "" for no tier
    provinces: list  # ProvinceRow
    tier_totals: dict
    bins: list  # Bin
    without_index: int
    weakest: list  # IndicatorMean
    strongest: list


def tiers_by_province(reports, tier_codes):
    rows = (
        reports.values(
            code=F(f"{REGION}__province__code"), name=F(f"{REGION}__province__name")
        )
        .annotate(n=Count("id"))
        .values("code", "name", "tier", "n")
        .order_by("code", "tier")
    )
    by_province = {}
    for row in rows:
        entry = by_province.setdefault(row["code"], (row["name"], {}))
        entry[1][row["tier"]] = entry[1].get(row["tier"], 0) + row["n"]
    provinces = []
    for code, (name, counts) in sorted(by_province.items()):
        full = {tier: counts.get(tier, 0) for tier in [*tier_codes, ""]}
        provinces.append(ProvinceRow(code, name, full, sum(counts.values())))
    return provinces


def histogram(reports):
    """Bins of 0.5 from 1 to 5, counted in the database. An index of exactly 5
    falls in the last bin [4.5, 5]; ``without_index`` counts reports whose
    stage had no verified indicator."""
    rows = (
        reports.exclude(index__isnull=True)
        .annotate(bin=Floor(F("index") * 2))
        .values("bin")
        .annotate(n=Count("id"))
        .order_by("bin")
    )
    counts = {}
    last = int((HIGHEST_INDEX - BIN_WIDTH) * 2)
    first = int(LOWEST_BIN * 2)
    for row in rows:
        position = min(max(int(row["bin"]), first), last)
        counts[position] = counts.get(position, 0) + row["n"]
    largest = max(counts.values(), default=0)
    bins = []
    for position in range(first, last + 1):
        low = Decimal(position) / 2
        count = counts.get(position, 0)
        share = round(100 * count / largest) if largest else 0
        bins.append(Bin(low, low + BIN_WIDTH, count, share))
    without = reports.filter(index__isnull=True).count()
    return bins, without


def indicator_means(reports):
    """(weakest, strongest): the mean final level per indicator over the lines
    of ``reports`` that count in the index (verified or adjusted, with a level),
    with how many regions gave it. One aggregate query (at most 80 rows, one per
    indicator) and one for the indicators' names."""
    lines = ReportLine.objects.filter(
        report__in=reports.values("pk"),
        verification__in=Verification.counted(),
        level__isnull=False,
    )
    means = list(
        lines.values("indicator_id", "indicator__sort_key")
        .annotate(mean=Avg("level"), n=Count("id"))
        .order_by("indicator__sort_key")
    )
    # Ties go to the earlier clause both ways, so the lists are stable.
    weakest = sorted(means, key=lambda row: row["mean"])[:EXTREMES]
    strongest = sorted(means, key=lambda row: -row["mean"])[:EXTREMES]
    ids = {row["indicator_id"] for row in weakest + strongest}
    indicators = Indicator.objects.select_related("theme").in_bulk(ids)

    def rows(found):
        return [
            IndicatorMean(
                indicator=indicators[row["indicator_id"]],
                mean=_quantize(row["mean"]),
                count=row["n"],
            )
            for row in found
        ]

    return rows(weakest), rows(strongest)


def national_overview(filters, tier_codes):
    """The admin's national overview of the current published reports of
    ``filters`` (period and kind; province and tier are not used here)."""
    reports = Filters(period=filters.period, kind=filters.kind).apply(
        published_reports()
    )
    provinces = tiers_by_province(reports, tier_codes)
    totals = {
        tier: sum(p.counts[tier] for p in provinces) for tier in [*tier_codes, ""]
    }
    bins, without = histogram(reports)
    weakest, strongest = indicator_means(reports)
    return Overview(
        reports=sum(totals.values()),
        tiers=[*tier_codes, ""],
        provinces=provinces,
        tier_totals=totals,
        bins=bins,
        without_index=without,
        weakest=weakest,
        strongest=strongest,
    )
