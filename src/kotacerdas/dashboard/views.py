"""Each role's landing page after login.

A user with several roles lands on the dashboard of their first role (in the
order of ``ROLE_PRIORITY``) and reaches the others from the navigation bar.
"""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from kotacerdas.accounts.models import Role
from kotacerdas.assessments.models import Response, StageRecord, StageState
from kotacerdas.dashboard.progress import (
    coordinator_progress,
    oldest_waiting,
    registration_counts,
)
from kotacerdas.maturity.report import awaiting_publication
from kotacerdas.scheduling.models import Stage
from kotacerdas.scheduling.queries import (
    assignments_for,
    events_this_month,
    upcoming_events_for,
)
from kotacerdas.training.models import ReadinessTrainingRecord, RecordState, Session
from kotacerdas.training.status import training_status_codes

ADMIN_EVENTS_SHOWN = 10


def home(request):
    role = request.user.primary_role
    if role is None:
        return render(request, "dashboard/no_role.html")
    return redirect("dashboard:role", role=role)


def _participant(request):
    return coordinator_progress(request.user.region)


def _member(request):
    codes = training_status_codes([request.user])[request.user.pk]
    return {
        "training": codes,
        "events": upcoming_events_for(request.user, limit=5),
        "responses": list(
            Response.objects.filter(
                assigned_to=request.user, stage__state__in=StageState.fillable()
            )
            .select_related("indicator", "stage__registration__region")
            .order_by("stage__registration__period", "indicator__sort_key")
        ),
    }


def _admin(request):
    return {
        "counts": registration_counts(),
        "oldest": oldest_waiting(),
        # One more than shown tells whether to point at the full schedule; a
        # national month can hold a thousand events, too many for a dashboard.
        "events": events_this_month(limit=ADMIN_EVENTS_SHOWN + 1),
        "events_shown": ADMIN_EVENTS_SHOWN,
        "records_to_verify": ReadinessTrainingRecord.objects.filter(
            state=RecordState.PENDING
        ).count(),
        # The maturity block: drafts the leads have written, for publication.
        "reports_waiting": awaiting_publication().count(),
        "now": timezone.now(),
    }


# The states in which the assessors' review page is where the work is.
_REVIEWABLE = [
    StageState.SUBMITTED,
    StageState.UNDER_REVIEW,
    StageState.CLARIFICATION_REQUESTED,
    StageState.RESUBMITTED,
    StageState.ASSESSED,
]


def _with_review_stages(assignments):
    """Give each assignment ``review_stage``: its stage open for review, or None.

    One query for all the assignments.
    """
    # A decided maturity stage stays: its lead drafts the report from here.
    stages = {
        (stage.registration_id, stage.stage): stage
        for stage in StageRecord.objects.filter(
            Q(state__in=_REVIEWABLE)
            | Q(stage=Stage.MATURITY, state=StageState.DECIDED),
            registration_id__in=[a.registration_id for a in assignments],
        )
    }
    for assignment in assignments:
        assignment.review_stage = stages.get(
            (assignment.registration_id, assignment.stage)
        )
    return assignments


def _assessor(request):
    return {
        "events": upcoming_events_for(request.user, limit=10),
        "assignments": _with_review_stages(assignments_for(request.user)),
    }


def _instructor(request):
    today = timezone.localdate()
    return {
        "sessions": list(
            Session.objects.filter(instructors=request.user, ends_on__gte=today)
            .select_related("programme")
            .order_by("starts_on")
        ),
    }


_ROLES = {
    Role.ADMIN: ("dashboard/admin.html", _admin),
    Role.ASSESSOR: ("dashboard/assessor.html", _assessor),
    Role.INSTRUCTOR: ("dashboard/instructor.html", _instructor),
    Role.PARTICIPANT: ("dashboard/participant.html", _participant),
    Role.REGION_MEMBER: ("dashboard/member.html", _member),
}


def role_dashboard(request, role):
    if role not in _ROLES or not request.user.has_role(role):
        raise Http404
    template, build = _ROLES[role]
    context = {"role": Role(role), "region": request.user.region}
    context.update(build(request))
    return render(request, template, context)
