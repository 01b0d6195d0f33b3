"""Maturity stages under review, scored and decided, built with the domain
functions as the assessors would (``maturity.services_review``).

``levels`` is either one level for every indicator or a list with one item per
indicator in clause order; an item is a level 1–5 (verified at that level),
None (rejected) or a full entry dict (see ``entry``).
"""

from kotacerdas.assessments import services
from kotacerdas.assessments.models import StageState
from kotacerdas.maturity import services_review
from kotacerdas.maturity.models import Verification
from tests.maturity.factories import submitted_world

S = StageState


def entry(level=3, verification=None, **extra):
    """One entry for record_levels: verified at ``level``; None: rejected."""
    if verification is None:
        verification = Verification.REJECTED if level is None else Verification.VERIFIED
    fields = {"verification": verification, "level": level, "comment": ""}
    fields.update(extra)
    return fields


def entries_for(w, levels=3):
    """``{indicator id: entry}`` for every indicator of the stage."""
    indicators = list(w.indicators)
    if not isinstance(levels, list | tuple):
        levels = [levels] * len(indicators)
    assert len(levels) == len(indicators), "one level per indicator"
    return {
        indicator.pk: item if isinstance(item, dict) else entry(item)
        for indicator, item in zip(indicators, levels, strict=True)
    }


def review_world(**kwargs):
    """A World whose maturity stage is submitted and under review (round 1),
    nothing assessed yet."""
    w = submitted_world(**kwargs)
    services.start_review(w.stage, actor=w.lead)
    w.refresh()
    assert w.stage.state == S.UNDER_REVIEW
    return w


def assess_and_submit(w, assessor, levels=3):
    services_review.record_levels(
        w.stage, actor=assessor, entries=entries_for(w, levels)
    )
    services_review.submit_levels(w.stage, actor=assessor)
    w.refresh()


def scored_world(levels=3, **kwargs):
    """Under review; every assessor recorded the same ``levels`` and submitted,
    so every indicator has a final entry."""
    w = review_world(**kwargs)
    for assessor in w.assessors:
        assess_and_submit(w, assessor, levels)
    return w


def decided_world(levels=None, summary="Indeks kematangan telah dihitung.", **kwargs):
    """Assessed and decided; default: every indicator verified at level 3
    (with the default 6 indicators: index 3.00, Baik, tier M1, passed)."""
    w = scored_world(3 if levels is None else levels, **kwargs)
    services_review.complete_assessment(w.stage, actor=w.lead)
    services_review.decide(w.stage, actor=w.lead, summary=summary)
    w.refresh()
    assert w.stage.state == S.DECIDED
    return w


def clarify(w, *, positions=(0,), question="Mohon lampirkan sumber data BPS."):
    """The second assessor (or the lead) asks about some indicators."""
    from datetime import timedelta

    from django.utils import timezone

    services.open_clarification(
        w.stage,
        actor=w.second or w.lead,
        indicators=[w.indicators[p] for p in positions],
        question=question,
        due_date=timezone.localdate() + timedelta(days=7),
    )
    w.refresh()


def maturity_in(state, **kwargs):
    """A World whose maturity stage is in ``state`` (from submitted on).

    Under review: nobody assessed yet. Clarification requested and
    resubmitted: asked about the first indicator before anyone submitted.
    Assessed and decided: every indicator verified at level 3.
    """
    if state == S.SUBMITTED:
        return submitted_world(**kwargs)
    if state in (S.ASSESSED, S.DECIDED):
        w = scored_world(3, **kwargs)
        services_review.complete_assessment(w.stage, actor=w.lead)
        if state == S.DECIDED:
            services_review.decide(w.stage, actor=w.lead, summary="Sudah dinilai.")
        w.refresh()
        return w
    w = review_world(**kwargs)
    if state in (S.CLARIFICATION_REQUESTED, S.RESUBMITTED):
        clarify(w)
        if state == S.RESUBMITTED:
            services.answer_clarification(
                w.stage, actor=w.coordinator, answer="Sumber data terlampir."
            )
            w.refresh()
    assert w.stage.state == state
    return w
