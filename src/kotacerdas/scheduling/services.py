"""State changes of schedules: one function each, used by every caller.

Every function checks the actor's permission, works on locked rows inside one
transaction, records an audit event on the registration (so that its schedule
has one timeline) and notifies the people concerned after the commit.
"""

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotacerdas.accounts.models import Role, User
from kotacerdas.common.audit import record, register_actions
from kotacerdas.common.notifications import notify
from kotacerdas.common.workflow import WorkflowError, lock, require
from kotacerdas.registrations.models import Registration, RegistrationState
from kotacerdas.scheduling.conflicts import check_assessor
from kotacerdas.scheduling.localtime import format_local, local_time_text
from kotacerdas.scheduling.models import (
    AssessmentEvent,
    CalendarFeedToken,
    ConflictDeclaration,
    DataEntryWindow,
    EventKind,
    Stage,
    TeamAssignment,
    WindowExtension,
    event_problems,
)

logger = logging.getLogger(__name__)

register_actions(
    {
        "schedule.window_set": gettext_lazy("set the data-entry window"),
        "schedule.window_extended": gettext_lazy("extended the data-entry window"),
        "schedule.event_added": gettext_lazy("scheduled an assessment event"),
        "schedule.event_updated": gettext_lazy("changed an assessment event"),
        "schedule.event_cancelled": gettext_lazy("cancelled an assessment event"),
        "schedule.assessor_assigned": gettext_lazy("put an assessor on the team"),
        "schedule.assessor_removed": gettext_lazy("took an assessor off the team"),
        "schedule.lead_changed": gettext_lazy("chose the lead assessor"),
        "schedule.conflict_declared": gettext_lazy("declared a conflict of interest"),
        "calendar.token_created": gettext_lazy("created a calendar feed link"),
        "calendar.token_revoked": gettext_lazy("revoked the calendar feed link"),
    }
)

EVENT_FIELDS = ("kind", "starts_at", "ends_at", "place", "online_url", "notes")


class AssignmentBlockedError(WorkflowError):
    """The assessor may not join this team; no confirmation changes that."""

    def __init__(self, blocks):
        super().__init__(" ".join(blocks))
        self.blocks = blocks


class WarningsNotAcknowledgedError(WorkflowError):
    """The assignment raises warnings that the admin has not confirmed yet."""

    def __init__(self, warnings):
        super().__init__(
            _("Confirm the warnings to assign this assessor anyway: %(warnings)s")
            % {"warnings": " ".join(warnings)}
        )
        self.warnings = warnings


# Links and texts for notifications.


def site_path(name, *args):
    # Notifications are read in the recipient's language, so their links carry
    # no language prefix: the site serves them in its default language.
    with translation.override(settings.LANGUAGE_CODE):
        return reverse(name, args=args)


def schedule_path(registration):
    return site_path("scheduling:detail", registration.pk)


def event_ics_url(event):
    return settings.SITE_URL + site_path("scheduling:event_ics", event.pk)


def concerned_people(registration, stage, *, exclude=None):
    """The coordinator, the region's team and the stage's assessors, once each."""
    people = {registration.coordinator_id: registration.coordinator}
    for member in registration.team.filter(is_active=True):
        people.setdefault(member.pk, member)
    for assignment in TeamAssignment.objects.filter(
        registration=registration, stage=stage
    ).select_related("assessor"):
        people.setdefault(assignment.assessor_id, assignment.assessor)
    if exclude is not None:
        people.pop(exclude.pk, None)
    return list(people.values())


def active_admins():
    return User.objects.filter(roles__role=Role.ADMIN, is_active=True).distinct()


def _schedule_params(registration, stage):
    return {"region": str(registration.region), "stage": Stage(stage).label}


# Checks shared by the functions.


def _lock_accepted(registration):
    registration = lock(registration)
    if registration.state != RegistrationState.ACCEPTED:
        raise WorkflowError(
            _(
                "Only an accepted registration can be scheduled; this one is “%(state)s”."
            )
            % {"state": registration.get_state_display()}
        )
    return registration


