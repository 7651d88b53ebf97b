import random
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ballots.ballot_box import MIX_BATCH
from ballots.models import Cycle, Phase
from demo.ballots import OPEN_CYCLE, vote_with_codes


class Command(BaseCommand):
    help = (
        "Demo only: keep the demo's open vote going, casting a batch of ballots with "
        "posted voting codes every so often, so its live results move. `make run` "
        "starts it; it refuses to run without DEBUG."
    )

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, metavar="SECONDS")
        parser.add_argument("--ballots", type=int, default=MIX_BATCH)

    def handle(self, *args, every=0, ballots=MIX_BATCH, **options):
        if not settings.DEBUG:
            raise CommandError(
                "demo_voting casts demo ballots, so it only runs with DEBUG=1."
            )
        rng = random.Random()
        while True:
            cycle = Cycle.objects.filter(slug=OPEN_CYCLE, phase=Phase.VOTING).first()
            if cycle is None:
                self.stdout.write("The demo vote is not open: nothing to do.")
                return
            cast = vote_with_codes(cycle, ballots, rng)
            self.stdout.write(f"{cast} demo ballot(s) cast in {cycle.name}.")
            if every <= 0:
                return
            time.sleep(every)
