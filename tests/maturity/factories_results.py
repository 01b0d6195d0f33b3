"""Published reports made directly, for the read side (results, open data).

The publishing service has its own tests; here a report is written as
publication leaves it (state published, frozen ``result``, denormalised index,
predicate, tier and verified count, one ReportLine per indicator), so that the
results pages and downloads can be tested on many regions and periods quickly.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from kotacerdas.assessments.models import StageRecord
from kotacerdas.certificates.models import Certificate, CertificateKind
from kotacerdas.indicators.models import Indicator
from kotacerdas.maturity.models import (
    MaturityReport,
    PublicationConsent,
    PublicationPolicy,
    ReportLine,
    ReportState,
)
from kotacerdas.regions.models import Region
from kotacerdas.scheduling.models import Stage
from tests.scheduling.factories import RegistrationFactory, admin

DIMENSIONS = ("governance", "people", "living", "mobility", "environment", "economy")
_sequence = {"next": 1}


def set_policy(mode="all", require_consent=False):
    PublicationPolicy.objects.update_or_create(
        pk=1, defaults={"mode": mode, "require_consent": require_consent}
    )


def consent(code, consented=True):
    PublicationConsent.objects.update_or_create(
        region=Region.objects.get(code=code), defaults={"consented": consented}
    )


def certify(report, *, valid_until=None, state="valid"):
    """A maturity certificate of the report's stage, made directly."""
    number = _sequence["next"]
    _sequence["next"] += 1
    period = report.stage.registration.period
    certificate = Certificate.objects.create(
        kind=CertificateKind.MATURITY,
        number=f"SCM-{period}-{number:04d}",
        year=period,
        sequence=number,
        region=report.stage.registration.region,
        holder_name=report.stage.registration.region.official_name,
        title={"id": "Sertifikat Kematangan", "en": "Maturity certificate"},
        scope={},
        stage=report.stage,
        valid_until=valid_until,
    )
    if state != "valid":
        Certificate.objects.filter(pk=certificate.pk).update(state=state)
    return certificate


def published(
    code="33.72",
    period=2026,
    *,
    index="3.10",
    predicate="Baik",
    tier="M2",
    verified=10,
    dimensions=None,
    levels=None,
    version=1,
    drafted_by=None,
):
    """A published report of region ``code`` for ``period``.

    ``levels`` lists the final level of the first indicators in clause order
    (verified); the default gives ten indicators level 3. ``dimensions`` maps a
    dimension code to its score; the default gives every dimension ``index``.
    """
    region = Region.objects.get(code=code)
    registration = RegistrationFactory(region=region, period=period)
    stage = StageRecord.objects.create(
        registration=registration,
        stage=Stage.MATURITY,
        state="decided",
        decision="passed",
        methodology=registration.methodology,
    )
    scores = dimensions or dict.fromkeys(DIMENSIONS, index)
    levels = [3] * 10 if levels is None else levels
    indicators = list(Indicator.objects.active().order_by("sort_key")[: len(levels)])
    author = drafted_by or admin()
    report = MaturityReport.objects.create(
        stage=stage,
        version=version,
        state=ReportState.PUBLISHED,
        summary="Ringkasan.",
        result={
            "index": index,
            "dimensions": [
                {"code": c, "score": None if s is None else str(s)}
                for c, s in scores.items()
            ],
            "themes": [{"number": 5, "score": index}],
        },
        index=None if index is None else Decimal(index),
        predicate=predicate,
        tier=tier,
        verified_count=verified,
        drafted_by=author,
        published_by=author,
        published_at=timezone.now() - timedelta(days=1),
    )
    ReportLine.objects.bulk_create(
        ReportLine(
            report=report,
            indicator=indicator,
            value=Decimal("40.0000"),
            data_year=period - 1,
            verification="verified" if level else "rejected",
            level=level,
        )
        for indicator, level in zip(indicators, levels, strict=True)
    )
    return report
