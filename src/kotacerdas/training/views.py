"""Pages of both trainings. Thin: each POST calls one domain function."""

import logging
from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kotacerdas.accounts.models import Role, User
from kotacerdas.common.workflow import WorkflowError
from kotacerdas.training import services
from kotacerdas.training.forms import (
    EnrolForm,
    ReadinessRecordForm,
    ReferralMoveForm,
    ReferralRequestForm,
    RejectForm,
    region_people,
)
from kotacerdas.training.models import (
    Attendance,
    Enrolment,
    EnrolmentState,
    ReadinessTrainingRecord,
    RecordState,
    Referral,
    ReferralState,
    Session,
)
from kotacerdas.training.status import READINESS_LABELS, training_status_codes

logger = logging.getLogger(__name__)

_REFERRAL_FUNCTIONS = {
    "send": services.send_referral,
    "enrol": services.mark_referral_enrolled,
    "complete": services.complete_referral,
}


def _require(request, permission, obj=None):
    """Answer 404 when the user may not see ``obj`` (or the page)."""
    if not request.user.has_perm(permission, obj):
        raise Http404


def home(request):
    """Where "Training" leads: the page of the user's main role."""
    user = request.user
    if user.has_role(Role.ADMIN):
        return redirect("training:readiness_queue")
    if user.has_role(Role.INSTRUCTOR) or user.has_role(Role.PARTICIPANT):
        return redirect("training:session_list")
    if user.has_role(Role.REGION_MEMBER):
        return redirect("training:readiness_overview")
    raise Http404


# Readiness training (step 1a) ---------------------------------------------------


def _people_in_scope(user):
    """Whose readiness training the user looks after: the team, or oneself."""
    if user.has_role(Role.PARTICIPANT):
        return list(region_people(user.region))
    return [user]


def readiness_overview(request):
    """Region users: each person's records, referral and what to do next."""
    _require(request, "training.view_readiness_overview")
    if request.user.has_role(Role.ADMIN):
        return redirect("training:readiness_queue")

    people = _people_in_scope(request.user)
    ids = [person.pk for person in people]
    records = {}
    for item in ReadinessTrainingRecord.objects.filter(user_id__in=ids).order_by(
        "-created_at"
    ):
        records.setdefault(item.user_id, []).append(item)
    referrals = {}
    for item in Referral.objects.filter(user_id__in=ids).order_by("-created_at"):
        referrals.setdefault(item.user_id, []).append(item)
    codes = training_status_codes(people)
    rows = [
        {
            "person": person,
            "status": codes[person.pk]["readiness"],
            "label": READINESS_LABELS[codes[person.pk]["readiness"]],
            "records": records.get(person.pk, []),
            "referrals": referrals.get(person.pk, []),
            "can_refer": codes[person.pk]["readiness"]
            in {"none", "rejected", "referral_completed"}
            and not any(r.is_open for r in referrals.get(person.pk, [])),
        }
        for person in people
    ]
    return render(request, "training/readiness_overview.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
def readiness_create(request):
    _require(request, "training.act_for_region")
    initial = {}
    if request.GET.get("anggota", "").isdigit():
        initial["user"] = int(request.GET["anggota"])
    form = ReadinessRecordForm(
        request.POST or None,
        request.FILES or None,
        actor=request.user,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.record_readiness_training(
                actor=request.user,
                user=data["user"],
                provider=data["provider"],
                completed_on=data["completed_on"],
                certificate_number=data["certificate_number"],
                uploaded=data["certificate"],
            )
        except WorkflowError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("The training of %(name)s is recorded; the institute will verify it.")
                % {"name": created.user.full_name},
            )
            return redirect("training:readiness_overview")
    return render(request, "training/readiness_form.html", {"form": form})


def _record_or_404(request, pk):
    training_record = get_object_or_404(
        ReadinessTrainingRecord.objects.select_related(
            "user__region", "certificate", "recorded_by", "decided_by"
        ),
        pk=pk,
    )
    _require(request, "training.view_readiness_record", training_record)
    return training_record


def readiness_detail(request, pk):
    training_record = _record_or_404(request, pk)
    return render(
        request,
        "training/readiness_detail.html",
        {
            "record": training_record,
            "reject_form": RejectForm(),
            "can_decide": request.user.has_perm(
                "training.decide_readiness", training_record
            )
            and training_record.state == RecordState.PENDING,
        },
    )


@require_POST
def readiness_decide(request, pk):
    training_record = _record_or_404(request, pk)
    _require(request, "training.decide_readiness", training_record)
    reject_form = RejectForm(request.POST)
    try:
        if request.POST.get("action") == "verify":
            services.verify_readiness_record(training_record, actor=request.user)
            messages.success(request, _("The training record is verified."))
        elif reject_form.is_valid():
            services.reject_readiness_record(
                training_record,
                actor=request.user,
                reason=reject_form.cleaned_data["reason"],
            )
            messages.success(request, _("The training record is rejected."))
        else:
            return render(
                request,
                "training/readiness_detail.html",
                {
                    "record": training_record,
                    "reject_form": reject_form,
                    "can_decide": True,
                },
                status=400,
            )
    except WorkflowError as error:
        messages.error(request, error.message)
    return redirect("training:readiness_detail", pk=training_record.pk)


def readiness_queue(request):
    """Admin: the records waiting for verification, oldest first."""
    _require(request, "training.decide_readiness")
    records = ReadinessTrainingRecord.objects.select_related(
        "user__region", "certificate"
    )
    state = request.GET.get("status", RecordState.PENDING)
    if state in RecordState.values:
        records = records.filter(state=state)
    order = "created_at" if state == RecordState.PENDING else "-created_at"
    page = Paginator(records.order_by(order, "id"), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "training/readiness_queue.html",
        {"page": page, "state": state, "states": RecordState.choices},
    )


# Referrals ----------------------------------------------------------------------


@require_POST
def referral_request(request):
    _require(request, "training.act_for_region")
    form = ReferralRequestForm(request.POST, actor=request.user)
    if not form.is_valid():
        raise Http404
    try:
        services.request_referral(
            actor=request.user,
            user=form.cleaned_data["user"],
            note=form.cleaned_data["note"],
        )
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The institute is asked to enrol %(name)s in the ministry's training.")
            % {"name": form.cleaned_data["user"].full_name},
        )
    return redirect("training:readiness_overview")


