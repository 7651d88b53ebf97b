import time

from django.core.management.base import BaseCommand

from ballots.tasks import advance_phases
from civic.tasks import flush_outbox


class Command(BaseCommand):
    help = (
        "Move every cycle forward to the phase its dates say, and mix due batches of "
        "ballots into their boxes. Run it every minute (--every 60 keeps running and "
        "does so itself)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            metavar="SECONDS",
            help="Keep running, checking every SECONDS (0: check once and stop).",
        )

    def handle(self, *args, every=0, **options):
        while True:
            self.advance()
            if every <= 0:
                return
            time.sleep(every)

    def advance(self):
        done = advance_phases()
        for name, before, after in done["moved"]:
            self.stdout.write(f"{name}: {before} → {after}")
        self.stdout.write(self.style.SUCCESS(f"{len(done['moved'])} cycle(s) moved."))
        if done["mixed"]:
            self.stdout.write(f"{done['mixed']} ballot(s) mixed into the box.")
        # Emails whose send failed are due again (with no worker, e.g. make run).
        flushed = flush_outbox()
        if flushed:
            self.stdout.write(f"{flushed} email(s) queued again.")
