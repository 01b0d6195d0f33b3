"""How well each assessor agrees with the other assessors on the same indicators.

For the admin, who forms the teams (SPEC §6.3): per assessor, over every
finished maturity stage (assessed or decided) they assessed together with at
least one other assessor, each indicator both gave a level is a *pair* (their
level, the other's level). From the pairs:

- the **linearly weighted Cohen's kappa** over the five levels: disagreement
  weight w(i, j) = |i − j| / 4, κw = 1 − Σ w·observed / Σ w·expected, where the
  expected share of a cell is the product of the two marginal shares;
- exact agreement % and within-one-level %;
- the verification agreement % (verified / adjusted / rejected the same), over
  every indicator both assessed, rejected ones included.

A stage with three assessors gives each of them two pairs per indicator. The
kappa is undefined (None) when both sides use one and the same level only.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from kotacerdas.assessments.models import StageState
from kotacerdas.maturity.models import LevelScore
from kotacerdas.scheduling.models import Stage

LEVELS = (1, 2, 3, 4, 5)
FINISHED = (StageState.ASSESSED, StageState.DECIDED)


@dataclass(frozen=True)
class Agreement:
    pairs: int
    kappa: Decimal | None
    exact: Decimal | None  # percent
    within_one: Decimal | None  # percent
    verification_pairs: int
    verification: Decimal | None  # percent


def _percent(part, whole):
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)


def weighted_kappa(pairs):
    """Linearly weighted Cohen's kappa of ``[(level, level)]``, to 3 decimals."""
    n = len(pairs)
    if not n:
        return None
    span = Decimal(LEVELS[-1] - LEVELS[0])
    rows = defaultdict(int)
    cols = defaultdict(int)
    observed = Decimal(0)
    for a, b in pairs:
        rows[a] += 1
        cols[b] += 1
        observed += Decimal(abs(a - b)) / span
    expected = Decimal(0)
    for i in LEVELS:
        for j in LEVELS:
            if rows[i] and cols[j]:
                expected += Decimal(abs(i - j)) / span * rows[i] * cols[j] / n
    if expected == 0:
        return None
    return (1 - observed / expected).quantize(Decimal("0.001"), ROUND_HALF_UP)


def agreement(level_pairs, verification_pairs):
    """The figures of one assessor from their pairs (a pure function).

    ``level_pairs`` is ``[(own level, other's level)]``, ``verification_pairs``
    ``[(own verification, other's verification)]``.
    """
    level_pairs = list(level_pairs)
    verification_pairs = list(verification_pairs)
    exact = sum(1 for a, b in level_pairs if a == b)
    near = sum(1 for a, b in level_pairs if abs(a - b) <= 1)
    same = sum(1 for a, b in verification_pairs if a == b)
    return Agreement(
        pairs=len(level_pairs),
        kappa=weighted_kappa(level_pairs),
        exact=_percent(exact, len(level_pairs)),
        within_one=_percent(near, len(level_pairs)),
        verification_pairs=len(verification_pairs),
        verification=_percent(same, len(verification_pairs)),
    )


def _pairs(*, assessor_id=None):
    """``{(assessor id, period): ([level pairs], [verification pairs])}``.

    One query, streamed; entries are grouped per stage and indicator.
    """
    rows = (
        LevelScore.objects.filter(
            stage__stage=Stage.MATURITY, stage__state__in=FINISHED
        )
        .order_by("stage_id", "indicator_id", "assessor_id")
        .values_list(
            "stage_id",
            "indicator_id",
            "assessor_id",
            "verification",
            "level",
            "stage__registration__period",
        )
    )
    if assessor_id is not None:
        rows = rows.filter(
            stage__in=LevelScore.objects.filter(assessor_id=assessor_id).values(
                "stage_id"
            )
        )
    out = defaultdict(lambda: ([], []))

    def flush(group):
        for own in group:
            if assessor_id is not None and own[0] != assessor_id:
                continue
            for other in group:
                if other[0] == own[0]:
                    continue
                levels, verifications = out[(own[0], own[3])]
                verifications.append((own[1], other[1]))
                if own[2] is not None and other[2] is not None:
                    levels.append((own[2], other[2]))

    key, group = None, []
    for stage_id, indicator_id, person, verification, level, period in rows.iterator(
        chunk_size=5000
    ):
        if (stage_id, indicator_id) != key:
            flush(group)
            key, group = (stage_id, indicator_id), []
        group.append((person, verification, level, period))
    flush(group)
    return out


def by_assessor():
    """``{assessor id: Agreement}`` over all their finished stages."""
    merged = defaultdict(lambda: ([], []))
    for (person, _period), (levels, verifications) in _pairs().items():
        merged[person][0].extend(levels)
        merged[person][1].extend(verifications)
    return {person: agreement(*pairs) for person, pairs in merged.items()}


def by_period(assessor_id):
    """``[(period, Agreement)]`` of one assessor, oldest first."""
    found = _pairs(assessor_id=assessor_id)
    return [
        (period, agreement(*found[(person, period)]))
        for person, period in sorted(found, key=lambda key: key[1])
        if person == assessor_id
    ]
