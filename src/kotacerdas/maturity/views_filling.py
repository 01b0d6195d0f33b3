"""Pages of the region's side of the maturity stage (steps 8 and 9).

The coordinator continues from a passed readiness stage; the admin opens the
maturity stage once its window and team are set (scheduling pages); the
region's team fills one indicator's figures per page, with autosave, evidence,
plausibility warnings and the rubric of the levels; the coordinator assigns,
copies the previous period forward, submits and answers clarifications.

Views stay thin: they read input with the forms, call one domain function
(``services_filling`` or the shared ``assessments.services``) and show a
WorkflowError as a message with the input kept. Objects outside the user's
scope answer 404, and so does a readiness stage asked for here.
"""

import logging
from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotacerdas.accounts.models import Role
from kotacerdas.assessments import services
from kotacerdas.assessments.forms_filling import (
    AssignForm,
    ClarificationAnswerForm,
    EvidenceForm,
    team_candidates,
)
from kotacerdas.assessments.models import Evidence, Response, StageRecord, StageState

# The readiness filling pages' helpers; the fragment header is shared with the
# page script both stages use.
from kotacerdas.assessments.views_filling import (
    FRAGMENT_HEADER,
    clarification_in_progress,
    sees_every_indicator,
)
from kotacerdas.common.i18n import pick
from kotacerdas.common.workflow import WorkflowError
from kotacerdas.maturity import plausibility, services_filling
from kotacerdas.maturity.forms_filling import DataForm
from kotacerdas.maturity.models import MaturityData
from kotacerdas.maturity.services_filling import DataError
from kotacerdas.maturity.values import (
    canonical,
    compute_value,
    needs_denominator,
)
from kotacerdas.registrations.models import Registration
from kotacerdas.scheduling.models import DataEntryWindow, Stage

logger = logging.getLogger(__name__)


def _fragment(content):
    answer = HttpResponse(content)
    answer[FRAGMENT_HEADER] = "1"
    return answer


def _stage(request, pk, permission="assessments.view_stage"):
    stage = get_object_or_404(
        StageRecord.objects.select_related(
            "registration",
            "registration__region",
            "registration__coordinator",
            "methodology",
        ),
        pk=pk,
        stage=Stage.MATURITY,
    )
    if not request.user.has_perm(permission, stage):
        raise Http404
    return stage


def _response(request, pk, permission="assessments.view_response"):
    response = get_object_or_404(
        Response.objects.select_related(
            "stage",
            "stage__registration",
            "stage__registration__region",
            "stage__registration__coordinator",
            "stage__methodology",
            "indicator",
            "indicator__theme",
            "assigned_to",
        ),
        pk=pk,
        stage__stage=Stage.MATURITY,
    )
    if not request.user.has_perm(permission, response):
        raise Http404
    return response


def _window(stage):
    return DataEntryWindow.objects.filter(
        registration_id=stage.registration_id, stage=stage.stage
    ).first()


# Step 8: the coordinator continues, the admin opens.


def continue_stage(request, pk):
    """The coordinator's explicit step from a passed readiness stage."""
    registration = get_object_or_404(
        Registration.objects.select_related("region"), pk=pk
    )
    if not request.user.has_perm("maturity.continue_to_maturity", registration):
        raise Http404
    existing = StageRecord.objects.filter(
        registration=registration, stage=Stage.MATURITY
    ).first()
    if existing is not None:
        return redirect("maturity:fill_overview", existing.pk)

    status = 200
    if request.method == "POST":
        try:
            stage = services_filling.continue_to_maturity(
                registration, actor=request.user
            )
        except WorkflowError as error:
            messages.error(request, error.message)
            status = 400
        else:
            messages.success(
                request,
                _(
                    "Your region continues to the maturity stage. The institute "
                    "now sets its data-entry window and opens it."
                ),
            )
            return redirect("maturity:fill_overview", stage.pk)

    context = {
        "registration": registration,
        "readiness": services_filling.readiness_stage(registration),
        "refusal": services_filling.continue_refusal(registration),
    }
    return render(request, "maturity/filling/continue.html", context, status=status)


