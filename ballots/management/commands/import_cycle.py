import json

from django.core.management.base import BaseCommand, CommandError

from ballots.backup import BackupError, import_cycle


class Command(BaseCommand):
    help = (
        "Restore a cycle written by export_cycle, and check its results by recounting."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--slug", help="restore under another slug")

    def handle(self, *args, **options):
        try:
            with open(options["file"], encoding="utf-8") as fh:
                data = json.load(fh)
            cycle, differing = import_cycle(data, slug=options["slug"])
        except (OSError, ValueError, KeyError, BackupError) as error:
            raise CommandError(f"Nothing was restored: {error}") from None
        if differing:
            raise CommandError(
                f"Restored, but the recount differs in: {', '.join(differing)}"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {cycle.name} as '{cycle.slug}': {cycle.ballots.count()} ballots; the recount matches."
            )
        )
