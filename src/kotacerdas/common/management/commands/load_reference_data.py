from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kotacerdas.indicators.services import load_catalogue, load_default_methodologies
from kotacerdas.regions.services import load_regions


class Command(BaseCommand):
    help = (
        "Load regions, the ISO 37122 catalogue and the default methodology. "
        "Safe to run again: it changes only what differs and never duplicates."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Regions: {load_regions()}")
        self.stdout.write(f"Catalogue: {load_catalogue()}")
        try:
            for methodology, outcome in load_default_methodologies():
                self.stdout.write(f"Methodology v{methodology.version}: {outcome}")
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
