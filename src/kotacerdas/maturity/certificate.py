"""The Smart City Maturity certificate (SCM-YYYY-NNNN) of a published report.

Issued when a report is published with a tier of at least M1 (the lowest
tier), through ``certificates.services.issue_certificate``: same numbering,
public verification page, status changes and registry as the readiness
certificate. Its scope states the figures of the published report that earned
it, so the certificate says exactly what the report found.
"""

import logging

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from kotacerdas.certificates.models import CertificateKind
from kotacerdas.certificates.readiness import default_valid_until
from kotacerdas.certificates.services import issue_certificate, verification_path
from kotacerdas.common.audit import record, register_actions
from kotacerdas.common.notifications import notify
from kotacerdas.common.workflow import WorkflowError

logger = logging.getLogger(__name__)

register_actions(
    {"stage.maturity_certified": gettext_lazy("issued the maturity certificate")}
)

TITLE = gettext_noop("Smart City Maturity Certificate")
SUMMARY = gettext_noop(
    "has reached the maturity tier %(tier)s with a Maturity Index of %(index)s "
    "(%(predicate)s) on %(verified)s verified indicators of SNI ISO 37122:2019 "
    "for the assessment period %(period)s."
)
INDEX_LINE = gettext_noop("Maturity Index: %(index)s")
PREDICATE_LINE = gettext_noop("Rating: %(predicate)s")
TIER_LINE = gettext_noop("Tier: %(code)s %(tier)s")
COVERED_LINE = gettext_noop("Indicators covered (ISO 37122 clauses): %(count)s")


def _both(message, **params):
    pair = {}
    for language in ("id", "en"):
        with translation.override(language):
            pair[language] = _(message) % params if params else _(message)
    return pair


def _localized(params, language):
    return {
        key: value.get(language) if isinstance(value, dict) else value
        for key, value in params.items()
    }


def _pair(message, **params):
    """Like ``_both`` but bilingual parameters are picked per language."""
    pair = {}
    for language in ("id", "en"):
        with translation.override(language):
            pair[language] = _(message) % _localized(params, language)
    return pair


def _index_in_both(index):
    """The index in each language's notation: ``3,00`` and ``3.00``."""
    return {"id": str(index).replace(".", ","), "en": str(index)}


def maturity_content(stage, result):
    """``(title, scope)`` of the certificate from a report's frozen result."""
    covered = [line["clause"] for line in result["lines"] if line["counts"]]
    tier = result["tier"]
    index = _index_in_both(result["index"])
    summary = _pair(
        SUMMARY,
        tier={lang: f"{tier['code']} {tier['name'][lang]}" for lang in ("id", "en")},
        index=index,
        predicate=result["predicate"],
        verified=result["verified_count"],
        period=result["period"],
    )
    items = [
        _pair(INDEX_LINE, index=index),
        _pair(PREDICATE_LINE, predicate=result["predicate"]),
        _pair(TIER_LINE, code=tier["code"], tier=tier["name"]),
        _pair(COVERED_LINE, count=len(covered)),
        # The clauses read the same in both languages: the PDF prints them once.
        {"id": ", ".join(covered), "en": ", ".join(covered)},
    ]
    scope = {
        "summary": summary,
        "items": items,
        "data": {
            "stage": stage.pk,
            "period": result["period"],
            "index": result["index"],
            "predicate": result["predicate"],
            "tier": tier["code"],
            "verified_count": result["verified_count"],
            "covered": covered,
            "methodology_version": result["methodology_version"],
        },
    }
    return _both(TITLE), scope


def issue_maturity_certificate(stage, *, actor, report):
    """Issue the SCM certificate that ``report`` (just published) earned.

    Called by ``report.publish_report`` inside its transaction, with the stage
    locked. Returns None when the stage already has a live maturity
    certificate (a corrected version does not change an issued certificate:
    that takes a revocation and, if earned, a new one), or when the report has
    no tier.

    Side effects: the certificate through ``issue_certificate`` (number,
    first public status line, audit event, PDF task after commit), an audit
    event on the stage and a notification to the region's people.
    """
    from kotacerdas.maturity.report import _region_people

    result = report.result
    if result.get("tier") is None:
        return None
    existing = live_certificate(stage)
    if existing is not None:
        logger.info(
            "stage %s keeps certificate %s; none issued", stage.pk, existing.number
        )
        return None
    if not actor.has_perm("certificates.issue_stage_certificate", stage):
        raise WorkflowError(_("Only the institute's admin issues certificates."))

    title, scope = maturity_content(stage, result)
    region = stage.registration.region
    certificate = issue_certificate(
        CertificateKind.MATURITY,
        actor=actor,
        holder_name=region.official_name,
        region=region,
        title=title,
        scope=scope,
        methodology=stage.methodology,
        valid_until=default_valid_until(stage),
        stage=stage,
    )
    record(
        actor=actor,
        action="stage.maturity_certified",
        obj=stage,
        note=certificate.number,
    )
    notify(
        _region_people(stage),
        action="stage.maturity_certified",
        subject=gettext_lazy("Maturity certificate issued: %(number)s"),
        body=gettext_lazy(
            "PPTI has issued the Smart City Maturity certificate %(number)s to "
            "%(region)s: tier %(tier)s, Maturity Index %(index)s. Download it "
            "from the certificates page."
        ),
        params={
            "number": certificate.number,
            "region": str(region),
            "tier": result["tier"]["code"],
            "index": result["index"],
        },
        url=verification_path(certificate.number),
    )
    logger.info("maturity certificate %s for stage %s", certificate.number, stage.pk)
    return certificate


def live_certificate(stage):
    """The stage's maturity certificate that is not revoked, or None."""
    from kotacerdas.certificates.readiness import live_certificate as live

    return live(stage)
