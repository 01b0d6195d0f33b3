"""Demo readiness stages, one region at each moment of step 5 and 6.

Kota Surakarta (the accepted demo registration, scheduled by the scheduling
demo) is mid-filling; three more regions, each accepted and scheduled here,
show a review with a clarification open, a stage passed (with its readiness
certificate) and one not passed.
Every step goes through the domain functions, as the people would take it.

Safe to run again: a region whose readiness stage is open already is kept.
Without the demo admin and assessors it does nothing and says why.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from kotacerdas.accounts.models import Role, User
from kotacerdas.accounts.services import create_user
from kotacerdas.assessments import services
from kotacerdas.assessments.models import Answer, StageRecord, StageState
from kotacerdas.assessments.scoring import criterion_codes
from kotacerdas.certificates.readiness import issue_readiness_certificate
from kotacerdas.regions.models import Region
from kotacerdas.registrations import services as registration_services
from kotacerdas.registrations.demo import (
    PASSWORD,
    _bring_to,
    _catalogue_clauses,
    _fill,
    _without_external_checks,
)
from kotacerdas.registrations.models import Registration, RegistrationState
from kotacerdas.scheduling import services as scheduling_services
from kotacerdas.scheduling.models import DataEntryWindow, Stage, TeamAssignment

logger = logging.getLogger(__name__)

DEMO_ADMIN = "admin@demo.ppti.id"
DEMO_LEAD = "asesor@demo.ppti.id"
DEMO_SECOND = "asesor2@demo.ppti.id"
FILLING_REGION = "33.72"  # Kota Surakarta, from the registrations demo
FILLING_MEMBER = "anggota@surakarta.demo.id"

FILLING, CLARIFYING, PASSED, NOT_PASSED = "filling", "clarifying", "passed", "failed"


@dataclass(frozen=True)
class DemoStage:
    region_code: str
    coordinator_email: str
    coordinator_name: str
    target: str


# The regions this demo registers itself; Surakarta's registration exists.
DEMO_STAGES = [
    DemoStage("51.71", "koordinator@denpasar.demo.id", "I Made Suarjana", CLARIFYING),
    DemoStage("35.78", "koordinator@surabaya.demo.id", "Siti Rahmawati", PASSED),
    DemoStage("64.71", "koordinator@balikpapan.demo.id", "Hendra Gunawan", NOT_PASSED),
]

CLARIFICATION_QUESTION = (
    "Mohon lampirkan SK penetapan wali data dan jelaskan siapa penanggung jawab "
    "pemutakhiran data kedua indikator ini."
)


@transaction.atomic
def create_demo_stages(*, now=None):
    """Bring the demo regions' readiness stages to their moments.

    Returns one short sentence per region, for the demo command. Side effects:
    demo coordinators and accepted registrations for the three extra regions,
    their windows and teams, and the stages with everything the domain
    functions record on the way (audit events, notifications, the passed
    stage's certificate).
    """
    people = {u.email: u for u in User.objects.filter(email__in=_staff_emails())}
    if set(people) != _staff_emails():
        return ["demo admin or assessors missing: stages skipped"]

    now = now or timezone.now()
    lines = [_surakarta(people, now)]
    for number, spec in enumerate(DEMO_STAGES):
        registration = _accepted_registration(spec, people[DEMO_ADMIN], number)
        if registration.state != RegistrationState.ACCEPTED:
            lines.append(f"{registration.region} is not accepted: stage skipped")
            continue
        _schedule(registration, people, now)
        lines.append(_walk(registration, spec.target, people))
    return lines


def _staff_emails():
    return {DEMO_ADMIN, DEMO_LEAD, DEMO_SECOND}


def _surakarta(people, now):
    registration = (
        Registration.objects.filter(
            region__code=FILLING_REGION, state=RegistrationState.ACCEPTED
        )
        .order_by("-period")
        .first()
    )
    if registration is None:
        return "no accepted registration of Kota Surakarta: filling skipped"
    if not DataEntryWindow.objects.filter(
        registration=registration, stage=Stage.READINESS
    ).exists():
        return "Kota Surakarta has no readiness window: filling skipped"
    return _walk(registration, FILLING, people)


def _accepted_registration(spec, admin, number):
    """The region's accepted registration, registered and accepted if missing."""
    region = Region.objects.get(code=spec.region_code)
    existing = Registration.objects.filter(region=region).order_by("-period").first()
    if existing is not None:
        return existing

    coordinator = User.objects.filter(email=spec.coordinator_email).first()
    if coordinator is None:
        coordinator = create_user(
            email=spec.coordinator_email,
            full_name=spec.coordinator_name,
            password=PASSWORD,
            roles=[Role.PARTICIPANT],
            region=region,
            agency="Dinas Komunikasi dan Informatika",
            position="Kepala Bidang Aplikasi Informatika",
        )
    registration = registration_services.start_registration(
        actor=coordinator, region=region, period=timezone.localdate().year + 1
    )
    # Clauses after those of the registrations demo's six regions.
    _fill(registration, coordinator, _catalogue_clauses(6, start=48 + number * 6))
    with _without_external_checks():
        _bring_to(
            registration,
            RegistrationState.ACCEPTED,
            coordinator=coordinator,
            admin=admin,
        )
    # The domain functions changed a locked copy; this one is stale.
    registration.refresh_from_db()
    return registration


def _schedule(registration, people, now):
    """A window open since two weeks and the two demo assessors as the team."""
    stage = Stage.READINESS
    if not DataEntryWindow.objects.filter(
        registration=registration, stage=stage
    ).exists():
        scheduling_services.set_window(
            registration,
            actor=people[DEMO_ADMIN],
            stage=stage,
            opens_at=now - timedelta(days=14),
            closes_at=now + timedelta(days=16),
        )
    if not TeamAssignment.objects.filter(
        registration=registration, stage=stage
    ).exists():
        for email, lead in [(DEMO_LEAD, True), (DEMO_SECOND, False)]:
            scheduling_services.assign_assessor(
                registration,
                actor=people[DEMO_ADMIN],
                stage=stage,
                assessor=people[email],
                is_lead=lead,
                acknowledge_warnings=True,
            )


def _walk(registration, target, people):
    """Open the stage and take it to ``target``; an opened stage is kept."""
    region = registration.region
    stage = StageRecord.objects.filter(
        registration=registration, stage=Stage.READINESS
    ).first()
    if stage is not None and stage.state != StageState.NOT_OPEN:
        return f"readiness stage of {region}: {stage.get_state_display()} [kept]"

    admin, lead, second = people[DEMO_ADMIN], people[DEMO_LEAD], people[DEMO_SECOND]
    coordinator = registration.coordinator
    stage = services.open_stage(registration, actor=admin, stage=Stage.READINESS)
    responses = list(stage.responses.select_related("indicator"))
    codes = criterion_codes(stage)

    if target == FILLING:
        _fill_some(stage, responses, codes, coordinator)
        stage.refresh_from_db()
        return f"readiness stage of {region}: {stage.get_state_display()} [new]"

    answer = Answer.NO if target == NOT_PASSED else Answer.YES
    for response in responses:
        services.save_response(
            response, actor=coordinator, answers=_answers(codes, answer)
        )
    services.add_evidence(
        responses[0],
        actor=coordinator,
        label="Portal satu data daerah",
        url="https://data.example.go.id/",
    )
    services.submit_stage(stage, actor=coordinator)
    services.start_review(stage, actor=lead)
    points = 0 if target == NOT_PASSED else 2
    scores = {
        response.indicator_id: dict.fromkeys(codes, (points, ""))
        for response in responses
    }
    for assessor in (lead, second):
        services.record_scores(stage, actor=assessor, scores=scores)
        services.submit_scores(stage, actor=assessor)

    if target == CLARIFYING:
        services.open_clarification(
            stage,
            actor=second,
            indicators=[r.indicator for r in responses[:2]],
            question=CLARIFICATION_QUESTION,
            due_date=timezone.localdate() + timedelta(days=7),
        )
    else:
        services.complete_assessment(stage, actor=lead)
        services.decide_stage(stage, actor=lead, summary=_summary(target))
        if target == PASSED:
            issue_readiness_certificate(stage, actor=admin)
    stage.refresh_from_db()
    logger.info("demo stage %s: %s", region.code, stage.state)
    return f"readiness stage of {region}: {stage.get_state_display()} [new]"


def _fill_some(stage, responses, codes, coordinator):
    """Half the indicators answered, two given to the member, one of them begun.

    A window that has not opened yet (the demo run early in the morning) leaves
    the stage open and empty: the answers wait for the window.
    """
    member = User.objects.filter(email=FILLING_MEMBER).first()
    if member is not None:
        for response in responses[:2]:
            services.assign_response(response, actor=coordinator, member=member)
    if services.edit_refusal(responses[0]) is not None:
        return
    for response in responses[2 : 2 + len(responses) // 2]:
        services.save_response(
            response, actor=coordinator, answers=_answers(codes, Answer.YES)
        )
    if member is not None:
        begun = dict(list(_answers(codes, Answer.PARTLY).items())[:3])
        services.save_response(responses[0], actor=member, answers=begun)


def _answers(codes, answer):
    explanation = {
        Answer.YES: "Sudah ditetapkan dan dijalankan oleh perangkat daerah.",
        Answer.PARTLY: "Sebagian sudah berjalan; payung hukumnya masih disusun.",
        Answer.NO: "Belum tersedia.",
    }[answer]
    return {code: {"answer": answer, "explanation": explanation} for code in codes}


def _summary(target):
    if target == PASSED:
        return "Seluruh indikator yang disepakati siap diukur."
    return "Data dan tata kelola indikator belum siap; silakan mendaftar kembali."