def referral_list(request):
    """Admin: referrals, the open ones first."""
    _require(request, "training.manage_referral")
    referrals = Referral.objects.select_related("user__region", "requested_by")
    state = request.GET.get("status", "open")
    if state == "open":
        referrals = referrals.filter(state__in=ReferralState.open())
    elif state in ReferralState.values:
        referrals = referrals.filter(state=state)
    page = Paginator(referrals.order_by("created_at", "id"), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "training/referral_list.html",
        {"page": page, "state": state, "states": ReferralState.choices},
    )


def _referral_or_404(request, pk):
    referral = get_object_or_404(
        Referral.objects.select_related("user__region", "requested_by"), pk=pk
    )
    _require(request, "training.view_referral", referral)
    return referral


@require_http_methods(["GET", "POST"])
def referral_detail(request, pk):
    referral = _referral_or_404(request, pk)
    can_manage = request.user.has_perm("training.manage_referral", referral)
    form = ReferralMoveForm(request.POST or None, referral=referral)
    if request.method == "POST":
        _require(request, "training.manage_referral", referral)
        if form.is_valid():
            action = form.cleaned_data["action"]
            try:
                if action == "cancel":
                    services.cancel_referral(
                        referral, actor=request.user, reason=form.cleaned_data["reason"]
                    )
                else:
                    _REFERRAL_FUNCTIONS[action](referral, actor=request.user)
            except WorkflowError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("The referral is updated."))
                return redirect("training:referral_detail", pk=referral.pk)
    return render(
        request,
        "training/referral_detail.html",
        {"referral": referral, "form": form, "can_manage": can_manage},
    )


# Indicator training (step 1b) ---------------------------------------------------


def _sessions_for(user):
    sessions = (
        Session.objects.select_related("programme")
        .prefetch_related("instructors")
        .annotate(
            taken=Count(
                "enrolments",
                filter=Q(enrolments__state__in=EnrolmentState.holding_a_place()),
            ),
            waiting=Count(
                "enrolments", filter=Q(enrolments__state=EnrolmentState.WAITLISTED)
            ),
        )
    )
    if user.has_role(Role.ADMIN):
        return sessions
    if user.has_role(Role.INSTRUCTOR) and not (
        user.has_role(Role.PARTICIPANT) or user.has_role(Role.REGION_MEMBER)
    ):
        return sessions.filter(instructors=user)
    # Region users: sessions still to come or running, and any they are in.
    today = timezone.localdate()
    return sessions.filter(
        Q(ends_on__gte=today) | Q(enrolments__user__region=user.region)
    ).distinct()


def session_list(request):
    _require(request, "training.view_sessions")
    sessions = list(_sessions_for(request.user).order_by("-starts_on", "id")[:100])
    people = _people_in_scope(request.user) if request.user.region_id else []
    mine = {}
    if people:
        for enrolment in (
            Enrolment.objects.filter(session__in=sessions, user__in=people)
            .exclude(state=EnrolmentState.WITHDRAWN)
            .select_related("user")
        ):
            mine.setdefault(enrolment.session_id, []).append(enrolment)
    for session in sessions:
        session.free = max(session.capacity - session.taken, 0)
        session.team_enrolments = mine.get(session.pk, [])
    return render(
        request,
        "training/session_list.html",
        {"sessions": sessions, "is_region_user": bool(people)},
    )


def _session_or_404(request, pk):
    session = get_object_or_404(
        Session.objects.select_related("programme").prefetch_related("instructors"),
        pk=pk,
    )
    _require(request, "training.view_session", session)
    return session


def _chosen_day(request, session):
    raw = request.GET.get("hari") or request.POST.get("day") or ""
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        day = None
    if day in session.days:
        return day
    today = timezone.localdate()
    if today in session.days:
        return today
    return session.days[0] if today < session.starts_on else session.days[-1]