def _check_stage(stage):
    if stage not in Stage.values:
        raise ValueError(f"unknown stage: {stage!r}")


# Data-entry windows.


@transaction.atomic
def set_window(registration, *, actor, stage, opens_at, closes_at):
    """Open the stage's data-entry window, or move one that has not opened yet.

    Once a window is open only ``extend_window`` moves it, with a reason.
    Side effects: creates or updates the DataEntryWindow, an audit event, a
    notification to the people concerned.
    """
    require(actor, "scheduling.manage_schedule", registration)
    _check_stage(stage)
    registration = _lock_accepted(registration)
    if closes_at <= opens_at:
        raise WorkflowError(_("The window must close after it opens."))

    window = (
        DataEntryWindow.objects.select_for_update()
        .filter(registration=registration, stage=stage)
        .first()
    )
    if window is not None and window.has_opened():
        raise WorkflowError(
            _("The window is already open and can only be extended, with a reason.")
        )
    if window is None:
        window = DataEntryWindow.objects.create(
            registration=registration,
            stage=stage,
            opens_at=opens_at,
            closes_at=closes_at,
        )
    else:
        window.opens_at = opens_at
        window.closes_at = closes_at
        window.save(update_fields=["opens_at", "closes_at", "updated_at"])

    region = registration.region
    record(
        actor=actor,
        action="schedule.window_set",
        obj=registration,
        note=f"{Stage(stage).label}: {format_local(opens_at, region)} – "
        f"{format_local(closes_at, region)}",
        data={"window": window.pk, "stage": stage},
    )
    notify(
        concerned_people(registration, stage, exclude=actor),
        action="schedule.window_set",
        subject=gettext_lazy("Data-entry window set: %(region)s"),
        body=gettext_lazy(
            "The data for the %(stage)s stage of %(region)s can be filled in from "
            "%(opens)s until %(closes)s."
        ),
        params={
            **_schedule_params(registration, stage),
            "opens": local_time_text(opens_at, region),
            "closes": local_time_text(closes_at, region),
        },
        url=schedule_path(registration),
    )
    return window


@transaction.atomic
def extend_window(window, *, actor, new_closes_at, reason):
    """Move the window's closing later, for the reason given.

    Side effects: a WindowExtension row, the window's new closing time, an audit
    event, a notification to the people concerned. Reminders follow the new
    date, because their keys name the closing date.
    """
    require(actor, "scheduling.manage_schedule", window.registration)
    registration = _lock_accepted(window.registration)
    window = lock(window)
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("Give the reason for the extension."))
    if new_closes_at <= window.closes_at:
        raise WorkflowError(
            _("An extension must close later than %(closes)s.")
            % {"closes": format_local(window.closes_at, registration.region)}
        )

    old_closes_at = window.closes_at
    WindowExtension.objects.create(
        window=window,
        old_closes_at=old_closes_at,
        new_closes_at=new_closes_at,
        reason=reason,
        by=actor,
    )
    window.closes_at = new_closes_at
    window.save(update_fields=["closes_at", "updated_at"])

    region = registration.region
    record(
        actor=actor,
        action="schedule.window_extended",
        obj=registration,
        note=f"{format_local(old_closes_at, region)} → "
        f"{format_local(new_closes_at, region)}: {reason}",
        data={"window": window.pk, "stage": window.stage},
    )
    notify(
        concerned_people(registration, window.stage, exclude=actor),
        action="schedule.window_extended",
        subject=gettext_lazy("Data-entry window extended: %(region)s"),
        body=gettext_lazy(
            "The data-entry window of the %(stage)s stage of %(region)s now closes "
            "on %(closes)s instead of %(old)s. Reason: %(reason)s"
        ),
        params={
            **_schedule_params(registration, window.stage),
            "closes": local_time_text(new_closes_at, region),
            "old": local_time_text(old_closes_at, region),
            "reason": reason,
        },
        url=schedule_path(registration),
    )
    return window


# Assessment events.


