"""The appeal of a stage decision: file, assign a handler, decide.

Each function locks its row inside one transaction, checks the named rule
(PermissionDenied) and the state (WorkflowError), changes the state through
``change_state`` with the audit trail, and notifies the people concerned.
"""

import datetime
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotacerdas.accounts.models import Role, User
from kotacerdas.appeals.models import OPEN_STATES, Appeal, AppealState, Outcome
from kotacerdas.assessments.models import Decision, StageRecord, StageState
from kotacerdas.assessments.services import change_decision
from kotacerdas.certificates.readiness import live_certificate
from kotacerdas.certificates.services import revoke_certificate
from kotacerdas.common.audit import record, register_actions
from kotacerdas.common.notifications import notify
from kotacerdas.common.workflow import WorkflowError, change_state, lock, require
from kotacerdas.scheduling.models import Stage, TeamAssignment

logger = logging.getLogger(__name__)

register_actions(
    {
        "appeal.filed": gettext_lazy("filed an appeal"),
        "appeal.assigned": gettext_lazy("assigned the appeal"),
        "appeal.decided": gettext_lazy("decided the appeal"),
    }
)

DEFAULT_APPEAL_DAYS = 14


def appeal_days(stage):
    """The appeal period of the stage's own methodology, in days."""
    document = stage.methodology.document if stage.methodology_id else {}
    return document.get("appeal_days", DEFAULT_APPEAL_DAYS)


def appeal_deadline(stage):
    """The last moment an appeal of ``stage`` may be filed, or None."""
    if stage.decided_at is None:
        return None
    return stage.decided_at + datetime.timedelta(days=appeal_days(stage))


def open_appeal(stage):
    return stage.appeals.filter(state__in=OPEN_STATES).first()


def on_team(stage, user):
    """True when ``user`` is an assessor on the stage's team (assessed it)."""
    return TeamAssignment.objects.filter(
        registration_id=stage.registration_id, stage=stage.stage, assessor=user
    ).exists()


def _admins():
    return list(User.objects.filter(roles__role=Role.ADMIN, is_active=True).distinct())


def _params(appeal):
    stage = appeal.stage
    return {"region": str(stage.registration.region), "stage": Stage(stage.stage).label}


def file_appeal(stage, *, actor, grounds, documents=(), now=None):
    """The coordinator appeals the decision of ``stage`` within the period.

    Side effects: an Appeal in state filed with its documents; an audit event;
    a notification to the admins.
    """
    now = now or timezone.now()
    grounds = (grounds or "").strip()
    with transaction.atomic():
        stage = lock(stage)
        stage = StageRecord.objects.select_related(
            "registration__region", "methodology"
        ).get(pk=stage.pk)
        require(actor, "appeals.file_appeal", stage)
        if stage.state != StageState.DECIDED:
            raise WorkflowError(_("Only a decided stage can be appealed."))
        if now > appeal_deadline(stage):
            raise WorkflowError(
                _("The appeal period of %(days)s days after the decision has ended.")
                % {"days": appeal_days(stage)}
            )
        if open_appeal(stage) is not None:
            raise WorkflowError(_("This stage already has an open appeal."))
        if not grounds:
            raise WorkflowError(_("Write the grounds of the appeal."))

        appeal = Appeal(stage=stage, grounds=grounds, filed_by=actor, filed_at=now)
        appeal.save()
        appeal.documents.set(documents)
        record(actor=actor, action="appeal.filed", obj=appeal, to_state=appeal.state)
        notify(
            _admins(),
            action="appeal.filed",
            subject=gettext_lazy("Appeal filed: %(region)s, %(stage)s"),
            body=gettext_lazy(
                "The coordinator of %(region)s appeals the decision of the "
                "%(stage)s. Assign a handler who did not assess the stage."
            ),
            params=_params(appeal),
        )
    logger.info("appeal %s filed for stage %s", appeal.pk, stage.pk)
    return appeal


def assign_handler(appeal, *, actor, handler):
    """The admin assigns an assessor or admin who did not assess the stage.

    Side effects: handler and state assigned; an audit event; a notification
    to the handler and the coordinator.
    """
    with transaction.atomic():
        appeal = lock(appeal)
        require(actor, "appeals.assign_appeal", appeal)
        if appeal.state != AppealState.FILED:
            raise WorkflowError(_("This appeal already has a handler."))
        if not (handler.has_role(Role.ASSESSOR) or handler.has_role(Role.ADMIN)):
            raise WorkflowError(_("The handler must be an assessor or an admin."))
        if on_team(appeal.stage, handler):
            raise WorkflowError(
                _("%(name)s assessed this stage and cannot handle its appeal.")
                % {"name": handler.full_name}
            )
        change_state(
            appeal,
            "assign",
            actor=actor,
            action="appeal.assigned",
            note=handler.full_name,
            handler=handler,
            by=actor,
        )
        notify(
            [handler, appeal.stage.registration.coordinator],
            action="appeal.assigned",
            subject=gettext_lazy("Appeal assigned: %(region)s, %(stage)s"),
            body=gettext_lazy(
                "%(handler)s handles the appeal of the %(stage)s of %(region)s."
            ),
            params={**_params(appeal), "handler": handler.full_name},
        )
    return appeal


def decide_appeal(appeal, *, actor, outcome, note):
    """The handler upholds or changes the decision.

    When changed, the stage decision flips through ``change_decision``; a
    passed stage that is no longer passed has its live certificate revoked
    (by the admin who assigned the handler, with the appeal as the reason); a
    stage that now passes waits on the admin's list of stages to certify.

    Side effects: outcome, note and state decided; an audit event; the
    consequences above; a notification to the coordinator and the admins.
    """
    outcome = Outcome(outcome)
    note = (note or "").strip()
    if not note:
        raise WorkflowError(_("Write the reasons of the outcome."))
    with transaction.atomic():
        appeal = lock(appeal)
        require(actor, "appeals.decide_appeal", appeal)
        if appeal.state != AppealState.ASSIGNED:
            raise WorkflowError(_("This appeal cannot be decided now."))
        change_state(
            appeal,
            "decide",
            actor=actor,
            action="appeal.decided",
            note=f"{outcome.label}: {note}",
            outcome=outcome,
            outcome_note=note,
        )
        stage = appeal.stage
        if outcome == Outcome.CHANGED:
            new = (
                Decision.NOT_PASSED
                if stage.decision == Decision.PASSED
                else Decision.PASSED
            )
            if stage.stage == Stage.MATURITY and new == Decision.PASSED:
                # A maturity stage passes by reaching a tier, which comes from
                # the levels; a decision alone cannot give it one.
                raise WorkflowError(
                    _(
                        "A maturity stage passes only by reaching a tier. Uphold "
                        "the appeal or ask the assessors to assess it again."
                    )
                )
            stage = change_decision(stage, actor=actor, decision=new, note=note)
            certificate = live_certificate(stage)
            if new == Decision.NOT_PASSED and certificate is not None:
                revoke_certificate(
                    certificate,
                    actor=appeal.assigned_by,
                    reason=_(
                        "Appeal decided: the decision is now “%(decision)s”. %(note)s"
                    )
                    % {"decision": new.label, "note": note},
                )
        notify(
            [stage.registration.coordinator, *_admins()],
            action="appeal.decided",
            subject=gettext_lazy("Appeal decided: %(region)s, %(stage)s"),
            body=gettext_lazy(
                "The appeal of the %(stage)s of %(region)s is decided: "
                "%(outcome)s. %(note)s"
            ),
            params={**_params(appeal), "outcome": outcome.label, "note": note},
        )
    return appeal
