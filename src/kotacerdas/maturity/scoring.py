"""The final levels of a maturity stage and the Maturity Index they give.

Nothing here is stored: the result is recomputed from the assessors' and the
lead's entries with the methodology version the stage was opened with (the
report freezes it at publication). The final entry of an indicator is the
lead's reconciled one; where there is none, the assessors' when they all gave
the same verification, level and corrected value (with one assessor, theirs).
Assessors who differ leave the indicator without a final entry until the lead
reconciles it.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from kotacerdas.assessments.scoring import team_ids
from kotacerdas.indicators.methodology import maturity_index, predicate_for, tier_for
from kotacerdas.maturity.models import (
    LevelScore,
    MaturityData,
    ReconciledLevel,
    Verification,
)
from kotacerdas.maturity.values import compute_value


def maturity_section(stage):
    return stage.methodology.document["maturity"]


@dataclass(frozen=True)
class Entry:
    """A verification and level, from an assessor or the lead."""

    verification: str
    level: int | None
    adjusted_value: Decimal | None = None
    adjustment_reason: str = ""
    comment: str = ""

    @property
    def counts(self):
        return self.verification in Verification.counted() and self.level is not None

    def same_as(self, other):
        return (self.verification, self.level, self.adjusted_value) == (
            other.verification,
            other.level,
            other.adjusted_value,
        )


def _entry(row):
    return Entry(
        verification=row.verification,
        level=row.level,
        adjusted_value=row.adjusted_value,
        adjustment_reason=row.adjustment_reason,
        comment=row.comment,
    )


def team_entries(stage):
    """``{indicator id: {assessor id: Entry}}`` of the stage's team."""
    team = set(team_ids(stage))
    entries = defaultdict(dict)
    for row in LevelScore.objects.filter(stage=stage, assessor_id__in=team):
        entries[row.indicator_id][row.assessor_id] = _entry(row)
    return team, entries


@dataclass(frozen=True)
class Disagreement:
    indicator_id: int
    entries: dict  # assessor id -> Entry
    reason: str  # "verification" or "level"
    spread: int


def disagreements(stage):
    """Indicators where the assessors differ on the verification, or on the
    level by more than the methodology's ``disagreement_levels``."""
    allowed = maturity_section(stage).get("disagreement_levels", 1)
    _team, entries = team_entries(stage)
    flagged = []
    for indicator_id, by_assessor in sorted(entries.items()):
        if len(by_assessor) < 2:
            continue
        verifications = {e.verification for e in by_assessor.values()}
        levels = [e.level for e in by_assessor.values() if e.level is not None]
        spread = max(levels) - min(levels) if levels else 0
        if len(verifications) > 1:
            flagged.append(
                Disagreement(indicator_id, by_assessor, "verification", spread)
            )
        elif spread > allowed:
            flagged.append(Disagreement(indicator_id, by_assessor, "level", spread))
    return flagged


def final_entries(stage):
    """``{indicator id: Entry}`` of the indicators that have a final entry."""
    team, entries = team_entries(stage)
    final = {}
    for indicator_id, by_assessor in entries.items():
        values = list(by_assessor.values())
        if set(by_assessor) == team and all(values[0].same_as(e) for e in values):
            final[indicator_id] = values[0]
    for row in ReconciledLevel.objects.filter(stage=stage):
        final[row.indicator_id] = _entry(row)
    return final


@dataclass(frozen=True)
class IndicatorLine:
    """One indicator of the stage: the region's data and the final entry."""

    indicator: object
    data: object  # MaturityData or None
    reported_value: Decimal | None
    formula: str
    entry: Entry | None

    @property
    def value(self):
        """The value that counts: the corrected one when the lead adjusted it."""
        if self.entry is not None and self.entry.verification == Verification.ADJUSTED:
            return self.entry.adjusted_value
        return self.reported_value

    @property
    def counts(self):
        return self.entry is not None and self.entry.counts


@dataclass(frozen=True)
class Raise:
    indicator: object
    from_level: int
    to_level: int


@dataclass(frozen=True)
class Gap:
    """What would lift the stage to ``tier``: more verified indicators, higher
    levels, or both. ``raises`` is the fewest level steps that reach the index
    (the indicators whose step weighs most in the index first)."""

    tier: dict
    index_needed: Decimal
    verified_needed: int
    more_verified: int
    raises: tuple
    index_after: Decimal | None
    reachable: bool


@dataclass(frozen=True)
class StageIndex:
    methodology_version: int
    lines: tuple
    themes: dict  # theme number -> Decimal
    dimensions: dict  # dimension code -> Decimal
    index: Decimal | None
    verified_count: int
    predicate: dict | None
    tier: dict | None
    next_tier: dict | None
    gap: Gap | None = None
    missing: tuple = field(default=())

    @property
    def complete(self):
        return not self.missing

    @property
    def passes(self):
        return self.tier is not None


def _levels_by_theme(lines):
    by_theme = defaultdict(list)
    for line in lines:
        if line.counts:
            by_theme[line.indicator.theme.number].append(line.entry.level)
    return dict(by_theme)


