from django.core.management.base import BaseCommand, CommandError

from ballots.importing import import_pabulib, progress_bar
from ballots.tally.model import TallyError


class Command(BaseCommand):
    help = "Import a Pabulib .pb file as an archived, counted cycle that can be browsed and recounted."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--name",
            default="",
            help="Name for the place and cycle (default: from META)",
        )
        parser.add_argument(
            "--rule",
            choices=("greedy", "equal_shares"),
            default=None,
            help="Counting rule (default: the one the file's META names)",
        )

    def handle(self, *args, **options):
        try:
            with open(options["file"], encoding="utf-8-sig") as fh:
                text = fh.read()
        except OSError as error:
            raise CommandError(f"Cannot read {options['file']}: {error}") from None
        try:
            cycle = import_pabulib(
                text,
                name=options["name"],
                progress=progress_bar(self.stderr._out),
                rule=options["rule"],
            )
        except TallyError as error:
            raise CommandError(
                f"{options['file']}: {error}. Nothing was imported."
            ) from None
        self.stderr.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {cycle.name}: {cycle.ballots.count()} ballots, result at {cycle.get_absolute_url()}results/"
            )
        )
