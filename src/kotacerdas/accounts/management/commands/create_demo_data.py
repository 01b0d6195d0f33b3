from django.core.management.base import BaseCommand, CommandError

from kotacerdas.accounts.demo import create_demo_accounts
from kotacerdas.regions.models import Region
from kotacerdas.registrations.demo import create_demo_registrations
from kotacerdas.scheduling.demo import create_demo_schedule
from kotacerdas.training.demo import create_demo_training


class Command(BaseCommand):
    help = "Create the demo accounts (one per role) and print their logins."

    def handle(self, *args, **options):
        if not Region.objects.exists():
            raise CommandError("Load the reference data first: load_reference_data")

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
