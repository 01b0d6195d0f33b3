"""Pages of the registration (step 2) and the completeness check (step 3).

Views stay thin: they read input with the forms, call one domain function in
services.py, and show a WorkflowError as a message with the input kept. Objects
outside the user's scope answer 404.
"""

import logging

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F, Max, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_fsm import can_proceed

from kotacerdas.accounts.models import Role
from kotacerdas.common.workflow import WorkflowError
from kotacerdas.indicators.models import Dimension, Indicator, Theme
from kotacerdas.registrations import services
from kotacerdas.registrations.checklist import (
    CHECKLIST,
    automatic_hints,
    submission_problems,
)
from kotacerdas.registrations.forms import (
    SORTS,
    CheckForm,
    DocumentForm,
    QueueFilterForm,
    RegistrationForm,
    StartForm,
    WithdrawForm,
    region_team_candidates,
)
from kotacerdas.registrations.history import rounds_with_changes
from kotacerdas.registrations.models import (
    CheckItem,
    IndicatorChange,
    Registration,
    RegistrationState,
    RoundOutcome,
)
from kotacerdas.registrations.team import team_rows

logger = logging.getLogger(__name__)

# URL word -> document field. Indonesian words, like every path of the product.
DOCUMENT_SLUGS = {
    "surat-permohonan": "application_letter",
    "sk-tim": "team_decree",
    "rencana-penerapan": "implementation_plan",
}
SLUG_OF = {field: slug for slug, field in DOCUMENT_SLUGS.items()}

# Marks every fragment these views answer to htmx, so that the page's script can
# tell a real answer from a login page reached through an expired session.
FRAGMENT_HEADER = "X-Registration-Fragment"
QUEUE_PAGE_SIZE = 50


def _registration(request, pk, permission):
    """The registration, or 404 when the user may not do ``permission`` on it."""
    registration = get_object_or_404(
        Registration.objects.select_related(
            "region",
            "region__province",
            "coordinator",
            "methodology",
            "application_letter",
            "team_decree",
            "implementation_plan",
        ),
        pk=pk,
    )
    if not request.user.has_perm(permission, registration):
        raise Http404
    return registration


def _fragment(request, template, context):
    response = render(request, template, context)
    response[FRAGMENT_HEADER] = "1"
    return response


def _bounds(registration):
    bounds = registration.methodology.document["registration"]
    return bounds["min_indicators"], bounds["max_indicators"]


# The coordinator's list and starting a registration.


def index(request):
    """The region's registrations, and the button to start one."""
    user = request.user
    if not user.has_perm("registrations.list_region_registrations"):
        if user.has_perm("registrations.list_registrations"):
            return redirect("registrations:queue")
        raise Http404
    return _render_index(request, StartForm())


def _render_index(request, start_form):
    user = request.user
    registrations = (
        Registration.objects.filter(region_id=user.region_id)
        .select_related("region")
        .annotate(round_number=Max("rounds__number"))
        .order_by("-period", "-created_at")
    )
    can_start = user.has_perm("registrations.start_registration", user.region)
    context = {
        "region": user.region,
        "is_coordinator": user.has_role(Role.PARTICIPANT),
        "registrations": registrations,
        "start_form": start_form if can_start else None,
    }
    return render(request, "registrations/index.html", context)


@require_POST
def start(request):
    region = request.user.region
    if not request.user.has_perm("registrations.start_registration", region):
        raise Http404
    form = StartForm(request.POST)
    if not form.is_valid():
        return _render_index(request, form)
    try:
        registration = services.start_registration(
            actor=request.user, region=region, period=form.cleaned_data["period"]
        )
    except WorkflowError as error:
        messages.error(request, error.message)
        return _render_index(request, form)
    messages.success(
        request,
        _("The registration for %(period)s is open as a draft. It saves as you type.")
        % {"period": registration.period},
    )
    return redirect("registrations:edit", pk=registration.pk)


