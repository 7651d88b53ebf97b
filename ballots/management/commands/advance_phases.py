from django.core.management.base import BaseCommand

from ballots.models import Cycle
from ballots.services import cycle_refresh_phase


class Command(BaseCommand):
    help = "Move every cycle forward to the phase its dates say (run from cron every minute)."

    def handle(self, *args, **options):
        moved = 0
        for cycle in Cycle.objects.filter(archived=False).exclude(phase="delivery"):
            before = cycle.phase
            cycle = cycle_refresh_phase(cycle)
            if cycle.phase != before:
                moved += 1
                self.stdout.write(f"{cycle.name}: {before} → {cycle.phase}")
        self.stdout.write(self.style.SUCCESS(f"{moved} cycle(s) moved."))
