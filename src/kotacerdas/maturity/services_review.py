"""The assessors' side of the maturity stage (step 10).

Each assessor on the team verifies the region's data per indicator (verified,
adjusted with the corrected figure and why, or rejected) and gives a maturity
level 1–5, independently: nobody sees another's entries until the whole team
has submitted the round. The lead then reconciles the indicators where the
assessors differ, completes the assessment once every indicator has a final
entry, and records the decision, which follows from the Maturity Index
(``maturity.scoring.stage_index``): passed when the stage reaches a tier.

Starting the review, clarification rounds and their answers are the shared
stage functions of ``assessments.services``; the state changes here go through
the same StageRecord transitions and rules (score_stage, reconcile_stage,
decide_stage).
"""

import logging
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotacerdas.assessments import scoring as stage_scoring
from kotacerdas.assessments.models import AssessorSubmission, Decision, StageState
from kotacerdas.assessments.services import (
    IncompleteError,
    _admins,
    _assessors,
    _params,
    _region_people,
    _require_state,
    _require_transition,
    _stage_indicators,
    _submitted_this_round,
)
from kotacerdas.common.audit import record
from kotacerdas.common.notifications import notify
from kotacerdas.common.workflow import WorkflowError, change_state, lock, require
from kotacerdas.indicators.methodology import label
from kotacerdas.maturity import scoring
from kotacerdas.maturity.models import (
    LevelScore,
    ReconciledLevel,
    Verification,
)
from kotacerdas.scheduling.models import Stage

logger = logging.getLogger(__name__)

ENTRY_FIELDS = (
    "verification",
    "level",
    "adjusted_value",
    "adjustment_reason",
    "comment",
)
# Largest corrected figure the field keeps (16 digits before the point).
_LIMIT = Decimal(10) ** 16


class LevelError(WorkflowError):
    """Entries that cannot be saved; ``errors`` is ``{indicator id: {field:
    message}}``. Nothing of the call was saved."""

    def __init__(self, errors, indicators):
        clauses = ", ".join(
            indicators[pk].clause
            for pk in sorted(errors, key=lambda pk: indicators[pk].sort_key)
        )
        super().__init__(
            _("Check the entries of indicators %(clauses)s.") % {"clauses": clauses}
        )
        self.errors = errors


def _require_maturity(stage):
    if stage.stage != Stage.MATURITY:
        raise WorkflowError(_("This is not a maturity stage."))


# Validation ---------------------------------------------------------------------


def _decimal(value):
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).strip().replace(" ", ""))
    except InvalidOperation:
        raise ValueError from None
    if not number.is_finite() or abs(number) >= _LIMIT:
        raise ValueError
    return number.quantize(Decimal("0.0001"))


def clean_entry(fields):
    """Check one indicator's entry: ``(values, errors)``.

    The rules are those of ``maturity.models.Assessment.clean``: adjusted data
    needs the corrected value and why, rejected data has no level, verified and
    adjusted data a level 1–5. Fields left out count as empty.
    """
    errors = {}
    unknown = set(fields) - set(ENTRY_FIELDS)
    if unknown:
        errors["__all__"] = _("Unknown fields: %(names)s.") % {
            "names": ", ".join(sorted(unknown))
        }
    verification = fields.get("verification") or ""
    if verification not in Verification.values:
        errors["verification"] = _("Choose verified, adjusted or rejected.")

    level = fields.get("level")
    try:
        level = None if level in (None, "") else int(str(level).strip())
    except ValueError:
        level = 0
    if level is not None and not 1 <= level <= 5:
        errors["level"] = _("Give a maturity level from 1 to 5.")
        level = None

    try:
        adjusted = _decimal(fields.get("adjusted_value"))
    except ValueError:
        errors["adjusted_value"] = _("Enter a number.")
        adjusted = None

    values = {
        "verification": verification,
        "level": level,
        # A corrected figure only means something for adjusted data.
        "adjusted_value": adjusted if verification == Verification.ADJUSTED else None,
        "adjustment_reason": (fields.get("adjustment_reason") or "").strip()
        if verification == Verification.ADJUSTED
        else "",
        "comment": (fields.get("comment") or "").strip(),
    }
    if "verification" not in errors:
        try:
            LevelScore(**values).clean()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault(name, " ".join(messages))
    return values, errors


