"""The assessors' pages of a maturity stage (step 10): the review with the
region's data and the assessor's verification and level per indicator, the
lead's reconciliation, completion and decision, the result with its
computation, the changes after a clarification, and the admin's agreement
statistics.

Views stay thin: they read input with forms_review.py, call one function of
services_review.py and show a WorkflowError as a message with the input kept.
Stages outside the user's team answer 404. Other assessors' entries reach the
page only through ``services_review.visible_levels``, so that nobody sees them
before the whole team has submitted.
"""

import logging
import secrets
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kotacerdas.accounts.models import User
from kotacerdas.accounts.rules import is_admin
from kotacerdas.assessments import services
from kotacerdas.assessments.models import (
    AssessorSubmission,
    Evidence,
    StageRecord,
    StageState,
)
from kotacerdas.assessments.scoring import all_submitted

# The entry fragments carry the readiness review's header: both pages share the
# script that tells a fragment from a login page reached through an expired
# session.
from kotacerdas.assessments.views_review import FRAGMENT_HEADER
from kotacerdas.common.i18n import pick
from kotacerdas.common.workflow import WorkflowError
from kotacerdas.indicators.methodology import label
from kotacerdas.maturity import agreement, scoring, services_review
from kotacerdas.maturity.forms_review import DecisionForm, EntryForm
from kotacerdas.maturity.models import ReconciledLevel, Verification
from kotacerdas.maturity.values import compute_value, plain, typed
from kotacerdas.scheduling.models import Stage, TeamAssignment

logger = logging.getLogger(__name__)

S = StageState
# The region's data is shown once it has handed it in, never its drafts.
SHOWN_STATES = {
    S.SUBMITTED,
    S.UNDER_REVIEW,
    S.CLARIFICATION_REQUESTED,
    S.RESUBMITTED,
    S.ASSESSED,
    S.DECIDED,
}


def _stage(request, pk, permission):
    """The maturity stage, or 404 when the user may not do ``permission``."""
    stage = get_object_or_404(
        StageRecord.objects.select_related(
            "registration", "registration__region", "methodology", "decided_by"
        ),
        pk=pk,
        stage=Stage.MATURITY,
    )
    if not request.user.has_perm(permission, stage):
        raise Http404
    return stage


def _review_url(stage, indicator_id=None):
    url = reverse("maturity:review", args=[stage.pk])
    return f"{url}#indicator-{indicator_id}" if indicator_id else url


def _warnings(stage, responses):
    """Plausibility warnings per response id, when maturity.plausibility exists."""
    try:
        from kotacerdas.maturity import plausibility
    except ImportError:  # pragma: no cover - written by the filling part
        return {}
    return plausibility.warnings_for_stage(stage, responses)


@dataclass
class Row:
    """One indicator as the review page shows it."""

    response: object
    data: object
    value: object
    formula: str
    evidence: list
    warnings: list
    own: object = None
    others: list = field(default_factory=list)
    flag: object = None
    reconciled: object = None
    final: object = None
    values: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)
    reconcile_values: dict = field(default_factory=dict)
    reconcile_errors: dict = field(default_factory=dict)
    reopened: bool = False
    problem: str = ""
    saved: bool = False
    # Prefix of the form's element ids; a fragment gets fresh ones (see
    # _entry_fragment).
    pid: str = ""

    @property
    def indicator(self):
        return self.response.indicator

    @property
    def own_text(self):
        return describe(self.own)

    @property
    def final_text(self):
        return describe(self.final)

    @property
    def needs_reconciling(self):
        return self.final is None or self.reconciled is not None


def describe(entry):
    """One entry in words: ``adjusted · level 3 · corrected value 12 (why) — comment``."""
    if entry is None:
        return "—"
    parts = [str(Verification(entry.verification).label)]
    if entry.level is not None:
        parts.append(_("level %(level)s") % {"level": entry.level})
    if entry.adjusted_value is not None:
        parts.append(
            _("corrected value %(value)s (%(reason)s)")
            % {"value": plain(entry.adjusted_value), "reason": entry.adjustment_reason}
        )
    text = " · ".join(parts)
    return f"{text} — {entry.comment}" if entry.comment else text


