"""Scores of a stage, derived from the stored points and the stage's methodology.

Nothing here is stored: every result is recomputed from the assessors' and the
lead's points with the methodology version the stage was opened with, so a
later version never changes it and any result can be explained line by line.

The final points of a criterion are the lead's reconciled points; where there
are none, the assessors' points when they all gave the same (with one assessor,
theirs). Assessors who differ leave the criterion without final points until
the lead reconciles it.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from kotacerdas.assessments.models import (
    AssessorScore,
    AssessorSubmission,
    ReconciledScore,
)
from kotacerdas.common.i18n import pick
from kotacerdas.indicators.methodology import readiness_score, readiness_stage_passes
from kotacerdas.scheduling.models import TeamAssignment


def readiness_section(stage):
    return stage.methodology.document["readiness"]


def criteria(stage):
    """The readiness criteria of the stage's methodology, in their order."""
    return readiness_section(stage)["criteria"]


def criterion_codes(stage):
    return [criterion["code"] for criterion in criteria(stage)]


def team_ids(stage):
    """The assessors on the stage's team, the lead first."""
    return list(
        TeamAssignment.objects.filter(
            registration_id=stage.registration_id, stage=stage.stage
        )
        .order_by("-is_lead", "assigned_at", "id")
        .values_list("assessor_id", flat=True)
    )


def all_submitted(stage, *, round=None):
    """Every assessor on the team has handed in scores (in ``round`` if given)."""
    team = set(team_ids(stage))
    submissions = AssessorSubmission.objects.filter(stage=stage)
    if round is not None:
        submissions = submissions.filter(round=round)
    submitted = set(submissions.values_list("assessor_id", flat=True))
    return bool(team) and team <= submitted


def visible_scores(stage, user):
    """The assessor scores ``user`` may see.

    Until every assessor on the team has submitted, only the user's own, so
    that nobody is swayed by another's points; afterwards all of them.
    """
    scores = AssessorScore.objects.filter(stage=stage).select_related("indicator")
    if all_submitted(stage):
        return scores
    return scores.filter(assessor_id=user.pk)


def _team_points(stage):
    """``{(indicator id, criterion): {assessor id: points}}`` of the team."""
    team = set(team_ids(stage))
    points = defaultdict(dict)
    for indicator_id, criterion, assessor_id, value in AssessorScore.objects.filter(
        stage=stage, assessor_id__in=team
    ).values_list("indicator_id", "criterion", "assessor_id", "points"):
        points[(indicator_id, criterion)][assessor_id] = value
    return team, points


@dataclass(frozen=True)
class Disagreement:
    indicator_id: int
    criterion: str
    points: dict  # assessor id -> points
    spread: int


def disagreements(stage):
    """Criteria where the assessors differ by more than the methodology allows.

    The lead must reconcile these; smaller differences still need the lead's
    points before they count, but are not flagged.
    """
    allowed = readiness_section(stage)["disagreement_points"]
    _team, points = _team_points(stage)
    flagged = []
    for (indicator_id, criterion), by_assessor in sorted(points.items()):
        spread = max(by_assessor.values()) - min(by_assessor.values())
        if len(by_assessor) > 1 and spread > allowed:
            flagged.append(
                Disagreement(indicator_id, criterion, dict(by_assessor), spread)
            )
    return flagged


def final_points(stage):
    """``{indicator id: {criterion: points}}`` of the criteria that have final
    points (see the module docstring)."""
    team, points = _team_points(stage)
    final = defaultdict(dict)
    for (indicator_id, criterion), by_assessor in points.items():
        values = set(by_assessor.values())
        if set(by_assessor) == team and len(values) == 1:
            final[indicator_id][criterion] = values.pop()
    for indicator_id, criterion, value in ReconciledScore.objects.filter(
        stage=stage
    ).values_list("indicator_id", "criterion", "points"):
        final[indicator_id][criterion] = value
    return final


@dataclass(frozen=True)
class CriterionLine:
    code: str
    group: str
    text: dict
    weight: Decimal
    points: int | None
    max_points: int
    must_meet: bool

    @property
    def question(self):
        return pick(self.text)


