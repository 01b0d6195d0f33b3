"""Schedule pages: the admin's planning page, the read-only schedule, each
user's own schedule, calendar files and the personal feed.

Views stay thin: they check the named rule (404 outside the user's scope), bind
a form and call one domain function; a WorkflowError becomes a message and the
input is kept.
"""

import logging
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from kotacerdas.accounts.models import Role
from kotacerdas.common.audit import events_for
from kotacerdas.common.workflow import WorkflowError
from kotacerdas.registrations.models import RegistrationState
from kotacerdas.scheduling import ics, queries, services
from kotacerdas.scheduling.conflicts import (
    ConflictReport,
    check_assessor,
    event_overlaps,
)
from kotacerdas.scheduling.forms import (
    AssignForm,
    CancelEventForm,
    ConflictDeclarationForm,
    EventForm,
    ExtendWindowForm,
    WindowForm,
    assessors,
)
from kotacerdas.scheduling.models import (
    AssessmentEvent,
    CalendarFeedToken,
    ConflictDeclaration,
    DataEntryWindow,
    Stage,
    TeamAssignment,
)

logger = logging.getLogger(__name__)

# The personal feed lists events from this long ago onwards.
FEED_HISTORY = timedelta(days=90)


def _registration_or_404(request, pk, permission):
    registration = services.accepted_registration(pk)
    if registration is None or not request.user.has_perm(permission, registration):
        raise Http404
    return registration


# Lists.


def overview(request):
    """The admin's list of accepted registrations to schedule; everyone else
    goes to their own schedule."""
    if not request.user.has_perm("scheduling.manage_schedule"):
        return redirect("scheduling:mine")
    registrations = list(queries.schedulable_registrations())
    return render(request, "scheduling/overview.html", {"registrations": registrations})


def mine(request):
    """The user's upcoming events; for assessors their teams, for region users
    the schedules of their region's registrations."""
    user = request.user
    context = {
        "schedules": queries.region_schedules_for(user),
        "events": queries.upcoming_events_for(user, limit=50),
        "assignments": (
            queries.assignments_for(user) if user.has_role(Role.ASSESSOR) else []
        ),
        "is_assessor": user.has_role(Role.ASSESSOR),
    }
    return render(request, "scheduling/mine.html", context)


# The schedule of one registration.


def _stage_schedule(registration, stage):
    window = (
        DataEntryWindow.objects.filter(registration=registration, stage=stage)
        .prefetch_related(Prefetch("extensions", to_attr="extension_list"))
        .first()
    )
    events = list(
        AssessmentEvent.objects.filter(registration=registration, stage=stage)
    )
    team = list(
        TeamAssignment.objects.filter(
            registration=registration, stage=stage
        ).select_related("assessor")
    )
    for event in events:
        event.registration = registration
    return {"stage": Stage(stage), "window": window, "events": events, "team": team}


def detail(request, pk):
    """The read-only schedule of a registration, both stages."""
    registration = _registration_or_404(request, pk, "scheduling.view_schedule")
    stages = []
    for stage in Stage:
        schedule = _stage_schedule(registration, stage)
        schedule["label"] = stage.label
        if (
            request.user.has_role(Role.ASSESSOR)
            and not request.user.has_role(Role.ADMIN)
            and not any(a.assessor_id == request.user.pk for a in schedule["team"])
        ):
            # An assessor sees the stages they assess, not the other team's.
            continue
        stages.append(schedule)
    return render(
        request,
        "scheduling/detail.html",
        {
            "registration": registration,
            "stages": stages,
            "can_manage": request.user.has_perm(
                "scheduling.manage_schedule", registration
            ),
        },
    )


class _Forms:
    """The forms of the planning page, bound for the one that was posted."""

    def __init__(self, window, data=None, action=None, *, team_ids=()):
        self.window = WindowForm(
            data if action == "window" else None,
            initial=(
                {"opens_at": window.opens_at, "closes_at": window.closes_at}
                if window
                else None
            ),
        )
        self.extend = ExtendWindowForm(
            data if action == "extend" else None, window=window
        )
        self.event = EventForm(data if action == "event" else None)
        self.cancel = CancelEventForm(data if action == "cancel" else None)
        self.assign = AssignForm(data if action == "assign" else None, exclude=team_ids)


def manage(request, pk, stage):
    """The admin's planning page for one stage: window, events, team."""
    registration = _registration_or_404(request, pk, "scheduling.manage_schedule")
    with timezone.override(registration.region.zone):
        return _manage(request, registration, stage)