def _check_event(fields):
    problems = event_problems(
        fields["kind"],
        fields["starts_at"],
        fields["ends_at"],
        fields.get("place", ""),
        fields.get("online_url", ""),
    )
    if fields["kind"] not in EventKind.values:
        raise ValueError(f"unknown event kind: {fields['kind']!r}")
    if problems:
        raise WorkflowError(" ".join(str(message) for message in problems.values()))


def _notify_event(event, *, actor, action, subject, body, extra=None):
    registration = event.registration
    region = registration.region
    notify(
        concerned_people(registration, event.stage, exclude=actor),
        action=action,
        subject=subject,
        body=body,
        params={
            **_schedule_params(registration, event.stage),
            "kind": capfirst(EventKind(event.kind).label),
            "start": local_time_text(event.starts_at, region),
            "end": local_time_text(event.ends_at, region),
            "where": event.place or event.online_url or "—",
            "ics": event_ics_url(event),
            **(extra or {}),
        },
        url=schedule_path(registration),
    )


@transaction.atomic
def add_event(
    registration,
    *,
    actor,
    stage,
    kind,
    starts_at,
    ends_at,
    place="",
    online_url="",
    notes="",
):
    """Schedule a desk review, interview or site visit of the stage.

    Side effects: an AssessmentEvent, an audit event, a notification with the
    link to the event's calendar file to the people concerned.
    """
    require(actor, "scheduling.manage_schedule", registration)
    _check_stage(stage)
    registration = _lock_accepted(registration)
    fields = {
        "kind": kind,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "place": place.strip(),
        "online_url": online_url.strip(),
        "notes": notes.strip(),
    }
    _check_event(fields)

    event = AssessmentEvent.objects.create(
        registration=registration, stage=stage, created_by=actor, **fields
    )
    record(
        actor=actor,
        action="schedule.event_added",
        obj=registration,
        note=f"{EventKind(kind).label}: {format_local(starts_at, registration.region)}",
        data={"event": event.pk, "stage": stage},
    )
    _notify_event(
        event,
        actor=actor,
        action="schedule.event_added",
        subject=gettext_lazy("Assessment scheduled: %(kind)s, %(region)s"),
        body=gettext_lazy(
            "%(kind)s of the %(stage)s stage of %(region)s: %(start)s – %(end)s, "
            "%(where)s. Add it to your calendar: %(ics)s"
        ),
    )
    return event


def _lock_event(event):
    event = AssessmentEvent.objects.select_for_update().get(pk=event.pk)
    if event.is_cancelled:
        raise WorkflowError(
            _("This event was cancelled and cannot be changed; schedule a new one.")
        )
    return event


@transaction.atomic
def update_event(event, *, actor, **changes):
    """Change an event's kind, times, place, link or notes.

    Side effects: the event with its calendar revision raised, an audit event
    naming the changed fields, a notification to the people concerned. Nothing
    happens when nothing changed.
    """
    unknown = set(changes) - set(EVENT_FIELDS)
    if unknown:
        raise ValueError(f"not event fields: {sorted(unknown)}")
    require(actor, "scheduling.manage_schedule", event.registration)
    registration = _lock_accepted(event.registration)
    event = _lock_event(event)

    changes = {
        name: value.strip() if isinstance(value, str) and name != "kind" else value
        for name, value in changes.items()
    }
    changed = [name for name, value in changes.items() if getattr(event, name) != value]
    if not changed:
        return event
    _check_event(
        {name: changes.get(name, getattr(event, name)) for name in EVENT_FIELDS}
    )

    for name in changed:
        setattr(event, name, changes[name])
    event.sequence += 1
    event.save()
    event.registration = registration

    record(
        actor=actor,
        action="schedule.event_updated",
        obj=registration,
        note=f"{event.get_kind_display()}: "
        + ", ".join(
            str(AssessmentEvent._meta.get_field(n).verbose_name) for n in changed
        ),
        data={"event": event.pk, "stage": event.stage, "changed": changed},
    )
    _notify_event(
        event,
        actor=actor,
        action="schedule.event_updated",
        subject=gettext_lazy("Assessment changed: %(kind)s, %(region)s"),
        body=gettext_lazy(
            "%(kind)s of the %(stage)s stage of %(region)s is now %(start)s – "
            "%(end)s, %(where)s. The updated calendar file: %(ics)s"
        ),
    )
    return event


