"""Reminders: due ones are sent once, however often the command runs."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kotacerdas.common.models import Notification
from kotacerdas.registrations.models import RegistrationState
from kotacerdas.scheduling import services
from kotacerdas.scheduling.models import SchedulingSettings, SentReminder
from kotacerdas.scheduling.reminders import send_reminders
from kotacerdas.scheduling.tasks import send_reminders_task
from tests.scheduling.factories import (
    RegistrationFactory,
    WindowFactory,
    member_of,
    region,
)

pytestmark = pytest.mark.django_db

# The window closes on 31 March 2027 at 16.00 WIB.
CLOSES = datetime(2027, 3, 31, 9, 0, tzinfo=UTC)
OPENS = datetime(2027, 3, 1, 1, 0, tzinfo=UTC)


@pytest.fixture
def window(registration):
    return WindowFactory(registration=registration, opens_at=OPENS, closes_at=CLOSES)


def _closing(user):
    return list(
        Notification.objects.filter(recipient=user, action="schedule.window_closing")
        .order_by("id")
        .values_list("subject", flat=True)
    )


def _days_before(days, hours=0):
    return CLOSES - timedelta(days=days) + timedelta(hours=hours)


def test_nothing_is_sent_before_the_first_threshold(window):
    sent = send_reminders(now=_days_before(8))

    assert (sent, Notification.objects.count()) == ({"window": 0, "waiting": 0}, 0)


def test_seven_days_before_the_coordinator_is_reminded(window):
    send_reminders(now=_days_before(7))

    assert _closing(window.registration.coordinator) == [
        "Reminder: data entry for Kota Surakarta closes on 31 March 2027, 16:00 WIB"
    ]


def test_reminder_goes_to_the_team_of_the_registration(window):
    member = member_of(window.registration)

    send_reminders(now=_days_before(7))

    assert len(_closing(member)) == 1


def test_running_twice_sends_one_reminder(window):
    send_reminders(now=_days_before(7))
    second = send_reminders(now=_days_before(7, hours=1))

    assert (second["window"], len(_closing(window.registration.coordinator))) == (0, 1)


def test_the_one_day_reminder_follows_the_seven_day_one(window):
    send_reminders(now=_days_before(7))
    send_reminders(now=_days_before(3))
    send_reminders(now=_days_before(1))
    send_reminders(now=_days_before(1, hours=2))

    assert len(_closing(window.registration.coordinator)) == 2


def test_a_late_first_run_sends_only_the_nearest_reminder(window):
    send_reminders(now=_days_before(1))
    send_reminders(now=_days_before(0, hours=-2))

    assert (
        len(_closing(window.registration.coordinator)),
        sorted(SentReminder.objects.values_list("key", flat=True)),
    ) == (
        1,
        [
            f"window-close:{window.pk}:1:2027-03-31",
            f"window-close:{window.pk}:7:2027-03-31",
        ],
    )


def test_an_extension_brings_new_reminders_for_the_new_date(window, admin_user):
    send_reminders(now=_days_before(7))
    send_reminders(now=_days_before(1))
    services.extend_window(
        window,
        actor=admin_user,
        new_closes_at=CLOSES + timedelta(days=5),
        reason="Server daerah mati.",
    )

    send_reminders(now=_days_before(0, hours=-1))

    assert _closing(window.registration.coordinator)[-1] == (
        "Reminder: data entry for Kota Surakarta closes on 5 April 2027, 16:00 WIB"
    )


def test_an_extension_is_reminded_once_too(window, admin_user):
    services.extend_window(
        window,
        actor=admin_user,
        new_closes_at=CLOSES + timedelta(days=5),
        reason="Server daerah mati.",
    )

    send_reminders(now=CLOSES)
    send_reminders(now=CLOSES + timedelta(hours=3))

    assert len(_closing(window.registration.coordinator)) == 1


def test_a_closed_window_is_not_reminded(window):
    sent = send_reminders(now=CLOSES + timedelta(minutes=1))

    assert sent["window"] == 0


def test_a_window_not_open_yet_is_not_reminded(registration):
    WindowFactory(registration=registration, opens_at=_days_before(3), closes_at=CLOSES)

    sent = send_reminders(now=_days_before(5))

    assert sent["window"] == 0


def test_reminder_days_come_from_the_settings(window):
    SchedulingSettings.objects.create(reminder_days="3")

    early = send_reminders(now=_days_before(7))
    due = send_reminders(now=_days_before(3))

    assert (early["window"], due["window"]) == (0, 1)


def test_reminder_key_is_written_with_the_number_of_recipients(window):
    member_of(window.registration)

    send_reminders(now=_days_before(7))

    assert list(SentReminder.objects.values_list("key", "recipients")) == [
        (f"window-close:{window.pk}:7:2027-03-31", 2)
    ]


def test_each_window_is_reminded_on_its_own(window):
    other = RegistrationFactory(region=region("91.71"))
    WindowFactory(registration=other, opens_at=OPENS, closes_at=CLOSES)

    sent = send_reminders(now=_days_before(7))

    assert sent["window"] == 2


def test_window_key_uses_the_closing_date_in_the_region_zone(registration):
    # 31 March 20.00 UTC is already 1 April 05.00 in Jayapura.
    jayapura = RegistrationFactory(region=region("91.71"))
    late = WindowFactory(
        registration=jayapura,
        opens_at=OPENS,
        closes_at=datetime(2027, 3, 31, 20, 0, tzinfo=UTC),
    )

    send_reminders(now=datetime(2027, 3, 30, 21, 0, tzinfo=UTC))

    assert sorted(SentReminder.objects.values_list("key", flat=True)) == [
        f"window-close:{late.pk}:1:2027-04-01",
        f"window-close:{late.pk}:7:2027-04-01",
    ]


# Registrations waiting for the admins.

SUBMITTED = datetime(2027, 1, 10, 2, 0, tzinfo=UTC)


@pytest.fixture
def waiting(db):
    return RegistrationFactory(
        state=RegistrationState.SUBMITTED, submitted_at=SUBMITTED, decided_at=None
    )


def _waiting(user):
    return list(
        Notification.objects.filter(recipient=user, action="registration.waiting")
        .order_by("id")
        .values_list("subject", "body")
    )


def test_admin_is_reminded_of_a_registration_waiting_too_long(waiting, admin_user):
    send_reminders(now=SUBMITTED + timedelta(days=5))

    assert _waiting(admin_user) == [
        (
            "Waiting for the completeness check: Kota Surakarta 2027",
            "Kota Surakarta submitted its registration for 2027 on 10 January 2027, "
            "09:00 WIB. It has waited more than 5 days for the completeness check.",
        )
    ]


def test_a_registration_waiting_less_long_is_not_reminded(waiting, admin_user):
    send_reminders(now=SUBMITTED + timedelta(days=4, hours=23))

    assert _waiting(admin_user) == []


def test_the_waiting_reminder_is_sent_once(waiting, admin_user):
    send_reminders(now=SUBMITTED + timedelta(days=5))
    send_reminders(now=SUBMITTED + timedelta(days=6))
    send_reminders(now=SUBMITTED + timedelta(days=30))

    assert len(_waiting(admin_user)) == 1


def test_a_resubmission_waits_afresh(waiting, admin_user):
    send_reminders(now=SUBMITTED + timedelta(days=5))
    resubmitted = SUBMITTED + timedelta(days=9)
    type(waiting).objects.filter(pk=waiting.pk).update(submitted_at=resubmitted)

    send_reminders(now=resubmitted + timedelta(days=5))

    assert len(_waiting(admin_user)) == 2


def test_waiting_days_come_from_the_settings(waiting, admin_user):
    SchedulingSettings.objects.create(admin_waiting_days=10)

    send_reminders(now=SUBMITTED + timedelta(days=6))

    assert _waiting(admin_user) == []


def test_accepted_registrations_do_not_wait(registration, admin_user):
    send_reminders(now=registration.submitted_at + timedelta(days=60))

    assert _waiting(admin_user) == []


# The command and the task.


def test_command_reports_what_it_sent(window):
    out = StringIO()

    call_command("send_reminders", "--now", "2027-03-24T16:00+07:00", stdout=out)

    assert out.getvalue() == (
        "Reminders sent: 1 about closing windows, 0 about waiting registrations.\n"
    )


def test_command_run_twice_sends_nothing_the_second_time(window):
    call_command("send_reminders", "--now", "2027-03-24T16:00+07:00", stdout=StringIO())
    out = StringIO()

    call_command("send_reminders", "--now", "2027-03-24T17:00+07:00", stdout=out)

    assert (out.getvalue(), len(_closing(window.registration.coordinator))) == (
        "Reminders sent: 0 about closing windows, 0 about waiting registrations.\n",
        1,
    )


def test_command_reads_a_time_without_zone_in_the_institute_zone(window):
    # 24 March 15.59 WIB is a minute before the seven-day threshold.
    out = StringIO()

    call_command("send_reminders", "--now", "2027-03-24T15:59", stdout=out)

    assert out.getvalue().startswith("Reminders sent: 0 about closing windows")


def test_command_refuses_a_bad_time():
    with pytest.raises(CommandError) as error:
        call_command("send_reminders", "--now", "tomorrow", stdout=StringIO())

    assert str(error.value) == "not an ISO date and time: 'tomorrow'"


def test_task_sends_the_same_reminders(window):
    result = send_reminders_task.enqueue("2027-03-24T16:00+07:00")

    assert (result.return_value, len(_closing(window.registration.coordinator))) == (
        {"window": 1, "waiting": 0},
        1,
    )
