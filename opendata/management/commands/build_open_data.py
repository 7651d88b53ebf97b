from django.core.management.base import BaseCommand

from opendata.tasks import refresh


class Command(BaseCommand):
    help = (
        "Build the open-data downloads now (the scheduler rebuilds them every 15 "
        "minutes when the data has changed)."
    )

    def handle(self, *args, **options):
        written = refresh(force=True)
        self.stdout.write(self.style.SUCCESS(f"{written} open-data files built."))
