"""State changes of registrations: one function each, used by every caller."""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import can_proceed

from kotacerdas.accounts.models import Role, User
from kotacerdas.common.audit import record, register_actions
from kotacerdas.common.notifications import notify
from kotacerdas.common.uploads import store_upload
from kotacerdas.common.workflow import WorkflowError, change_state, lock, require
from kotacerdas.indicators.models import Indicator
from kotacerdas.indicators.services import current_methodology
from kotacerdas.registrations.checklist import CHECKLIST, submission_problems
from kotacerdas.registrations.models import (
    CheckItem,
    IndicatorChange,
    Registration,
    RegistrationState,
    RoundOutcome,
    SubmissionRound,
)

logger = logging.getLogger(__name__)

register_actions(
    {
        "registration.started": gettext_lazy("started the registration"),
        "registration.saved": gettext_lazy("saved the draft"),
        "registration.document_attached": gettext_lazy("attached a document"),
        "registration.submitted": gettext_lazy("submitted the registration"),
        "registration.returned": gettext_lazy("returned the registration"),
        "registration.accepted": gettext_lazy("accepted the registration"),
        "registration.rejected": gettext_lazy("rejected the registration"),
        "registration.withdrawn": gettext_lazy("withdrew the registration"),
    }
)


def _admins():
    return User.objects.filter(roles__role=Role.ADMIN, is_active=True).distinct()


def _registration_url(registration):
    from django.urls import reverse

    return reverse("registrations:detail", args=[registration.pk])


@transaction.atomic
def start_registration(*, actor, region, period):
    """Open a draft registration for the actor's region and ``period``.

    Side effects: a Registration row and an audit event. Refused when the region
    already has an active registration for the period.
    """
    require(actor, "registrations.start_registration", region)
    active = (
        Registration.objects.select_for_update()
        .filter(region=region, period=period)
        .exclude(state__in=RegistrationState.closed())
        .first()
    )
    if active is not None:
        raise WorkflowError(
            _(
                "%(region)s already has a registration for %(period)s "
                "(%(state)s). Continue that one instead."
            )
            % {"region": region, "period": period, "state": active.get_state_display()}
        )

    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                region=region,
                period=period,
                coordinator=actor,
                contact_name=actor.full_name,
                contact_phone=actor.phone,
                contact_email=actor.email,
                methodology=current_methodology(),
            )
    except IntegrityError:
        # Two coordinators of one region pressed the button at the same moment.
        raise WorkflowError(
            _("%(region)s already has a registration for %(period)s.")
            % {"region": region, "period": period}
        ) from None

    registration.team.set(
        region.users.filter(
            is_active=True, roles__role__in=[Role.PARTICIPANT, Role.REGION_MEMBER]
        ).distinct()
    )
    record(actor=actor, action="registration.started", obj=registration)
    return registration


def _require_transition(registration, transition_name):
    """Refuse early, with the same words as ``change_state``, when the state does
    not allow the transition: checks that come before it (missing documents, …)
    would otherwise answer a question nobody asked."""
    if not can_proceed(getattr(registration, transition_name)):
        raise WorkflowError(
            _(
                "This cannot be done any more: it is now “%(state)s”. "
                "Someone may have acted on it a moment ago; reload the page."
            )
            % {"state": registration.get_state_display()}
        )


def _require_editable(registration):
    if not registration.is_editable:
        raise WorkflowError(
            _("The registration is “%(state)s” and cannot be changed now.")
            % {"state": registration.get_state_display()}
        )


