"""The schedule pages: what they show and what posting their forms does."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from kotacerdas.scheduling.models import (
    AssessmentEvent,
    ConflictDeclaration,
    DataEntryWindow,
    Stage,
    TeamAssignment,
)
from tests.scheduling.factories import (
    AssignmentFactory,
    DeclarationFactory,
    EventFactory,
    RegistrationFactory,
    WindowFactory,
    assessor,
    region,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def jayapura(db):
    return RegistrationFactory(region=region("91.71"))


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def _manage(registration, stage=Stage.READINESS):
    return reverse("scheduling:manage", args=[registration.pk, stage])


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def _text(response):
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


# The data-entry window.


def test_window_times_are_read_in_the_region_zone(admin_client, jayapura):
    admin_client.post(
        _manage(jayapura),
        {
            "action": "window",
            "opens_at": "2027-03-01T09:00",
            "closes_at": "2027-03-31T16:00",
        },
    )

    window = DataEntryWindow.objects.get(registration=jayapura)
    assert (window.opens_at, window.closes_at) == (
        datetime(2027, 3, 1, 0, 0, tzinfo=UTC),
        datetime(2027, 3, 31, 7, 0, tzinfo=UTC),
    )


def test_saved_window_redirects_back_with_a_message(admin_client, registration):
    response = admin_client.post(
        _manage(registration),
        {
            "action": "window",
            "opens_at": "2027-03-01T08:00",
            "closes_at": "2027-03-31T16:00",
        },
    )

    assert (response.status_code, response["Location"], _messages(response)) == (
        302,
        _manage(registration),
        ["The data-entry window is saved."],
    )


def test_window_closing_before_it_opens_keeps_the_input(admin_client, registration):
    response = admin_client.post(
        _manage(registration),
        {
            "action": "window",
            "opens_at": "2027-03-31T08:00",
            "closes_at": "2027-03-01T16:00",
        },
    )

    html = response.content.decode()
    assert (
        response.status_code,
        "The window must close after it opens." in html,
        'value="2027-03-31T08:00"' in html,
        DataEntryWindow.objects.count(),
    ) == (200, True, True, 0)


def test_changing_an_open_window_shows_the_refusal_not_an_error(
    admin_client, registration
):
    WindowFactory(registration=registration)

    response = admin_client.post(
        _manage(registration),
        {
            "action": "window",
            "opens_at": "2027-03-01T08:00",
            "closes_at": "2027-03-31T16:00",
        },
    )

    assert (response.status_code, _messages(response)) == (
        200,
        ["The window is already open and can only be extended, with a reason."],
    )


def test_open_window_shows_the_extension_form(admin_client, registration):
    WindowFactory(registration=registration)

    response = admin_client.get(_manage(registration))

    html = response.content.decode()
    assert (
        'data-testid="extend-form"' in html,
        'data-testid="window-form"' in html,
    ) == (
        True,
        False,
    )


def test_extension_without_reason_is_refused_on_the_form(admin_client, registration):
    window = WindowFactory(registration=registration)
    later = timezone.localtime(window.closes_at + timedelta(days=3))

    response = admin_client.post(
        _manage(registration),
        {"action": "extend", "new_closes_at": later.strftime("%Y-%m-%dT%H:%M")},
    )

    window.refresh_from_db()
    assert (response.status_code, window.extensions.count()) == (200, 0)
    assert "This field is required." in response.content.decode()


def test_extension_with_reason_moves_the_closing(admin_client, jayapura):
    window = WindowFactory(
        registration=jayapura,
        opens_at=timezone.now() - timedelta(days=2),
        closes_at=timezone.now() + timedelta(days=2),
    )

    admin_client.post(
        _manage(jayapura),
        {
            "action": "extend",
            "new_closes_at": "2099-01-31T16:00",
            "reason": "Gangguan jaringan.",
        },
    )

    window.refresh_from_db()
    assert window.closes_at == datetime(2099, 1, 31, 7, 0, tzinfo=UTC)


# Events.


def _event_data(**overrides):
    return {
        "action": "event",
        "kind": "interview",
        "starts_at": "2099-03-02T09:00",
        "ends_at": "2099-03-02T11:00",
        "place": "",
        "online_url": "https://meet.example.org/ppti",
        "notes": "",
        **overrides,
    }


def test_adding_an_event_stores_it_in_utc(admin_client, jayapura):
    admin_client.post(_manage(jayapura), _event_data())

    event = AssessmentEvent.objects.get(registration=jayapura)
    assert (event.kind, event.starts_at, event.ends_at) == (
        "interview",
        datetime(2099, 3, 2, 0, 0, tzinfo=UTC),
        datetime(2099, 3, 2, 2, 0, tzinfo=UTC),
    )


def test_site_visit_without_place_is_refused_on_the_form(admin_client, registration):
    response = admin_client.post(
        _manage(registration), _event_data(kind="site_visit", online_url="")
    )

    assert (response.status_code, AssessmentEvent.objects.count()) == (200, 0)
    assert "Give the place of the site visit." in response.content.decode()


def test_event_overlapping_a_team_members_other_event_warns(
    admin_client, registration, budi
):
    AssignmentFactory(registration=registration, assessor=budi, is_lead=True)
    bogor = RegistrationFactory(region=region("32.01"))
    AssignmentFactory(registration=bogor, assessor=budi, is_lead=True)
    EventFactory(
        registration=bogor,
        starts_at=datetime(2099, 3, 2, 3, 0, tzinfo=UTC),
        ends_at=datetime(2099, 3, 2, 5, 0, tzinfo=UTC),
    )

    response = admin_client.post(
        _manage(registration),
        _event_data(starts_at="2099-03-02T09:00", ends_at="2099-03-02T12:00"),
    )

    assert _messages(response) == [
        "The event is scheduled and everyone concerned is notified.",
        "Budi Santoso has another event at that time: desk review Kabupaten Bogor, "
        "2 March 2099, 10:00 WIB.",
    ]


def test_cancelling_an_event_without_reason_keeps_it(admin_client, registration):
    event = EventFactory(registration=registration)

    response = admin_client.post(
        _manage(registration), {"action": "cancel", "event": event.pk, "reason": ""}
    )

    event.refresh_from_db()
    assert (response.status_code, event.is_cancelled) == (200, False)


def test_cancelling_an_event_with_reason(admin_client, registration):
    event = EventFactory(registration=registration)

    admin_client.post(
        _manage(registration),
        {"action": "cancel", "event": event.pk, "reason": "Asesor sakit."},
    )

    event.refresh_from_db()
    assert (event.is_cancelled, event.cancel_reason) == (True, "Asesor sakit.")


def test_cancelling_an_event_of_another_registration_is_404(admin_client, registration):
    other = EventFactory(registration=RegistrationFactory(region=region("32.01")))

    response = admin_client.post(
        _manage(registration),
        {"action": "cancel", "event": other.pk, "reason": "Salah."},
    )

    assert response.status_code == 404


def test_editing_an_event_raises_its_revision(admin_client, jayapura):
    event = EventFactory(registration=jayapura)

    response = admin_client.post(
        reverse("scheduling:event_edit", args=[event.pk]),
        {
            "kind": "site_visit",
            "starts_at": "2099-04-01T09:00",
            "ends_at": "2099-04-01T15:00",
            "place": "Kantor Wali Kota Jayapura",
            "online_url": "",
            "notes": "",
        },
    )

    event.refresh_from_db()
    assert (response.status_code, event.kind, event.starts_at, event.sequence) == (
        302,
        "site_visit",
        datetime(2099, 4, 1, 0, 0, tzinfo=UTC),
        1,
    )


def test_edit_form_shows_the_event_in_the_region_zone(admin_client, jayapura):
    event = EventFactory(
        registration=jayapura,
        starts_at=datetime(2099, 4, 1, 0, 0, tzinfo=UTC),
        ends_at=datetime(2099, 4, 1, 2, 0, tzinfo=UTC),
    )

    response = admin_client.get(reverse("scheduling:event_edit", args=[event.pk]))

    assert 'value="2099-04-01T09:00"' in response.content.decode()


def test_a_cancelled_event_cannot_be_edited(admin_client, registration):
    event = EventFactory(registration=registration, cancelled_at=timezone.now())

    response = admin_client.get(reverse("scheduling:event_edit", args=[event.pk]))

    assert response.status_code == 404


# The team.


def test_assigning_through_the_page(admin_client, registration, budi):
    response = admin_client.post(
        _manage(registration), {"action": "assign", "assessor": budi.pk}
    )

    assert (response.status_code, _messages(response)) == (
        302,
        ["Budi Santoso is on the team."],
    )


def test_blocked_assessor_is_shown_as_an_error(admin_client, registration, budi):
    DeclarationFactory(assessor=budi, region=registration.region, reason="Keluarga.")

    response = admin_client.post(
        _manage(registration),
        {"action": "assign", "assessor": budi.pk, "acknowledge_warnings": "on"},
    )

    html = response.content.decode()
    assert (
        response.status_code,
        TeamAssignment.objects.count(),
        html.count('data-conflict="block"'),
        'name="acknowledge_warnings"' in html,
    ) == (200, 0, 1, False)


def test_warnings_ask_for_confirmation_before_assigning(
    admin_client, registration, budi
):
    previous = RegistrationFactory(region=registration.region, period=2026)
    AssignmentFactory(registration=previous, assessor=budi)

    response = admin_client.post(
        _manage(registration), {"action": "assign", "assessor": budi.pk}
    )

    html = response.content.decode()
    assert (
        response.status_code,
        registration.team_assignments.count(),
        html.count('data-conflict="warning"'),
        'name="acknowledge_warnings"' in html,
    ) == (200, 0, 1, True)


def test_confirmed_warnings_assign_the_assessor(admin_client, registration, budi):
    previous = RegistrationFactory(region=registration.region, period=2026)
    AssignmentFactory(registration=previous, assessor=budi)

    response = admin_client.post(
        _manage(registration),
        {"action": "assign", "assessor": budi.pk, "acknowledge_warnings": "on"},
    )

    assert (response.status_code, registration.team_assignments.count()) == (302, 1)


def test_htmx_check_returns_only_the_conflict_report(admin_client, registration):
    local = assessor(full_name="Agus Salim", region=registration.region)

    response = admin_client.get(
        reverse("scheduling:team_check", args=[registration.pk, Stage.READINESS]),
        {"assessor": local.pk},
        headers={"HX-Request": "true"},
    )

    html = response.content.decode()
    assert ("<html" in html, _text(response)) == (
        False,
        "Agus Salim belongs to Kota Surakarta and may not assess it.",
    )


def test_htmx_check_of_a_clean_assessor_says_so(admin_client, registration, budi):
    response = admin_client.get(
        reverse("scheduling:team_check", args=[registration.pk, Stage.READINESS]),
        {"assessor": budi.pk},
        headers={"HX-Request": "true"},
    )

    assert _text(response) == "No conflict of interest found."


def test_htmx_check_without_an_assessor_is_empty(admin_client, registration):
    response = admin_client.get(
        reverse("scheduling:team_check", args=[registration.pk, Stage.READINESS]),
        {"assessor": ""},
        headers={"HX-Request": "true"},
    )

    assert _text(response) == ""


def test_removing_the_lead_with_members_left_is_refused_with_a_message(
    admin_client, registration, budi, dewi
):
    lead = AssignmentFactory(registration=registration, assessor=budi, is_lead=True)
    AssignmentFactory(registration=registration, assessor=dewi)

    response = admin_client.post(reverse("scheduling:team_remove", args=[lead.pk]))

    assert (response["Location"], _messages(response)) == (
        _manage(registration),
        ["Choose another lead assessor before taking the lead off the team."],
    )


def test_making_a_member_the_lead(admin_client, registration, budi, dewi):
    AssignmentFactory(registration=registration, assessor=budi, is_lead=True)
    member = AssignmentFactory(registration=registration, assessor=dewi)

    admin_client.post(reverse("scheduling:team_lead", args=[member.pk]))

    member.refresh_from_db()
    assert member.is_lead is True


def test_unknown_action_is_404(admin_client, registration):
    response = admin_client.post(_manage(registration), {"action": "explode"})

    assert response.status_code == 404


def test_planning_page_shows_the_schedule_history(admin_client, registration, budi):
    admin_client.post(_manage(registration), {"action": "assign", "assessor": budi.pk})

    response = admin_client.get(_manage(registration))

    assert 'data-action="schedule.assessor_assigned"' in response.content.decode()


# The read-only schedule.


def test_coordinator_sees_the_events_and_the_team(client, registration, budi):
    AssignmentFactory(registration=registration, assessor=budi, is_lead=True)
    event = EventFactory(
        registration=registration,
        starts_at=datetime(2099, 3, 2, 2, 0, tzinfo=UTC),
        ends_at=datetime(2099, 3, 2, 5, 0, tzinfo=UTC),
    )
    client.force_login(registration.coordinator)

    response = client.get(reverse("scheduling:detail", args=[registration.pk]))

    text = _text(response)
    html = response.content.decode()
    assert (
        "Budi Santoso lead assessor" in text,
        "2 March 2099, 09:00 WIB – 2 March 2099, 12:00 WIB" in text,
        reverse("scheduling:event_ics", args=[event.pk]) in html,
        "Plan this stage" in text,
    ) == (True, True, True, False)


def test_assessor_sees_only_the_stage_they_assess(client, registration, budi):
    AssignmentFactory(registration=registration, assessor=budi, is_lead=True)
    client.force_login(budi)

    response = client.get(reverse("scheduling:detail", args=[registration.pk]))

    html = response.content.decode()
    assert re.findall(r'data-stage="(\w+)"', html) == ["readiness"]


# Conflict declarations.


def test_assessor_declares_a_conflict_on_the_page(client, budi):
    client.force_login(budi)

    response = client.post(
        reverse("scheduling:conflicts"),
        {"region": region("33.72").pk, "reason": "Pernah menjadi konsultan Pemkot."},
    )

    assert (response.status_code, ConflictDeclaration.objects.count()) == (302, 1)


def test_declaring_twice_shows_a_message_and_keeps_the_input(client, budi):
    DeclarationFactory(assessor=budi, region=region("33.72"))
    client.force_login(budi)

    response = client.post(
        reverse("scheduling:conflicts"),
        {"region": region("33.72").pk, "reason": "Sekali lagi."},
    )

    assert (response.status_code, _messages(response)) == (
        200,
        ["A conflict with Kota Surakarta is already declared."],
    )
    assert "Sekali lagi." in response.content.decode()


# My schedule.


def test_my_schedule_lists_my_upcoming_events_only(client, registration, budi):
    AssignmentFactory(registration=registration, assessor=budi, is_lead=True)
    mine = EventFactory(registration=registration)
    EventFactory(registration=RegistrationFactory(region=region("32.01")))
    client.force_login(budi)

    response = client.get(reverse("scheduling:mine"))

    assert re.findall(r'data-event="(\d+)"', response.content.decode()) == [
        str(mine.pk)
    ]


def _events_for(person, count):
    for index in range(count):
        other = RegistrationFactory(region=region("32.01"), period=2030 + index)
        AssignmentFactory(registration=other, assessor=person, is_lead=True)
        EventFactory(registration=other)


# session, user, roles, unread count (navigation), events, assignments
MY_SCHEDULE_QUERIES = 6


@pytest.mark.parametrize("count", [1, 6])
def test_my_schedule_queries_do_not_grow_with_events(
    client, budi, django_assert_num_queries, count
):
    _events_for(budi, count)
    client.force_login(budi)

    with django_assert_num_queries(MY_SCHEDULE_QUERIES):
        response = client.get(reverse("scheduling:mine"))

    assert len(re.findall(r'data-event="\d+"', response.content.decode())) == count


def test_htmx_check_of_a_malformed_assessor_is_empty(admin_client, registration):
    response = admin_client.get(
        reverse("scheduling:team_check", args=[registration.pk, Stage.READINESS]),
        {"assessor": "1 OR 1=1"},
        headers={"HX-Request": "true"},
    )

    assert (response.status_code, _text(response)) == (200, "")


def test_assessor_on_the_team_is_not_offered_again(admin_client, registration, budi):
    AssignmentFactory(registration=registration, assessor=budi, is_lead=True)
    other = assessor(full_name="Dewi Lestari")

    response = admin_client.get(_manage(registration))

    offered = re.findall(
        r'<option value="(\d+)"', response.content.decode().split("assign-form")[1]
    )
    assert offered == [str(other.pk)]


def test_cancel_without_reason_says_why(admin_client, registration):
    event = EventFactory(registration=registration)

    response = admin_client.post(
        _manage(registration), {"action": "cancel", "event": event.pk, "reason": ""}
    )

    assert _messages(response) == ["Give the reason for the cancellation."]


def test_coordinator_finds_the_region_schedule_on_my_schedule(client, registration):
    client.force_login(registration.coordinator)

    response = client.get(reverse("scheduling:mine"))

    assert reverse("scheduling:detail", args=[registration.pk]) in (
        response.content.decode()
    )


# session, user, roles, unread count (navigation), registrations
OVERVIEW_QUERIES = 5


@pytest.mark.parametrize("count", [1, 6])
def test_overview_queries_do_not_grow_with_registrations(
    admin_client, django_assert_num_queries, count
):
    for index in range(count):
        registration = RegistrationFactory(region=region("32.01"), period=2030 + index)
        WindowFactory(registration=registration)
        EventFactory(registration=registration)
        AssignmentFactory(registration=registration, is_lead=True)

    with django_assert_num_queries(OVERVIEW_QUERIES):
        response = admin_client.get(reverse("scheduling:overview"))

    rows = re.findall(r"<tr>\s*<td>Kabupaten Bogor</td>", response.content.decode())
    assert len(rows) == count