def _values_of(entry):
    if entry is None:
        return {}
    return {
        "verification": entry.verification,
        "level": "" if entry.level is None else str(entry.level),
        "adjusted_value": ""
        if entry.adjusted_value is None
        else typed(entry.adjusted_value),
        "adjustment_reason": entry.adjustment_reason,
        "comment": entry.comment,
    }


class Review:
    """Everything the review page knows about one stage for one assessor."""

    def __init__(self, stage, user):
        self.stage = stage
        self.user = user
        self.team = list(
            TeamAssignment.objects.filter(
                registration_id=stage.registration_id, stage=stage.stage
            )
            .select_related("assessor")
            .order_by("-is_lead", "assigned_at", "id")
        )
        self.names = {a.assessor_id: a.assessor for a in self.team}
        self.is_lead = any(a.assessor_id == user.pk and a.is_lead for a in self.team)
        submissions = set(
            AssessorSubmission.objects.filter(stage=stage).values_list(
                "assessor_id", "round"
            )
        )
        team_ids = {a.assessor_id for a in self.team}
        self.submitted_ids = {pk for pk, number in submissions if number == stage.round}
        self.submitted_now = user.pk in self.submitted_ids
        self.all_in_round = bool(team_ids) and team_ids <= self.submitted_ids
        # Once the team has submitted any round, everyone's entries are shown.
        self.all_in = bool(team_ids) and team_ids <= {pk for pk, _n in submissions}
        self.on_team = user.pk in team_ids
        self.can_score = (
            self.on_team and stage.state == S.UNDER_REVIEW and not self.submitted_now
        )
        self.can_reconcile = (
            self.is_lead and stage.state == S.UNDER_REVIEW and self.all_in_round
        )
        self.clarifications = list(
            stage.clarifications.prefetch_related("indicators").order_by("round")
        )
        self.result = None

    def name(self, user_id):
        user = self.names.get(user_id)
        return (user.full_name or user.email) if user else "—"

    def rows(self, *, only=None, posted=None):
        """One Row per response (of ``only``, an indicator id, if given).

        ``posted`` is ``{(kind, indicator id): (values, errors)}`` to show again.
        Queries: a constant number, whatever the count of indicators.
        """
        posted = posted or {}
        responses = self.stage.responses.select_related(
            "indicator", "indicator__theme", "maturity_data"
        ).order_by("indicator__sort_key")
        if only is not None:
            responses = responses.filter(indicator_id=only)
        responses = list(
            responses.prefetch_related(
                Prefetch("evidence", queryset=Evidence.objects.select_related("file"))
            )
        )
        warnings = _warnings(self.stage, responses)
        own, others = {}, defaultdict(list)
        for entry in services_review.visible_levels(self.stage, self.user):
            if entry.assessor_id == self.user.pk:
                own[entry.indicator_id] = entry
            else:
                entry.assessor_name = self.name(entry.assessor_id)
                entry.text = describe(entry)
                others[entry.indicator_id].append(entry)
        flags, reconciled, final = {}, {}, {}
        if self.all_in:
            flags = {d.indicator_id: d for d in scoring.disagreements(self.stage)}
            reconciled = {
                r.indicator_id: r
                for r in ReconciledLevel.objects.filter(stage=self.stage)
            }
            final = scoring.final_entries(self.stage)
        latest = self.clarifications[-1] if self.clarifications else None
        reopened = {i.pk for i in latest.indicators.all()} if latest else set()

        rows = []
        for response in responses:
            indicator_id = response.indicator_id
            data = getattr(response, "maturity_data", None)
            computed = compute_value(response.indicator, data) if data else None
            row = Row(
                response=response,
                data=data,
                value=computed.value if computed else None,
                formula=computed.formula if computed else "",
                evidence=list(response.evidence.all()),
                warnings=warnings.get(response.pk, []),
                own=own.get(indicator_id),
                others=others.get(indicator_id, []),
                flag=flags.get(indicator_id),
                reconciled=reconciled.get(indicator_id),
                final=final.get(indicator_id),
                reopened=indicator_id in reopened,
            )
            row.pid = f"e{indicator_id}"
            row.values = _values_of(row.own)
            row.reconcile_values = _values_of(row.reconciled or row.final)
            if ("level", indicator_id) in posted:
                row.values, row.errors = posted[("level", indicator_id)]
            if ("reconcile", indicator_id) in posted:
                row.reconcile_values, row.reconcile_errors = posted[
                    ("reconcile", indicator_id)
                ]
            rows.append(row)
        return rows

    def themes(self, rows):
        """``[(theme, [rows])]`` in clause order, for the collapsible groups."""
        groups = {}
        for row in rows:
            groups.setdefault(row.indicator.theme, []).append(row)
        return list(groups.items())

    def context(self, *, posted=None, decision_form=None):
        shown = self.stage.state in SHOWN_STATES
        rows = self.rows(posted=posted) if shown else []
        result = None
        if self.all_in and shown:
            result = result_context(self.stage)
        document = self.stage.methodology.document
        return {
            "stage": self.stage,
            "region": self.stage.registration.region,
            "review": self,
            "groups": self.themes(rows),
            "shown": shown,
            "team": [
                {
                    "name": self.name(a.assessor_id),
                    "is_lead": a.is_lead,
                    "submitted": a.assessor_id in self.submitted_ids,
                }
                for a in self.team
            ],
            "result": result,
            "assessed": sum(1 for row in rows if row.own is not None),
            "to_assess": len(rows),
            "to_reconcile": [row for row in rows if row.final is None],
            "flagged": sum(1 for row in rows if row.flag is not None),
            "rubric": [
                (level["level"], pick(level["name"]), pick(level["meaning"]))
                for level in document["maturity"]["levels"]
            ],
            "verifications": Verification.choices,
            "allowed_spread": document["maturity"].get("disagreement_levels", 1),
            "decision_form": decision_form or DecisionForm(),
            "can_start": self.on_team
            and self.stage.state in (S.SUBMITTED, S.RESUBMITTED),
            "can_clarify": self.on_team and self.stage.state == S.UNDER_REVIEW,
            "can_complete": self.can_reconcile,
            "can_decide": self.is_lead and self.stage.state == S.ASSESSED,
        }


