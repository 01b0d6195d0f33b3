"""How far the region's team has filled a stage, per member and per agency.

The coordinator's overview: for each person (and each agency) the indicators
assigned, how many are complete and how many criteria are answered. Two
queries, whatever the number of indicators.
"""

from dataclasses import dataclass

from django.db.models import Count, Q

from kotacerdas.assessments import scoring


@dataclass
class Progress:
    label: str
    indicators: int = 0
    complete: int = 0
    answered: int = 0
    criteria: int = 0

    @property
    def percent(self):
        return round(100 * self.answered / self.criteria) if self.criteria else 0


def _responses(stage):
    return stage.responses.select_related("assigned_to").annotate(
        answered=Count("readiness_answers", filter=~Q(readiness_answers__answer=""))
    )


def _tally(stage, key):
    per_indicator = len(scoring.criterion_codes(stage))
    rows = {}
    for response in _responses(stage):
        label = key(response.assigned_to)
        row = rows.setdefault(label, Progress(label=label))
        row.indicators += 1
        row.answered += response.answered
        row.criteria += per_indicator
        row.complete += response.answered == per_indicator
    return sorted(rows.values(), key=lambda row: (row.label == "", row.label))


def progress_by_member(stage):
    """One row per assignee (full name; "" for the unassigned), by name."""
    return _tally(stage, lambda user: (user.full_name or user.email) if user else "")


def progress_by_agency(stage):
    """One row per assignee's agency ("" for unassigned or no agency given)."""
    return _tally(stage, lambda user: user.agency if user else "")
