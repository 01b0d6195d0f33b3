"""Reminders before a data-entry window closes, and to admins about waiting
registrations.

``send_reminders`` may run as often as one likes (cron every hour, the task
worker, by hand): every reminder has a key naming what it is about, and a key
is written once, in the same transaction as the notifications it stands for.
An extension changes the closing date and so the keys, which is why the
reminders come again for the new date.
"""

import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from kotacerdas.common.notifications import notify
from kotacerdas.registrations.models import Registration, RegistrationState
from kotacerdas.scheduling.localtime import local_time_text
from kotacerdas.scheduling.models import (
    DataEntryWindow,
    SchedulingSettings,
    SentReminder,
    Stage,
)
from kotacerdas.scheduling.services import active_admins, schedule_path, site_path

logger = logging.getLogger(__name__)


def send_reminders(*, now=None):
    """Send every reminder that is due at ``now`` and was not sent before.

    Returns ``{"window": n, "waiting": m}``, the number of reminders sent.
    Side effects: SentReminder rows and notifications.
    """
    now = now or timezone.now()
    config = SchedulingSettings.load()
    sent = {
        "window": _window_reminders(now, config.reminder_day_list),
        "waiting": _waiting_reminders(now, config.admin_waiting_days),
    }
    logger.info("reminders sent at %s: %s", now.isoformat(), sent)
    return sent


def parse_now(text):
    """An ISO 8601 date and time; one without zone is read in TIME_ZONE.

    Raises ValueError when ``text`` is not one.
    """
    moment = parse_datetime(text.strip())
    if moment is None:
        raise ValueError(f"not an ISO date and time: {text!r}")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def window_key(window, days):
    closes_on = timezone.localtime(window.closes_at, window.registration.region.zone)
    return f"window-close:{window.pk}:{days}:{closes_on.date().isoformat()}"


def _window_reminders(now, days):
    """One reminder per window and threshold; when several thresholds are due at
    once (the command did not run for a while) only the nearest is sent and the
    others are marked as done."""
    if not days:
        return 0
    windows = (
        DataEntryWindow.objects.filter(
            registration__state=RegistrationState.ACCEPTED,
            opens_at__lte=now,
            closes_at__gt=now,
            closes_at__lte=now + timedelta(days=max(days)),
        )
        .select_related("registration__region", "registration__coordinator")
        .order_by("closes_at", "pk")
    )
    due = {}
    for window in windows:
        thresholds = [d for d in days if now >= window.closes_at - timedelta(days=d)]
        due[window] = [window_key(window, d) for d in sorted(thresholds)]
    done = _sent_keys([key for keys in due.values() for key in keys])

    count = 0
    for window, keys in due.items():
        if keys[0] in done:
            continue
        if _send_once(keys, lambda w=window: _remind_window(w)):
            count += 1
    return count


def _remind_window(window):
    registration = window.registration
    people = {registration.coordinator_id: registration.coordinator}
    for member in registration.team.filter(is_active=True):
        people.setdefault(member.pk, member)
    return notify(
        people.values(),
        action="schedule.window_closing",
        subject=_("Reminder: data entry for %(region)s closes on %(closes)s"),
        body=_(
            "The data-entry window of the %(stage)s stage of %(region)s closes on "
            "%(closes)s. Finish the data and submit it before then."
        ),
        params={
            "region": str(registration.region),
            "stage": Stage(window.stage).label,
            "closes": local_time_text(window.closes_at, registration.region),
        },
        url=schedule_path(registration),
    )


def waiting_key(registration):
    # The submission time names the round: a resubmission waits afresh.
    return f"admin-waiting:{registration.pk}:{registration.submitted_at:%Y%m%dT%H%M%S}"


def _waiting_reminders(now, waiting_days):
    registrations = list(
        Registration.objects.filter(
            state__in=RegistrationState.waiting_for_admin(),
            submitted_at__lte=now - timedelta(days=waiting_days),
        )
        .select_related("region")
        .order_by("submitted_at", "pk")
    )
    done = _sent_keys([waiting_key(r) for r in registrations])
    admins = list(active_admins())

    count = 0
    for registration in registrations:
        key = waiting_key(registration)
        if key in done:
            continue
        if _send_once(
            [key],
            lambda r=registration: _remind_admins(r, admins, waiting_days),
        ):
            count += 1
    return count


def _remind_admins(registration, admins, waiting_days):
    return notify(
        admins,
        action="registration.waiting",
        subject=_("Waiting for the completeness check: %(region)s %(period)s"),
        body=_(
            "%(region)s submitted its registration for %(period)s on %(submitted)s. "
            "It has waited more than %(days)s days for the completeness check."
        ),
        params={
            "region": str(registration.region),
            "period": registration.period,
            "submitted": local_time_text(
                registration.submitted_at, registration.region
            ),
            "days": waiting_days,
        },
        url=site_path("registrations:detail", registration.pk),
    )


def _sent_keys(keys):
    return set(SentReminder.objects.filter(key__in=keys).values_list("key", flat=True))


def _send_once(keys, send):
    """Write the keys and send, together; False when another run was first."""
    try:
        with transaction.atomic():
            SentReminder.objects.create(key=keys[0])
            SentReminder.objects.bulk_create(
                [SentReminder(key=key) for key in keys[1:]], ignore_conflicts=True
            )
            notifications = send()
            SentReminder.objects.filter(key=keys[0]).update(
                recipients=len(notifications)
            )
    except IntegrityError:
        logger.info("reminder %s was sent by another run", keys[0])
        return False
    return True
