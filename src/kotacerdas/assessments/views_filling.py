"""Pages of the region's filling of a stage (step 5) and of its opening.

Views stay thin: they read input with the forms, call one domain function in
services.py, and show a WorkflowError as a message with the input kept.
Objects outside the user's scope answer 404; a member who asks for another
member's indicator gets 404 too.
"""

import logging

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotacerdas.accounts.models import Role
from kotacerdas.assessments import progress, scoring, services
from kotacerdas.assessments.forms_filling import (
    AnswersForm,
    AssignForm,
    ClarificationAnswerForm,
    EvidenceForm,
    answer_name,
    explanation_name,
    team_candidates,
)
from kotacerdas.assessments.models import (
    Answer,
    Evidence,
    Response,
    StageRecord,
    StageState,
)
from kotacerdas.common.i18n import pick
from kotacerdas.common.workflow import WorkflowError
from kotacerdas.registrations.models import Registration
from kotacerdas.scheduling.models import DataEntryWindow, Stage

logger = logging.getLogger(__name__)

# Marks every fragment the filling views (readiness and maturity) answer to htmx, so that the page's script can
# tell a real answer from a login page reached through an expired session.
FRAGMENT_HEADER = "X-Filling-Fragment"


def _fragment(request, template, context):
    answer = render(request, template, context)
    answer[FRAGMENT_HEADER] = "1"
    return answer


def _stage(request, pk, permission):
    stage = get_object_or_404(
        StageRecord.objects.select_related(
            "registration",
            "registration__region",
            "registration__coordinator",
            "methodology",
        ),
        pk=pk,
    )
    if not request.user.has_perm(permission, stage):
        raise Http404
    return stage


def _response(request, pk, permission):
    response = get_object_or_404(
        Response.objects.select_related(
            "stage",
            "stage__registration",
            "stage__registration__region",
            "stage__methodology",
            "indicator",
            "assigned_to",
        ),
        pk=pk,
    )
    if not request.user.has_perm(permission, response):
        raise Http404
    return response


def sees_every_indicator(user, stage):
    """A member sees only the indicators assigned to them; everyone else who
    may view the stage sees them all."""
    if user.has_perm("assessments.submit_stage", stage):
        return True
    return not user.has_role(Role.REGION_MEMBER)


def _rows(stage, user):
    responses = (
        stage.responses.select_related("indicator", "assigned_to")
        .annotate(
            answered=Count("readiness_answers", filter=~Q(readiness_answers__answer=""))
        )
        .order_by("indicator__sort_key")
    )
    if not sees_every_indicator(user, stage):
        responses = responses.filter(assigned_to=user)
    return responses


def clarification_in_progress(stage):
    """The clarification the region is answering, with its indicators, or None."""
    if stage.state != StageState.CLARIFICATION_REQUESTED:
        return None
    return (
        stage.clarifications.filter(answered_at__isnull=True)
        .prefetch_related("indicators")
        .first()
    )


# The admin opens the stage.


def open_stage(request, pk):
    """Open the readiness stage of an accepted registration (admin only)."""
    registration = get_object_or_404(
        Registration.objects.select_related("region", "methodology"), pk=pk
    )
    if not request.user.has_perm("assessments.open_stage", registration):
        raise Http404
    existing = StageRecord.objects.filter(
        registration=registration, stage=Stage.READINESS
    ).first()
    if existing is not None and existing.state != StageState.NOT_OPEN:
        return redirect("assessments:fill_overview", existing.pk)

    if request.method == "POST":
        try:
            stage = services.open_stage(
                registration, actor=request.user, stage=Stage.READINESS
            )
        except WorkflowError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The readiness stage is open for data entry."))
            return redirect("assessments:fill_overview", stage.pk)

    context = {
        "registration": registration,
        "window": DataEntryWindow.objects.filter(
            registration=registration, stage=Stage.READINESS
        ).first(),
        "agreed_count": registration.agreed_indicators.count(),
    }
    return render(request, "assessments/filling/open.html", context)


# The stage's overview.


def overview(request, pk):
    stage = _stage(request, pk, "assessments.view_stage")
    if stage.stage == Stage.MATURITY:
        # The maturity stage has its own pages (maturity.views_filling).
        return redirect("maturity:fill_overview", stage.pk)
    return _render_overview(request, stage)


