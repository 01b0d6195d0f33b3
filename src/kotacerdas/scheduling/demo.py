"""Demo schedule for the accepted demo registration: a readiness window, two
events and a team of the two demo assessors.

Safe to run again: what exists is kept. Without an accepted registration of
Kabupaten Bogor or Kota Surakarta, or without the demo admin and assessors,
it does nothing and says why.
"""

import logging
from datetime import datetime, time, timedelta

from django.utils import timezone

from kotacerdas.accounts.models import User
from kotacerdas.registrations.models import Registration, RegistrationState
from kotacerdas.scheduling import services
from kotacerdas.scheduling.models import (
    AssessmentEvent,
    DataEntryWindow,
    EventKind,
    Stage,
    TeamAssignment,
)

logger = logging.getLogger(__name__)

DEMO_REGION_CODES = ["32.01", "33.72"]
DEMO_ADMIN = "admin@demo.ppti.id"
DEMO_LEAD = "asesor@demo.ppti.id"
DEMO_MEMBER = "asesor2@demo.ppti.id"


def create_demo_schedule(*, now=None):
    """Schedule the readiness stage of the accepted demo registration.

    Returns a short sentence saying what was done, for the demo command.
    """
    registration = (
        Registration.objects.filter(
            region__code__in=DEMO_REGION_CODES, state=RegistrationState.ACCEPTED
        )
        .select_related("region")
        .order_by("-period", "region__code")
        .first()
    )
    if registration is None:
        return "no accepted demo registration: schedule skipped"
    people = {u.email: u for u in User.objects.filter(email__in=_emails())}
    if set(people) != set(_emails()):
        return "demo admin or assessors missing: schedule skipped"

    admin = people[DEMO_ADMIN]
    zone = registration.region.zone
    today = timezone.localtime(now or timezone.now(), zone).date()

    def at(days, hour):
        return datetime.combine(today + timedelta(days=days), time(hour), tzinfo=zone)

    stage = Stage.READINESS
    done = []
    if not DataEntryWindow.objects.filter(
        registration=registration, stage=stage
    ).exists():
        services.set_window(
            registration,
            actor=admin,
            stage=stage,
            opens_at=at(0, 8),
            closes_at=at(30, 16),
        )
        done.append("window")

    if not TeamAssignment.objects.filter(
        registration=registration, stage=stage
    ).exists():
        for email, lead in [(DEMO_LEAD, True), (DEMO_MEMBER, False)]:
            services.assign_assessor(
                registration,
                actor=admin,
                stage=stage,
                assessor=people[email],
                is_lead=lead,
                acknowledge_warnings=True,
            )
        done.append("team")

    if not AssessmentEvent.objects.filter(
        registration=registration, stage=stage
    ).exists():
        services.add_event(
            registration,
            actor=admin,
            stage=stage,
            kind=EventKind.DESK_REVIEW,
            starts_at=at(33, 9),
            ends_at=at(33, 15),
            place="Kantor PPTI, Jakarta",
            notes="Penilaian dokumen isian kesiapan dan bukti dukung.",
        )
        services.add_event(
            registration,
            actor=admin,
            stage=stage,
            kind=EventKind.INTERVIEW,
            starts_at=at(37, 10),
            ends_at=at(37, 12),
            online_url="https://meet.example.org/ppti-kesiapan",
            notes="Wawancara daring dengan koordinator dan tim.",
        )
        done.append("events")

    region = registration.region
    if not done:
        return f"schedule of {region} {registration.period} kept"
    return f"schedule of {region} {registration.period}: {', '.join(done)} created"


def _emails():
    return {DEMO_ADMIN, DEMO_LEAD, DEMO_MEMBER}
