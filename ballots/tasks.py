"""Background work for cycles: the scheduler that moves phases by date and mixes due
batches of ballots (Celery beat runs it every minute; `advance_phases` does the same
from the command line), and the recount of each published result."""

from celery import shared_task

from . import ballot_box, live, services, tallying
from .models import Cycle, Tally


@shared_task
def advance_phases() -> dict:
    """Move every cycle to the phase its dates say, and mix due batches of ballots:
    {"moved": [(cycle name, from phase, to phase)...], "mixed": ballots mixed}."""
    moved = []
    for cycle in Cycle.objects.filter(archived=False).exclude(phase="delivery"):
        before = cycle.phase
        cycle = services.cycle_refresh_phase(cycle)
        if cycle.phase != before:
            moved.append((cycle.name, before, cycle.phase))
    return {"moved": moved, "mixed": ballot_box.mix_due()}


@shared_task
def recount_tally(pk: int) -> bool:
    """Recount a published result from its own published export and keep the answer
    on it, so the recount page never waits for a count (seconds on 90,000 ballots)."""
    tally = (
        Tally.objects.filter(pk=pk, published=True)
        .select_related("section__place", "section__cycle")
        .first()
    )
    if tally is None:
        return False
    tally.section_cached = tally.section
    tallying.recount_published(tally, tally.section.cycle.rules)
    return True


@shared_task(ignore_result=True)
def broadcast_results(cycle_id: int) -> None:
    """The coalesced live-results broadcast of a cycle (see ballots/live.py)."""
    live.flush(cycle_id)
