"""Maturity stages brought to a state by the domain functions, as users would.

A world starts from the readiness factory's decided, passed stage (Kota
Surakarta, its coordinator, two members, a lead and a second assessor, an
admin and an outsider of another region); the coordinator continues to the
maturity stage, the admin gives it a window and the same assessor team, and
opens it. Review states are built on top of this in ``factories_review.py``.
"""

from decimal import Decimal

from kotacerdas.assessments import services
from kotacerdas.assessments.models import StageRecord, StageState
from kotacerdas.indicators.models import ValueType
from kotacerdas.maturity import services_filling
from kotacerdas.scheduling.models import Stage
from tests.assessments.factories import stage_in
from tests.scheduling.factories import AssignmentFactory, WindowFactory

S = StageState


def figures_for(indicator, *, level=3, year=2026):
    """Plausible figures for ``indicator``: 40 % for percentages, 12 per
    100 000 for rates, and so on; the self-assessed level is ``level``."""
    fields = {
        "data_year": year,
        "source": "Dinas Komunikasi dan Informatika",
        "method": "Rekap tahunan dari aplikasi.",
        "solution": "Aplikasi layanan terpadu",
        "self_level": level,
        "justification": "Layanan berjalan di seluruh perangkat daerah.",
    }
    if indicator.value_type in ValueType.with_denominator():
        if indicator.value_type == ValueType.PERCENTAGE:
            fields.update(numerator=Decimal(40), denominator=Decimal(100))
        else:
            fields.update(numerator=Decimal(60), denominator=Decimal(500000))
    else:
        fields["direct_value"] = Decimal(12)
    return fields


def continued_world(*, indicator_count=6, second_assessor=True, methodology=None):
    """A World whose readiness stage passed and whose maturity stage exists but
    is not open; ``w.readiness`` keeps the readiness stage."""
    kwargs = {"indicator_count": indicator_count, "second_assessor": second_assessor}
    if methodology is not None:
        kwargs["methodology"] = methodology
    w = stage_in(S.DECIDED, **kwargs)
    w.readiness = w.stage
    w.stage = services_filling.continue_to_maturity(w.registration, actor=w.coordinator)
    WindowFactory(registration=w.registration, stage=Stage.MATURITY)
    for assessor in w.assessors:
        AssignmentFactory(
            registration=w.registration,
            stage=Stage.MATURITY,
            assessor=assessor,
            is_lead=assessor == w.lead,
            assigned_by=w.admin,
        )
    return w


def open_world(**kwargs):
    """A World whose maturity stage is open for data entry, nothing filled."""
    w = continued_world(**kwargs)
    w.stage = services.open_stage(w.registration, actor=w.admin, stage=Stage.MATURITY)
    return w


def fill_all(w, *, level=3):
    for response in w.stage.responses.select_related("indicator"):
        services_filling.save_data(
            response,
            actor=w.coordinator,
            fields=figures_for(response.indicator, level=level),
        )


def filled_world(**kwargs):
    w = open_world(**kwargs)
    fill_all(w)
    w.refresh()
    return w


def submitted_world(**kwargs):
    w = filled_world(**kwargs)
    services.submit_stage(w.stage, actor=w.coordinator)
    w.refresh()
    assert w.stage.state == S.SUBMITTED
    assert isinstance(w.stage, StageRecord)
    return w