@transaction.atomic
def cancel_event(event, *, actor, reason):
    """Cancel an event; calendars that imported it mark it cancelled.

    Side effects: the event's cancellation time, reason and raised revision, an
    audit event, a notification to the people concerned.
    """
    require(actor, "scheduling.manage_schedule", event.registration)
    registration = _lock_accepted(event.registration)
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("Give the reason for the cancellation."))
    event = _lock_event(event)

    event.cancelled_at = timezone.now()
    event.cancel_reason = reason
    event.sequence += 1
    event.save(
        update_fields=["cancelled_at", "cancel_reason", "sequence", "updated_at"]
    )
    event.registration = registration

    record(
        actor=actor,
        action="schedule.event_cancelled",
        obj=registration,
        note=f"{event.get_kind_display()}: {reason}",
        data={"event": event.pk, "stage": event.stage},
    )
    _notify_event(
        event,
        actor=actor,
        action="schedule.event_cancelled",
        subject=gettext_lazy("Assessment cancelled: %(kind)s, %(region)s"),
        body=gettext_lazy(
            "%(kind)s of the %(stage)s stage of %(region)s on %(start)s is "
            "cancelled. Reason: %(reason)s. The calendar file marks it cancelled: "
            "%(ics)s"
        ),
        extra={"reason": reason},
    )
    return event


# The assessor team.


@transaction.atomic
def assign_assessor(
    registration,
    *,
    actor,
    stage,
    assessor,
    is_lead=False,
    acknowledge_warnings=False,
):
    """Put ``assessor`` on the stage's team after the conflict checks.

    A block refuses the assignment whatever the admin says (AssignmentBlockedError);
    warnings refuse it until the admin confirms them (WarningsNotAcknowledgedError).
    The first assessor of a team becomes its lead. Side effects: a
    TeamAssignment keeping the confirmed warnings, the previous lead demoted
    when ``is_lead``, an audit event, notifications to the assessor and the
    coordinator.
    """
    require(actor, "scheduling.manage_schedule", registration)
    _check_stage(stage)
    registration = _lock_accepted(registration)
    if not assessor.has_role(Role.ASSESSOR):
        raise WorkflowError(
            _("%(name)s is not an assessor.") % {"name": assessor.full_name}
        )
    team = TeamAssignment.objects.filter(registration=registration, stage=stage)
    if team.filter(assessor=assessor).exists():
        raise WorkflowError(
            _("%(name)s is already on the team.") % {"name": assessor.full_name}
        )

    report = check_assessor(assessor, registration, stage)
    if report.blocks:
        raise AssignmentBlockedError(report.blocks)
    if report.warnings and not acknowledge_warnings:
        raise WarningsNotAcknowledgedError(report.warnings)

    former_lead = team.filter(is_lead=True).select_related("assessor").first()
    is_lead = is_lead or former_lead is None
    demoted = former_lead if is_lead and former_lead is not None else None
    if demoted is not None:
        # The database allows one lead per team, so the old lead steps down first.
        demoted.is_lead = False
        demoted.save(update_fields=["is_lead"])
    assignment = TeamAssignment.objects.create(
        registration=registration,
        stage=stage,
        assessor=assessor,
        is_lead=is_lead,
        acknowledged_warnings=[str(w) for w in report.warnings],
        assigned_by=actor,
    )

    role = _("lead assessor") if is_lead else _("member")
    note = f"{assessor.full_name} ({role}, {Stage(stage).label})"
    if report.warnings:
        note += " — " + _("warnings confirmed: %(warnings)s") % {
            "warnings": " ".join(report.warnings)
        }
    record(
        actor=actor,
        action="schedule.assessor_assigned",
        obj=registration,
        note=note,
        data={
            "assessor": assessor.pk,
            "stage": stage,
            "lead": is_lead,
            "warnings": assignment.acknowledged_warnings,
        },
    )
    if demoted is not None:
        _record_lead_handover(registration, stage, demoted, assessor, actor=actor)
    params = {
        **_schedule_params(registration, stage),
        "name": assessor.full_name,
        "role": gettext_lazy("lead assessor") if is_lead else gettext_lazy("member"),
    }
    notify(
        [assessor],
        action="schedule.assessor_assigned",
        subject=gettext_lazy("You are on the assessor team of %(region)s"),
        body=gettext_lazy(
            "You are %(role)s of the team assessing the %(stage)s stage of "
            "%(region)s. Your schedule and calendar feed are on your schedule page."
        ),
        params=params,
        url=site_path("scheduling:mine"),
    )
    notify(
        [registration.coordinator],
        action="schedule.assessor_assigned",
        subject=gettext_lazy("Assessor team of %(region)s"),
        body=gettext_lazy(
            "%(name)s is %(role)s of the team assessing the %(stage)s stage."
        ),
        params=params,
        url=schedule_path(registration),
    )
    return assignment