def open_stage(request, pk):
    """The admin opens the maturity stage of a registration that continued."""
    registration = get_object_or_404(
        Registration.objects.select_related("region", "methodology"), pk=pk
    )
    if not request.user.has_perm("assessments.open_stage", registration):
        raise Http404
    stage = StageRecord.objects.filter(
        registration=registration, stage=Stage.MATURITY
    ).first()
    if stage is not None and stage.state != StageState.NOT_OPEN:
        return redirect("maturity:fill_overview", stage.pk)

    status = 200
    if request.method == "POST":
        try:
            stage = services.open_stage(
                registration, actor=request.user, stage=Stage.MATURITY
            )
        except WorkflowError as error:
            messages.error(request, error.message)
            status = 400
        else:
            messages.success(request, _("The maturity stage is open for data entry."))
            return redirect("maturity:fill_overview", stage.pk)

    context = {
        "registration": registration,
        "continued": stage is not None,
        "window": DataEntryWindow.objects.filter(
            registration=registration, stage=Stage.MATURITY
        ).first(),
        "agreed_count": registration.agreed_indicators.count(),
    }
    return render(request, "maturity/filling/open.html", context, status=status)


# The stage's overview.


@dataclass
class Row:
    """One indicator of the overview, with what the table shows of it."""

    response: object
    value: object
    gaps: list
    warnings: list

    @property
    def complete(self):
        return not self.gaps

    @property
    def value_text(self):
        return display_number(self.value.value)

    @property
    def copied(self):
        data = getattr(self.response, "maturity_data", None)
        return data is not None and data.copied_from_id is not None


@dataclass
class Progress:
    label: str
    indicators: int = 0
    complete: int = 0

    @property
    def percent(self):
        return round(100 * self.complete / self.indicators) if self.indicators else 0


def _row(response, warnings):
    data = getattr(response, "maturity_data", None)
    indicator = response.indicator
    return Row(
        response=response,
        value=compute_value(indicator, data or MaturityData()),
        gaps=services_filling._gaps(indicator, data),
        warnings=warnings,
    )


def _responses(stage):
    return stage.responses.select_related(
        "indicator", "assigned_to", "maturity_data"
    ).order_by("indicator__sort_key")


def _rows(stage, user):
    """The overview's rows and the progress tables (of every indicator)."""
    responses = list(_responses(stage))
    for response in responses:
        response.stage = stage
    warnings = plausibility.warnings_for_stage(stage, responses)
    every = [_row(response, warnings[response.pk]) for response in responses]
    if sees_every_indicator(user, stage):
        return every, every
    return [row for row in every if row.response.assigned_to_id == user.pk], None


def _tally(rows, key):
    table = {}
    for row in rows:
        label = key(row.response.assigned_to)
        line = table.setdefault(label, Progress(label=label))
        line.indicators += 1
        line.complete += row.complete
    return sorted(table.values(), key=lambda line: (line.label == "", line.label))


def _progress(rows):
    if rows is None:
        return None, None
    return (
        _tally(rows, lambda user: (user.full_name or user.email) if user else ""),
        _tally(rows, lambda user: user.agency if user else ""),
    )


def overview(request, pk):
    stage = _stage(request, pk)
    return _render_overview(request, stage)


def _render_overview(request, stage, answer_form=None, status=200):
    user = request.user
    fillable = stage.state in StageState.fillable()
    can_assign = fillable and user.has_perm("assessments.assign_response", stage)
    can_submit = user.has_perm("assessments.submit_stage", stage)
    clarification = clarification_in_progress(stage)
    rows, every = _rows(stage, user)
    by_member, by_agency = _progress(every)

    missing = None
    if can_submit and stage.state == StageState.OPEN:
        missing = services_filling.missing_data(stage)
    elif can_submit and clarification is not None:
        missing = services_filling.missing_data(
            stage, indicators=clarification.indicators.all()
        )

    previous = None
    if fillable and any(
        user.has_perm("assessments.fill_response", row.response) for row in rows
    ):
        previous = services_filling.previous_stage(stage)

    context = {
        "stage": stage,
        "registration": stage.registration,
        "region": stage.registration.region,
        "rows": rows,
        "window": _window(stage),
        "clarification": clarification,
        "named": (
            {i.pk for i in clarification.indicators.all()} if clarification else set()
        ),
        "by_member": by_member,
        "by_agency": by_agency,
        "can_assign": can_assign,
        "candidates": list(team_candidates(stage)) if can_assign else [],
        "previous": previous,
        "can_submit": can_submit and missing is not None,
        "missing": missing or [],
        "answer_form": answer_form or ClarificationAnswerForm(),
        "can_open": stage.state == StageState.NOT_OPEN
        and user.has_perm("assessments.open_stage", stage.registration),
    }
    return render(request, "maturity/filling/overview.html", context, status=status)


