from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from civic.errors import DomainError
from civic.site_backup import restore


class Command(BaseCommand):
    help = (
        "Restore a site backup (backup_site) into this site's empty database and media "
        "directory. Needs the original BALLOT_SEAL_KEY; checks everything before writing."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Overwrite a database that already holds a site.",
        )

    def handle(self, *args, directory, replace, **options):
        try:
            manifest = restore(directory, replace=replace)
        except DomainError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {manifest['created_at']}. Run "
                "`manage.py migrate` (for a newer version) and `manage.py "
                "verify_audit_log`."
            )
        )