@transaction.atomic
def save_draft(registration, *, actor, fields=None, indicators=None, team=None):
    """Save what the coordinator typed so far (autosave), without validating it
    as complete.

    ``fields`` holds contact fields; ``indicators`` and ``team`` replace those
    sets when given. Side effects: updates the row and sets; no audit event per
    keystroke, only the rounds and transitions are recorded.
    """
    registration = lock(registration)
    require(actor, "registrations.edit_registration", registration)
    _require_editable(registration)

    allowed = {"contact_name", "contact_phone", "contact_email"}
    for name, value in (fields or {}).items():
        if name in allowed:
            setattr(registration, name, value)
    registration.save()

    if indicators is not None:
        registration.proposed_indicators.set(indicators)
    if team is not None:
        outsiders = [u for u in team if u.region_id != registration.region_id]
        if outsiders:
            raise WorkflowError(_("Team members must belong to the region."))
        registration.team.set(team)
    return registration


@transaction.atomic
def attach_document(registration, field, uploaded, *, actor):
    """Store a checked upload as one of the three required documents.

    Side effects: a StoredFile, the registration's reference to it, an audit
    event. A replaced document stays in storage, because earlier rounds refer to
    it by hash.
    """
    if field not in Registration.DOCUMENT_FIELDS:
        raise ValueError(field)
    registration = lock(registration)
    require(actor, "registrations.edit_registration", registration)
    _require_editable(registration)

    stored = store_upload(uploaded, user=actor, region=registration.region)
    setattr(registration, field, stored)
    registration.save(update_fields=[field, "updated_at"])
    record(
        actor=actor,
        action="registration.document_attached",
        obj=registration,
        note=f"{registration._meta.get_field(field).verbose_name}: "
        f"{stored.original_name}",
    )
    return stored


def snapshot(registration):
    """What is being submitted, frozen as plain data."""
    documents = {}
    for name in registration.DOCUMENT_FIELDS:
        stored = getattr(registration, name)
        if stored is not None:
            documents[name] = {
                "id": str(stored.pk),
                "name": stored.original_name,
                "sha256": stored.sha256,
            }
    return {
        "contact": {
            "name": registration.contact_name,
            "phone": registration.contact_phone,
            "email": registration.contact_email,
        },
        "indicators": sorted(
            registration.proposed_indicators.values_list("clause", flat=True),
            key=lambda clause: [int(part) for part in clause.split(".")],
        ),
        "documents": documents,
        "team": [
            {
                "id": member.pk,
                "name": member.full_name,
                "agency": member.agency,
                "position": member.position,
            }
            for member in registration.team.order_by("full_name")
        ],
    }


@transaction.atomic
def submit_registration(registration, *, actor):
    """Submit (or resubmit) the registration for the completeness check.

    Side effects: state to submitted, a new SubmissionRound with a snapshot, an
    audit event, and a notification to every admin.
    """
    registration = lock(registration)
    require(actor, "registrations.submit_registration", registration)
    _require_transition(registration, "submit")
    blocking, _warnings = submission_problems(registration)
    if blocking:
        raise WorkflowError(" ".join(str(message) for message in blocking))

    number = registration.rounds.count() + 1
    change_state(
        registration,
        "submit",
        actor=actor,
        action="registration.submitted",
        note=_("Round %(number)s") % {"number": number},
    )
    SubmissionRound.objects.create(
        registration=registration,
        number=number,
        submitted_by=actor,
        snapshot=snapshot(registration),
    )
    notify(
        _admins(),
        action="registration.submitted",
        subject=gettext_lazy("Registration to check: %(region)s %(period)s"),
        body=gettext_lazy(
            "%(region)s submitted its registration for %(period)s (round "
            "%(number)s). It waits for the completeness check."
        ),
        params={
            "region": str(registration.region),
            "period": registration.period,
            "number": number,
        },
        url=_registration_url(registration),
    )
    return registration


def _close_round(registration, *, actor, outcome, items, note):
    current = registration.rounds.select_for_update().order_by("-number").first()
    current.outcome = outcome
    current.checked_by = actor
    current.checked_at = timezone.now()
    current.note = note
    current.save()
    CheckItem.objects.bulk_create(
        [
            CheckItem(round=current, code=code, passed=passed, note=item_note)
            for code, (passed, item_note) in items.items()
        ]
    )
    return current