# The registration form.


def _catalogue():
    return list(
        Indicator.objects.active()
        .select_related("theme", "theme__dimension")
        .order_by("sort_key")
    )


def _matches(indicator, words, theme, dimension):
    if theme and indicator.theme.number != theme:
        return False
    if dimension and indicator.theme.dimension.code != dimension:
        return False
    for word in words:
        word = word.casefold()
        if not (
            word in indicator.title_id.casefold()
            or word in indicator.title_en.casefold()
            or indicator.clause.startswith(word)
        ):
            return False
    return True


def _picker_context(registration, params, chosen, catalogue=None):
    """The indicator picker: the catalogue filtered by a word in either language,
    a theme and a dimension, with the ticked ones kept even when filtered out.

    The filtering is done here rather than in SQL: the catalogue is some eighty
    rows, and the whole of it is needed anyway to name the chosen ones.
    """
    catalogue = _catalogue() if catalogue is None else catalogue
    query = params.get("q", "").strip()[:100]
    theme = params.get("tema", "")
    theme = int(theme) if theme.isdigit() else None
    dimension = params.get("dimensi", "")[:20]

    shown = [i for i in catalogue if _matches(i, query.split(), theme, dimension)]
    shown_ids = {str(i.pk) for i in shown}
    known = {str(i.pk): i for i in catalogue}
    hidden = sorted(
        (known[pk] for pk in chosen - shown_ids if pk in known),
        key=lambda indicator: indicator.sort_key,
    )
    low, high = _bounds(registration)
    count = len([pk for pk in chosen if pk in known])
    return {
        "registration": registration,
        "shown": shown,
        "hidden_chosen": hidden,
        "chosen": chosen,
        "chosen_count": count,
        "within_bounds": low <= count <= high,
        "min_indicators": low,
        "max_indicators": high,
        "query": query,
        "theme": theme,
        "dimension": dimension,
    }


def _last_returned_round(registration):
    if registration.state != RegistrationState.RETURNED:
        return None
    return (
        registration.rounds.filter(outcome=RoundOutcome.RETURNED)
        .prefetch_related("items")
        .order_by("-number")
        .first()
    )


def _document_cards(registration, forms=None):
    forms = forms or {}
    cards = []
    for field in Registration.DOCUMENT_FIELDS:
        label = Registration._meta.get_field(field).verbose_name
        cards.append(
            {
                "registration": registration,
                "field": field,
                "slug": SLUG_OF[field],
                "label": label,
                "stored": getattr(registration, field),
                "form": forms.get(field) or DocumentForm(field=field),
            }
        )
    return cards


def _problems_context(registration):
    blocking, warnings = submission_problems(registration)
    return {"blocking": blocking, "warnings": warnings, "registration": registration}


def _edit_context(request, registration, form, *, doc_forms=None):
    chosen = form.chosen("indicators")
    team_chosen = form.chosen("team")
    context = {
        "registration": registration,
        "form": form,
        "team_candidates": team_rows(region_team_candidates(registration.region)),
        "team_chosen": team_chosen,
        "documents": _document_cards(registration, forms=doc_forms),
        "returned_round": _last_returned_round(registration),
        "themes": Theme.objects.order_by("number"),
        "dimensions": Dimension.objects.all(),
        "can_withdraw": request.user.has_perm(
            "registrations.withdraw_registration", registration
        ),
    }
    context.update(_picker_context(registration, {}, chosen))
    context.update(_problems_context(registration))
    return context


def _render_edit(request, registration, form, *, doc_forms=None):
    context = _edit_context(request, registration, form, doc_forms=doc_forms)
    return render(request, "registrations/edit.html", context)


def _editable_or_redirect(request, registration):
    if registration.is_editable:
        return None
    messages.info(
        request,
        _("The registration is “%(state)s” and cannot be changed now.")
        % {"state": registration.get_state_display()},
    )
    return redirect("registrations:detail", pk=registration.pk)


