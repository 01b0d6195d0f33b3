"""The assessors' pages of a stage (step 6): review, scores, clarification,
reconciliation and decision.

Views stay thin: they read input with the forms of forms_review.py, call one
domain function of services.py, and show a WorkflowError as a message with the
input kept. Stages outside the user's team answer 404. Other assessors' scores
reach the page only through ``scoring.visible_scores``, so that nobody sees
them before the whole team has submitted.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kotacerdas.assessments import scoring, services
from kotacerdas.assessments.diff import response_diff
from kotacerdas.assessments.forms_review import (
    ClarificationForm,
    DecisionForm,
    PointsForm,
)
from kotacerdas.assessments.models import (
    AssessorSubmission,
    Evidence,
    ReconciledScore,
    StageRecord,
    StageState,
)
from kotacerdas.common.i18n import pick
from kotacerdas.common.workflow import WorkflowError
from kotacerdas.scheduling.models import TeamAssignment

logger = logging.getLogger(__name__)

S = StageState
TEMPLATE = "assessments/review/review.html"
# Marks the score fragments, so that the page's script can tell them from a
# login page reached through an expired session (and keep the input).
FRAGMENT_HEADER = "X-Review-Fragment"
# The region's answers are shown once it has handed them in, never its drafts.
SHOWN_STATES = {
    S.SUBMITTED,
    S.UNDER_REVIEW,
    S.CLARIFICATION_REQUESTED,
    S.RESUBMITTED,
    S.ASSESSED,
    S.DECIDED,
}


def _stage(request, pk, permission):
    """The stage, or 404 when the user may not do ``permission`` on it."""
    stage = get_object_or_404(
        StageRecord.objects.select_related(
            "registration", "registration__region", "methodology", "decided_by"
        ),
        pk=pk,
    )
    if not request.user.has_perm(permission, stage):
        raise Http404
    return stage


def _review_url(stage, indicator_id=None):
    # A maturity stage has its own review page (maturity.views_review).
    name = "maturity:review" if stage.stage == "maturity" else "assessments:review"
    url = reverse(name, args=[stage.pk])
    return f"{url}#indicator-{indicator_id}" if indicator_id else url


def _codes_and_max(stage):
    return scoring.criterion_codes(stage), scoring.readiness_section(stage)[
        "max_points"
    ]


# The review page, built with a constant number of queries.


@dataclass
class Line:
    """One criterion of one indicator, as the page shows it."""

    code: str
    question: str
    must_meet: bool
    answer: object = None
    own: object = None
    others: list = field(default_factory=list)
    flag: object = None
    reconciled: object = None
    final: int | None = None
    points_value: str = ""
    comment_value: str = ""
    reconcile_value: str = ""
    reconcile_comment: str = ""
    needs_reconciling: bool = False


@dataclass
class Row:
    response: object
    lines: list
    evidence: list
    reopened: bool = False
    result: object = None
    errors: dict = field(default_factory=dict)
    saved: bool = False
    problem: str = ""

    @property
    def indicator(self):
        return self.response.indicator

    @property
    def own_count(self):
        return sum(1 for line in self.lines if line.own is not None)

    @property
    def to_reconcile(self):
        return [line for line in self.lines if line.needs_reconciling]


class Review:
    """Everything the review page knows about one stage for one assessor."""

    def __init__(self, stage, user):
        self.stage = stage
        self.user = user
        self.criteria = scoring.criteria(stage)
        self.codes, self.max_points = _codes_and_max(stage)
        self.must = set(scoring.readiness_section(stage)["must_meet"])
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
        self.submitted_ids = {pk for pk, number in submissions if number == stage.round}
        self.submitted_now = user.pk in self.submitted_ids
        team_ids = {a.assessor_id for a in self.team}
        self.all_in_round = bool(team_ids) and team_ids <= self.submitted_ids
        self.all_in = scoring.all_submitted(stage)
        self.can_score = stage.state == S.UNDER_REVIEW and not self.submitted_now
        self.can_reconcile = (
            self.is_lead and stage.state == S.UNDER_REVIEW and self.all_in_round
        )
        self.clarifications = list(
            stage.clarifications.prefetch_related("indicators").order_by("round")
        )
        self.result = None
        self.latest_clarification = (
            self.clarifications[-1] if self.clarifications else None
        )

    def _scores(self):
        own = {}
        others = defaultdict(list)
        for score in scoring.visible_scores(self.stage, self.user):
            key = (score.indicator_id, score.criterion)
            if score.assessor_id == self.user.pk:
                own[key] = score
            else:
                score.assessor_name = self._name(score.assessor_id)
                others[key].append(score)
        return own, others

    def _name(self, user_id):
        user = self.names.get(user_id)
        return (user.full_name or user.email) if user else "—"

    def _results(self):
        """Flags, reconciled and final points, results: only once all are in."""
        if not self.all_in:
            return {}, {}, {}, None
        flags = {
            (d.indicator_id, d.criterion): d for d in scoring.disagreements(self.stage)
        }
        reconciled = {
            (r.indicator_id, r.criterion): r
            for r in ReconciledScore.objects.filter(stage=self.stage)
        }
        result = scoring.stage_result(self.stage)
        finals = {
            (r.indicator.pk, line.code): line.points
            for r in result.indicators
            for line in r.criteria
        }
        return flags, reconciled, finals, result

    def rows(self, *, only=None, posted=None):
        """One Row per response (of ``only``, an indicator id, if given).

        ``posted`` is ``{(kind, indicator id): form}`` of input to show again.
        """
        posted = posted or {}
        responses = self.stage.responses.select_related("indicator").order_by(
            "indicator__sort_key"
        )
        if only is not None:
            responses = responses.filter(indicator_id=only)
        responses = responses.prefetch_related(
            "readiness_answers",
            Prefetch("evidence", queryset=Evidence.objects.select_related("file")),
        )
        own, others = self._scores()
        flags, reconciled, finals, result = self._results()
        self.result = result
        by_indicator = {r.indicator.pk: r for r in result.indicators} if result else {}
        reopened = (
            {i.pk for i in self.latest_clarification.indicators.all()}
            if self.latest_clarification
            else set()
        )
        rows = []
        for response in responses:
            rows.append(
                self._row(
                    response,
                    own,
                    others,
                    flags,
                    reconciled,
                    finals,
                    by_indicator.get(response.indicator_id),
                    response.indicator_id in reopened,
                    posted,
                )
            )
        return rows

    def _row(
        self, response, own, others, flags, reconciled, finals, result, reopened, posted
    ):
        indicator_id = response.indicator_id
        answers = {a.criterion: a for a in response.readiness_answers.all()}
        score_form = posted.get(("score", indicator_id))
        reconcile_form = posted.get(("reconcile", indicator_id))
        lines = []
        for criterion in self.criteria:
            code = criterion["code"]
            key = (indicator_id, code)
            line = Line(
                code=code,
                question=pick(criterion["text"]),
                must_meet=code in self.must,
                answer=answers.get(code),
                own=own.get(key),
                others=others.get(key, []),
                flag=flags.get(key),
                reconciled=reconciled.get(key),
                final=finals.get(key),
            )
            if line.own is not None:
                line.points_value = str(line.own.points)
                line.comment_value = line.own.comment
            if line.reconciled is not None:
                line.reconcile_value = str(line.reconciled.points)
                line.reconcile_comment = line.reconciled.comment
            if score_form is not None:
                line.points_value = score_form.data.get(f"points_{code}", "")
                line.comment_value = score_form.data.get(f"comment_{code}", "")
            if reconcile_form is not None:
                line.reconcile_value = reconcile_form.data.get(f"points_{code}", "")
                line.reconcile_comment = reconcile_form.data.get(f"comment_{code}", "")
            line.needs_reconciling = self.all_in and (
                line.flag is not None
                or line.reconciled is not None
                or line.final is None
            )
            lines.append(line)
        errors = {}
        for form in (score_form, reconcile_form):
            if form is not None and form.is_bound:
                for name, messages_ in form.errors.items():
                    errors[name.removeprefix("points_")] = messages_
        return Row(
            response=response,
            lines=lines,
            evidence=list(response.evidence.all()),
            reopened=reopened,
            result=result,
            errors=errors,
        )

    def context(self, *, posted=None, decision_form=None):
        shown = self.stage.state in SHOWN_STATES
        rows = self.rows(posted=posted) if shown else []
        return {
            "stage": self.stage,
            "region": self.stage.registration.region,
            "review": self,
            "rows": rows,
            "shown": shown,
            "max_points": self.max_points,
            "point_choices": [str(n) for n in range(self.max_points + 1)],
            "team": [
                {
                    "name": self._name(a.assessor_id),
                    "is_lead": a.is_lead,
                    "submitted": a.assessor_id in self.submitted_ids,
                }
                for a in self.team
            ],
            "result": self.result,
            "scored": sum(row.own_count for row in rows),
            "to_score": len(rows) * len(self.codes),
            "threshold": scoring.readiness_section(self.stage)["disagreement_points"],
            "decision_form": decision_form or DecisionForm(),
            "can_start": self.stage.state in (S.SUBMITTED, S.RESUBMITTED),
            "can_clarify": self.stage.state == S.UNDER_REVIEW,
            "can_complete": self.can_reconcile,
            "can_decide": self.is_lead and self.stage.state == S.ASSESSED,
        }


def _render_review(request, stage, *, posted=None, decision_form=None, status=200):
    context = Review(stage, request.user).context(
        posted=posted, decision_form=decision_form
    )
    return render(request, TEMPLATE, context, status=status)


@require_GET
def review(request, pk):
    """The stage with the region's answers, the assessor's scores and, once the
    whole team has submitted, everyone's scores, flags and the result."""
    stage = _stage(request, pk, "assessments.review_stage")
    if stage.stage == "maturity":
        return redirect("maturity:review", pk=stage.pk)
    return _render_review(request, stage)