@transaction.atomic
def remove_assessor(assignment, *, actor):
    """Take an assessor off a team; the lead only once nobody else is left.

    Side effects: deletes the TeamAssignment, an audit event, a notification to
    the assessor.
    """
    require(actor, "scheduling.manage_schedule", assignment.registration)
    registration = _lock_accepted(assignment.registration)
    assignment = TeamAssignment.objects.filter(pk=assignment.pk).first()
    if assignment is None:
        raise WorkflowError(_("This assessor is no longer on the team."))
    others = TeamAssignment.objects.filter(
        registration=registration, stage=assignment.stage
    ).exclude(pk=assignment.pk)
    if assignment.is_lead and others.exists():
        raise WorkflowError(
            _("Choose another lead assessor before taking the lead off the team.")
        )

    assessor = assignment.assessor
    stage = assignment.stage
    assignment.delete()
    record(
        actor=actor,
        action="schedule.assessor_removed",
        obj=registration,
        note=f"{assessor.full_name} ({Stage(stage).label})",
        data={"assessor": assessor.pk, "stage": stage},
    )
    notify(
        [assessor],
        action="schedule.assessor_removed",
        subject=gettext_lazy("You are no longer on the team of %(region)s"),
        body=gettext_lazy(
            "You were taken off the team assessing the %(stage)s stage of %(region)s."
        ),
        params=_schedule_params(registration, stage),
        url=site_path("scheduling:mine"),
    )
    return assessor


def _record_lead_handover(registration, stage, former, assessor, *, actor):
    """A new assessor took over the lead: say so in the trail and tell the former
    lead, who would otherwise learn it from nowhere."""
    record(
        actor=actor,
        action="schedule.lead_changed",
        obj=registration,
        note=f"{assessor.full_name} ({Stage(stage).label}); "
        f"{former.assessor.full_name} → {_('member')}",
        data={"assessor": assessor.pk, "former": former.assessor_id, "stage": stage},
    )
    notify(
        [former.assessor],
        action="schedule.lead_changed",
        subject=gettext_lazy("New lead assessor for %(region)s"),
        body=gettext_lazy(
            "%(name)s now leads the team assessing the %(stage)s stage of %(region)s."
        ),
        params={**_schedule_params(registration, stage), "name": assessor.full_name},
        url=schedule_path(registration),
    )