def _save(request, registration, form):
    """Save the valid part of ``form``; return the WorkflowError, if any."""
    fields, indicators, team = form.changes()
    try:
        services.save_draft(
            registration,
            actor=request.user,
            fields=fields,
            indicators=indicators,
            team=team,
        )
    except WorkflowError as error:
        return error
    registration.refresh_from_db()
    return None


def edit(request, pk):
    """The registration form; without JavaScript, "Save draft" posts here."""
    registration = _registration(request, pk, "registrations.edit_registration")
    if response := _editable_or_redirect(request, registration):
        return response
    if request.method != "POST":
        return _render_edit(
            request, registration, RegistrationForm(registration=registration)
        )

    form = RegistrationForm(request.POST, registration=registration)
    form.is_valid()
    error = _save(request, registration, form)
    if error is not None:
        messages.error(request, error.message)
        return _render_edit(request, registration, form)
    if form.errors:
        messages.warning(
            request,
            _("Saved, except the fields marked below. Correct them and save again."),
        )
        return _render_edit(request, registration, form)
    messages.success(request, _("The draft is saved."))
    return redirect("registrations:edit", pk=registration.pk)


@require_POST
def autosave(request, pk):
    """Save what was typed so far; answers the "Saved HH:MM" fragment.

    Valid fields are saved even when another one is not; the page keeps every
    entry as typed, because only the status line is replaced.
    """
    registration = _registration(request, pk, "registrations.edit_registration")
    form = RegistrationForm(request.POST, registration=registration)
    form.is_valid()
    error = _save(request, registration, form)
    context = {
        "registration": registration,
        "error": error.message if error else None,
        "form_errors": form.errors,
        "form": form,
        "saved_at": registration.updated_at,
    }
    context.update(_problems_context(registration))
    return _fragment(request, "registrations/edit.html#save_status", context)


@require_GET
def picker(request, pk):
    """The indicator picker's results for a search word, theme and dimension."""
    registration = _registration(request, pk, "registrations.edit_registration")
    chosen = {value for value in request.GET.getlist("indicators") if value.isdigit()}
    context = _picker_context(registration, request.GET, chosen)
    return _fragment(request, "registrations/edit.html#picker", context)


@require_POST
def upload(request, pk, slug):
    """Attach one of the three documents; a refused file shows its reason next to
    that document, and nothing else on the page changes."""
    field = DOCUMENT_SLUGS.get(slug)
    if field is None:
        raise Http404
    registration = _registration(request, pk, "registrations.edit_registration")
    label = Registration._meta.get_field(field).verbose_name
    form = DocumentForm(request.POST, request.FILES, field=field)

    error = None
    if form.is_valid():
        try:
            stored = services.attach_document(
                registration, field, form.cleaned_data["file"], actor=request.user
            )
        except WorkflowError as workflow_error:
            error = workflow_error.message
        else:
            registration.refresh_from_db()
            message = _("“%(name)s” is attached as the %(document)s.") % {
                "name": stored.original_name,
                "document": label,
            }
            if not request.htmx:
                messages.success(request, message)
                return redirect("registrations:edit", pk=registration.pk)
            return _document_fragment(request, registration, field, message=message)

    if not request.htmx:
        if error:
            messages.error(request, error)
        if not registration.is_editable:
            return redirect("registrations:detail", pk=registration.pk)
        return _render_edit(
            request,
            registration,
            RegistrationForm(registration=registration),
            doc_forms={field: form},
        )
    return _document_fragment(request, registration, field, form=form, error=error)


def _document_fragment(
    request, registration, field, *, form=None, error=None, message=None
):
    card = next(
        c
        for c in _document_cards(registration, forms={field: form} if form else None)
        if c["field"] == field
    )
    card["error"] = error
    card["message"] = message
    context = {"card": card, "oob": True, **_problems_context(registration)}
    return _fragment(request, "registrations/edit.html#document_card", context)


