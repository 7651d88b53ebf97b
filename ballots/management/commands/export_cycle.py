import sys

from django.core.management.base import BaseCommand, CommandError

from ballots.backup import dumps, export_cycle
from ballots.models import Cycle


class Command(BaseCommand):
    help = "Write a whole cycle (rules, ballots, register, results) as JSON, to a file or stdout."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--output", "-o", help="file to write (default: stdout)")

    def handle(self, *args, **options):
        cycle = Cycle.objects.filter(slug=options["slug"]).first()
        if cycle is None:
            raise CommandError(f"No cycle called '{options['slug']}'.")
        data = export_cycle(cycle)
        text = dumps(data)
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as fh:
                fh.write(text)
            self.stderr.write(
                f"Wrote {options['output']} ({len(data['ballots'])} ballots)."
            )
        else:
            sys.stdout.write(text)
