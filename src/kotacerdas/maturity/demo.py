"""Demo maturity stages: published reports over two periods, and one underway.

Five regions (kota and kabupaten, four provinces) each take both stages in two
periods, the current year and the next, and end with a published Maturity
Index report, so the results pages show a trend and a peer group. Kota
Surabaya, whose readiness stage the assessments demo passed, continues to the
maturity stage and is left open for data entry. Every step goes through the
domain functions, as the people would take it.

Safe to run again: a region whose registration for a period exists is kept.
Without the demo admin and assessors it does nothing and says why.
"""

import hashlib
import logging
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from kotacerdas.accounts.models import Role, User
from kotacerdas.accounts.services import create_user
from kotacerdas.assessments import services
from kotacerdas.assessments.demo import DEMO_ADMIN, DEMO_LEAD, DEMO_SECOND, _answers
from kotacerdas.assessments.models import Answer, StageRecord
from kotacerdas.assessments.scoring import criterion_codes
from kotacerdas.certificates.readiness import issue_readiness_certificate
from kotacerdas.indicators.models import ValueType
from kotacerdas.maturity import policy, report, services_filling, services_review
from kotacerdas.maturity.models import PublicationMode
from kotacerdas.regions.models import Region
from kotacerdas.registrations import services as registration_services
from kotacerdas.registrations.demo import (
    PASSWORD,
    _bring_to,
    _fill,
    _without_external_checks,
)
from kotacerdas.registrations.models import Registration, RegistrationState
from kotacerdas.scheduling import services as scheduling_services
from kotacerdas.scheduling.models import DataEntryWindow, Stage, TeamAssignment

logger = logging.getLogger(__name__)

# (region code, coordinator e-mail, coordinator name, how mature: base level)
DEMO_REGIONS = [
    ("34.71", "koordinator@yogyakarta.demo.id", "Bambang Priyambodo", 4),
    ("33.74", "koordinator@semarang.demo.id", "Endang Susilowati", 3),
    ("35.10", "koordinator@banyuwangi.demo.id", "Agus Wibowo", 3),
    ("35.15", "koordinator@sidoarjo.demo.id", "Sri Wahyuni", 2),
    ("12.71", "koordinator@medan.demo.id", "Rahmat Siregar", 2),
]
CONTINUING_REGION = "35.78"  # Kota Surabaya, passed by the assessments demo

# The first indicator of each of the 19 themes and one more: every dimension
# has data, and twenty verified indicators make the tier M3 reachable.
DEMO_CLAUSES = [f"{theme}.1" for theme in range(5, 24)] + ["5.2"]


def _staff():
    emails = {DEMO_ADMIN, DEMO_LEAD, DEMO_SECOND}
    people = {u.email: u for u in User.objects.filter(email__in=emails)}
    return people if set(people) == emails else None


@transaction.atomic
def create_demo_maturity(*, now=None):
    """Bring the demo regions through both stages and publish their reports.

    Returns one short sentence per region and period. Side effects: demo
    coordinators and their registrations, windows, teams, both stages, the
    readiness and maturity certificates, the reports, consents to publish,
    and the publication policy (every published result, with consent).
    """
    people = _staff()
    if people is None:
        return ["demo admin or assessors missing: maturity skipped"]

    now = now or timezone.now()
    this_year = timezone.localdate(now).year
    lines = []
    for code, email, name, base in DEMO_REGIONS:
        coordinator = _coordinator(code, email, name)
        for offset, period in enumerate((this_year, this_year + 1)):
            lines.append(
                _walk_region(code, period, coordinator, people, now, base + offset)
            )
        policy.set_consent(
            Region.objects.get(code=code), actor=coordinator, consented=True
        )
    lines.append(_continue_surabaya(people, now))
    policy.set_policy(
        actor=people[DEMO_ADMIN], mode=PublicationMode.ALL, require_consent=True
    )
    return lines


def _coordinator(code, email, name):
    coordinator = User.objects.filter(email=email).first()
    if coordinator is None:
        coordinator = create_user(
            email=email,
            full_name=name,
            password=PASSWORD,
            roles=[Role.PARTICIPANT],
            region=Region.objects.get(code=code),
            agency="Dinas Komunikasi dan Informatika",
            position="Kepala Bidang Aplikasi Informatika",
        )
    return coordinator


def _walk_region(code, period, coordinator, people, now, base):
    region = Region.objects.get(code=code)
    if Registration.objects.filter(region=region, period=period).exists():
        return f"maturity demo of {region} {period}: kept"

    registration = registration_services.start_registration(
        actor=coordinator, region=region, period=period
    )
    _fill(registration, coordinator, DEMO_CLAUSES)
    with _without_external_checks():
        _bring_to(
            registration,
            RegistrationState.ACCEPTED,
            coordinator=coordinator,
            admin=people[DEMO_ADMIN],
        )
    registration.refresh_from_db()

    _schedule(registration, Stage.READINESS, people, now)
    _pass_readiness(registration, people)
    services_filling.continue_to_maturity(registration, actor=coordinator)
    _schedule(registration, Stage.MATURITY, people, now)
    stage = services.open_stage(
        registration, actor=people[DEMO_ADMIN], stage=Stage.MATURITY
    )
    _fill_maturity(stage, coordinator, base, period)
    published = _assess_and_publish(stage, people, base)
    return (
        f"maturity demo of {region} {period}: index {published.index}, "
        f"tier {published.tier or '—'}"
    )


