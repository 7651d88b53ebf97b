"""Background work for cycles: the scheduler that moves phases by date and mixes due
batches of ballots (Celery beat runs it every minute; `advance_phases` does the same
from the command line)."""

from celery import shared_task

from . import ballot_box
from .models import Cycle
from .services import cycle_refresh_phase


@shared_task
def advance_phases() -> dict:
    """Move every cycle to the phase its dates say, and mix due batches of ballots:
    {"moved": [(cycle name, from phase, to phase)...], "mixed": ballots mixed}."""
    moved = []
    for cycle in Cycle.objects.filter(archived=False).exclude(phase="delivery"):
        before = cycle.phase
        cycle = cycle_refresh_phase(cycle)
        if cycle.phase != before:
            moved.append((cycle.name, before, cycle.phase))
    return {"moved": moved, "mixed": ballot_box.mix_due()}
