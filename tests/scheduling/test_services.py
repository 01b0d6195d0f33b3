"""The domain functions of scheduling: windows, events and the assessor team."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from kotacerdas.common.audit import events_for
from kotacerdas.common.models import Notification
from kotacerdas.common.workflow import WorkflowError
from kotacerdas.registrations.models import RegistrationState
from kotacerdas.scheduling import services
from kotacerdas.scheduling.models import (
    AssessmentEvent,
    ConflictDeclaration,
    DataEntryWindow,
    EventKind,
    SchedulingSettings,
    Stage,
    TeamAssignment,
    WindowExtension,
)
from tests.factories import UserFactory
from tests.scheduling.factories import (
    AssignmentFactory,
    DeclarationFactory,
    RegistrationFactory,
    WindowFactory,
    assessor,
    member_of,
    region,
)

pytestmark = pytest.mark.django_db

READINESS = Stage.READINESS


def _future(days, hour=9):
    base = (timezone.now() + timedelta(days=days)).astimezone(UTC)
    return base.replace(hour=hour, minute=0, second=0, microsecond=0)


def _assign(registration, admin_user, person, **kwargs):
    return services.assign_assessor(
        registration, actor=admin_user, stage=READINESS, assessor=person, **kwargs
    )


def _subjects(user):
    return list(
        Notification.objects.filter(recipient=user)
        .order_by("id")
        .values_list("subject", flat=True)
    )


# The assessor team.


def test_assigning_a_clean_assessor_puts_them_on_the_team(
    registration, admin_user, budi
):
    _assign(registration, admin_user, budi)

    assert list(
        TeamAssignment.objects.filter(registration=registration).values_list(
            "assessor__full_name", "is_lead", "acknowledged_warnings"
        )
    ) == [("Budi Santoso", True, [])]


def test_a_block_refuses_the_assignment(registration, admin_user):
    local = assessor(full_name="Agus Salim", region=region("33.72"))

    with pytest.raises(services.AssignmentBlockedError) as error:
        _assign(registration, admin_user, local)

    assert error.value.blocks == [
        "Agus Salim belongs to Kota Surakarta and may not assess it."
    ]


def test_a_block_cannot_be_overridden_by_acknowledging(registration, admin_user, budi):
    DeclarationFactory(assessor=budi, region=region("33.72"))

    with pytest.raises(services.AssignmentBlockedError):
        _assign(registration, admin_user, budi, acknowledge_warnings=True)

    assert TeamAssignment.objects.filter(registration=registration).count() == 0


def test_warnings_refuse_the_assignment_until_acknowledged(
    registration, admin_user, budi
):
    previous = RegistrationFactory(region=registration.region, period=2026)
    AssignmentFactory(registration=previous, assessor=budi)

    with pytest.raises(services.WarningsNotAcknowledgedError) as error:
        _assign(registration, admin_user, budi)

    assert (len(error.value.warnings), registration.team_assignments.count()) == (1, 0)


def test_acknowledged_warnings_are_kept_with_the_assignment(
    registration, admin_user, budi
):
    previous = RegistrationFactory(region=registration.region, period=2026)
    AssignmentFactory(registration=previous, assessor=budi)

    assignment = _assign(registration, admin_user, budi, acknowledge_warnings=True)

    assert assignment.acknowledged_warnings == [
        "Budi Santoso assessed Kota Surakarta in its previous period (2026); the "
        "rotation rule asks for a different assessor."
    ]


def test_acknowledged_warnings_are_in_the_audit_note(registration, admin_user, budi):
    SchedulingSettings.objects.create(open_load_limit=1)
    AssignmentFactory(
        registration=RegistrationFactory(region=region("32.01")), assessor=budi
    )

    _assign(registration, admin_user, budi, acknowledge_warnings=True)

    [event] = events_for(registration).filter(action="schedule.assessor_assigned")
    assert event.note == (
        "Budi Santoso (lead assessor, readiness (stage 1)) — warnings confirmed: "
        "Budi Santoso already has 1 open assignment; this one makes 2, above the "
        "limit of 1."
    )


def test_the_first_assessor_becomes_the_lead(registration, admin_user, budi):
    assignment = _assign(registration, admin_user, budi, is_lead=False)

    assert assignment.is_lead is True


def test_a_second_assessor_joins_as_a_member(registration, admin_user, budi, dewi):
    _assign(registration, admin_user, budi)

    assignment = _assign(registration, admin_user, dewi)

    assert assignment.is_lead is False


def test_a_new_lead_demotes_the_old_one(registration, admin_user, budi, dewi):
    first = _assign(registration, admin_user, budi)

    _assign(registration, admin_user, dewi, is_lead=True)

    first.refresh_from_db()
    leads = TeamAssignment.objects.filter(registration=registration, is_lead=True)
    assert (first.is_lead, [a.assessor for a in leads]) == (False, [dewi])


def test_the_database_refuses_a_second_lead(registration, budi, dewi):
    AssignmentFactory(registration=registration, assessor=budi, is_lead=True)

    with pytest.raises(IntegrityError), transaction.atomic():
        AssignmentFactory(registration=registration, assessor=dewi, is_lead=True)


def test_each_stage_has_its_own_lead(registration, budi, dewi):
    AssignmentFactory(registration=registration, assessor=budi, is_lead=True)

    maturity = AssignmentFactory(
        registration=registration, assessor=dewi, stage=Stage.MATURITY, is_lead=True
    )

    assert maturity.is_lead is True


def test_an_assessor_cannot_join_the_same_team_twice(registration, admin_user, budi):
    _assign(registration, admin_user, budi)

    with pytest.raises(WorkflowError) as error:
        _assign(registration, admin_user, budi)

    assert error.value.message == "Budi Santoso is already on the team."


def test_only_assessors_can_be_assigned(registration, admin_user):
    instructor = UserFactory(full_name="Agus Prasetyo", roles=["instructor"])

    with pytest.raises(WorkflowError) as error:
        _assign(registration, admin_user, instructor)

    assert error.value.message == "Agus Prasetyo is not an assessor."


def test_only_admins_assign_assessors(registration, budi, dewi):
    with pytest.raises(PermissionDenied):
        _assign(registration, dewi, budi)


def test_assigning_notifies_the_assessor_and_the_coordinator(
    registration, admin_user, budi
):
    _assign(registration, admin_user, budi)

    assert (_subjects(budi), _subjects(registration.coordinator)) == (
        ["You are on the assessor team of Kota Surakarta"],
        ["Assessor team of Kota Surakarta"],
    )


def test_the_lead_cannot_leave_while_members_remain(
    registration, admin_user, budi, dewi
):
    lead = _assign(registration, admin_user, budi)
    _assign(registration, admin_user, dewi)

    with pytest.raises(WorkflowError) as error:
        services.remove_assessor(lead, actor=admin_user)

    assert error.value.message == (
        "Choose another lead assessor before taking the lead off the team."
    )


def test_a_member_can_be_taken_off_the_team(registration, admin_user, budi, dewi):
    _assign(registration, admin_user, budi)
    member = _assign(registration, admin_user, dewi)

    services.remove_assessor(member, actor=admin_user)

    assert [a.assessor for a in registration.team_assignments.all()] == [budi]


def test_the_last_assessor_can_leave_even_as_lead(registration, admin_user, budi):
    lead = _assign(registration, admin_user, budi)

    services.remove_assessor(lead, actor=admin_user)

    assert registration.team_assignments.count() == 0


def test_removing_twice_says_the_assessor_is_gone(registration, admin_user, budi):
    lead = _assign(registration, admin_user, budi)
    services.remove_assessor(lead, actor=admin_user)

    with pytest.raises(WorkflowError) as error:
        services.remove_assessor(lead, actor=admin_user)

    assert error.value.message == "This assessor is no longer on the team."


def test_set_lead_moves_the_lead(registration, admin_user, budi, dewi):
    _assign(registration, admin_user, budi)
    member = _assign(registration, admin_user, dewi)

    services.set_lead(member, actor=admin_user)

    leads = registration.team_assignments.filter(is_lead=True)
    assert [a.assessor for a in leads] == [dewi]


def test_set_lead_is_recorded(registration, admin_user, budi, dewi):
    _assign(registration, admin_user, budi)
    member = _assign(registration, admin_user, dewi)

    services.set_lead(member, actor=admin_user)

    [event] = events_for(registration).filter(action="schedule.lead_changed")
    assert (event.actor, event.note) == (
        admin_user,
        "Dewi Lestari (readiness (stage 1))",
    )


# Registrations that cannot be scheduled.


@pytest.mark.parametrize(
    "state",
    [
        RegistrationState.DRAFT,
        RegistrationState.SUBMITTED,
        RegistrationState.RETURNED,
        RegistrationState.WITHDRAWN,
        RegistrationState.REJECTED,
    ],
)
def test_only_accepted_registrations_can_be_scheduled(state, admin_user):
    registration = RegistrationFactory(state=state)

    with pytest.raises(WorkflowError) as error:
        services.set_window(
            registration,
            actor=admin_user,
            stage=READINESS,
            opens_at=_future(1),
            closes_at=_future(30),
        )

    assert error.value.message.startswith(
        "Only an accepted registration can be scheduled"
    )


def test_accepted_registration_can_be_scheduled(registration, admin_user):
    window = services.set_window(
        registration,
        actor=admin_user,
        stage=READINESS,
        opens_at=_future(1),
        closes_at=_future(30),
    )

    assert (window.opens_at, window.closes_at) == (_future(1), _future(30))


# Data-entry windows.


def test_window_must_close_after_it_opens(registration, admin_user):
    with pytest.raises(WorkflowError) as error:
        services.set_window(
            registration,
            actor=admin_user,
            stage=READINESS,
            opens_at=_future(5),
            closes_at=_future(5),
        )

    assert error.value.message == "The window must close after it opens."


def test_window_not_open_yet_can_be_moved(registration, admin_user):
    services.set_window(
        registration,
        actor=admin_user,
        stage=READINESS,
        opens_at=_future(1),
        closes_at=_future(30),
    )

    services.set_window(
        registration,
        actor=admin_user,
        stage=READINESS,
        opens_at=_future(2),
        closes_at=_future(31),
    )

    window = DataEntryWindow.objects.get(registration=registration)
    assert (window.opens_at, window.closes_at) == (_future(2), _future(31))


def test_open_window_can_only_be_extended(registration, admin_user):
    WindowFactory(registration=registration)

    with pytest.raises(WorkflowError) as error:
        services.set_window(
            registration,
            actor=admin_user,
            stage=READINESS,
            opens_at=_future(2),
            closes_at=_future(31),
        )

    assert error.value.message == (
        "The window is already open and can only be extended, with a reason."
    )


def test_setting_a_window_notifies_coordinator_and_team(registration, admin_user):
    member = member_of(registration, full_name="Yusuf Hidayat")

    services.set_window(
        registration,
        actor=admin_user,
        stage=READINESS,
        opens_at=_future(1),
        closes_at=_future(30),
    )

    assert (_subjects(registration.coordinator), _subjects(member)) == (
        ["Data-entry window set: Kota Surakarta"],
        ["Data-entry window set: Kota Surakarta"],
    )


def test_window_notification_shows_the_times_in_the_region_zone(admin_user):
    jayapura = RegistrationFactory(region=region("91.71"))

    services.set_window(
        jayapura,
        actor=admin_user,
        stage=READINESS,
        opens_at=datetime(2027, 3, 1, 0, 0, tzinfo=UTC),
        closes_at=datetime(2027, 3, 31, 7, 0, tzinfo=UTC),
    )

    [notification] = Notification.objects.filter(recipient=jayapura.coordinator)
    assert notification.body == (
        "The data for the readiness (stage 1) stage of Kota Jayapura can be filled "
        "in from 1 March 2027, 09:00 WIT until 31 March 2027, 16:00 WIT."
    )


def test_extension_moves_the_closing_and_keeps_the_reason(registration, admin_user):
    window = WindowFactory(registration=registration, closes_at=_future(10))

    services.extend_window(
        window,
        actor=admin_user,
        new_closes_at=_future(17),
        reason="Banjir di kantor Diskominfo.",
    )

    window.refresh_from_db()
    extension = WindowExtension.objects.get(window=window)
    assert (
        window.closes_at,
        extension.old_closes_at,
        extension.new_closes_at,
        extension.reason,
        extension.by,
    ) == (
        _future(17),
        _future(10),
        _future(17),
        "Banjir di kantor Diskominfo.",
        admin_user,
    )


def test_extension_needs_a_reason(registration, admin_user):
    window = WindowFactory(registration=registration, closes_at=_future(10))

    with pytest.raises(WorkflowError) as error:
        services.extend_window(
            window, actor=admin_user, new_closes_at=_future(17), reason="  "
        )

    assert error.value.message == "Give the reason for the extension."


def test_extension_must_close_later(registration, admin_user):
    window = WindowFactory(registration=registration, closes_at=_future(10))

    with pytest.raises(WorkflowError) as error:
        services.extend_window(
            window, actor=admin_user, new_closes_at=_future(9), reason="Salah ketik."
        )

    assert error.value.message.startswith("An extension must close later than ")


def test_extension_is_recorded_with_old_and_new_date_in_the_actors_language(
    admin_user,
):
    window = WindowFactory(
        registration=RegistrationFactory(),
        closes_at=datetime(2027, 3, 31, 9, 0, tzinfo=UTC),
    )

    with translation.override("id"):
        services.extend_window(
            window,
            actor=admin_user,
            new_closes_at=datetime(2027, 4, 7, 9, 0, tzinfo=UTC),
            reason="Libur Lebaran.",
        )

    [event] = events_for(window.registration).filter(action="schedule.window_extended")
    assert event.note == (
        "31 Maret 2027, 16:00 WIB → 7 April 2027, 16:00 WIB: Libur Lebaran."
    )


# Assessment events.


def _add(registration, admin_user, **kwargs):
    fields = {
        "stage": READINESS,
        "kind": EventKind.INTERVIEW,
        "starts_at": _future(10),
        "ends_at": _future(10, hour=11),
        "online_url": "https://meet.example.org/ppti",
    }
    return services.add_event(registration, actor=admin_user, **{**fields, **kwargs})


def test_adding_an_event_stores_it_with_revision_zero(registration, admin_user):
    event = _add(registration, admin_user)

    assert (event.kind, event.sequence, event.cancelled_at, event.created_by) == (
        "interview",
        0,
        None,
        admin_user,
    )


def test_site_visit_needs_a_place(registration, admin_user):
    with pytest.raises(WorkflowError) as error:
        _add(registration, admin_user, kind=EventKind.SITE_VISIT, online_url="")

    assert error.value.message == "Give the place of the site visit."


def test_interview_needs_a_link_or_a_place(registration, admin_user):
    with pytest.raises(WorkflowError) as error:
        _add(registration, admin_user, online_url="")

    assert error.value.message == "Give the meeting link or the place."


def test_event_must_end_after_it_starts(registration, admin_user):
    with pytest.raises(WorkflowError) as error:
        _add(registration, admin_user, ends_at=_future(10, hour=8))

    assert error.value.message == "The event must end after it starts."


def test_event_notification_carries_the_calendar_link(registration, admin_user, budi):
    AssignmentFactory(registration=registration, assessor=budi, is_lead=True)

    event = _add(registration, admin_user)

    [notification] = Notification.objects.filter(
        recipient=budi, action="schedule.event_added"
    )
    assert notification.body.endswith(
        f"Add it to your calendar: http://127.0.0.1:8000/jadwal/acara/{event.pk}.ics"
    )


def test_event_is_notified_to_coordinator_team_and_assessors(
    registration, admin_user, budi
):
    member = member_of(registration)
    AssignmentFactory(registration=registration, assessor=budi, is_lead=True)

    _add(registration, admin_user)

    recipients = set(
        Notification.objects.filter(action="schedule.event_added").values_list(
            "recipient", flat=True
        )
    )
    assert recipients == {registration.coordinator.pk, member.pk, budi.pk}


def test_updating_an_event_raises_its_revision(registration, admin_user):
    event = _add(registration, admin_user)

    event = services.update_event(
        event, actor=admin_user, starts_at=_future(11), ends_at=_future(11, hour=11)
    )

    assert (event.sequence, event.starts_at) == (1, _future(11))


def test_updating_without_a_change_keeps_the_revision(registration, admin_user):
    event = _add(registration, admin_user)

    event = services.update_event(event, actor=admin_user, starts_at=event.starts_at)

    assert event.sequence == 0


def test_updating_keeps_the_calendar_id(registration, admin_user):
    event = _add(registration, admin_user)
    uid = event.uid

    event = services.update_event(event, actor=admin_user, place="Balai Kota")

    assert event.uid == uid


def test_update_is_recorded_with_the_changed_fields(registration, admin_user):
    event = _add(registration, admin_user)

    services.update_event(event, actor=admin_user, place="Balai Kota", notes="Bawa SK.")

    [record] = events_for(registration).filter(action="schedule.event_updated")
    assert (record.note, record.data["changed"]) == (
        "interview: place, notes",
        ["place", "notes"],
    )


def test_cancelling_an_event_marks_it_and_raises_its_revision(registration, admin_user):
    event = _add(registration, admin_user)

    event = services.cancel_event(event, actor=admin_user, reason="Asesor sakit.")

    assert (event.is_cancelled, event.cancel_reason, event.sequence) == (
        True,
        "Asesor sakit.",
        1,
    )


def test_cancelling_needs_a_reason(registration, admin_user):
    event = _add(registration, admin_user)

    with pytest.raises(WorkflowError) as error:
        services.cancel_event(event, actor=admin_user, reason="")

    assert error.value.message == "Give the reason for the cancellation."


def test_a_cancelled_event_cannot_be_changed(registration, admin_user):
    event = _add(registration, admin_user)
    services.cancel_event(event, actor=admin_user, reason="Asesor sakit.")

    with pytest.raises(WorkflowError) as error:
        services.update_event(event, actor=admin_user, place="Balai Kota")

    assert error.value.message == (
        "This event was cancelled and cannot be changed; schedule a new one."
    )


def test_cancelling_twice_is_refused(registration, admin_user):
    event = _add(registration, admin_user)
    services.cancel_event(event, actor=admin_user, reason="Asesor sakit.")

    with pytest.raises(WorkflowError):
        services.cancel_event(event, actor=admin_user, reason="Lagi.")

    assert AssessmentEvent.objects.get(pk=event.pk).sequence == 1


def test_event_functions_refuse_non_admins(registration, budi):
    with pytest.raises(PermissionDenied):
        _add(registration, budi)


# Conflict declarations.


def test_assessor_declares_a_conflict_for_themselves(budi):
    services.declare_conflict(
        actor=budi, assessor=budi, region=region("33.72"), reason="Mantan ASN Pemkot."
    )

    assert list(
        ConflictDeclaration.objects.values_list("assessor", "region__code", "reason")
    ) == [(budi.pk, "33.72", "Mantan ASN Pemkot.")]


def test_an_assessor_cannot_declare_for_another(budi, dewi):
    with pytest.raises(PermissionDenied):
        services.declare_conflict(
            actor=dewi, assessor=budi, region=region("33.72"), reason="Kabar burung."
        )


def test_admin_records_a_conflict_for_an_assessor(admin_user, budi):
    declaration = services.declare_conflict(
        actor=admin_user, assessor=budi, region=region("33.72"), reason="Lewat surat."
    )

    assert declaration.recorded_by == admin_user


def test_declaring_the_same_region_twice_is_refused(budi):
    DeclarationFactory(assessor=budi, region=region("33.72"))

    with pytest.raises(WorkflowError) as error:
        services.declare_conflict(
            actor=budi, assessor=budi, region=region("33.72"), reason="Lagi."
        )

    assert error.value.message == "A conflict with Kota Surakarta is already declared."


def test_declaring_against_a_current_team_alerts_the_admins(
    registration, admin_user, budi
):
    AssignmentFactory(registration=registration, assessor=budi, is_lead=True)

    services.declare_conflict(
        actor=budi, assessor=budi, region=region("33.72"), reason="Baru menikah."
    )

    assert _subjects(admin_user) == ["Conflict of interest on a team: Kota Surakarta"]


def test_a_new_lead_records_the_handover_and_tells_the_former_lead(
    registration, admin_user, budi, dewi
):
    _assign(registration, admin_user, budi)

    _assign(registration, admin_user, dewi, is_lead=True)

    handover = [
        e for e in events_for(registration) if e.action == "schedule.lead_changed"
    ]
    assert [e.data for e in handover] == [
        {"assessor": dewi.pk, "former": budi.pk, "stage": READINESS}
    ]
    assert (
        Notification.objects.filter(
            recipient=budi, action="schedule.lead_changed"
        ).count()
        == 1
    )