def _check_entries(stage, entries):
    """Validate ``{indicator id: fields}``: ``(indicators, cleaned)``."""
    indicators = _stage_indicators(stage)
    unknown = [pk for pk in entries if pk not in indicators]
    if unknown:
        raise WorkflowError(_("That indicator is not part of the stage."))
    cleaned, errors = {}, {}
    for indicator_id, fields in entries.items():
        values, problems = clean_entry(fields)
        if problems:
            errors[indicator_id] = problems
        cleaned[indicator_id] = values
    if errors:
        raise LevelError(errors, indicators)
    return indicators, cleaned


# What each person may see ---------------------------------------------------------


def visible_levels(stage, user):
    """The assessors' entries ``user`` may see.

    Until every assessor on the team has submitted, only the user's own, so
    that nobody is swayed by another's verification or level; afterwards all
    of them. The admin and the region see none before the decision.
    """
    entries = LevelScore.objects.filter(stage=stage).select_related(
        "indicator", "assessor"
    )
    if stage_scoring.all_submitted(stage):
        return entries
    return entries.filter(assessor_id=user.pk)


def missing_levels(stage, assessor):
    """The indicators (in clause order) the assessor has no entry for yet."""
    done = set(
        LevelScore.objects.filter(stage=stage, assessor=assessor).values_list(
            "indicator_id", flat=True
        )
    )
    return [
        response.indicator
        for response in stage.responses.select_related("indicator").order_by(
            "indicator__sort_key"
        )
        if response.indicator_id not in done
    ]


def to_reconcile(stage):
    """``[(indicator, Disagreement or None)]`` without a final entry.

    A flagged disagreement (verification differs, or levels more than the
    methodology's ``disagreement_levels`` apart) is shown as such; smaller
    differences need the lead's word too, since there is no final entry.
    """
    final = scoring.final_entries(stage)
    flagged = {d.indicator_id: d for d in scoring.disagreements(stage)}
    return [
        (response.indicator, flagged.get(response.indicator_id))
        for response in stage.responses.select_related(
            "indicator", "indicator__theme"
        ).order_by("indicator__sort_key")
        if response.indicator_id not in final
    ]


# Assessors ------------------------------------------------------------------------


@transaction.atomic
def record_levels(stage, *, actor, entries):
    """Save an assessor's entries (partial, any number of times until submitted).

    ``entries`` is ``{indicator id: {"verification", "level", "adjusted_value",
    "adjustment_reason", "comment"}}``. Raises LevelError with the message per
    indicator and field and saves nothing when any entry is wrong. Side
    effects: LevelScore rows; no audit event until they are submitted.
    """
    stage = lock(stage)
    _require_maturity(stage)
    require(actor, "assessments.score_stage", stage)
    _require_state(stage, [StageState.UNDER_REVIEW])
    if _submitted_this_round(stage, actor):
        raise WorkflowError(_("You have submitted your levels for this round."))
    _indicators, cleaned = _check_entries(stage, entries)

    for indicator_id, values in cleaned.items():
        LevelScore.objects.update_or_create(
            stage=stage, indicator_id=indicator_id, assessor=actor, defaults=values
        )
    return stage


@transaction.atomic
def submit_levels(stage, *, actor):
    """Hand in the assessor's entries for this round; they lock for the round.

    Side effects: an AssessorSubmission, an audit event, and, once the whole
    team has submitted, a notification to the lead.
    """
    stage = lock(stage)
    _require_maturity(stage)
    require(actor, "assessments.score_stage", stage)
    _require_state(stage, [StageState.UNDER_REVIEW])
    if _submitted_this_round(stage, actor):
        raise WorkflowError(_("You have submitted your levels for this round."))
    missing = missing_levels(stage, actor)
    if missing:
        raise IncompleteError(
            _("Verify and level every indicator first. Missing: %(items)s.")
            % {"items": ", ".join(indicator.clause for indicator in missing)},
            [(indicator, []) for indicator in missing],
        )

    AssessorSubmission.objects.create(stage=stage, assessor=actor, round=stage.round)
    record(
        actor=actor,
        action="stage.scores_submitted",
        obj=stage,
        note=_("Round %(round)s") % {"round": stage.round},
    )
    if stage_scoring.all_submitted(stage, round=stage.round):
        notify(
            _assessors(stage, lead_only=True),
            action="stage.scores_submitted",
            subject=gettext_lazy("All levels are in: %(region)s, %(stage)s"),
            body=gettext_lazy(
                "Every assessor has submitted levels for the %(stage)s of "
                "%(region)s. Reconcile the differences and complete the assessment."
            ),
            params=_params(stage),
        )
    return stage


