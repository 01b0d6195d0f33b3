"""Maturity results at national scale, for the benchmarks.

The generator gives every kabupaten and kota (514) a published Maturity Index
report in each of the two periods before the bench period: 1,028 reports of 80
indicators each, 82,240 report lines, with the frozen ``result`` of the shape
the publishing service writes (every line, dimension and theme), a maturity
certificate where a tier is reached, and the consent of most regions. The rows
are written with ``bulk_create``: the publishing service has its own tests,
and walking 1,028 stages through the review would take an hour.

Importing this module registers the generator with ``bench/generate.py`` and
gives ``bench/run.py`` its pages (:data:`PAGES`) and its in-process timings
(:func:`measure_in_process`): the open-data CSV export of indicator lines with
its peak memory on a quarter of the data and on all of it, and the report PDF.
"""

import statistics
import time
import tracemalloc
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from bench import generate as gen

CONSENT_SHARE = 0.85  # of the regions; the login region always consents
REJECTED_SHARE = 0.05  # of the indicator lines
ADJUSTED_SHARE = 0.05
BATCH = 5000


def maturity_periods(ctx):
    return (ctx.period - 2, ctx.period - 1)


def _levels(ctx, base, indicators):
    """``{indicator pk: (verification, level)}`` around ``base``."""
    levels = {}
    for indicator in indicators:
        draw = ctx.rng.random()
        if draw < REJECTED_SHARE:
            levels[indicator.pk] = ("rejected", None)
            continue
        verification = (
            "adjusted" if draw < REJECTED_SHARE + ADJUSTED_SHARE else ("verified")
        )
        level = min(5, max(1, round(ctx.rng.gauss(base, 0.8))))
        levels[indicator.pk] = (verification, level)
    return levels


def _text(value):
    return None if value is None else str(value)


def _result(document, region, period, indicators, levels, names, computed):
    """A frozen result of the shape ``maturity.report.build_result`` writes,
    without the gap and the comparisons (they are computed at publication from
    other regions' reports; the pages read the dimensions only)."""
    from kotacerdas.indicators.methodology import predicate_for, tier_for
    from kotacerdas.maturity.scoring import rounded

    section = document["maturity"]
    tier = tier_for(document, computed.index, computed.verified_count)
    predicate = predicate_for(document, computed.index)
    dimension_of = {n: d["code"] for d in section["dimensions"] for n in d["themes"]}
    lines = []
    for indicator in indicators:
        verification, level = levels[indicator.pk]
        lines.append(
            {
                "indicator": indicator.pk,
                "clause": indicator.clause,
                "theme": indicator.theme.number,
                "title": {"id": indicator.title_id, "en": indicator.title_en},
                "unit": {"id": indicator.unit_id, "en": indicator.unit_en},
                "value": "40",
                "reported_value": "40",
                "formula": "40 / 100 × 100 = 40",
                "year": period - 1,
                "verification": verification,
                "level": level,
                "comment": "",
                "adjustment_reason": "",
                "counts": level is not None,
            }
        )
    return (
        {
            "methodology_version": document["version"],
            "period": period,
            "region": {
                "code": region.code,
                "name": region.official_name,
                "kind": region.kind,
            },
            "index": _text(computed.index),
            "predicate": predicate["name"] if predicate else None,
            "tier": {"code": tier["code"], "name": tier["name"]} if tier else None,
            "next_tier": None,
            "verified_count": computed.verified_count,
            "indicator_count": len(indicators),
            "dimensions": [
                {
                    "code": d["code"],
                    "name": names["dimensions"][d["code"]],
                    "weight": _text(d["weight"]),
                    "themes": d["themes"],
                    "score": _text(rounded(computed.dimensions.get(d["code"]))),
                }
                for d in section["dimensions"]
            ],
            "themes": [
                {
                    "number": number,
                    "name": names["themes"][number],
                    "dimension": dimension_of.get(number),
                    "score": _text(rounded(score)),
                }
                for number, score in sorted(computed.themes.items())
            ],
            "lines": lines,
            "gap": None,
            "previous": None,
            "peers": None,
        },
        predicate,
        tier,
    )