def _validate_items(items):
    unknown = set(items) - set(CHECKLIST)
    if unknown:
        raise ValueError(f"unknown checklist items: {sorted(unknown)}")
    missing = [str(CHECKLIST[code]) for code in CHECKLIST if code not in items]
    if missing:
        raise WorkflowError(
            _("Mark every item of the checklist. Missing: %(items)s.")
            % {"items": "; ".join(missing)}
        )


@transaction.atomic
def return_registration(registration, *, actor, items, note=""):
    """Send the registration back to the coordinator with the failed items.

    ``items`` maps each checklist code to ``(passed, note)``; at least one must
    fail, and each failed item needs a note saying what to fix. Side effects:
    state to returned, the round closed with its items, an audit event, a
    notification to the coordinator.
    """
    registration = lock(registration)
    require(actor, "registrations.check_registration", registration)
    _require_transition(registration, "return_for_changes")
    _validate_items(items)
    failed = {code: n for code, (passed, n) in items.items() if not passed}
    if not failed:
        raise WorkflowError(
            _("Every item is in order; accept the registration instead.")
        )
    if any(not n.strip() for n in failed.values()):
        raise WorkflowError(
            _("Say for each failed item what the coordinator must fix.")
        )

    change_state(
        registration,
        "return_for_changes",
        actor=actor,
        action="registration.returned",
        note=note,
        data={"failed": sorted(failed)},
    )
    _close_round(
        registration, actor=actor, outcome=RoundOutcome.RETURNED, items=items, note=note
    )
    notify(
        [registration.coordinator],
        action="registration.returned",
        subject=gettext_lazy("Your registration was returned: %(region)s %(period)s"),
        body=gettext_lazy(
            "The completeness check found items to fix. Open the registration to "
            "see each one with the admin's note, correct them and submit again."
        ),
        params={"region": str(registration.region), "period": registration.period},
        url=_registration_url(registration),
    )
    return registration


@transaction.atomic
def accept_registration(
    registration, *, actor, items, added=None, removed=None, note=""
):
    """Accept the registration and fix the agreed indicator set.

    ``added`` and ``removed`` map Indicator objects to the reason the coordinator
    will read; every checklist item must be in order (otherwise the registration
    is returned, not accepted). Side effects: state to accepted, the agreed set, one
    IndicatorChange per change, the round closed, an audit event, a notification
    to the coordinator.
    """
    registration = lock(registration)
    require(actor, "registrations.check_registration", registration)
    _require_transition(registration, "accept")
    _validate_items(items)
    failed = [
        str(CHECKLIST[code]) for code, (passed, _n) in items.items() if not passed
    ]
    if failed:
        raise WorkflowError(
            _(
                "Not every item is in order (%(items)s); return the registration "
                "instead."
            )
            % {"items": "; ".join(failed)}
        )
    added = added or {}
    removed = removed or {}
    if any(not str(reason).strip() for reason in [*added.values(), *removed.values()]):
        raise WorkflowError(_("Give a reason for every indicator added or removed."))

    proposed = set(registration.proposed_indicators.all())
    already = sorted(i.clause for i in added if i in proposed)
    if already:
        raise WorkflowError(
            _("Already proposed, so it cannot be added: %(clauses)s.")
            % {"clauses": ", ".join(already)}
        )
    not_proposed = sorted(i.clause for i in removed if i not in proposed)
    if not_proposed:
        raise WorkflowError(
            _("Not proposed, so it cannot be removed: %(clauses)s.")
            % {"clauses": ", ".join(not_proposed)}
        )
    agreed = (proposed - set(removed)) | set(added)
    bounds = registration.methodology.document["registration"]
    if not bounds["min_indicators"] <= len(agreed) <= bounds["max_indicators"]:
        raise WorkflowError(
            _("The agreed set must have between %(min)s and %(max)s indicators.")
            % {"min": bounds["min_indicators"], "max": bounds["max_indicators"]}
        )

    change_state(
        registration,
        "accept",
        actor=actor,
        action="registration.accepted",
        note=note,
        data={
            "added": sorted(i.clause for i in added),
            "removed": sorted(i.clause for i in removed),
        },
    )
    registration.agreed_indicators.set(agreed)
    IndicatorChange.objects.bulk_create(
        [
            IndicatorChange(
                registration=registration,
                indicator=indicator,
                kind=IndicatorChange.Kind.ADDED,
                reason=reason,
                changed_by=actor,
            )
            for indicator, reason in added.items()
        ]
        + [
            IndicatorChange(
                registration=registration,
                indicator=indicator,
                kind=IndicatorChange.Kind.REMOVED,
                reason=reason,
                changed_by=actor,
            )
            for indicator, reason in removed.items()
        ]
    )
    _close_round(
        registration, actor=actor, outcome=RoundOutcome.ACCEPTED, items=items, note=note
    )
    notify(
        [registration.coordinator],
        action="registration.accepted",
        subject=gettext_lazy("Your registration was accepted: %(region)s %(period)s"),
        body=gettext_lazy(
            "The registration is complete and %(count)s indicators are agreed. The "
            "institute will schedule the readiness stage."
        ),
        params={
            "region": str(registration.region),
            "period": registration.period,
            "count": len(agreed),
        },
        url=_registration_url(registration),
    )
    return registration


