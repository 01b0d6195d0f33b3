from django.core.management.base import BaseCommand, CommandError

from kotacerdas.scheduling.reminders import parse_now, send_reminders


class Command(BaseCommand):
    help = (
        "Send the reminders that are due: data-entry windows about to close and "
        "registrations waiting for the admins. Safe to run as often as you like; "
        "nothing is sent twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            help="Pretend it is this time (ISO 8601, e.g. 2026-05-24T08:00+07:00); "
            "a time without zone is read in TIME_ZONE.",
        )

    def handle(self, *args, **options):
        now = None
        if options["now"]:
            try:
                now = parse_now(options["now"])
            except ValueError as error:
                raise CommandError(str(error)) from error

        sent = send_reminders(now=now)
        self.stdout.write(
            f"Reminders sent: {sent['window']} about closing windows, "
            f"{sent['waiting']} about waiting registrations."
        )