@require_POST
def submit(request, pk):
    """Submit for the completeness check, saving the posted form first."""
    registration = _registration(request, pk, "registrations.submit_registration")
    form = None
    if "indicators_present" in request.POST or "team_present" in request.POST:
        form = RegistrationForm(request.POST, registration=registration)
        if not form.is_valid():
            _save(request, registration, form)
            messages.error(
                request,
                _("Correct the fields marked below before submitting."),
            )
            return _render_edit(request, registration, form)
        if error := _save(request, registration, form):
            messages.error(request, error.message)
            return redirect("registrations:detail", pk=registration.pk)

    try:
        services.submit_registration(registration, actor=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
        if registration.is_editable:
            registration.refresh_from_db()
            return _render_edit(
                request,
                registration,
                form or RegistrationForm(registration=registration),
            )
        return redirect("registrations:detail", pk=registration.pk)
    messages.success(
        request,
        _("The registration is submitted. The institute checks it and tells you."),
    )
    return redirect("registrations:detail", pk=registration.pk)


def withdraw(request, pk):
    """Confirm, then withdraw; the period becomes free for a new registration."""
    registration = _registration(request, pk, "registrations.withdraw_registration")
    if request.method != "POST" and not can_proceed(registration.withdraw):
        messages.info(
            request,
            _("The registration is “%(state)s” and cannot be withdrawn.")
            % {"state": registration.get_state_display()},
        )
        return redirect("registrations:detail", pk=registration.pk)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.withdraw_registration(
                registration, actor=request.user, note=form.cleaned_data["note"]
            )
        except WorkflowError as error:
            messages.error(request, error.message)
            return redirect("registrations:detail", pk=registration.pk)
        messages.success(request, _("The registration is withdrawn."))
        return redirect("registrations:index")
    return render(
        request,
        "registrations/withdraw.html",
        {"registration": registration, "form": form},
    )


# Reading a registration.


def _rounds(registration):
    rounds = registration.rounds.select_related(
        "submitted_by", "checked_by"
    ).prefetch_related(Prefetch("items", queryset=CheckItem.objects.order_by("id")))
    rounds = rounds_with_changes(list(rounds))
    for current in rounds:
        current.item_rows = [
            (CHECKLIST.get(item.code, item.code), item) for item in current.items.all()
        ]
    return rounds


def detail(request, pk):
    """The registration as submitted, its rounds, the agreed set and the trail."""
    registration = _registration(request, pk, "registrations.view_registration")
    user = request.user
    changes = list(
        registration.indicator_changes.select_related("indicator", "changed_by")
    )
    context = {
        "registration": registration,
        "documents": _document_cards(registration),
        "proposed": registration.proposed_indicators.select_related("theme").order_by(
            "sort_key"
        ),
        "agreed": registration.agreed_indicators.select_related("theme").order_by(
            "sort_key"
        ),
        "added": [c for c in changes if c.kind == IndicatorChange.Kind.ADDED],
        "removed": [c for c in changes if c.kind == IndicatorChange.Kind.REMOVED],
        "team": team_rows(registration.team.order_by("full_name")),
        "rounds": list(reversed(_rounds(registration))),
        "can_edit": registration.is_editable
        and user.has_perm("registrations.edit_registration", registration),
        "can_withdraw": can_proceed(registration.withdraw)
        and user.has_perm("registrations.withdraw_registration", registration),
        "can_check": registration.state == RegistrationState.SUBMITTED
        and user.has_perm("registrations.check_registration", registration),
    }
    return render(request, "registrations/detail.html", context)


# The admin's queue and check.


def queue(request):
    """Registrations for the admin: filtered, oldest waiting first, 50 a page."""
    if not request.user.has_perm("registrations.list_registrations"):
        raise Http404
    periods = (
        Registration.objects.order_by("-period")
        .values_list("period", flat=True)
        .distinct()
    )
    bound = bool(request.GET.keys() - {"page"})
    form = QueueFilterForm(request.GET if bound else None, periods=list(periods))
    filters = form.filters()

    registrations = Registration.objects.select_related(
        "region", "region__province"
    ).annotate(round_number=Max("rounds__number"))
    if filters.get("state"):
        registrations = registrations.filter(state=filters["state"])
    if filters.get("province"):
        registrations = registrations.filter(region__province__code=filters["province"])
    if filters.get("kind"):
        registrations = registrations.filter(region__kind=filters["kind"])
    if filters.get("period"):
        registrations = registrations.filter(period=filters["period"])
    registrations = registrations.order_by(*_queue_order(filters["sort"]))

    page = Paginator(registrations, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    for registration in page:
        registration.waiting_days = (
            (now - registration.submitted_at).days
            if registration.state == RegistrationState.SUBMITTED
            and registration.submitted_at
            else None
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "registrations/queue.html",
        {"form": form, "page": page, "query": query.urlencode(), "sorts": SORTS},
    )


def _queue_order(sort):
    if sort == "recent":
        return [F("submitted_at").desc(nulls_last=True), "region__code"]
    if sort == "region":
        return ["region__code", "-period"]
    if sort == "period":
        return ["-period", "region__code"]
    return [F("submitted_at").asc(nulls_last=True), "region__code"]


def _check_context(registration, form):
    team = team_rows(registration.team.order_by("full_name"))
    rounds = _rounds(registration)
    current = rounds[-1] if rounds else None
    return {
        "registration": registration,
        "form": form,
        "documents": _document_cards(registration),
        "team": team,
        "hints": automatic_hints(
            registration, team=team, indicator_count=len(form.proposed)
        ),
        "current_round": current,
        "previous_round": rounds[-2] if len(rounds) > 1 else None,
        "min_indicators": _bounds(registration)[0],
        "max_indicators": _bounds(registration)[1],
    }


def _check_form(registration, data=None):
    proposed = list(
        registration.proposed_indicators.select_related("theme").order_by("sort_key")
    )
    proposed_ids = {i.pk for i in proposed}
    candidates = [i for i in _catalogue() if i.pk not in proposed_ids]
    return CheckForm(
        data, registration=registration, proposed=proposed, candidates=candidates
    )


def check(request, pk):
    """The completeness check: mark each item, then return, accept or reject."""
    registration = _registration(request, pk, "registrations.check_registration")
    if registration.state != RegistrationState.SUBMITTED:
        messages.info(
            request,
            _("Only a submitted registration can be checked; this one is “%(state)s”.")
            % {"state": registration.get_state_display()},
        )
        return redirect("registrations:detail", pk=registration.pk)

    form = _check_form(registration, request.POST if request.method == "POST" else None)
    action = form.action() if form.is_bound else None
    if action is None or action == "more_rows" or not form.is_valid():
        if action not in (None, "more_rows"):
            messages.error(request, _("Check the marked fields; nothing is saved yet."))
        return render(
            request, "registrations/check.html", _check_context(registration, form)
        )

    try:
        message = _decide(registration, form, action, actor=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
        return render(
            request, "registrations/check.html", _check_context(registration, form)
        )
    messages.success(request, message % {"registration": registration})
    return redirect("registrations:queue")


def _decide(registration, form, action, *, actor):
    note = form.cleaned_data.get("note", "").strip()
    if action == "return":
        services.return_registration(
            registration, actor=actor, items=form.items(), note=note
        )
        message = _("%(registration)s is returned to the coordinator.")
    elif action == "accept":
        services.accept_registration(
            registration,
            actor=actor,
            items=form.items(),
            added=form.added(),
            removed=form.removed(),
            note=note,
        )
        message = _("%(registration)s is accepted.")
    else:
        services.reject_registration(
            registration, actor=actor, note=note, items=form.items()
        )
        message = _("%(registration)s is rejected.")
    return message