@transaction.atomic
def reject_registration(registration, *, actor, note, items=None):
    """Refuse the registration for good (e.g. not a kota or kabupaten's own).

    ``items`` optionally keeps the checklist marks the admin made before
    deciding. Side effects: state to rejected, the round closed, an audit event,
    a notification to the coordinator. The region may register again.
    """
    registration = lock(registration)
    require(actor, "registrations.check_registration", registration)
    _require_transition(registration, "reject")
    items = items or {}
    unknown = set(items) - set(CHECKLIST)
    if unknown:
        raise ValueError(f"unknown checklist items: {sorted(unknown)}")
    if not note.strip():
        raise WorkflowError(_("Give the reason for the rejection."))

    change_state(
        registration, "reject", actor=actor, action="registration.rejected", note=note
    )
    _close_round(
        registration, actor=actor, outcome=RoundOutcome.REJECTED, items=items, note=note
    )
    notify(
        [registration.coordinator],
        action="registration.rejected",
        subject=gettext_lazy("Your registration was rejected: %(region)s %(period)s"),
        body=gettext_lazy("Reason: %(reason)s"),
        params={
            "region": str(registration.region),
            "period": registration.period,
            "reason": note,
        },
        url=_registration_url(registration),
    )
    return registration


@transaction.atomic
def withdraw_registration(registration, *, actor, note=""):
    """The coordinator takes the registration back; the period is free again.

    Side effects: state to withdrawn, a pending round closed as withdrawn, an
    audit event, a notification to the admins when they were waiting on it.
    """
    registration = lock(registration)
    require(actor, "registrations.withdraw_registration", registration)
    was_waiting = registration.state == RegistrationState.SUBMITTED

    change_state(
        registration,
        "withdraw",
        actor=actor,
        action="registration.withdrawn",
        note=note,
    )
    if was_waiting:
        SubmissionRound.objects.filter(
            registration=registration, outcome=RoundOutcome.PENDING
        ).update(outcome=RoundOutcome.WITHDRAWN)
        notify(
            _admins(),
            action="registration.withdrawn",
            subject=gettext_lazy("Registration withdrawn: %(region)s %(period)s"),
            body=gettext_lazy("The coordinator withdrew the registration."),
            params={"region": str(registration.region), "period": registration.period},
            url=_registration_url(registration),
        )
    return registration


def indicators_by_clause(clauses):
    return {i.clause: i for i in Indicator.objects.filter(clause__in=clauses)}
