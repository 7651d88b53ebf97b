from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from civic.errors import DomainError
from civic.site_backup import backup


class Command(BaseCommand):
    help = (
        "Back up the whole site (database and uploaded media) into a new directory. "
        "The seal key is not included: keep it separately (docs/operations.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory, **options):
        try:
            manifest = backup(directory)
        except DomainError as error:
            raise CommandError(str(error)) from None
        sizes = ", ".join(
            f"{name} ({(directory / name).stat().st_size:,} bytes)"
            for name in manifest["files"]
        )
        self.stdout.write(self.style.SUCCESS(f"Backed up into {directory}: {sizes}."))
