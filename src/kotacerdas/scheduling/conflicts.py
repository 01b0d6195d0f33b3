"""Conflict-of-interest checks for putting an assessor on a team (SPEC §5.3).

A block cannot be overridden: the assessor belongs to the region, or declared a
conflict with it. A warning needs the admin's explicit confirmation: the
assessor assessed the region in its previous period (rotation), has another
event at the same time, or already carries more open teams than the limit.
"""

import logging
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kotacerdas.registrations.models import Registration, RegistrationState
from kotacerdas.scheduling.localtime import format_local
from kotacerdas.scheduling.models import (
    AssessmentEvent,
    ConflictDeclaration,
    SchedulingSettings,
    TeamAssignment,
)

logger = logging.getLogger(__name__)


@dataclass
class ConflictReport:
    """The outcome of a check: translated messages, blocks and warnings apart."""

    blocks: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    @property
    def blocked(self):
        return bool(self.blocks)

    @property
    def clean(self):
        return not (self.blocks or self.warnings)


def check_assessor(assessor, registration, stage, events=None, *, now=None):
    """Check ``assessor`` for the team of ``registration``'s ``stage``.

    ``events`` are the events to test for overlaps; by default the stage's
    events that are not cancelled. Returns a ConflictReport; writes nothing.
    """
    now = now or timezone.now()
    if events is None:
        events = list(
            AssessmentEvent.objects.active().filter(
                registration=registration, stage=stage
            )
        )
    report = ConflictReport()
    names = {"name": assessor.full_name, "region": str(registration.region)}

    if assessor.region_id is not None and assessor.region_id == registration.region_id:
        report.blocks.append(
            _("%(name)s belongs to %(region)s and may not assess it.") % names
        )
    declaration = ConflictDeclaration.objects.filter(
        assessor=assessor, region_id=registration.region_id
    ).first()
    if declaration is not None:
        report.blocks.append(
            _("%(name)s declared a conflict of interest with %(region)s: %(reason)s")
            % {**names, "reason": declaration.reason}
        )

    previous = _previous_period(assessor, registration)
    if previous is not None:
        report.warnings.append(
            _(
                "%(name)s assessed %(region)s in its previous period (%(period)s); "
                "the rotation rule asks for a different assessor."
            )
            % {**names, "period": previous}
        )

    for other in _overlapping_events(assessor, registration, stage, events):
        report.warnings.append(
            _(
                "%(name)s has another event at the same time: %(event)s, "
                "%(start)s – %(end)s."
            )
            % {
                **names,
                "event": f"{other.get_kind_display()} {other.registration.region}",
                "start": format_local(other.starts_at, other.registration.region),
                "end": format_local(other.ends_at, other.registration.region),
            }
        )

    limit = SchedulingSettings.load().open_load_limit
    load = open_load(assessor, now=now, excluding=(registration, stage))
    if load + 1 > limit:
        report.warnings.append(
            ngettext(
                "%(name)s already has %(load)s open assignment; this one makes "
                "%(new)s, above the limit of %(limit)s.",
                "%(name)s already has %(load)s open assignments; this one makes "
                "%(new)s, above the limit of %(limit)s.",
                load,
            )
            % {**names, "load": load, "new": load + 1, "limit": limit}
        )
    return report


def _previous_period(assessor, registration):
    """The region's previous period if ``assessor`` was on its team, else None.

    The previous period is the region's latest earlier registration that was not
    withdrawn or rejected, which need not be the year before.
    """
    previous = (
        Registration.objects.filter(
            region_id=registration.region_id, period__lt=registration.period
        )
        .exclude(state__in=RegistrationState.closed())
        .order_by("-period")
        .values_list("pk", "period")
        .first()
    )
    if previous is None:
        return None
    previous_pk, period = previous
    assigned = TeamAssignment.objects.filter(
        assessor=assessor, registration_id=previous_pk
    ).exists()
    return period if assigned else None


def _overlapping_events(assessor, registration, stage, events):
    """The assessor's events on other teams that overlap any of ``events``."""
    windows = [(e.starts_at, e.ends_at) for e in events if e.cancelled_at is None]
    if not windows:
        return []
    overlap = Q()
    for starts_at, ends_at in windows:
        overlap |= Q(starts_at__lt=ends_at, ends_at__gt=starts_at)

    on_team = TeamAssignment.objects.filter(
        assessor=assessor,
        registration_id=OuterRef("registration_id"),
        stage=OuterRef("stage"),
    )
    return list(
        AssessmentEvent.objects.active()
        .filter(overlap)
        .filter(Exists(on_team))
        .exclude(registration=registration, stage=stage)
        .select_related("registration__region")
        .order_by("starts_at")
    )


def open_assignments(assessor, *, now=None):
    """The assessor's assignments that are not finished yet.

    Until the stages record their decision, a team is open while its
    registration is accepted and it has no event yet or an event still to end.
    """
    now = now or timezone.now()
    events = AssessmentEvent.objects.active().filter(
        registration_id=OuterRef("registration_id"), stage=OuterRef("stage")
    )
    return (
        TeamAssignment.objects.filter(
            assessor=assessor, registration__state=RegistrationState.ACCEPTED
        )
        .annotate(
            has_events=Exists(events), has_future=Exists(events.filter(ends_at__gt=now))
        )
        .filter(Q(has_events=False) | Q(has_future=True))
    )


def open_load(assessor, *, now=None, excluding=None):
    """How many open assignments the assessor has, leaving out ``excluding``
    (a ``(registration, stage)`` pair: the team being checked)."""
    assignments = open_assignments(assessor, now=now)
    if excluding is not None:
        registration, stage = excluding
        assignments = assignments.exclude(registration=registration, stage=stage)
    return assignments.count()


def event_overlaps(event):
    """For a changed event: team members who have another event at that time.

    Returns translated warnings; the event is saved anyway, the admin decides.
    """
    if event.cancelled_at is not None:
        return []
    warnings = []
    team = TeamAssignment.objects.filter(
        registration_id=event.registration_id, stage=event.stage
    ).select_related("assessor")
    for assignment in team:
        others = _overlapping_events(
            assignment.assessor, event.registration, event.stage, [event]
        )
        for other in others:
            warnings.append(
                _("%(name)s has another event at that time: %(event)s, %(start)s.")
                % {
                    "name": assignment.assessor.full_name,
                    "event": f"{other.get_kind_display()} {other.registration.region}",
                    "start": format_local(other.starts_at, other.registration.region),
                }
            )
    return warnings