def _render_overview(request, stage, answer_form=None, status=200):
    user = request.user
    fillable = stage.state in StageState.fillable()
    can_assign = fillable and user.has_perm("assessments.assign_response", stage)
    can_submit = user.has_perm("assessments.submit_stage", stage)
    clarification = clarification_in_progress(stage)
    sees_all = sees_every_indicator(user, stage)

    missing = None
    if can_submit and stage.state == StageState.OPEN:
        missing = services.missing_answers(stage)
    elif can_submit and clarification is not None:
        missing = services.missing_answers(
            stage, indicators=clarification.indicators.all()
        )

    context = {
        "stage": stage,
        "registration": stage.registration,
        "region": stage.registration.region,
        "rows": _rows(stage, user),
        "criteria_count": len(scoring.criterion_codes(stage)),
        "window": DataEntryWindow.objects.filter(
            registration_id=stage.registration_id, stage=stage.stage
        ).first(),
        "clarification": clarification,
        "named": (
            {i.pk for i in clarification.indicators.all()} if clarification else set()
        ),
        "by_member": progress.progress_by_member(stage) if sees_all else None,
        "by_agency": progress.progress_by_agency(stage) if sees_all else None,
        "can_assign": can_assign,
        "candidates": list(team_candidates(stage)) if can_assign else [],
        "can_submit": can_submit and missing is not None,
        "missing": missing or [],
        "answer_form": answer_form or ClarificationAnswerForm(),
    }
    return render(request, "assessments/filling/overview.html", context, status=status)


@require_POST
def assign(request, pk):
    """Give one indicator to a team member; answers the table row to htmx."""
    response = _response(request, pk, "assessments.view_response")
    stage = response.stage
    if not request.user.has_perm("assessments.assign_response", stage):
        raise Http404
    candidates = team_candidates(stage)
    form = AssignForm(request.POST, candidates=candidates)

    error = None
    if form.is_valid():
        try:
            services.assign_response(
                response, actor=request.user, member=form.cleaned_data["member"]
            )
        except WorkflowError as error_:
            error = error_.message
    else:
        error = " ".join(form.errors.get("member", [])) or _("Choose a team member.")

    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("The indicator is assigned."))
        return redirect("assessments:fill_overview", stage.pk)

    row = _rows(stage, request.user).get(pk=response.pk)
    context = {
        "stage": stage,
        "row": row,
        "criteria_count": len(scoring.criterion_codes(stage)),
        "can_assign": True,
        "candidates": list(candidates),
        "named": set(),
        "row_error": error,
    }
    # The progress tables follow the new assignment (out of band).
    progress_context = {
        "oob": True,
        "by_member": progress.progress_by_member(stage),
        "by_agency": progress.progress_by_agency(stage),
    }
    answer = HttpResponse(
        render_to_string(
            "assessments/filling/overview.html#row", context, request=request
        )
        # A <template> carries the tables through htmx's parsing of a table
        # row, which would otherwise push them out of place.
        + "<template>"
        + render_to_string(
            "assessments/filling/overview.html#progress",
            progress_context,
            request=request,
        )
        + "</template>"
    )
    answer[FRAGMENT_HEADER] = "1"
    return answer


@require_POST
def submit(request, pk):
    """The coordinator submits the stage, or answers the open clarification."""
    stage = _stage(request, pk, "assessments.view_stage")
    if not request.user.has_perm("assessments.submit_stage", stage):
        raise Http404
    form = ClarificationAnswerForm(request.POST)
    form.is_valid()
    try:
        if stage.state == StageState.CLARIFICATION_REQUESTED:
            services.answer_clarification(
                stage, actor=request.user, answer=form.cleaned_data.get("answer", "")
            )
            messages.success(request, _("Your answer went to the assessors."))
        else:
            services.submit_stage(stage, actor=request.user)
            messages.success(request, _("The stage is submitted for assessment."))
    except WorkflowError as error:
        messages.error(request, error.message)
        stage.refresh_from_db()
        return _render_overview(request, stage, answer_form=form, status=400)
    return redirect("assessments:fill_overview", stage.pk)


# One indicator's response.


def _refusal(user, response):
    """Why ``user`` may not change the response now, or None."""
    if not user.has_perm("assessments.fill_response", response):
        return _("You can read this response but not change it.")
    return services.edit_refusal(response)


