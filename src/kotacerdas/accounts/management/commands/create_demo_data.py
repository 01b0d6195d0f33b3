from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from kotacerdas.accounts.demo import create_demo_accounts
from kotacerdas.assessments.demo import create_demo_stages
from kotacerdas.maturity.demo import create_demo_maturity
from kotacerdas.regions.models import Region
from kotacerdas.registrations.demo import create_demo_registrations
from kotacerdas.scheduling.demo import create_demo_schedule
from kotacerdas.training.demo import create_demo_training

# The demo addresses belong to nobody, so the e-mails the demo's notifications
# would send are dropped; the notifications themselves stay in the inboxes.
DROP_MAIL = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}


class Command(BaseCommand):
    help = (
        "Create the demo data: one account per role, trainings, registrations in "
        "every state, a schedule, readiness and maturity stages and published "
        "reports. Running it again creates nothing new."
    )

    def handle(self, *args, **options):
        if not Region.objects.exists():
            raise CommandError("Load the reference data first: load_reference_data")

        with override_settings(MAILERS=DROP_MAIL):
            self._create()

    def _create(self):
        results = create_demo_accounts()
        self.stdout.write("")
        self.stdout.write("Demo logins (e-mail / password / role):")
        for account, created in results:
            roles = ", ".join(str(role.label) for role in account.roles)
            mark = "new" if created else "kept"
            self.stdout.write(
                f"  {account.email:32} {account.password:22} {roles} [{mark}]"
            )

        self.stdout.write("Demo trainings:")
        for line in create_demo_training():
            self.stdout.write(f"  {line}")

        self.stdout.write("Demo registrations (region / state):")
        for region, state, created in create_demo_registrations():
            mark = "new" if created else "kept"
            self.stdout.write(f"  {region!s:32} {state.label} [{mark}]")

        self.stdout.write(f"Demo schedule: {create_demo_schedule()}")

        self.stdout.write("Demo readiness stages:")
        for line in create_demo_stages():
            self.stdout.write(f"  {line}")

        self.stdout.write("Demo maturity stages and published reports:")
        for line in create_demo_maturity():
            self.stdout.write(f"  {line}")