def _weights(section):
    """How much one level step of an indicator moves the (raw) index.

    Means are linear, so the effect of +1 on an indicator is fixed as long as
    the set of assessed themes and dimensions stays the same: dimension weight
    / total weight / themes in the dimension / indicators in the theme.
    """
    return {d["code"]: Decimal(str(d["weight"])) for d in section["dimensions"]}


def _step_effects(section, lines):
    counted = [line for line in lines if line.counts]
    per_theme = defaultdict(int)
    for line in counted:
        per_theme[line.indicator.theme.number] += 1
    weights = _weights(section)
    dimension_of = {}
    themes_in = {}
    for dimension in section["dimensions"]:
        assessed = [n for n in dimension["themes"] if n in per_theme]
        themes_in[dimension["code"]] = len(assessed)
        for number in dimension["themes"]:
            dimension_of[number] = dimension["code"]
    total = sum((weights[c] for c, n in themes_in.items() if n), Decimal(0))
    effects = {}
    for line in counted:
        number = line.indicator.theme.number
        code = dimension_of[number]
        effects[line.indicator.pk] = (
            weights[code] / total / themes_in[code] / per_theme[number]
        )
    return effects


def gap_to(document, lines, tier):
    """The Gap from ``lines`` to ``tier`` (see Gap)."""
    section = document["maturity"]
    counted = [line for line in lines if line.counts]
    index_needed = Decimal(str(tier["min_index"]))
    more_verified = max(0, tier["min_verified"] - len(counted))
    if not counted:
        return Gap(
            tier, index_needed, tier["min_verified"], more_verified, (), None, False
        )

    effects = _step_effects(section, lines)
    levels = {line.indicator.pk: line.entry.level for line in counted}
    by_pk = {line.indicator.pk: line.indicator for line in counted}
    result = maturity_index(document, _levels_from(levels, by_pk))
    raw = _raw_index(section, result)
    steps = []
    half_step = Decimal("0.5") * Decimal(1).scaleb(-section["index_decimals"])
    # The index is rounded half up, so a raw value half a step below the bound
    # already reaches it once rounded.
    while raw + half_step < index_needed:
        candidates = [pk for pk in levels if levels[pk] < 5]
        if not candidates:
            break
        best = max(
            candidates,
            key=lambda pk: (effects[pk], -levels[pk], -by_pk[pk].sort_key),
        )
        steps.append(best)
        levels[best] += 1
        raw += effects[best]

    first = {line.indicator.pk: line.entry.level for line in counted}
    raises = []
    for pk in sorted(set(steps), key=lambda pk: by_pk[pk].sort_key):
        raises.append(Raise(by_pk[pk], first[pk], levels[pk]))
    after = maturity_index(document, _levels_from(levels, by_pk)).index
    return Gap(
        tier=tier,
        index_needed=index_needed,
        verified_needed=tier["min_verified"],
        more_verified=more_verified,
        raises=tuple(raises),
        index_after=after,
        reachable=after is not None and after >= index_needed,
    )


def _levels_from(levels, by_pk):
    by_theme = defaultdict(list)
    for pk, level in levels.items():
        by_theme[by_pk[pk].theme.number].append(level)
    return dict(by_theme)


def _raw_index(section, result):
    weights = _weights(section)
    total = sum((weights[c] for c in result.dimensions), Decimal(0))
    return sum(result.dimensions[c] * weights[c] for c in result.dimensions) / total


def index_from_lines(document, lines):
    """The StageIndex of ``lines`` under ``document`` (a methodology document)."""
    result = maturity_index(document, _levels_by_theme(lines))
    tier = tier_for(document, result.index, result.verified_count)
    tiers = document["maturity"]["tiers"]
    position = tiers.index(tier) + 1 if tier is not None else 0
    next_tier = tiers[position] if position < len(tiers) else None
    return StageIndex(
        methodology_version=document["version"],
        lines=tuple(lines),
        themes=result.themes,
        dimensions=result.dimensions,
        index=result.index,
        verified_count=result.verified_count,
        predicate=predicate_for(document, result.index),
        tier=tier,
        next_tier=next_tier,
        gap=gap_to(document, lines, next_tier) if next_tier else None,
        missing=tuple(line.indicator for line in lines if line.entry is None),
    )


def stage_lines(stage):
    """An IndicatorLine per agreed indicator of the stage, in clause order.

    Queries: a constant number, whatever the count of indicators.
    """
    final = final_entries(stage)
    data = {
        d.response_id: d for d in MaturityData.objects.filter(response__stage=stage)
    }
    lines = []
    for response in stage.responses.select_related(
        "indicator", "indicator__theme"
    ).order_by("indicator__sort_key"):
        entry_data = data.get(response.pk)
        computed = compute_value(response.indicator, entry_data) if entry_data else None
        lines.append(
            IndicatorLine(
                indicator=response.indicator,
                data=entry_data,
                reported_value=computed.value if computed else None,
                formula=computed.formula if computed else "",
                entry=final.get(response.indicator_id),
            )
        )
    return lines


def stage_index(stage):
    """The Maturity Index of a maturity stage from its final entries."""
    return index_from_lines(stage.methodology.document, stage_lines(stage))


def rounded(value, places=2):
    if value is None:
        return None
    return Decimal(value).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