@require_POST
def assign(request, pk):
    """Give one indicator to a team member; answers the table row to htmx."""
    response = _response(request, pk)
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
        return redirect("maturity:fill_overview", stage.pk)

    rows, every = _rows(stage, request.user)
    by_member, by_agency = _progress(every)
    row = next(row for row in rows if row.response.pk == response.pk)
    context = {
        "stage": stage,
        "row": row,
        "can_assign": True,
        "candidates": list(candidates),
        "named": set(),
        "row_error": error,
    }
    progress_context = {"oob": True, "by_member": by_member, "by_agency": by_agency}
    return _fragment(
        render_to_string("maturity/filling/overview.html#row", context, request=request)
        # A <template> carries the tables through htmx's parsing of a table
        # row, which would otherwise push them out of place.
        + "<template>"
        + render_to_string(
            "maturity/filling/overview.html#progress",
            progress_context,
            request=request,
        )
        + "</template>"
    )


@require_POST
def copy_forward(request, pk):
    """Copy the previous period's figures into the indicators still empty."""
    stage = _stage(request, pk)
    user = request.user
    if not (
        user.has_perm("assessments.assign_response", stage)
        or user.has_role(Role.REGION_MEMBER)
    ):
        raise Http404
    try:
        copied = services_filling.copy_forward(stage, actor=user)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        if copied:
            messages.success(
                request,
                _(
                    "Copied from the previous period into %(count)s indicators: "
                    "%(clauses)s. Check and update them."
                )
                % {"count": len(copied), "clauses": ", ".join(copied)},
            )
        else:
            messages.info(
                request,
                _(
                    "Nothing was copied: every indicator you may fill already has "
                    "data, or the previous period has none for it."
                ),
            )
    return redirect("maturity:fill_overview", stage.pk)


@require_POST
def submit(request, pk):
    """The coordinator submits the stage, or answers the open clarification."""
    stage = _stage(request, pk)
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
    return redirect("maturity:fill_overview", stage.pk)


# One indicator's figures.


def _refusal(user, response):
    """Why ``user`` may not change the response now, or None."""
    if not user.has_perm("assessments.fill_response", response):
        return _("You can read this indicator's data but not change it.")
    return services.edit_refusal(response)


def _levels(stage):
    """The rubric of the methodology's levels 1–5, in the user's language."""
    document = stage.methodology.document if stage.methodology_id else {}
    return [
        {
            "level": entry["level"],
            "name": pick(entry["name"]),
            "meaning": pick(entry["meaning"]),
        }
        for entry in document.get("maturity", {}).get("levels", [])
    ]


def _data(response):
    return MaturityData.objects.filter(response=response).first() or MaturityData(
        response=response
    )


def shown_number(value, language=None):
    """A stored figure in the user's notation, without grouping, so that the
    form reads it back as the same number: ``1234,5`` in Indonesian,
    ``1234.5`` in English."""
    text = canonical(value)
    if (language or get_language() or "id")[:2] == "id":
        text = text.replace(".", ",")
    return text


def display_number(value, language=None):
    """A figure for reading, grouped by thousands in the user's notation:
    ``1.234,5`` in Indonesian, ``1,234.5`` in English."""
    if value is None:
        return "—"
    whole, _point, decimals = canonical(value).partition(".")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    groups = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    indonesian = (language or get_language() or "id")[:2] == "id"
    text = sign + ("." if indonesian else ",").join(groups or ["0"])
    if decimals:
        text += ("," if indonesian else ".") + decimals
    return text


def _initial(data):
    """The stored figures as the form shows them."""
    initial = {}
    for name in services_filling.FIELDS:
        value = getattr(data, name)
        if value is None:
            initial[name] = ""
        elif name in services_filling.NUMBER_FIELDS:
            initial[name] = shown_number(value)
        else:
            initial[name] = str(value)
    return initial


def _fields(form, data, errors):
    """Each field of the form with its shown value and its errors.

    After a refused save the value is what was sent, so that nothing typed is
    lost; otherwise it is what is stored.
    """
    initial = _initial(data)
    shown = []
    for name, field in form.fields.items():
        value = form.data.get(name, initial[name]) if form.is_bound else initial[name]
        shown.append(
            {
                "name": name,
                "label": field.label,
                "value": value,
                "errors": errors.get(name, []),
                "widget": field.widget.__class__.__name__,
            }
        )
    return {item["name"]: item for item in shown}