def _groups(response, form=None):
    """The methodology's groups, each with its criteria and what is stored (or
    what was just sent, when ``form`` is given)."""
    section = scoring.readiness_section(response.stage)
    stored = {a.criterion: a for a in response.readiness_answers.all()}
    sent = form.data if form is not None else {}
    groups = []
    for group in section["groups"]:
        criteria = []
        for criterion in section["criteria"]:
            if criterion["group"] != group["code"]:
                continue
            code = criterion["code"]
            answer = stored.get(code)
            criteria.append(
                {
                    "code": code,
                    "text": pick(criterion["text"]),
                    "answer": sent.get(
                        answer_name(code), answer.answer if answer else ""
                    ),
                    "explanation": sent.get(
                        explanation_name(code), answer.explanation if answer else ""
                    ),
                    "answer_name": answer_name(code),
                    "explanation_name": explanation_name(code),
                    "errors": (
                        (form.errors.get(answer_name(code), []) if form else [])
                        + (form.errors.get(explanation_name(code), []) if form else [])
                    ),
                }
            )
        groups.append(
            {"code": group["code"], "name": pick(group["name"]), "criteria": criteria}
        )
    return groups


def response_page(request, pk):
    response = _response(request, pk, "assessments.view_response")
    if response.stage.stage == Stage.MATURITY:
        return redirect("maturity:fill_response", response.pk)
    return _render_response(request, response)


def _render_response(request, response, *, form=None, evidence_form=None, status=200):
    stage = response.stage
    refusal = _refusal(request.user, response)
    clarification = clarification_in_progress(stage)
    context = {
        "response": response,
        "stage": stage,
        "indicator": response.indicator,
        "region": stage.registration.region,
        "groups": _groups(response, form),
        "choices": Answer.choices,
        "editable": refusal is None,
        "refusal": refusal,
        "clarification": clarification,
        "evidence": response.evidence.select_related("file", "added_by"),
        "evidence_form": evidence_form or EvidenceForm(),
        "save_errors": form.errors if form is not None else None,
    }
    return render(request, "assessments/filling/response.html", context, status=status)


@require_POST
def autosave(request, pk):
    """Save the fields sent (one, from the page's autosave; all, from its Save
    button without script). Answers the status line to htmx; the page keeps
    every entry as typed, because only the status line is replaced."""
    response = _response(request, pk, "assessments.view_response")
    if not request.user.has_perm("assessments.fill_response", response):
        raise Http404
    if response.stage.stage == Stage.MATURITY:
        # Readiness answers have no place in a maturity stage.
        raise Http404
    form = AnswersForm(request.POST, codes=scoring.criterion_codes(response.stage))
    form.is_valid()
    answers = form.changed_answers()

    error = None
    if answers:
        try:
            response = services.save_response(
                response, actor=request.user, answers=answers
            )
        except WorkflowError as error_:
            error = error_.message

    if request.htmx:
        context = {
            "response": response,
            "region": response.stage.registration.region,
            "error": error,
            "form_errors": [
                (form.fields[name].label, errors)
                for name, errors in form.errors.items()
            ],
        }
        return _fragment(request, "assessments/filling/response.html#status", context)

    if error or form.errors:
        if error:
            messages.error(request, error)
        return _render_response(request, response, form=form, status=400)
    messages.success(request, _("Saved."))
    return redirect("assessments:fill_response", response.pk)


@require_POST
def add_evidence(request, pk):
    response = _response(request, pk, "assessments.view_response")
    if not request.user.has_perm("assessments.fill_response", response):
        raise Http404
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_evidence(
                response,
                actor=request.user,
                label=form.cleaned_data["label"],
                uploaded=form.cleaned_data["file"],
                url=form.cleaned_data["url"],
            )
        except WorkflowError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The evidence is added."))
            return redirect("assessments:fill_response", response.pk)
    return _render_response(request, response, evidence_form=form, status=400)


@require_POST
def remove_evidence(request, pk):
    evidence = get_object_or_404(Evidence.objects.select_related("response"), pk=pk)
    response = _response(request, evidence.response_id, "assessments.view_response")
    if not request.user.has_perm("assessments.fill_response", response):
        raise Http404
    evidence.response = response
    try:
        services.remove_evidence(evidence, actor=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The evidence is removed."))
    return redirect("assessments:fill_response", response.pk)