@require_POST
def start(request, pk):
    stage = _stage(request, pk, "assessments.review_stage")
    try:
        services.start_review(stage, actor=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The review has started. Score every criterion."))
    return redirect(_review_url(stage))


# Scores of one indicator (htmx or a plain form post).


def _score_fragment(
    request, stage, indicator_id, *, form=None, problem="", saved=False
):
    review_ = Review(stage, request.user)
    posted = {("score", indicator_id): form} if form is not None else None
    rows = review_.rows(only=indicator_id, posted=posted)
    row = rows[0]
    row.problem = problem
    row.saved = saved
    context = {
        "stage": stage,
        "region": stage.registration.region,
        "review": review_,
        "row": row,
        "point_choices": [str(n) for n in range(review_.max_points + 1)],
        "saved_at": timezone.now(),
    }
    response = render(request, f"{TEMPLATE}#score_form", context)
    response[FRAGMENT_HEADER] = "1"
    return response


@require_POST
def score(request, pk, indicator_pk):
    """Save the assessor's points and comments for one indicator."""
    stage = _stage(request, pk, "assessments.score_stage")
    if not stage.responses.filter(indicator_id=indicator_pk).exists():
        raise Http404
    codes, max_points = _codes_and_max(stage)
    form = PointsForm(request.POST, codes=codes, max_points=max_points)
    problem = ""
    if not form.is_valid():
        problem = _("Correct the marked criteria; nothing was saved.")
    else:
        try:
            services.record_scores(
                stage, actor=request.user, scores={indicator_pk: form.scores()}
            )
        except WorkflowError as error:
            problem = error.message

    if request.htmx:
        return _score_fragment(
            request,
            stage,
            indicator_pk,
            form=form if problem else None,
            problem=problem,
            saved=not problem,
        )
    if problem:
        messages.error(request, problem)
        return _render_review(request, stage, posted={("score", indicator_pk): form})
    messages.success(request, _("Your scores are saved."))
    return redirect(_review_url(stage, indicator_pk))


@require_POST
def submit_scores(request, pk):
    stage = _stage(request, pk, "assessments.score_stage")
    try:
        services.submit_scores(stage, actor=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Your scores are submitted. They are locked for this round."),
        )
    return redirect(_review_url(stage))


@require_GET
def scores_json(request, pk):
    """The scores the user may see, as JSON: their own, and everyone's once the
    whole team has submitted (``scoring.visible_scores``)."""
    stage = _stage(request, pk, "assessments.review_stage")
    names = {
        a.assessor_id: a.assessor.full_name or a.assessor.email
        for a in TeamAssignment.objects.filter(
            registration_id=stage.registration_id, stage=stage.stage
        ).select_related("assessor")
    }
    scores = [
        {
            "indicator": score.indicator.clause,
            "criterion": score.criterion,
            "assessor": names.get(score.assessor_id, ""),
            "points": score.points,
            "comment": score.comment,
        }
        for score in scoring.visible_scores(stage, request.user).order_by(
            "indicator__sort_key", "assessor_id", "criterion"
        )
    ]
    return JsonResponse(
        {"all_submitted": scoring.all_submitted(stage), "scores": scores}
    )


# The lead: reconciliation, completion and decision.


@require_POST
def reconcile(request, pk, indicator_pk):
    """The lead's final points for the criteria of one indicator."""
    stage = _stage(request, pk, "assessments.reconcile_stage")
    if not stage.responses.filter(indicator_id=indicator_pk).exists():
        raise Http404
    codes, max_points = _codes_and_max(stage)
    form = PointsForm(request.POST, codes=codes, max_points=max_points)
    problem = ""
    if not form.is_valid():
        problem = _("Correct the marked criteria; nothing was saved.")
    elif not form.scores():
        problem = _("Give the final points for at least one criterion.")
    else:
        try:
            services.reconcile(
                stage, actor=request.user, scores={indicator_pk: form.scores()}
            )
        except WorkflowError as error:
            problem = error.message
    if problem:
        messages.error(request, problem)
        return _render_review(
            request, stage, posted={("reconcile", indicator_pk): form}
        )
    messages.success(request, _("The final points are saved."))
    return redirect(_review_url(stage, indicator_pk))


@require_POST
def complete(request, pk):
    stage = _stage(request, pk, "assessments.reconcile_stage")
    try:
        services.complete_assessment(stage, actor=request.user)
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
        services.decide_stage(
            stage, actor=request.user, summary=form.cleaned_data["summary"]
        )
    except WorkflowError as error:
        messages.error(request, error.message)
        return _render_review(request, stage, decision_form=form)
    messages.success(request, _("The decision is recorded."))
    return redirect(_review_url(stage))


# Clarification.


def clarify(request, pk):
    """Ask the region about some indicators; only those reopen."""
    stage = _stage(request, pk, "assessments.request_clarification")
    if request.method == "POST":
        form = ClarificationForm(request.POST, stage=stage)
        if form.is_valid():
            try:
                services.open_clarification(
                    stage,
                    actor=request.user,
                    indicators=list(form.cleaned_data["indicators"]),
                    question=form.cleaned_data["question"],
                    due_date=form.cleaned_data["due_date"],
                )
            except WorkflowError as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request,
                    _("The clarification is sent; the chosen indicators reopen."),
                )
                return redirect(_review_url(stage))
    else:
        form = ClarificationForm(stage=stage)
    context = {
        "stage": stage,
        "region": stage.registration.region,
        "form": form,
        "can_clarify": stage.state == S.UNDER_REVIEW,
    }
    return render(request, "assessments/review/clarify.html", context)


@require_GET
def changes(request, pk, clarification_pk):
    """What the region changed in each reopened indicator since the question."""
    stage = _stage(request, pk, "assessments.review_stage")
    clarification = get_object_or_404(
        stage.clarifications.select_related("opened_by", "answered_by"),
        pk=clarification_pk,
    )
    if stage.stage == "maturity":
        return redirect("maturity:review_changes", stage.pk, clarification.pk)
    reopened = clarification.indicators.values("pk")
    responses = (
        stage.responses.filter(indicator__in=reopened)
        .select_related("indicator")
        .prefetch_related("readiness_answers")
        .order_by("indicator__sort_key")
    )
    rows = []
    for response in responses:
        response.stage = stage
        rows.append((response, response_diff(response, clarification)))
    context = {
        "stage": stage,
        "region": stage.registration.region,
        "clarification": clarification,
        "rows": rows,
    }
    return render(request, "assessments/review/changes.html", context)
