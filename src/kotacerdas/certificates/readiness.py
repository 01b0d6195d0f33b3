"""The Smart City Readiness certificate of a passed readiness stage (step 7).

The admin issues it once the lead has decided the stage passed. Its scope is the
list of ready indicators as computed from the stored scores with the stage's own
methodology version, so the certificate says exactly what the decision found.
"""

import datetime
import logging

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from kotacerdas.assessments import scoring
from kotacerdas.assessments.models import Decision, StageRecord, StageState
from kotacerdas.certificates.models import (
    Certificate,
    CertificateKind,
    CertificateState,
)
from kotacerdas.certificates.services import issue_certificate, verification_path
from kotacerdas.common.audit import record, register_actions
from kotacerdas.common.notifications import notify
from kotacerdas.common.workflow import WorkflowError, lock, require
from kotacerdas.scheduling.models import Stage

logger = logging.getLogger(__name__)

register_actions(
    {"stage.certified": gettext_lazy("issued the certificate of the stage")}
)

TITLE = gettext_noop("Smart City Readiness Certificate")
SUMMARY = gettext_noop(
    "has been assessed ready on %(ready)s of %(agreed)s agreed indicators of SNI "
    "ISO 37122:2019 for the assessment period %(period)s."
)


def default_valid_until(stage):
    """The end of the next period: 31 December of the registration's year + 1."""
    return datetime.date(stage.registration.period + 1, 12, 31)


def live_certificate(stage):
    """The stage's certificate that is not revoked, or None."""
    return (
        Certificate.objects.filter(stage=stage)
        .exclude(state=CertificateState.REVOKED)
        .first()
    )


def issue_refusal(stage):
    """Why no readiness certificate can be issued for ``stage`` now, or None."""
    if stage.stage != Stage.READINESS:
        return _("Only a readiness stage earns a readiness certificate.")
    if stage.state != StageState.DECIDED or stage.decision != Decision.PASSED:
        return _(
            "The stage has no “passed” decision; a certificate is issued only "
            "for a passed stage."
        )
    existing = live_certificate(stage)
    if existing is not None:
        return _("The stage already has the certificate %(number)s.") % {
            "number": existing.number
        }
    return None


def _both(message, **params):
    pair = {}
    for language in ("id", "en"):
        with translation.override(language):
            pair[language] = _(message) % params if params else _(message)
    return pair


def readiness_content(stage, result):
    """``(title, scope)`` of the certificate: one line per ready indicator."""
    registration = stage.registration
    ready = result.ready_indicators
    title = _both(TITLE)
    scope = {
        "summary": _both(
            SUMMARY,
            ready=result.ready_count,
            agreed=result.agreed_count,
            period=registration.period,
        ),
        "items": [
            {
                "id": f"{indicator.clause} {indicator.title_id}",
                "en": f"{indicator.clause} {indicator.title_en}",
            }
            for indicator in ready
        ],
        "data": {
            "stage": stage.pk,
            "period": registration.period,
            "ready": [indicator.clause for indicator in ready],
            "ready_count": result.ready_count,
            "agreed_count": result.agreed_count,
            "methodology_version": result.methodology_version,
        },
    }
    return title, scope


def _stage_people(stage):
    registration = stage.registration
    people = {registration.coordinator_id: registration.coordinator}
    for member in registration.team.filter(is_active=True):
        people.setdefault(member.pk, member)
    return list(people.values())


@transaction.atomic
def issue_readiness_certificate(stage, *, actor, valid_until=None):
    """Issue the readiness certificate of a stage the lead decided passed.

    ``valid_until`` defaults to the end of the next period. Refuses a stage
    that is not a passed readiness stage or already has a certificate that is
    not revoked.

    Side effects: locks the stage (two admins at once get one certificate),
    issues the certificate through ``issue_certificate`` (number, first public
    status line, audit event, PDF task after commit), an audit event on the
    stage and a notification to the coordinator and the team.
    """
    stage = lock(stage)
    stage = StageRecord.objects.select_related(
        "registration__region", "registration__coordinator", "methodology"
    ).get(pk=stage.pk)
    require(actor, "certificates.issue_stage_certificate", stage)
    refusal = issue_refusal(stage)
    if refusal:
        raise WorkflowError(refusal)

    result = scoring.stage_result(stage)
    if not result.passes:
        # The decision follows from the result; a mismatch means the scores
        # changed after the decision, and the certificate must not say more.
        raise WorkflowError(
            _("The computed result of the stage no longer passes; check the scores.")
        )
    title, scope = readiness_content(stage, result)
    region = stage.registration.region
    valid_until = valid_until or default_valid_until(stage)
    if valid_until < datetime.date(stage.registration.period, 1, 1):
        raise WorkflowError(
            _("The validity must end after the start of the assessment period.")
        )

    certificate = issue_certificate(
        CertificateKind.READINESS,
        actor=actor,
        holder_name=region.official_name,
        region=region,
        title=title,
        scope=scope,
        methodology=stage.methodology,
        valid_until=valid_until,
        stage=stage,
    )
    record(actor=actor, action="stage.certified", obj=stage, note=certificate.number)
    notify(
        _stage_people(stage),
        action="stage.certified",
        subject=gettext_lazy("Readiness certificate issued: %(number)s"),
        body=gettext_lazy(
            "PPTI has issued the Smart City Readiness certificate %(number)s to "
            "%(region)s for %(ready)s ready indicators. Download it from the "
            "certificates page."
        ),
        params={
            "number": certificate.number,
            "region": str(region),
            "ready": result.ready_count,
        },
        url=verification_path(certificate.number),
    )
    logger.info("readiness certificate %s for stage %s", certificate.number, stage.pk)
    return certificate


def stages_awaiting_certificate():
    """Passed readiness stages without a certificate that is not revoked."""
    live = Certificate.objects.exclude(state=CertificateState.REVOKED)
    return (
        StageRecord.objects.filter(
            stage=Stage.READINESS,
            state=StageState.DECIDED,
            decision=Decision.PASSED,
        )
        .exclude(pk__in=live.filter(stage__isnull=False).values("stage_id"))
        .select_related("registration__region")
        .order_by("decided_at", "pk")
    )