def result_context(stage):
    """The Maturity Index of the stage with every figure traced to its inputs."""
    document = stage.methodology.document
    result = scoring.stage_index(stage)
    gap = result.gap
    return {
        "index": result,
        "traces": services_review.traces(result, document, localize=True),
        "predicate": label(result.predicate) if result.predicate else "",
        "tier": result.tier,
        "tier_name": label(result.tier) if result.tier else "",
        "next_tier": result.next_tier,
        "next_tier_name": label(result.next_tier) if result.next_tier else "",
        "gap": gap,
        "rejected": [
            line
            for line in result.lines
            if line.entry is not None and not line.entry.counts
        ],
        "lines": [
            {
                "indicator": line.indicator,
                "value": line.value,
                "reported": line.reported_value,
                "year": line.data.data_year if line.data else None,
                "verification": Verification(line.entry.verification).label
                if line.entry
                else "",
                "adjusted": line.entry is not None
                and line.entry.verification == Verification.ADJUSTED,
                "level": line.entry.level if line.entry else None,
                "counts": line.counts,
                "comment": line.entry.comment if line.entry else "",
            }
            for line in result.lines
        ],
    }


def _render_review(request, stage, *, posted=None, decision_form=None, status=200):
    context = Review(stage, request.user).context(
        posted=posted, decision_form=decision_form
    )
    return render(request, "maturity/review/review.html", context, status=status)


@require_GET
def review(request, pk):
    """The stage with the region's data, the assessor's own entries and, once
    the whole team has submitted, everyone's entries, flags and the result."""
    stage = _stage(request, pk, "assessments.review_stage")
    return _render_review(request, stage)


