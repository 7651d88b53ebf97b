"""Background work for cycles: the scheduler that moves phases by date and mixes due
batches of ballots (Celery beat runs it every minute; `advance_phases` does the same
from the command line)."""

from celery import shared_task

from . import ballot_box
from .models import Cycle
from .services import cycle_refresh_phase


@shared_task
def advance_phases() -> dict:
    moved = 0
    for cycle in Cycle.objects.filter(archived=False).exclude(phase="delivery"):
        before = cycle.phase
        if cycle_refresh_phase(cycle).phase != before:
            moved += 1
    return {"moved": moved, "mixed": ballot_box.mix_due()}