@transaction.atomic
def set_lead(assignment, *, actor):
    """Make this team member the lead assessor; the former lead stays a member.

    Side effects: the team's lead flags, an audit event, a notification to the
    team and the coordinator.
    """
    require(actor, "scheduling.manage_schedule", assignment.registration)
    registration = _lock_accepted(assignment.registration)
    assignment = TeamAssignment.objects.filter(pk=assignment.pk).first()
    if assignment is None:
        raise WorkflowError(_("This assessor is no longer on the team."))
    if assignment.is_lead:
        return assignment

    team = TeamAssignment.objects.filter(
        registration=registration, stage=assignment.stage
    )
    # The old lead is demoted first: the database allows one lead per team.
    team.filter(is_lead=True).update(is_lead=False)
    assignment.is_lead = True
    assignment.save(update_fields=["is_lead"])

    record(
        actor=actor,
        action="schedule.lead_changed",
        obj=registration,
        note=f"{assignment.assessor.full_name} ({Stage(assignment.stage).label})",
        data={"assessor": assignment.assessor_id, "stage": assignment.stage},
    )
    recipients = [a.assessor for a in team.select_related("assessor")]
    notify(
        [*recipients, registration.coordinator],
        action="schedule.lead_changed",
        subject=gettext_lazy("New lead assessor for %(region)s"),
        body=gettext_lazy(
            "%(name)s now leads the team assessing the %(stage)s stage of %(region)s."
        ),
        params={
            **_schedule_params(registration, assignment.stage),
            "name": assignment.assessor.full_name,
        },
        url=schedule_path(registration),
    )
    return assignment


# Conflicts of interest.


@transaction.atomic
def declare_conflict(*, actor, assessor, region, reason):
    """Record that ``assessor`` must not assess ``region``.

    An assessor declares for themselves; an admin may record it for any
    assessor. Side effects: a ConflictDeclaration, an audit event, and a
    notification to the admins when the assessor is already on a team of that
    region, which the admin must then change.
    """
    if actor.pk == assessor.pk:
        require(actor, "scheduling.declare_conflict", region)
    else:
        require(actor, "scheduling.record_conflict", region)
    if not assessor.has_role(Role.ASSESSOR):
        raise WorkflowError(
            _("%(name)s is not an assessor.") % {"name": assessor.full_name}
        )
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("Give the reason for the conflict of interest."))

    try:
        with transaction.atomic():
            declaration = ConflictDeclaration.objects.create(
                assessor=assessor, region=region, reason=reason, recorded_by=actor
            )
    except IntegrityError:
        raise WorkflowError(
            _("A conflict with %(region)s is already declared.") % {"region": region}
        ) from None

    record(
        actor=actor,
        action="schedule.conflict_declared",
        obj=declaration,
        note=reason,
        data={"assessor": assessor.pk, "region": region.code},
    )
    current = (
        TeamAssignment.objects.filter(
            assessor=assessor,
            registration__region=region,
            registration__state=RegistrationState.ACCEPTED,
        )
        .select_related("registration")
        .first()
    )
    if current is not None:
        notify(
            active_admins().exclude(pk=actor.pk),
            action="schedule.conflict_declared",
            subject=gettext_lazy("Conflict of interest on a team: %(region)s"),
            body=gettext_lazy(
                "%(name)s declared a conflict of interest with %(region)s and is on "
                "its assessor team. Reason: %(reason)s"
            ),
            params={
                "name": assessor.full_name,
                "region": str(region),
                "reason": reason,
            },
            url=schedule_path(current.registration),
        )
    return declaration


# Personal calendar feeds.


def active_feed_token(user):
    return CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).first()


@transaction.atomic
def regenerate_feed_token(user):
    """Give ``user`` a new feed token; the old link stops working at once.

    Side effects: the current token revoked, a new CalendarFeedToken, an audit
    event on the user.
    """
    User.objects.select_for_update().get(pk=user.pk)
    CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    token = CalendarFeedToken.objects.create(user=user)
    record(actor=user, action="calendar.token_created", obj=user)
    return token


@transaction.atomic
def revoke_feed_token(user):
    """Stop the user's feed link from working. Side effects: the token revoked,
    an audit event on the user when there was one."""
    User.objects.select_for_update().get(pk=user.pk)
    revoked = CalendarFeedToken.objects.filter(
        user=user, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    if revoked:
        record(actor=user, action="calendar.token_revoked", obj=user)
    return bool(revoked)


def accepted_registration(pk):
    """The accepted registration ``pk`` with what the schedule pages show."""
    return (
        Registration.objects.select_related("region", "coordinator")
        .filter(pk=pk, state=RegistrationState.ACCEPTED)
        .first()
    )
