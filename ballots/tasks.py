"""Background work for cycles: the scheduler that moves phases by date and mixes due
batches of ballots (Celery beat runs it every minute; `advance_phases` does the same
from the command line), the recount of each published result, live-results
broadcasts, and the export files of a closed vote."""

import logging

from celery import shared_task
from django.core.cache import cache

from . import ballot_box, exports, live, services, tallying
from .models import Cycle, Phase, Section, Tally
from .validation import VotingError

log = logging.getLogger(__name__)


@shared_task
def advance_phases() -> dict:
    """Move every cycle to the phase its dates say, and mix due batches of ballots:
    {"moved": [(cycle name, from phase, to phase)...], "mixed": ballots mixed}."""
    moved = []
    for cycle in Cycle.objects.filter(archived=False).exclude(phase=Phase.DELIVERY):
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


@shared_task
def build_export(section_id: int) -> bool:
    """Build and keep one budget's export files (ballots/exports.py)."""
    try:
        section = (
            Section.objects.filter(pk=section_id)
            .select_related("cycle", "place", "budget")
            .first()
        )
        if section is None:
            return False
        exports.build(section, section.cycle.rules)
        return True
    finally:
        cache.delete(exports.building_key(section_id))


@shared_task
def build_exports(cycle_id: int) -> int:
    """Build every budget's export files of a cycle whose voting has closed."""
    sections = Section.objects.filter(cycle_id=cycle_id).select_related(
        "cycle", "place", "budget"
    )
    for section in sections:
        exports.build(section, section.cycle.rules)
    return len(sections)


def _cycle_and_actor(cycle_id: int, actor_id: int | None):
    from civic.models import User

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return Cycle.objects.get(pk=cycle_id), actor


@shared_task
def change_phase(cycle_id: int, phase: str, actor_id: int | None) -> str:
    """An officer's phase change that publishes a result (it counts every ballot):
    services.cycle_set_phase_by_hand queues it. Returns the phase the cycle is in, or
    why the move was refused (a second click, or a move made meanwhile)."""
    cycle, actor = _cycle_and_actor(cycle_id, actor_id)
    try:
        return services.cycle_set_phase(actor=actor, cycle=cycle, phase=phase).phase
    except VotingError as error:
        log.warning("phase change of cycle %s refused: %s", cycle_id, error.message)
        return error.message


@shared_task
def count_cycle(cycle_id: int, actor_id: int | None) -> int:
    """An officer's count before publishing; returns how many results were stored."""
    cycle, actor = _cycle_and_actor(cycle_id, actor_id)
    return len(services.cycle_count(actor=actor, cycle=cycle, publish=False))
