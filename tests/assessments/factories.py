"""Stages in any state, always brought there by the domain functions.

The registration is made directly in the accepted state (the registration
app's own tests walk its workflow); from the opening of the stage on, every
step goes through ``kotacerdas.assessments.services`` as a user would.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from kotacerdas.accounts.models import Role
from kotacerdas.assessments import services
from kotacerdas.assessments.models import StageRecord, StageState
from kotacerdas.indicators.models import Indicator
from kotacerdas.regions.models import Region
from kotacerdas.scheduling.models import Stage
from tests.factories import ParticipantFactory, UserFactory
from tests.scheduling.factories import (
    AssignmentFactory,
    RegistrationFactory,
    WindowFactory,
)

S = StageState
CODES = ["S1", "S2", "S3", "I1", "I2", "P1", "P2", "P3"]


def indicators(count):
    return list(Indicator.objects.active().order_by("sort_key")[:count])


@dataclass
class World:
    """A registration of Kota Surakarta with its people and its readiness stage."""

    registration: object
    coordinator: object
    member_a: object
    member_b: object
    lead: object
    second: object
    admin: object
    outsider: object  # the coordinator of another region
    stage: object = None
    indicators: list = field(default_factory=list)

    @property
    def assessors(self):
        return [a for a in (self.lead, self.second) if a is not None]

    def refresh(self):
        self.stage = StageRecord.objects.get(pk=self.stage.pk)
        return self.stage

    def response(self, position):
        return self.stage.responses.get(indicator=self.indicators[position])


def _user(roles, **kwargs):
    kwargs.setdefault("preferred_language", "en")
    return UserFactory(roles=roles, **kwargs)


def world(*, indicator_count=6, second_assessor=True, methodology=None):
    """Everything a stage needs, up to (not including) its opening."""
    extra = {"methodology": methodology} if methodology is not None else {}
    registration = RegistrationFactory(coordinator__full_name="Sri Handayani", **extra)
    region = registration.region
    chosen = indicators(indicator_count)
    registration.agreed_indicators.set(chosen)
    WindowFactory(registration=registration)
    member_a = _user([Role.REGION_MEMBER], region=region, full_name="Yusuf Hidayat")
    member_b = _user([Role.REGION_MEMBER], region=region, full_name="Ayu Lestari")
    registration.team.add(member_a, member_b)
    admin = _user([Role.ADMIN], full_name="Ratna Wulandari")
    lead = _user([Role.ASSESSOR], full_name="Budi Santoso")
    AssignmentFactory(
        registration=registration, assessor=lead, is_lead=True, assigned_by=admin
    )
    second = None
    if second_assessor:
        second = _user([Role.ASSESSOR], full_name="Dewi Lestari")
        AssignmentFactory(registration=registration, assessor=second, assigned_by=admin)
    return World(
        registration=registration,
        coordinator=registration.coordinator,
        member_a=member_a,
        member_b=member_b,
        lead=lead,
        second=second,
        admin=admin,
        outsider=ParticipantFactory(
            region=Region.objects.get(code="32.01"), full_name="Rina Marlina"
        ),
        indicators=chosen,
    )


def all_answers(answer="yes", explanation="Sudah ditetapkan."):
    return {code: {"answer": answer, "explanation": explanation} for code in CODES}


def fill_all(w, answer="yes"):
    for response in w.stage.responses.all():
        services.save_response(
            response, actor=w.coordinator, answers=all_answers(answer)
        )


def points_for_all(w, by_code):
    """``{indicator id: {code: (points, comment)}}`` for every indicator."""
    return {
        indicator.pk: {code: (points, "") for code, points in by_code.items()}
        for indicator in w.indicators
    }


FULL = dict.fromkeys(CODES, 2)


def score_and_submit(w, assessor, scores):
    services.record_scores(w.stage, actor=assessor, scores=scores)
    services.submit_scores(w.stage, actor=assessor)
    w.refresh()


def open_stage(w):
    w.stage = services.open_stage(w.registration, actor=w.admin, stage=Stage.READINESS)
    return w.stage


def stage_in(state, *, scored=True, **world_kwargs):
    """A World whose stage is in ``state``.

    From under review on, every assessor has scored every criterion 2 and
    submitted round 1 (unless ``scored=False`` for a stage just under review).
    A clarification names the first two indicators.
    """
    w = world(**world_kwargs)
    if state == S.NOT_OPEN:
        w.stage = StageRecord.objects.create(
            registration=w.registration, stage=Stage.READINESS
        )
        return w
    open_stage(w)
    fill_all(w)
    if state == S.OPEN:
        w.refresh()
        return w
    services.submit_stage(w.stage, actor=w.coordinator)
    if state == S.SUBMITTED:
        w.refresh()
        return w
    services.start_review(w.stage, actor=w.lead)
    w.refresh()
    if state == S.UNDER_REVIEW and not scored:
        return w
    for assessor in w.assessors:
        score_and_submit(w, assessor, points_for_all(w, FULL))
    if state == S.UNDER_REVIEW:
        return w
    if state in (S.CLARIFICATION_REQUESTED, S.RESUBMITTED):
        services.open_clarification(
            w.stage,
            actor=w.second or w.lead,
            indicators=w.indicators[:2],
            question="Mohon lampirkan SK wali data.",
            due_date=timezone.localdate() + timedelta(days=7),
        )
        if state == S.RESUBMITTED:
            services.answer_clarification(
                w.stage, actor=w.coordinator, answer="SK terlampir."
            )
        w.refresh()
        return w
    services.complete_assessment(w.stage, actor=w.lead)
    if state == S.DECIDED:
        services.decide_stage(w.stage, actor=w.lead, summary="Seluruh indikator siap.")
    w.refresh()
    assert w.stage.state == state
    return w