def _manage(request, registration, stage):
    schedule = _stage_schedule(registration, stage)
    action = request.POST.get("action") if request.method == "POST" else None
    forms = _Forms(
        schedule["window"],
        request.POST,
        action,
        team_ids=[a.assessor_id for a in schedule["team"]],
    )
    report = None
    cancelling = None

    if action:
        handler = _ACTIONS.get(action)
        if handler is None:
            raise Http404
        try:
            done = handler(request, registration, stage, schedule, forms)
        except services.AssignmentBlockedError as error:
            report = ConflictReport(blocks=error.blocks)
            messages.error(request, _("This assessor cannot be assigned."))
        except services.WarningsNotAcknowledgedError as error:
            report = ConflictReport(warnings=error.warnings)
            messages.warning(
                request,
                _("Read the warnings and confirm them to assign this assessor."),
            )
        except WorkflowError as error:
            messages.error(request, error.message)
        else:
            if done:
                return redirect("scheduling:manage", registration.pk, stage)
        if action == "cancel":
            cancelling = forms.cancel.data.get("event")

    context = {
        "registration": registration,
        "stage_choices": Stage.choices,
        **schedule,
        "forms": forms,
        "report": report,
        "cancelling": str(cancelling) if cancelling else "",
        "history": list(
            events_for(registration).filter(action__startswith="schedule.")[:50]
        ),
        "now": timezone.now(),
    }
    return render(request, "scheduling/manage.html", context)


def _set_window(request, registration, stage, schedule, forms):
    if not forms.window.is_valid():
        return False
    services.set_window(
        registration,
        actor=request.user,
        stage=stage,
        opens_at=forms.window.cleaned_data["opens_at"],
        closes_at=forms.window.cleaned_data["closes_at"],
    )
    messages.success(request, _("The data-entry window is saved."))
    return True


def _extend_window(request, registration, stage, schedule, forms):
    if schedule["window"] is None:
        raise Http404
    if not forms.extend.is_valid():
        return False
    services.extend_window(
        schedule["window"],
        actor=request.user,
        new_closes_at=forms.extend.cleaned_data["new_closes_at"],
        reason=forms.extend.cleaned_data["reason"],
    )
    messages.success(request, _("The data-entry window is extended."))
    return True


def _add_event(request, registration, stage, schedule, forms):
    if not forms.event.is_valid():
        return False
    event = services.add_event(
        registration, actor=request.user, stage=stage, **forms.event.cleaned_data
    )
    messages.success(
        request, _("The event is scheduled and everyone concerned is notified.")
    )
    for warning in event_overlaps(event):
        messages.warning(request, warning)
    return True


def _cancel_event(request, registration, stage, schedule, forms):
    if not forms.cancel.is_valid():
        messages.error(request, _("Give the reason for the cancellation."))
        return False
    event = next(
        (e for e in schedule["events"] if e.pk == forms.cancel.cleaned_data["event"]),
        None,
    )
    if event is None:
        raise Http404
    services.cancel_event(
        event, actor=request.user, reason=forms.cancel.cleaned_data["reason"]
    )
    messages.success(request, _("The event is cancelled."))
    return True


def _assign(request, registration, stage, schedule, forms):
    if not forms.assign.is_valid():
        return False
    data = forms.assign.cleaned_data
    assignment = services.assign_assessor(
        registration,
        actor=request.user,
        stage=stage,
        assessor=data["assessor"],
        is_lead=data["is_lead"],
        acknowledge_warnings=data["acknowledge_warnings"],
    )
    messages.success(
        request,
        _("%(name)s is on the team.") % {"name": assignment.assessor.full_name},
    )
    return True


_ACTIONS = {
    "window": _set_window,
    "extend": _extend_window,
    "event": _add_event,
    "cancel": _cancel_event,
    "assign": _assign,
}


@require_GET
def team_check(request, pk, stage):
    """htmx: the conflict report for the assessor just picked."""
    registration = _registration_or_404(request, pk, "scheduling.manage_schedule")
    picked = request.GET.get("assessor", "")
    assessor = assessors().filter(pk=picked).first() if picked.isdigit() else None
    report = (
        check_assessor(assessor, registration, stage) if assessor is not None else None
    )
    with timezone.override(registration.region.zone):
        return render(
            request,
            "scheduling/manage.html#conflicts",
            {"registration": registration, "stage": Stage(stage), "report": report},
        )


@require_POST
def team_remove(request, pk):
    assignment = _assignment_or_404(request, pk)
    try:
        assessor = services.remove_assessor(assignment, actor=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("%(name)s is off the team.") % {"name": assessor.full_name}
        )
    return redirect("scheduling:manage", assignment.registration_id, assignment.stage)