@gen.generator("maturity results")
def generate_maturity_results(ctx):
    """Published reports of every region in two periods, with their lines,
    certificates and consents (see the module's docstring)."""
    from kotacerdas.accounts.models import Role, User
    from kotacerdas.assessments.models import StageRecord
    from kotacerdas.certificates.models import (
        Certificate,
        CertificateKind,
        NumberSequence,
    )
    from kotacerdas.indicators.methodology import maturity_index
    from kotacerdas.indicators.models import Dimension, Indicator, Theme
    from kotacerdas.indicators.services import current_methodology
    from kotacerdas.maturity.models import (
        MaturityReport,
        PublicationConsent,
        ReportLine,
        ReportState,
    )
    from kotacerdas.regions.models import Region
    from kotacerdas.registrations.models import Registration, RegistrationState
    from kotacerdas.scheduling.models import Stage

    periods = maturity_periods(ctx)
    if StageRecord.objects.filter(
        stage=Stage.MATURITY, registration__period=periods[0]
    ).exists():
        return None

    methodology = current_methodology()
    document = methodology.document
    indicators = list(Indicator.objects.active().select_related("theme"))
    names = {
        "dimensions": {
            d.code: {"id": d.name_id, "en": d.name_en} for d in Dimension.objects.all()
        },
        "themes": {
            t.number: {"id": t.name_id, "en": t.name_en} for t in Theme.objects.all()
        },
    }
    regions = list(
        Region.objects.assessable().select_related("province").order_by("code")
    )
    coordinators = {
        u.region_id: u
        for u in User.objects.filter(
            roles__role=Role.PARTICIPANT, email__endswith=f"@{gen.EMAIL_DOMAIN}"
        )
    }
    admin = User.objects.get(email=gen.staff_email(Role.ADMIN, 1))
    author = User.objects.get(email=gen.staff_email(Role.ASSESSOR, 1))

    # Registrations and decided stages, one per region and period.
    registrations = []
    for period in periods:
        decided = datetime(period, 11, 20, 3, tzinfo=UTC)
        for region in regions:
            coordinator = coordinators[region.pk]
            registrations.append(
                Registration(
                    region=region,
                    period=period,
                    coordinator=coordinator,
                    contact_name=coordinator.full_name,
                    methodology=methodology,
                    state=RegistrationState.ACCEPTED,
                    submitted_at=decided - timedelta(days=200),
                    decided_at=decided - timedelta(days=190),
                )
            )
    Registration.objects.bulk_create(registrations, batch_size=BATCH)
    registrations = list(
        Registration.objects.filter(period__in=periods)
        .select_related("region")
        .order_by("period", "region__code")
    )
    stages = StageRecord.objects.bulk_create(
        [
            StageRecord(
                registration=r,
                stage=Stage.MATURITY,
                methodology=methodology,
                state="decided",
                decision="passed",
                opened_at=datetime(r.period, 3, 1, 2, tzinfo=UTC),
                submitted_at=datetime(r.period, 7, 1, 2, tzinfo=UTC),
                assessed_at=datetime(r.period, 10, 1, 2, tzinfo=UTC),
                decided_at=datetime(r.period, 11, 20, 3, tzinfo=UTC),
                decided_by=author,
            )
            for r in registrations
        ],
        batch_size=BATCH,
    )

    # Each region has a level it works at, rising a little in the second period.
    base = {region.pk: ctx.rng.uniform(1.4, 4.4) for region in regions}
    login_region = next(r for r in regions if r.code == gen.LOGIN_REGION_CODE)
    base[login_region.pk] = 3.6
    reports, all_levels = [], []
    for registration, stage in zip(registrations, stages, strict=True):
        region = registration.region
        level_base = base[region.pk]
        if registration.period == periods[1]:
            level_base = min(4.9, level_base + ctx.rng.uniform(-0.2, 0.6))
        levels = _levels(ctx, level_base, indicators)
        by_theme = defaultdict(list)
        for indicator in indicators:
            if levels[indicator.pk][1] is not None:
                by_theme[indicator.theme.number].append(levels[indicator.pk][1])
        computed = maturity_index(document, dict(by_theme))
        result, predicate, tier = _result(
            document, region, registration.period, indicators, levels, names, computed
        )
        published_at = datetime(registration.period, 12, 1, 3, tzinfo=UTC)
        reports.append(
            MaturityReport(
                stage=stage,
                version=1,
                state=ReportState.PUBLISHED,
                summary="Ringkasan hasil penilaian kematangan.",
                strengths="Layanan terpadu berjalan di seluruh perangkat daerah.",
                recommendations={
                    d["code"]: "Perluas integrasi data."
                    for d in document["maturity"]["dimensions"]
                },
                result=result,
                index=computed.index,
                predicate=predicate["name"]["id"] if predicate else "",
                tier=tier["code"] if tier else "",
                verified_count=computed.verified_count,
                drafted_by=author,
                updated_at=published_at,
                published_by=admin,
                published_at=published_at,
            )
        )
        all_levels.append(levels)
    reports = MaturityReport.objects.bulk_create(reports, batch_size=500)

    lines = []
    count_lines = 0
    for report, levels, registration in zip(
        reports, all_levels, registrations, strict=True
    ):
        for indicator in indicators:
            verification, level = levels[indicator.pk]
            lines.append(
                ReportLine(
                    report=report,
                    indicator=indicator,
                    value=Decimal(ctx.rng.randrange(0, 10000)) / 100,
                    data_year=registration.period - 1,
                    verification=verification,
                    level=level,
                )
            )
        if len(lines) >= BATCH:
            ReportLine.objects.bulk_create(lines, batch_size=BATCH)
            count_lines += len(lines)
            lines = []
    ReportLine.objects.bulk_create(lines, batch_size=BATCH)
    count_lines += len(lines)

    # A maturity certificate for every report with a tier, valid until the end
    # of the next period; numbers per year of issue, as issuing gives them.
    certificates = []
    sequences = Counter()
    for report, registration in zip(reports, registrations, strict=True):
        if not report.tier:
            continue
        year = registration.period
        sequences[year] += 1
        certificates.append(
            Certificate(
                kind=CertificateKind.MATURITY,
                number=f"SCM-{year}-{sequences[year]:04d}",
                year=year,
                sequence=sequences[year],
                region=registration.region,
                holder_name=registration.region.official_name,
                title={
                    "id": "Sertifikat Smart City Maturity",
                    "en": "Smart City Maturity certificate",
                },
                scope={
                    "summary": {
                        "id": f"Indeks {report.index}",
                        "en": f"Index {report.index}",
                    },
                    "items": [],
                    "data": {"index": str(report.index), "tier": report.tier},
                },
                methodology=methodology,
                issued_at=report.published_at,
                valid_until=date(year + 1, 12, 31),
                stage_id=report.stage_id,
                issued_by=admin,
            )
        )
    Certificate.objects.bulk_create(certificates, batch_size=BATCH)
    for year, last in sequences.items():
        NumberSequence.objects.update_or_create(
            kind=CertificateKind.MATURITY, year=year, defaults={"last": last}
        )

    consents = [
        PublicationConsent(region=region, consented=True, by=coordinators[region.pk])
        for region in regions
        if region.pk == login_region.pk or ctx.rng.random() < CONSENT_SHARE
    ]
    PublicationConsent.objects.bulk_create(consents, batch_size=BATCH)
    return {
        "maturity reports": len(reports),
        "report lines": count_lines,
        "maturity certificates": len(certificates),
        "consents": len(consents),
    }