@require_POST
def start(request, pk):
    stage = _stage(request, pk, "assessments.review_stage")
    try:
        services.start_review(stage, actor=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The review has started. Verify and level every indicator.")
        )
    return redirect(_review_url(stage))


def _indicator_of(stage, indicator_pk):
    if not stage.responses.filter(indicator_id=indicator_pk).exists():
        raise Http404
    return indicator_pk


def _entry_fragment(request, stage, indicator_pk, *, posted, problem, saved):
    """The assessor's entry of one indicator, for an htmx save."""
    review_ = Review(stage, request.user)
    row = review_.rows(only=indicator_pk, posted=posted)[0]
    row.problem = problem
    row.saved = saved
    # New ids for the swapped-in fields: htmx copies the attributes of old
    # elements with the same id onto the new ones, and a browser that gave the
    # old fields an empty style attribute would trip the strict CSP.
    row.pid = f"e{indicator_pk}-{secrets.token_hex(3)}"
    document = stage.methodology.document
    context = {
        "stage": stage,
        "review": review_,
        "row": row,
        "verifications": Verification.choices,
        "rubric": [
            (level["level"], pick(level["name"]), pick(level["meaning"]))
            for level in document["maturity"]["levels"]
        ],
    }
    response = render(request, "maturity/review/review.html#entry_block", context)
    response[FRAGMENT_HEADER] = "1"
    return response


def _post_entry(request, stage, indicator_pk, kind, save, success):
    form = EntryForm(request.POST)
    form.is_valid()  # every field is optional text; the service checks them
    fields = form.entry()
    posted, problem = None, ""
    try:
        save(fields)
    except services_review.LevelError as error:
        problem = _("Correct the marked fields; nothing was saved.")
        posted = {(kind, indicator_pk): (fields, error.errors[indicator_pk])}
    except WorkflowError as error:
        problem = error.message
        posted = {(kind, indicator_pk): (fields, {})}

    if request.htmx and kind == "level":
        return _entry_fragment(
            request,
            stage,
            indicator_pk,
            posted=posted,
            problem=problem,
            saved=not problem,
        )
    if problem:
        messages.error(request, problem)
        return _render_review(request, stage, posted=posted)
    messages.success(request, success)
    return redirect(_review_url(stage, indicator_pk))


@require_POST
def level(request, pk, indicator_pk):
    """Save the assessor's verification, level and comment for one indicator."""
    stage = _stage(request, pk, "assessments.score_stage")
    indicator_pk = _indicator_of(stage, indicator_pk)
    return _post_entry(
        request,
        stage,
        indicator_pk,
        "level",
        lambda fields: services_review.record_levels(
            stage, actor=request.user, entries={indicator_pk: fields}
        ),
        _("Your entry is saved."),
    )


@require_POST
def submit(request, pk):
    stage = _stage(request, pk, "assessments.score_stage")
    try:
        services_review.submit_levels(stage, actor=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Your entries are submitted. They are locked for this round.")
        )
    return redirect(_review_url(stage))


@require_GET
def levels_json(request, pk):
    """The entries the user may see, as JSON: their own, and everyone's once
    the whole team has submitted (``services_review.visible_levels``)."""
    stage = _stage(request, pk, "assessments.review_stage")
    names = {
        a.assessor_id: a.assessor.full_name or a.assessor.email
        for a in TeamAssignment.objects.filter(
            registration_id=stage.registration_id, stage=stage.stage
        ).select_related("assessor")
    }
    entries = [
        {
            "indicator": entry.indicator.clause,
            "assessor": names.get(entry.assessor_id, ""),
            "verification": entry.verification,
            "level": entry.level,
            "adjusted_value": None
            if entry.adjusted_value is None
            else str(entry.adjusted_value),
            "comment": entry.comment,
        }
        for entry in services_review.visible_levels(stage, request.user).order_by(
            "indicator__sort_key", "assessor_id"
        )
    ]
    return JsonResponse(
        {
            "all_submitted": all_submitted(stage),
            "entries": entries,
        }
    )