@dataclass(frozen=True)
class IndicatorResult:
    indicator: object
    criteria: tuple
    score: Decimal
    ready: bool
    unmet_required: tuple
    threshold: Decimal
    missing: tuple

    @property
    def complete(self):
        return not self.missing

    @property
    def earned(self):
        return sum(
            (line.weight * (line.points or 0) for line in self.criteria), Decimal(0)
        )

    @property
    def maximum(self):
        return sum(
            (line.weight * line.max_points for line in self.criteria), Decimal(0)
        )

    def explanation(self):
        """How the result follows from the points, for the assessor to explain."""
        text = _(
            "%(clause)s: %(earned)s of %(maximum)s weighted points = %(score)s; "
            "ready needs at least %(threshold)s and full points on %(must)s."
        ) % {
            "clause": self.indicator.clause,
            "earned": _plain(self.earned),
            "maximum": _plain(self.maximum),
            "score": self.score,
            "threshold": _plain(self.threshold),
            "must": ", ".join(line.code for line in self.criteria if line.must_meet),
        }
        if self.missing:
            return (
                text
                + " "
                + _("Not final yet: no final points for %(codes)s.")
                % {"codes": ", ".join(self.missing)}
            )
        if self.ready:
            return text + " " + _("Ready.")
        if self.unmet_required:
            return (
                text
                + " "
                + _("Not ready: %(codes)s not fully met.")
                % {"codes": ", ".join(self.unmet_required)}
            )
        return text + " " + _("Not ready: the score is below the threshold.")


def _plain(number):
    """``14`` rather than ``14.00`` for whole numbers of points."""
    number = Decimal(number)
    return str(
        number.quantize(Decimal(1)) if number == number.to_integral() else number
    )


def _indicator_result(stage, indicator, points):
    section = readiness_section(stage)
    result = readiness_score(stage.methodology.document, points)
    must = set(section["must_meet"])
    lines = tuple(
        CriterionLine(
            code=criterion["code"],
            group=criterion["group"],
            text=criterion["text"],
            weight=Decimal(str(criterion["weight"])),
            points=points.get(criterion["code"]),
            max_points=section["max_points"],
            must_meet=criterion["code"] in must,
        )
        for criterion in section["criteria"]
    )
    missing = tuple(line.code for line in lines if line.points is None)
    return IndicatorResult(
        indicator=indicator,
        criteria=lines,
        score=result.score,
        ready=result.ready and not missing,
        unmet_required=result.unmet_required,
        threshold=Decimal(str(section["ready_threshold"])),
        missing=missing,
    )


def indicator_result(stage, indicator):
    """The readiness result of one indicator of the stage."""
    return _indicator_result(
        stage, indicator, final_points(stage).get(indicator.pk, {})
    )


@dataclass(frozen=True)
class StageResult:
    methodology_version: int
    indicators: tuple
    ready_count: int
    agreed_count: int
    min_ready_share: Decimal
    min_ready_count: int
    passes: bool

    @property
    def complete(self):
        return all(result.complete for result in self.indicators)

    @property
    def ready_indicators(self):
        return [result.indicator for result in self.indicators if result.ready]

    def explanation(self):
        verdict = (
            _("The stage passes.") if self.passes else _("The stage does not pass.")
        )
        return (
            _(
                "%(ready)s of %(agreed)s agreed indicators are ready; passing needs "
                "at least %(share)s%% of them and at least %(count)s "
                "(methodology version %(version)s)."
            )
            % {
                "ready": self.ready_count,
                "agreed": self.agreed_count,
                "share": _plain(self.min_ready_share * 100),
                "count": self.min_ready_count,
                "version": self.methodology_version,
            }
            + " "
            + verdict
        )


def stage_result(stage):
    """The readiness result of every indicator of the stage and of the stage.

    The agreed set is the stage's responses, fixed when the stage opened.
    Queries: a constant number, whatever the count of indicators.
    """
    document = stage.methodology.document
    final = final_points(stage)
    indicators = [
        response.indicator
        for response in stage.responses.select_related("indicator").order_by(
            "indicator__sort_key"
        )
    ]
    results = tuple(
        _indicator_result(stage, indicator, final.get(indicator.pk, {}))
        for indicator in indicators
    )
    ready_count = sum(1 for result in results if result.ready)
    rule = document["readiness"]["stage_pass"]
    return StageResult(
        methodology_version=document["version"],
        indicators=results,
        ready_count=ready_count,
        agreed_count=len(results),
        min_ready_share=Decimal(str(rule["min_ready_share"])),
        min_ready_count=rule["min_ready_count"],
        passes=readiness_stage_passes(document, ready_count, len(results)),
    )