def _require_all_submitted(stage):
    if not stage_scoring.all_submitted(stage, round=stage.round):
        raise WorkflowError(
            _("Every assessor on the team must submit their levels first.")
        )


# The lead ---------------------------------------------------------------------------


@transaction.atomic
def reconcile_level(stage, *, actor, indicator, entry):
    """The lead's final verification and level for one indicator.

    Allowed once the whole team has submitted this round, so that the lead
    too assessed independently. ``entry`` has the fields of record_levels.
    Side effects: the ReconciledLevel row, an audit event.
    """
    stage = lock(stage)
    _require_maturity(stage)
    require(actor, "assessments.reconcile_stage", stage)
    _require_state(stage, [StageState.UNDER_REVIEW])
    _require_all_submitted(stage)
    indicator_id = getattr(indicator, "pk", indicator)
    indicators, cleaned = _check_entries(stage, {indicator_id: entry})
    values = cleaned[indicator_id]

    ReconciledLevel.objects.update_or_create(
        stage=stage,
        indicator_id=indicator_id,
        defaults={**values, "by": actor, "at": timezone.now()},
    )
    shown = Verification(values["verification"]).label
    record(
        actor=actor,
        action="stage.reconciled",
        obj=stage,
        note=f"{indicators[indicator_id].clause}: {shown} "
        f"{values['level'] if values['level'] is not None else '—'}",
        data={"indicator": indicators[indicator_id].clause, **_plain(values)},
    )
    return stage


def _plain(values):
    return {
        name: str(value) if isinstance(value, Decimal) else value
        for name, value in values.items()
    }


@dataclass(frozen=True)
class Trace:
    """One figure of the index and how it came about, as a sentence."""

    what: str
    value: Decimal | None
    text: str


def _fmt(value, localize=False):
    if value is None:
        return "—"
    if localize:
        return number_format(scoring.rounded(value), 2)
    return str(scoring.rounded(value))


def traces(result, document, *, localize=False):
    """Every figure of a StageIndex traced to its inputs, themes first.

    ``6. Education = mean of 6.1 (3), 6.2 (2) = 2.50``; ``Smart People = mean
    of themes 6 (2.50), 13 (3.00) = 2.75``; the index as the weighted mean of
    the dimensions. Unassessed themes and dimensions are named as left out.
    ``localize`` writes the figures the way the active language does (3,05 in
    Indonesian); the audit trail keeps the plain notation.
    """

    from kotacerdas.indicators.models import Dimension, Theme

    def fmt(value):
        return _fmt(value, localize)

    section = document["maturity"]
    levels = {}
    for line in result.lines:
        if line.counts:
            levels.setdefault(line.indicator.theme.number, []).append(
                (line.indicator.clause, line.entry.level)
            )
    themes = {t.number: t for t in Theme.objects.all()}
    dimensions = {d.code: d for d in Dimension.objects.all()}
    out = []
    for number in sorted(levels):
        items = levels[number]
        out.append(
            Trace(
                "theme",
                result.themes.get(number),
                _("%(theme)s = mean of %(levels)s = %(value)s")
                % {
                    "theme": str(themes.get(number, number)),
                    "levels": ", ".join(f"{c} ({lv})" for c, lv in items),
                    "value": fmt(result.themes.get(number)),
                },
            )
        )
    parts = []
    for dimension in section["dimensions"]:
        code = dimension["code"]
        name = str(dimensions[code]) if code in dimensions else code
        assessed = [n for n in dimension["themes"] if n in result.themes]
        if not assessed:
            out.append(
                Trace(
                    "dimension",
                    None,
                    _("%(dimension)s: no verified indicator, left out")
                    % {"dimension": name},
                )
            )
            continue
        out.append(
            Trace(
                "dimension",
                result.dimensions[code],
                _("%(dimension)s = mean of themes %(themes)s = %(value)s")
                % {
                    "dimension": name,
                    "themes": ", ".join(
                        f"{n} ({fmt(result.themes[n])})" for n in assessed
                    ),
                    "value": fmt(result.dimensions[code]),
                },
            )
        )
        parts.append(
            f"{_plain_number(dimension['weight'])} × {fmt(result.dimensions[code])}"
        )
    if result.index is not None:
        weights = sum(
            Decimal(str(d["weight"]))
            for d in section["dimensions"]
            if d["code"] in result.dimensions
        )
        out.append(
            Trace(
                "index",
                result.index,
                _("Maturity Index = (%(parts)s) ÷ %(weights)s = %(value)s")
                % {
                    "parts": " + ".join(parts),
                    "weights": _plain_number(weights),
                    "value": fmt(result.index),
                },
            )
        )
    return out