@require_POST
def reconcile(request, pk, indicator_pk):
    """The lead's final verification and level for one indicator."""
    stage = _stage(request, pk, "assessments.reconcile_stage")
    indicator_pk = _indicator_of(stage, indicator_pk)
    return _post_entry(
        request,
        stage,
        indicator_pk,
        "reconcile",
        lambda fields: services_review.reconcile_level(
            stage, actor=request.user, indicator=indicator_pk, entry=fields
        ),
        _("The final entry is saved."),
    )


@require_POST
def complete(request, pk):
    stage = _stage(request, pk, "assessments.reconcile_stage")
    try:
        services_review.complete_assessment(stage, actor=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The assessment is complete. Record the decision below.")
        )
    return redirect(_review_url(stage))


@require_POST
def decide(request, pk):
    stage = _stage(request, pk, "assessments.decide_stage")
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _render_review(request, stage, decision_form=form)
    try:
        services_review.decide(
            stage, actor=request.user, summary=form.cleaned_data["summary"]
        )
    except WorkflowError as error:
        messages.error(request, error.message)
        return _render_review(request, stage, decision_form=form)
    messages.success(request, _("The decision is recorded."))
    return redirect(_review_url(stage))


# The result, for the team, the admin and (once decided) the region.


def _may_see_result(user, stage):
    if user.has_perm("assessments.review_stage", stage) or is_admin(user):
        return stage.state in SHOWN_STATES
    # The region sees its result once the decision is recorded, read-only.
    return stage.state == S.DECIDED and user.has_perm("assessments.view_stage", stage)


@require_GET
def result(request, pk):
    """The Maturity Index, predicate, tier and gap, each figure traced."""
    stage = get_object_or_404(
        StageRecord.objects.select_related(
            "registration", "registration__region", "methodology", "decided_by"
        ),
        pk=pk,
        stage=Stage.MATURITY,
    )
    if not _may_see_result(request.user, stage):
        raise Http404
    context = {
        "stage": stage,
        "region": stage.registration.region,
        "result": result_context(stage),
        "on_team": request.user.has_perm("assessments.review_stage", stage),
    }
    return render(request, "maturity/review/result.html", context)


# What the region changed after a clarification.


@require_GET
def changes(request, pk, clarification_pk):
    """What the region changed in each reopened indicator since the question:
    its figures and its evidence, against the snapshot the clarification took
    (``assessments.diff``)."""
    from kotacerdas.assessments.diff import response_diff

    stage = _stage(request, pk, "assessments.review_stage")
    clarification = get_object_or_404(
        stage.clarifications.select_related("opened_by", "answered_by"),
        pk=clarification_pk,
    )
    responses = (
        stage.responses.filter(indicator__in=clarification.indicators.values("pk"))
        .select_related("indicator")
        .order_by("indicator__sort_key")
    )
    rows = []
    for response in responses:
        response.stage = stage
        rows.append(
            (response, [str(c) for c in response_diff(response, clarification)])
        )
    context = {
        "stage": stage,
        "region": stage.registration.region,
        "clarification": clarification,
        "rows": rows,
    }
    return render(request, "maturity/review/changes.html", context)


# Agreement statistics, for the admin.


def _admin_only(request):
    if not is_admin(request.user):
        raise Http404


@require_GET
def agreement_list(request):
    """Every assessor with their agreement figures over all finished stages."""
    _admin_only(request)
    figures = agreement.by_assessor()
    people = {u.pk: u for u in User.objects.filter(pk__in=figures)}
    rows = sorted(
        ((people[pk], figures[pk]) for pk in figures if pk in people),
        key=lambda item: (item[0].full_name or item[0].email).lower(),
    )
    return render(request, "maturity/review/agreement.html", {"rows": rows})


@require_GET
def agreement_detail(request, user_pk):
    """One assessor's agreement figures per period."""
    _admin_only(request)
    person = get_object_or_404(User, pk=user_pk)
    periods = agreement.by_period(person.pk)
    return render(
        request,
        "maturity/review/agreement_detail.html",
        {"person": person, "periods": periods},
    )