def _grid(session, enrolments):
    """Rows of the attendance grid: each person with a mark per day."""
    marks = {
        (row.enrolment_id, row.day): row.present
        for row in Attendance.objects.filter(enrolment__in=enrolments)
    }
    needed = session.programme.days_needed(len(session.days))
    rows = []
    for enrolment in enrolments:
        cells = [marks.get((enrolment.pk, day)) for day in session.days]
        present = sum(1 for cell in cells if cell)
        rows.append(
            {
                "enrolment": enrolment,
                "cells": cells,
                "present": present,
                "meets_rule": present >= needed,
            }
        )
    return rows, needed, marks


def session_detail(request, pk):
    session = _session_or_404(request, pk)
    user = request.user
    can_run = user.has_perm("training.run_session", session)
    enrolments = list(
        session.enrolments.exclude(state=EnrolmentState.WITHDRAWN)
        .select_related("user__region", "certificate")
        .order_by("state", "waitlist_position", "user__full_name")
    )
    context = {
        "session": session,
        "can_run": can_run,
        "taken": sum(
            1 for e in enrolments if e.state in EnrolmentState.holding_a_place()
        ),
    }
    context["free"] = max(session.capacity - context["taken"], 0)

    if can_run:
        participants = [
            e for e in enrolments if e.state in EnrolmentState.holding_a_place()
        ]
        rows, needed, marks = _grid(session, participants)
        day = _chosen_day(request, session)
        context.update(
            rows=rows,
            needed=needed,
            day=day,
            day_rows=[
                {
                    "enrolment": row["enrolment"],
                    "present": marks.get((row["enrolment"].pk, day), True),
                }
                for row in rows
                if row["enrolment"].state == EnrolmentState.ENROLLED
            ],
            day_in_future=day > timezone.localdate(),
            waiting=[e for e in enrolments if e.state == EnrolmentState.WAITLISTED],
        )

    if user.region_id:
        people = _people_in_scope(user)
        ids = {person.pk for person in people}
        team = [e for e in enrolments if e.user_id in ids]
        taken_ids = {e.user_id for e in team}
        context.update(
            team_enrolments=team,
            enrol_self=user.pk not in taken_ids,
            enrol_form=EnrolForm(
                candidates=User.objects.filter(
                    pk__in=[p.pk for p in people if p.pk not in taken_ids]
                ).order_by("full_name")
            )
            if user.has_role(Role.PARTICIPANT)
            else None,
            waiting_rank={
                e.pk: rank
                for rank, e in enumerate(
                    (e for e in enrolments if e.state == EnrolmentState.WAITLISTED),
                    start=1,
                )
            },
        )
        for enrolment in team:
            enrolment.rank = context["waiting_rank"].get(enrolment.pk)
    return render(request, "training/session_detail.html", context)


@require_POST
def session_enrol(request, pk):
    session = _session_or_404(request, pk)
    target = request.user
    if request.POST.get("user") and request.POST["user"] != str(request.user.pk):
        target = get_object_or_404(User, pk=request.POST["user"])
    if not request.user.has_perm("training.enrol_user", target):
        raise Http404
    try:
        enrolment = services.enrol(session, target, actor=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        if enrolment.state == EnrolmentState.WAITLISTED:
            messages.warning(
                request,
                _("The session is full: %(name)s is on the waiting list.")
                % {"name": target.full_name},
            )
        else:
            messages.success(
                request, _("%(name)s is enrolled.") % {"name": target.full_name}
            )
    return redirect("training:session_detail", pk=session.pk)


@require_POST
def enrolment_withdraw(request, pk):
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("user", "session"), pk=pk
    )
    _require(request, "training.withdraw_enrolment", enrolment)
    try:
        services.withdraw(enrolment, actor=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("%(name)s is withdrawn.") % {"name": enrolment.user.full_name}
        )
    return redirect("training:session_detail", pk=enrolment.session_id)


@require_POST
def session_attendance(request, pk):
    session = _session_or_404(request, pk)
    _require(request, "training.run_session", session)
    day = _chosen_day(request, session)
    present = [value for value in request.POST.getlist("present") if value.isdigit()]
    try:
        count = services.record_attendance(session, day, present, actor=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Attendance of %(day)s is saved: %(count)s present.")
            % {"day": formats.date_format(day, "j F Y"), "count": count},
        )
    url = reverse("training:session_detail", args=[session.pk])
    return redirect(f"{url}?hari={day.isoformat()}")


@require_POST
def session_complete(request, pk):
    session = _session_or_404(request, pk)
    _require(request, "training.run_session", session)
    ids = [value for value in request.POST.getlist("enrolment") if value.isdigit()]
    if not ids:
        messages.error(
            request, _("Choose the participants who completed the training.")
        )
        return redirect("training:session_detail", pk=session.pk)
    completed, refusals = services.complete_enrolments(session, ids, actor=request.user)
    for refusal in refusals:
        messages.error(request, refusal)
    if completed:
        messages.success(
            request,
            _(
                "%(count)s participants completed the training; their certificates are issued."
            )
            % {"count": len(completed)},
        )
    return redirect("training:session_detail", pk=session.pk)