def _schedule(registration, stage, people, now):
    """A window open since two weeks and the two demo assessors as the team."""
    admin = people[DEMO_ADMIN]
    if not DataEntryWindow.objects.filter(
        registration=registration, stage=stage
    ).exists():
        scheduling_services.set_window(
            registration,
            actor=admin,
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
                actor=admin,
                stage=stage,
                assessor=people[email],
                is_lead=lead,
                acknowledge_warnings=True,
            )


def _pass_readiness(registration, people):
    admin, lead, second = people[DEMO_ADMIN], people[DEMO_LEAD], people[DEMO_SECOND]
    coordinator = registration.coordinator
    stage = services.open_stage(registration, actor=admin, stage=Stage.READINESS)
    codes = criterion_codes(stage)
    responses = list(stage.responses.all())
    for response in responses:
        services.save_response(
            response, actor=coordinator, answers=_answers(codes, Answer.YES)
        )
    services.submit_stage(stage, actor=coordinator)
    services.start_review(stage, actor=lead)
    scores = {r.indicator_id: dict.fromkeys(codes, (2, "")) for r in responses}
    for assessor in (lead, second):
        services.record_scores(stage, actor=assessor, scores=scores)
        services.submit_scores(stage, actor=assessor)
    services.complete_assessment(stage, actor=lead)
    services.decide_stage(
        stage, actor=lead, summary="Seluruh indikator yang disepakati siap diukur."
    )
    issue_readiness_certificate(stage, actor=admin)


def _spread(code, clause, period):
    """A steady pseudo-random step −1, 0 or +1 per region, indicator and period."""
    digest = hashlib.sha256(f"{code}/{clause}/{period}".encode()).digest()
    return digest[0] % 3 - 1


def _figures(indicator, level, period):
    fields = {
        "data_year": period - 1,
        "source": "Satu Data daerah",
        "method": "Rekapitulasi tahunan dari aplikasi perangkat daerah.",
        "solution": "Layanan digital terpadu",
        "self_level": level,
        "justification": "Prosedur baku berjalan dan datanya dipantau rutin.",
    }
    if indicator.value_type == ValueType.PERCENTAGE:
        fields.update(numerator=Decimal(30 + 10 * level), denominator=Decimal(100))
    elif indicator.value_type in ValueType.with_denominator():
        fields.update(numerator=Decimal(20 * level), denominator=Decimal(250000))
    else:
        fields["direct_value"] = Decimal(30 - 5 * level)
    return fields


def _level(stage, indicator, base):
    code = stage.registration.region.code
    period = stage.registration.period
    return max(1, min(5, base + _spread(code, indicator.clause, period)))


def _fill_maturity(stage, coordinator, base, period):
    for response in stage.responses.select_related("indicator"):
        level = _level(stage, response.indicator, base)
        services_filling.save_data(
            response,
            actor=coordinator,
            fields=_figures(response.indicator, level, period),
        )
    services.add_evidence(
        stage.responses.first(),
        actor=coordinator,
        label="Portal Satu Data daerah",
        url="https://data.example.go.id/",
    )
    services.submit_stage(stage, actor=coordinator)


def _assess_and_publish(stage, people, base):
    admin, lead, second = people[DEMO_ADMIN], people[DEMO_LEAD], people[DEMO_SECOND]
    services.start_review(stage, actor=lead)
    entries = {}
    for response in stage.responses.select_related("indicator"):
        entries[response.indicator_id] = {
            "verification": "verified",
            "level": _level(stage, response.indicator, base),
            "comment": "Data sesuai dengan bukti.",
        }
    for assessor in (lead, second):
        services_review.record_levels(stage, actor=assessor, entries=entries)
        services_review.submit_levels(stage, actor=assessor)
    services_review.complete_assessment(stage, actor=lead)
    services_review.decide(
        stage, actor=lead, summary="Tingkat kematangan dinilai sesuai bukti."
    )

    draft = report.start_report(stage, actor=lead)
    dimensions = stage.methodology.document["maturity"]["dimensions"]
    report.save_report(
        draft,
        actor=lead,
        summary="Daerah menunjukkan kemajuan yang konsisten pada layanan digital.",
        strengths="Tata kelola data terpadu dan layanan publik daring.",
        recommendations={
            d["code"]: "Perluas integrasi data lintas perangkat daerah."
            for d in dimensions
        },
    )
    return report.publish_report(draft, actor=admin)


def _continue_surabaya(people, now):
    registration = (
        Registration.objects.filter(region__code=CONTINUING_REGION)
        .order_by("-period")
        .first()
    )
    if registration is None:
        return "no registration of Kota Surabaya: maturity skipped"
    if StageRecord.objects.filter(
        registration=registration, stage=Stage.MATURITY
    ).exists():
        return f"maturity stage of {registration.region}: kept"
    refusal = services_filling.continue_refusal(registration)
    if refusal:
        return f"{registration.region}: {refusal}"
    services_filling.continue_to_maturity(registration, actor=registration.coordinator)
    _schedule(registration, Stage.MATURITY, people, now)
    stage = services.open_stage(
        registration, actor=people[DEMO_ADMIN], stage=Stage.MATURITY
    )
    responses = list(stage.responses.select_related("indicator"))
    for response in responses[: len(responses) // 2]:
        services_filling.save_data(
            response,
            actor=registration.coordinator,
            fields=_figures(response.indicator, 3, registration.period),
        )
    return f"maturity stage of {registration.region}: open, half filled"