def _plain_number(number):
    """A weight as written: 1, 1.5."""
    return format(Decimal(str(number)).normalize(), "f")


def explanation(result, document):
    """The index, predicate and tier in one paragraph, for the audit trail."""
    lines = [trace.text for trace in traces(result, document)]
    lines.append(
        _("Verified indicators: %(count)s. Predicate: %(predicate)s. Tier: %(tier)s.")
        % {
            "count": result.verified_count,
            "predicate": label(result.predicate) if result.predicate else "—",
            "tier": result.tier["code"] if result.tier else "—",
        }
    )
    return "\n".join(lines)


@transaction.atomic
def complete_assessment(stage, *, actor):
    """The lead closes the review once every indicator has a final entry.

    Side effects: state to assessed, an audit event whose note explains the
    index figure by figure.
    """
    stage = lock(stage)
    _require_maturity(stage)
    require(actor, "assessments.reconcile_stage", stage)
    _require_transition(stage, "complete_assessment")
    _require_all_submitted(stage)
    result = scoring.stage_index(stage)
    if result.missing:
        raise IncompleteError(
            _("Reconcile the differing entries first: %(items)s.")
            % {"items": ", ".join(indicator.clause for indicator in result.missing)},
            [(indicator, []) for indicator in result.missing],
        )
    change_state(
        stage,
        "complete_assessment",
        actor=actor,
        action="stage.assessed",
        note=explanation(result, stage.methodology.document),
        data=_result_data(result),
    )
    return stage


def _result_data(result):
    return {
        "index": None if result.index is None else str(result.index),
        "predicate": result.predicate["name"] if result.predicate else None,
        "tier": result.tier["code"] if result.tier else None,
        "verified_count": result.verified_count,
    }


@transaction.atomic
def decide(stage, *, actor, summary):
    """The lead records the decision, which follows from the Maturity Index.

    Passed when the stage reaches a tier (at least M1), not passed otherwise.
    Side effects: decision, summary, decider and time on the stage; state to
    decided; an audit event with index, predicate, tier and verified count; a
    notification to the region and the admins.
    """
    stage = lock(stage)
    _require_maturity(stage)
    require(actor, "assessments.decide_stage", stage)
    _require_transition(stage, "decide")
    summary = (summary or "").strip()
    if not summary:
        raise WorkflowError(_("Write a summary of the decision."))
    result = scoring.stage_index(stage)
    decision = Decision.PASSED if result.passes else Decision.NOT_PASSED

    change_state(
        stage,
        "decide",
        actor=actor,
        action="stage.decided",
        note=f"{decision.label}: {summary}",
        data={"decision": decision.value, **_result_data(result)},
        decision=decision,
        summary=summary,
        by=actor,
    )
    notify(
        [*_region_people(stage), *_admins()],
        action="stage.decided",
        subject=gettext_lazy("Decision: %(region)s, %(stage)s"),
        body=gettext_lazy(
            "The %(stage)s of %(region)s is decided: %(decision)s. "
            "Maturity Index %(index)s, tier %(tier)s. %(summary)s"
        ),
        params={
            **_params(stage),
            "decision": decision.label,
            "index": str(result.index) if result.index is not None else "—",
            "tier": result.tier["code"] if result.tier else "—",
            "summary": summary,
        },
    )
    logger.info(
        "maturity stage %s decided %s (index %s)", stage.pk, decision, result.index
    )
    return stage