def _errors(form, data_errors):
    errors = {name: list(messages_) for name, messages_ in form.errors.items()}
    for name, message in (data_errors or {}).items():
        errors.setdefault(name, []).append(message)
    return errors


def _previous(response, earlier):
    """The previous period's figures of the indicator, from ``previous_data``."""
    earlier = earlier.get(response.indicator_id)
    if earlier is None:
        return None
    return {"data": earlier, "value": compute_value(response.indicator, earlier)}


def response_page(request, pk):
    response = _response(request, pk)
    return _render_response(request, response)


def _render_response(
    request, response, *, form=None, errors=None, evidence_form=None, status=200
):
    stage = response.stage
    refusal = _refusal(request.user, response)
    data = _data(response)
    form = form or DataForm(indicator=response.indicator)
    errors = errors or {}
    computed = compute_value(response.indicator, data)
    earlier = services_filling.previous_data(stage)
    previous = _previous(response, earlier)
    context = {
        "response": response,
        "stage": stage,
        "indicator": response.indicator,
        "region": stage.registration.region,
        "with_denominator": needs_denominator(response.indicator),
        "fields": _fields(form, data, errors),
        "levels": _levels(stage),
        "computed": computed,
        "computed_text": display_number(computed.value),
        "warnings": plausibility.warnings_for(response, data, earlier=earlier),
        "previous": previous,
        "previous_text": display_number(previous["value"].value) if previous else "",
        "data": data,
        "editable": refusal is None,
        "refusal": refusal,
        "clarification": clarification_in_progress(stage),
        "evidence": response.evidence.select_related("file", "added_by"),
        "evidence_form": evidence_form or EvidenceForm(),
    }
    return render(request, "maturity/filling/response.html", context, status=status)


@require_POST
def autosave(request, pk):
    """Save the fields sent (one, from the page's autosave; all, from its Save
    button without script).

    Answers htmx with the status line and, out of band, the computed value,
    the warnings and the error line of each field sent; the inputs themselves
    are never replaced, so what was typed stays as typed.
    """
    response = _response(request, pk)
    if not request.user.has_perm("assessments.fill_response", response):
        raise Http404
    form = DataForm(request.POST, indicator=response.indicator)
    form.is_valid()
    fields = form.sent_fields()

    error, data_errors = None, {}
    if fields:
        try:
            services_filling.save_data(response, actor=request.user, fields=fields)
        except DataError as error_:
            data_errors = error_.errors
            error = data_errors.pop("__all__", None)
        except WorkflowError as error_:
            error = error_.message
        else:
            response.refresh_from_db(fields=["updated_by", "updated_at"])
    errors = _errors(form, data_errors)

    if request.htmx:
        data = _data(response)
        computed = compute_value(response.indicator, data)
        labels = {name: field.label for name, field in form.fields.items()}
        context = {
            "response": response,
            "indicator": response.indicator,
            "region": response.stage.registration.region,
            "error": error,
            "form_errors": [(labels.get(n, n), e) for n, e in errors.items()],
            "computed": computed,
            "computed_text": display_number(computed.value),
            "warnings": plausibility.warnings_for(response, data),
            "sent": [
                {"name": name, "errors": errors.get(name, [])}
                for name in form.fields
                if name in request.POST
            ],
            "oob": True,
        }
        return _fragment(
            render_to_string(
                "maturity/filling/_autosave.html", context, request=request
            )
        )

    if error or errors:
        if error:
            messages.error(request, error)
        return _render_response(request, response, form=form, errors=errors, status=400)
    messages.success(request, _("Saved."))
    return redirect("maturity:fill_response", response.pk)


@require_POST
def add_evidence(request, pk):
    response = _response(request, pk)
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
            return redirect("maturity:fill_response", response.pk)
    return _render_response(request, response, evidence_form=form, status=400)


@require_POST
def remove_evidence(request, pk):
    evidence = get_object_or_404(Evidence.objects.select_related("response"), pk=pk)
    response = _response(request, evidence.response_id)
    if not request.user.has_perm("assessments.fill_response", response):
        raise Http404
    evidence.response = response
    try:
        services.remove_evidence(evidence, actor=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The evidence is removed."))
    return redirect("maturity:fill_response", response.pk)
