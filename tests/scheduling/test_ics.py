"""Calendar files, parsed back with icalendar: zone, instant, identity, status."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from kotacerdas.scheduling import services
from kotacerdas.scheduling.ics import calendar
from kotacerdas.scheduling.models import EventKind, Stage
from tests.scheduling.factories import (
    AssignmentFactory,
    EventFactory,
    RegistrationFactory,
    region,
)

pytestmark = pytest.mark.django_db

# 09.00–11.00 WIT in Kota Jayapura is 00.00–02.00 UTC.
START = datetime(2027, 3, 2, 0, 0, tzinfo=UTC)


@pytest.fixture
def jayapura_event(db):
    registration = RegistrationFactory(region=region("91.71"))
    return EventFactory(
        registration=registration,
        kind=EventKind.SITE_VISIT,
        starts_at=START,
        ends_at=START + timedelta(hours=2),
        place="Kantor Wali Kota Jayapura, Jl. Balai Kota No. 1",
        online_url="https://meet.example.org/visitasi",
    )


def _parse(content):
    return Calendar.from_ical(content)


def _only_event(content):
    [event] = _parse(content).walk("VEVENT")
    return event


def test_event_file_parses_as_one_vevent(jayapura_event):
    parsed = _parse(calendar([jayapura_event], language="en"))

    assert (len(parsed.walk("VEVENT")), str(parsed["VERSION"])) == (1, "2.0")


def test_times_carry_the_region_time_zone(jayapura_event):
    event = _only_event(calendar([jayapura_event], language="en"))

    assert (event["DTSTART"].params["TZID"], event["DTEND"].params["TZID"]) == (
        "Asia/Jayapura",
        "Asia/Jayapura",
    )


def test_local_time_is_nine_o_clock_wit(jayapura_event):
    event = _only_event(calendar([jayapura_event], language="en"))

    assert event.decoded("DTSTART") == datetime(
        2027, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Jayapura")
    )


def test_the_instant_in_utc_is_the_stored_one(jayapura_event):
    event = _only_event(calendar([jayapura_event], language="en"))

    assert (
        event.decoded("DTSTART").astimezone(UTC),
        event.decoded("DTEND").astimezone(UTC),
    ) == (START, START + timedelta(hours=2))


def test_the_file_holds_the_vtimezone_of_the_zone(jayapura_event):
    parsed = _parse(calendar([jayapura_event], language="en"))

    [zone] = parsed.walk("VTIMEZONE")
    [standard] = zone.walk("STANDARD")
    assert (str(zone["TZID"]), str(standard["TZNAME"])) == ("Asia/Jayapura", "WIT")


def test_events_of_two_zones_get_two_vtimezones(jayapura_event):
    surakarta = EventFactory(registration=RegistrationFactory())

    parsed = _parse(calendar([jayapura_event, surakarta], language="en"))

    assert sorted(str(z["TZID"]) for z in parsed.walk("VTIMEZONE")) == [
        "Asia/Jakarta",
        "Asia/Jayapura",
    ]


def test_summary_location_and_url(jayapura_event):
    event = _only_event(calendar([jayapura_event], language="en"))

    assert (str(event["SUMMARY"]), str(event["LOCATION"]), str(event["URL"])) == (
        "Site visit: Kota Jayapura (readiness (stage 1))",
        "Kantor Wali Kota Jayapura, Jl. Balai Kota No. 1",
        "https://meet.example.org/visitasi",
    )


def test_uid_is_the_event_calendar_id_at_the_site_domain(jayapura_event):
    event = _only_event(calendar([jayapura_event], language="en"))

    assert str(event["UID"]) == f"{jayapura_event.uid}@127.0.0.1"


def test_update_keeps_the_uid_and_raises_the_sequence(admin_user):
    registration = RegistrationFactory(region=region("91.71"))
    event = services.add_event(
        registration,
        actor=admin_user,
        stage=Stage.READINESS,
        kind=EventKind.DESK_REVIEW,
        starts_at=START,
        ends_at=START + timedelta(hours=2),
    )
    before = _only_event(calendar([event], language="en"))

    event = services.update_event(
        event, actor=admin_user, ends_at=START + timedelta(hours=3)
    )
    after = _only_event(calendar([event], language="en"))

    assert (str(after["UID"]), before["SEQUENCE"], after["SEQUENCE"]) == (
        str(before["UID"]),
        0,
        1,
    )


def test_cancelled_event_has_status_cancelled(admin_user, jayapura_event):
    services.cancel_event(jayapura_event, actor=admin_user, reason="Jalan longsor.")
    jayapura_event.refresh_from_db()

    event = _only_event(calendar([jayapura_event], language="en"))

    assert (str(event["STATUS"]), event["SEQUENCE"]) == ("CANCELLED", 1)


def test_confirmed_event_has_status_confirmed(jayapura_event):
    event = _only_event(calendar([jayapura_event], language="en"))

    assert str(event["STATUS"]) == "CONFIRMED"


def test_description_links_to_the_schedule_page(jayapura_event):
    event = _only_event(calendar([jayapura_event], language="en"))

    assert str(event["DESCRIPTION"]).endswith(
        f"Schedule: http://127.0.0.1:8000/jadwal/{jayapura_event.registration_id}/"
    )


# The download view.


def test_assigned_assessor_downloads_the_event_file(client, budi, jayapura_event):
    AssignmentFactory(
        registration=jayapura_event.registration, assessor=budi, is_lead=True
    )
    client.force_login(budi)

    response = client.get(reverse("scheduling:event_ics", args=[jayapura_event.pk]))

    assert (
        response["Content-Type"],
        response["Content-Disposition"],
        len(_parse(response.content).walk("VEVENT")),
    ) == (
        "text/calendar; charset=utf-8",
        'attachment; filename="site_visit-91.71-20270302.ics"',
        1,
    )


def test_download_is_written_in_the_page_language(client, budi, jayapura_event):
    AssignmentFactory(
        registration=jayapura_event.registration, assessor=budi, is_lead=True
    )
    client.force_login(budi)

    response = client.get(f"/en/jadwal/acara/{jayapura_event.pk}.ics")

    assert str(_only_event(response.content)["SUMMARY"]) == (
        "Site visit: Kota Jayapura (readiness (stage 1))"
    )
