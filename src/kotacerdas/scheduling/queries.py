"""Read-only helpers for pages and dashboards, each a fixed number of queries."""

from datetime import datetime, time

from django.db.models import Count, Exists, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from kotacerdas.accounts.models import Role
from kotacerdas.registrations.models import Registration, RegistrationState
from kotacerdas.scheduling.models import AssessmentEvent, TeamAssignment


def events_concerning(user):
    """Every event the user takes part in or runs, cancelled ones included.

    Admins run all of them; assessors take part in the events of their teams;
    participants and team members in those of their region.
    """
    events = AssessmentEvent.objects.select_related("registration__region")
    if not user.is_authenticated or not user.is_active:
        return events.none()
    if user.has_role(Role.ADMIN):
        return events

    concerned = Q(pk__in=[])
    if user.has_role(Role.ASSESSOR):
        on_team = TeamAssignment.objects.filter(
            assessor_id=user.pk,
            registration_id=OuterRef("registration_id"),
            stage=OuterRef("stage"),
        )
        concerned |= Q(Exists(on_team))
    if user.region_id and (Role.region_roles() & user.role_set):
        concerned |= Q(registration__region_id=user.region_id)
    return events.filter(concerned)


def upcoming_events_for(user, limit=10, *, now=None):
    """The user's next events that are not cancelled and have not ended.

    One query (two while the user's roles are not read yet).
    """
    now = now or timezone.now()
    return list(
        events_concerning(user)
        .active()
        .filter(ends_at__gt=now)
        .order_by("starts_at", "id")[:limit]
    )


def assignments_for(assessor, *, now=None):
    """The assessor's teams, newest period first, each with its next event
    (``next_event_at``) and the number of its events still to come
    (``upcoming_count``). One query."""
    now = now or timezone.now()
    # Subqueries rather than joins, so that each counts only the assignment's
    # own stage.
    upcoming = AssessmentEvent.objects.active().filter(
        registration_id=OuterRef("registration_id"),
        stage=OuterRef("stage"),
        ends_at__gt=now,
    )
    next_event = upcoming.order_by("starts_at").values("starts_at")[:1]
    upcoming_count = (
        upcoming.order_by()
        .values("registration_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return list(
        TeamAssignment.objects.filter(assessor=assessor)
        .select_related("registration__region")
        .annotate(
            next_event_at=Subquery(next_event),
            upcoming_count=Coalesce(Subquery(upcoming_count), 0),
        )
        .order_by("-registration__period", "registration__region__code", "stage")
    )


def events_this_month(*, now=None, limit=None):
    """The events of the current calendar month (in the institute's zone) that
    are not cancelled, in time order, at most ``limit`` of them. One query."""
    now = timezone.localtime(now or timezone.now())
    first = now.date().replace(day=1)
    following = (
        first.replace(year=first.year + 1, month=1)
        if first.month == 12
        else first.replace(month=first.month + 1)
    )
    zone = timezone.get_current_timezone()
    start = datetime.combine(first, time.min, tzinfo=zone)
    end = datetime.combine(following, time.min, tzinfo=zone)
    events = (
        AssessmentEvent.objects.active()
        .filter(starts_at__gte=start, starts_at__lt=end)
        .select_related("registration__region")
        .order_by("starts_at", "id")
    )
    return list(events[:limit] if limit else events)


def schedulable_registrations():
    """Accepted registrations with the size of their schedule, for the admin's
    list. One query."""
    return (
        Registration.objects.filter(state=RegistrationState.ACCEPTED)
        .select_related("region")
        .annotate(
            event_count=Count(
                "assessment_events",
                filter=Q(assessment_events__cancelled_at__isnull=True),
                distinct=True,
            ),
            assessor_count=Count("team_assignments", distinct=True),
            window_closes_at=Min("windows__closes_at"),
        )
        .order_by("-period", "region__code")
    )


def region_schedules_for(user):
    """The accepted registrations of a participant's or team member's region,
    newest first; empty for everyone else. One query."""
    if not (user.region_id and (Role.region_roles() & user.role_set)):
        return []
    return list(
        Registration.objects.filter(
            region_id=user.region_id, state=RegistrationState.ACCEPTED
        )
        .select_related("region")
        .order_by("-period")
    )