# Pages and in-process timings ---------------------------------------------------

# (name, path, role): run.py turns them into its Page rows.
PAGES = [
    ("results-region", f"/kematangan/hasil/{gen.LOGIN_REGION_CODE}/", "participant"),
    ("results-national", "/kematangan/kelola/nasional/", "admin"),
    ("results-public-list", "/terbuka/hasil/", None),
    ("results-public-region", f"/terbuka/hasil/{gen.LOGIN_REGION_CODE}/", None),
    ("results-radar-svg", f"/terbuka/hasil/{gen.LOGIN_REGION_CODE}/radar.svg", None),
    ("results-trend-svg", f"/terbuka/hasil/{gen.LOGIN_REGION_CODE}/tren.svg", None),
    ("results-api-list", "/terbuka/api/v1/hasil/?page_size=50", None),
    ("results-csv", "/terbuka/data/hasil.csv", None),
    ("results-indicators-csv", "/terbuka/data/indikator.csv", None),
]


def _drain(chunks):
    rows = size = 0
    for chunk in chunks:
        rows += 1
        size += len(chunk)
    return rows, size


def _timed(function, runs):
    times = []
    outcome = None
    for _ in range(runs):
        started = time.perf_counter()
        outcome = function()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1), outcome


def _peak_memory(function):
    tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        function()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak


def measure_in_process(runs=3):
    """Time the indicator-line CSV export on a quarter of the public reports
    and on all of them, with the peak of Python memory while streaming each;
    and the report PDF of the login region's latest period."""
    from kotacerdas.maturity import opendata, results

    public = results.public_reports()
    codes = sorted(public.values_list(f"{results.REGION}__code", flat=True).distinct())
    quarter_codes = codes[: max(1, len(codes) // 4)]
    sets = {
        "quarter": public.filter(**{f"{results.REGION}__code__in": quarter_codes}),
        "all": public,
    }
    figures = {"csv": {}}
    for name, reports in sets.items():
        median_ms, (rows, size) = _timed(
            lambda reports=reports: _drain(opendata.lines_csv(reports)), runs
        )
        peak = _peak_memory(lambda reports=reports: _drain(opendata.lines_csv(reports)))
        figures["csv"][name] = {
            "reports": reports.count(),
            "lines": rows - 1,
            "bytes": size,
            "median_ms": median_ms,
            "peak_python_kib": round(peak / 1024),
        }
    # For scale: the same rows held in one list, as a non-streamed export would.
    figures["csv"]["all"]["peak_python_kib_if_listed"] = round(
        _peak_memory(lambda: list(opendata.line_rows(public))) / 1024
    )
    figures["pdf"] = _time_report_pdf(runs)
    return figures


def _time_report_pdf(runs):
    try:
        from kotacerdas.maturity.pdf import render_report
    except ImportError:
        return {"skipped": "kotacerdas.maturity.pdf is not there"}
    from kotacerdas.maturity import results

    report = (
        results.published_reports()
        .filter(**{f"{results.REGION}__code": gen.LOGIN_REGION_CODE})
        .order_by(f"-{results.PERIOD}")
        .select_related("stage__registration__region", "stage__methodology")
        .first()
    )
    render_report(report)  # warm-up: fonts registered, modules loaded
    median_ms, pdf = _timed(lambda: render_report(report), runs)
    return {
        "report": report.pk,
        "indicators": len(report.result.get("lines", [])),
        "runs": runs,
        "median_ms": median_ms,
        "bytes": len(pdf),
    }


def print_in_process(figures):
    for name, row in figures["csv"].items():
        print(
            f"Indicator CSV ({name}: {row['reports']} reports, {row['lines']} lines, "
            f"{row['bytes']} bytes): median {row['median_ms']} ms, peak Python "
            f"memory {row['peak_python_kib']} KiB"
        )
    listed = figures["csv"]["all"]["peak_python_kib_if_listed"]
    print(f"  (the same lines held in one list: peak {listed} KiB)")
    pdf = figures["pdf"]
    if "skipped" in pdf:
        print(f"Report PDF: skipped ({pdf['skipped']})")
    else:
        print(
            f"Report PDF ({pdf['indicators']} indicators, {pdf['runs']} runs, "
            f"in-process): median {pdf['median_ms']} ms, {pdf['bytes']} bytes"
        )
