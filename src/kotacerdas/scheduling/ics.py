"""iCalendar files: one per assessment event, and each user's personal feed.

Times are written in the region's own zone (a TZID with its VTIMEZONE), so a
calendar shows a site visit in Jayapura at 09.00 WIT whatever zone the reader
is in. ``UID`` never changes for an event and ``SEQUENCE`` rises on every
change, so calendar programs update or cancel their copy instead of adding one.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from kotacerdas.scheduling.services import schedule_path

PRODID = "-//PPTI//Indeks Kematangan Kota Cerdas//ID"


def _domain():
    return urlsplit(settings.SITE_URL).hostname or "kotacerdas.local"


def event_uid(event):
    return f"{event.uid}@{_domain()}"


def summary(event):
    """``Wawancara: Kota Surakarta (kesiapan (tahap 1))`` in the active language."""
    return _("%(kind)s: %(region)s (%(stage)s)") % {
        "kind": capfirst(event.get_kind_display()),
        "region": event.registration.region,
        "stage": event.get_stage_display(),
    }


def _description(event):
    lines = []
    if event.notes:
        lines.append(event.notes)
    if event.online_url:
        lines.append(_("Online meeting: %(url)s") % {"url": event.online_url})
    if event.is_cancelled and event.cancel_reason:
        lines.append(_("Cancelled: %(reason)s") % {"reason": event.cancel_reason})
    lines.append(
        _("Schedule: %(url)s")
        % {"url": settings.SITE_URL + schedule_path(event.registration)}
    )
    return "\n\n".join(lines)


def vevent(event, *, stamp=None):
    """The VEVENT of one event; its registration and region must be loaded."""
    zone = event.registration.region.zone
    component = Event()
    component.add("uid", event_uid(event))
    component.add("dtstamp", stamp or timezone.now())
    component.add("dtstart", timezone.localtime(event.starts_at, zone))
    component.add("dtend", timezone.localtime(event.ends_at, zone))
    component.add("summary", summary(event))
    component.add("description", _description(event))
    if event.place:
        component.add("location", event.place)
    elif event.online_url:
        component.add("location", event.online_url)
    if event.online_url:
        component.add("url", event.online_url)
    component.add("sequence", event.sequence)
    component.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    component.add("created", event.created_at)
    component.add("last-modified", event.updated_at)
    component.add("categories", [event.get_kind_display()])
    return component


def calendar(events, *, language, owner=None):
    """A VCALENDAR holding ``events``, written in ``language``, as bytes; a
    personal feed names its ``owner``."""
    with translation.override(language):
        cal = Calendar()
        cal.add("prodid", PRODID)
        cal.add("version", "2.0")
        cal.add("calscale", "GREGORIAN")
        cal.add("method", "PUBLISH")
        if owner is not None:
            cal.add(
                "x-wr-calname",
                _("PPTI schedule: %(name)s") % {"name": owner.full_name},
            )
        stamp = timezone.now()
        for event in events:
            cal.add_component(vevent(event, stamp=stamp))
        # One VTIMEZONE per zone the events use, built from the tz database.
        cal.add_missing_timezones()
        return cal.to_ical()
