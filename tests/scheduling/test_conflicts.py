"""The conflict-of-interest rules of SPEC §5.3, one by one."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kotacerdas.registrations.models import RegistrationState
from kotacerdas.scheduling.conflicts import check_assessor, open_load
from kotacerdas.scheduling.models import SchedulingSettings, Stage
from tests.scheduling.factories import (
    AssignmentFactory,
    DeclarationFactory,
    EventFactory,
    RegistrationFactory,
    assessor,
    region,
)

pytestmark = pytest.mark.django_db

READINESS = Stage.READINESS


def test_assessor_without_any_conflict_gets_a_clean_report(registration, budi):
    report = check_assessor(budi, registration, READINESS)

    assert (report.blocks, report.warnings, report.clean) == ([], [], True)


def test_assessor_who_belongs_to_the_region_is_blocked(registration):
    local = assessor(full_name="Agus Salim", region=region("33.72"))

    report = check_assessor(local, registration, READINESS)

    assert report.blocks == [
        "Agus Salim belongs to Kota Surakarta and may not assess it."
    ]


def test_assessor_of_another_region_is_not_blocked(registration):
    outsider = assessor(full_name="Agus Salim", region=region("32.01"))

    report = check_assessor(outsider, registration, READINESS)

    assert report.blocks == []


def test_assessor_who_declared_a_conflict_with_the_region_is_blocked(
    registration, budi
):
    DeclarationFactory(
        assessor=budi, region=region("33.72"), reason="Adik bekerja di sana."
    )

    report = check_assessor(budi, registration, READINESS)

    assert report.blocks == [
        "Budi Santoso declared a conflict of interest with Kota Surakarta: "
        "Adik bekerja di sana."
    ]


def test_a_declared_conflict_with_another_region_does_not_block(registration, budi):
    DeclarationFactory(assessor=budi, region=region("32.01"))

    report = check_assessor(budi, registration, READINESS)

    assert report.blocks == []


def test_assessor_of_the_previous_period_is_warned_about(registration, budi):
    previous = RegistrationFactory(region=registration.region, period=2026)
    AssignmentFactory(registration=previous, assessor=budi)

    report = check_assessor(budi, registration, READINESS)

    assert report.warnings == [
        "Budi Santoso assessed Kota Surakarta in its previous period (2026); the "
        "rotation rule asks for a different assessor."
    ]


def test_previous_period_is_the_last_active_one_even_years_back(registration, budi):
    older = RegistrationFactory(region=registration.region, period=2024)
    AssignmentFactory(registration=older, assessor=budi)
    RegistrationFactory(
        region=registration.region, period=2026, state=RegistrationState.WITHDRAWN
    )

    report = check_assessor(budi, registration, READINESS)

    assert [w[:60] for w in report.warnings] == [
        "Budi Santoso assessed Kota Surakarta in its previous period "
    ]


def test_assessor_of_an_older_period_than_the_previous_one_is_not_warned_about(
    registration, budi
):
    older = RegistrationFactory(region=registration.region, period=2025)
    AssignmentFactory(registration=older, assessor=budi)
    RegistrationFactory(region=registration.region, period=2026)

    report = check_assessor(budi, registration, READINESS)

    assert report.warnings == []


def test_overlapping_event_of_another_team_is_warned_about(registration, budi):
    start = timezone.now().replace(microsecond=0) + timedelta(days=7)
    EventFactory(
        registration=registration, starts_at=start, ends_at=start + timedelta(hours=3)
    )
    bogor = RegistrationFactory(region=region("32.01"))
    AssignmentFactory(registration=bogor, assessor=budi, is_lead=True)
    EventFactory(
        registration=bogor,
        starts_at=start + timedelta(hours=2),
        ends_at=start + timedelta(hours=4),
    )

    report = check_assessor(budi, registration, READINESS)

    assert len(report.warnings) == 1
    assert report.warnings[0].startswith(
        "Budi Santoso has another event at the same time: desk review Kabupaten Bogor, "
    )


def test_event_that_ends_when_another_starts_does_not_overlap(registration, budi):
    start = timezone.now() + timedelta(days=7)
    EventFactory(
        registration=registration, starts_at=start, ends_at=start + timedelta(hours=3)
    )
    bogor = RegistrationFactory(region=region("32.01"))
    AssignmentFactory(registration=bogor, assessor=budi)
    EventFactory(
        registration=bogor,
        starts_at=start + timedelta(hours=3),
        ends_at=start + timedelta(hours=5),
    )

    report = check_assessor(budi, registration, READINESS)

    assert report.warnings == []


def test_cancelled_event_does_not_overlap(registration, budi):
    start = timezone.now() + timedelta(days=7)
    EventFactory(registration=registration, starts_at=start)
    bogor = RegistrationFactory(region=region("32.01"))
    AssignmentFactory(registration=bogor, assessor=budi)
    EventFactory(registration=bogor, starts_at=start, cancelled_at=timezone.now())

    report = check_assessor(budi, registration, READINESS)

    assert report.warnings == []


def test_event_of_a_team_the_assessor_is_not_on_does_not_overlap(registration, budi):
    start = timezone.now() + timedelta(days=7)
    EventFactory(registration=registration, starts_at=start)
    bogor = RegistrationFactory(region=region("32.01"))
    EventFactory(registration=bogor, starts_at=start)

    report = check_assessor(budi, registration, READINESS)

    assert report.warnings == []


def _open_teams(person, count):
    for index in range(count):
        other = RegistrationFactory(region=region("32.01"), period=2030 + index)
        AssignmentFactory(registration=other, assessor=person)


def test_open_load_above_the_limit_is_warned_about(registration, budi):
    SchedulingSettings.objects.create(open_load_limit=2)
    _open_teams(budi, 2)

    report = check_assessor(budi, registration, READINESS)

    assert report.warnings == [
        "Budi Santoso already has 2 open assignments; this one makes 3, above the "
        "limit of 2."
    ]


def test_open_load_reaching_the_limit_is_not_warned_about(registration, budi):
    SchedulingSettings.objects.create(open_load_limit=2)
    _open_teams(budi, 1)

    report = check_assessor(budi, registration, READINESS)

    assert report.warnings == []


def test_default_load_limit_is_five_open_assignments(registration, budi):
    _open_teams(budi, 5)

    report = check_assessor(budi, registration, READINESS)

    assert [w.split(";")[0] for w in report.warnings] == [
        "Budi Santoso already has 5 open assignments"
    ]


def test_team_whose_events_are_all_past_is_not_open(budi):
    other = RegistrationFactory(region=region("32.01"))
    AssignmentFactory(registration=other, assessor=budi)
    EventFactory(
        registration=other,
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=3) + timedelta(hours=2),
    )

    assert open_load(budi) == 0


def test_team_with_an_event_to_come_is_open(budi):
    other = RegistrationFactory(region=region("32.01"))
    AssignmentFactory(registration=other, assessor=budi)
    EventFactory(
        registration=other,
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=3) + timedelta(hours=2),
    )
    EventFactory(registration=other)

    assert open_load(budi) == 1


def test_team_without_events_yet_is_open(budi):
    _open_teams(budi, 1)

    assert open_load(budi) == 1


def test_team_of_a_registration_that_is_not_accepted_is_not_open(budi):
    other = RegistrationFactory(
        region=region("32.01"), state=RegistrationState.WITHDRAWN
    )
    AssignmentFactory(registration=other, assessor=budi)

    assert open_load(budi) == 0


def test_check_reports_blocks_and_warnings_together(registration):
    local = assessor(full_name="Agus Salim", region=region("33.72"))
    previous = RegistrationFactory(region=registration.region, period=2026)
    AssignmentFactory(registration=previous, assessor=local)

    report = check_assessor(local, registration, READINESS)

    assert (len(report.blocks), len(report.warnings), report.blocked) == (1, 1, True)