@require_POST
def team_lead(request, pk):
    assignment = _assignment_or_404(request, pk)
    try:
        services.set_lead(assignment, actor=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(name)s now leads the team.") % {"name": assignment.assessor.full_name},
        )
    return redirect("scheduling:manage", assignment.registration_id, assignment.stage)


def _assignment_or_404(request, pk):
    assignment = get_object_or_404(
        TeamAssignment.objects.select_related("registration", "assessor"), pk=pk
    )
    if not request.user.has_perm("scheduling.manage_schedule", assignment.registration):
        raise Http404
    return assignment


def event_edit(request, pk):
    """The admin changes one event; its calendar revision rises."""
    event = get_object_or_404(
        AssessmentEvent.objects.select_related("registration__region"), pk=pk
    )
    registration = event.registration
    if (
        not request.user.has_perm("scheduling.manage_schedule", registration)
        or registration.state != RegistrationState.ACCEPTED
        or event.is_cancelled
    ):
        raise Http404

    with timezone.override(registration.region.zone):
        form = EventForm.for_event(
            event, request.POST if request.method == "POST" else None
        )
        if request.method == "POST" and form.is_valid():
            try:
                event = services.update_event(
                    event, actor=request.user, **form.cleaned_data
                )
            except WorkflowError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("The event is saved."))
                for warning in event_overlaps(event):
                    messages.warning(request, warning)
                return redirect("scheduling:manage", registration.pk, event.stage)
        return render(
            request,
            "scheduling/event_edit.html",
            {"event": event, "registration": registration, "form": form},
        )


# Calendar files.


def event_ics(request, pk):
    """The .ics of one event, for the people concerned only."""
    event = get_object_or_404(
        AssessmentEvent.objects.select_related("registration__region"), pk=pk
    )
    if not request.user.has_perm("scheduling.view_event", event):
        raise Http404
    content = ics.calendar([event], language=get_language())
    start = timezone.localtime(event.starts_at, event.registration.region.zone)
    filename = f"{event.kind}-{event.registration.region.code}-{start:%Y%m%d}.ics"
    return _calendar_response(content, filename, attachment=True)


@login_not_required
@never_cache
@require_GET
def calendar_feed(request, token):
    """The personal feed a calendar program subscribes to: no login, the secret
    token is the key. A revoked or unknown token answers 404."""
    feed = (
        CalendarFeedToken.objects.select_related("user")
        .filter(token=token, revoked_at__isnull=True)
        .first()
    )
    if feed is None or not feed.user.is_active:
        raise Http404
    user = feed.user
    events = (
        queries.events_concerning(user)
        .filter(ends_at__gte=timezone.now() - FEED_HISTORY)
        .order_by("starts_at", "id")
    )
    content = ics.calendar(
        events,
        language=user.preferred_language,
        owner=user,
    )
    return _calendar_response(content, "jadwal-ppti.ics", attachment=False)


def _calendar_response(content, filename, *, attachment):
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
def calendar_settings(request):
    """Reveal, regenerate or revoke one's personal feed link."""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "regenerate":
            services.regenerate_feed_token(request.user)
            messages.success(
                request,
                _("Your new calendar link is ready; the old one stopped working."),
            )
            return redirect(reverse("scheduling:calendar") + "?reveal=1")
        if action == "revoke":
            if services.revoke_feed_token(request.user):
                messages.success(request, _("Your calendar link no longer works."))
            return redirect("scheduling:calendar")
        raise Http404

    token = services.active_feed_token(request.user)
    reveal = token is not None and request.GET.get("reveal") == "1"
    feed_url = (
        request.build_absolute_uri(reverse("scheduling_feed:feed", args=[token.token]))
        if reveal
        else ""
    )
    template = "scheduling/calendar.html"
    if request.htmx and reveal:
        template += "#feed"
    return render(
        request,
        template,
        {"token": token, "reveal": reveal, "feed_url": feed_url},
    )


# Conflicts of interest.


def conflicts(request):
    """An assessor's declared conflicts of interest, and a form to add one."""
    if not request.user.has_perm("scheduling.declare_conflict"):
        raise Http404
    form = ConflictDeclarationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.declare_conflict(
                actor=request.user,
                assessor=request.user,
                region=form.cleaned_data["region"],
                reason=form.cleaned_data["reason"],
            )
        except WorkflowError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("Your conflict of interest is recorded; thank you.")
            )
            return redirect("scheduling:conflicts")
    declarations = ConflictDeclaration.objects.filter(
        assessor=request.user
    ).select_related("region")
    return render(
        request,
        "scheduling/conflicts.html",
        {"form": form, "declarations": declarations},
    )
