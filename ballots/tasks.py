"""Background work for cycles: the scheduler that moves phases by date and mixes due
batches of ballots (Celery beat runs it every minute; `advance_phases` does the same
from the command line), an officer's heavy phase changes and counts, the recount of
each published result (queued when `events.result_published` is announced), and the
export files of a closed vote. Live-results broadcasts are `ballots.live`'s own task."""

import logging
from datetime import timedelta

from celery import shared_task
from django.core.cache import cache
from django.dispatch import receiver
from django.utils import timezone

from civic.models import User
from civic.tasks import in_background, queue

from . import ballot_box, events, exports, lifecycle, notifications, services
from .models import BEFORE_VOTING, Cycle, Phase, Section, Tally
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
    exports.recount_published(tally, tally.section.cycle.rules)
    return True


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


@receiver(events.result_published)
def _recount_when_published(sender, tally_id: int, **kwargs) -> None:
    queue(recount_tally, tally_id)


# What the worker is doing with an officer's heavy move, for the phase page: a move
# queued, running, done or refused, kept a day (in the shared cache).
def _status_key(cycle_id: int) -> str:
    return f"nb:cycle-work:{cycle_id}"


def work_status(cycle_id: int) -> dict | None:
    """{"what": "counting" | "results" | "count", "state": "queued" | "running" |
    "done" | "refused", "at": when it got there, "message": why it was refused}."""
    return cache.get(_status_key(cycle_id))


def _tell(cycle_id: int, what: str, state: str, message: str = "") -> None:
    cache.set(
        _status_key(cycle_id),
        {"what": what, "state": state, "at": timezone.now(), "message": message},
        timeout=86400,
    )


def _cycle_and_actor(cycle_id: int, actor_id: int | None):
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return Cycle.objects.get(pk=cycle_id), actor


@shared_task
def change_phase(cycle_id: int, phase: str, actor_id: int | None) -> str:
    """An officer's phase change that publishes a result (it counts every ballot):
    `set_phase_by_hand` queues it. Returns the phase the cycle is in, or
    why the move was refused (a second click, or a move made meanwhile)."""
    cycle, actor = _cycle_and_actor(cycle_id, actor_id)
    _tell(cycle_id, phase, "running")
    try:
        done = services.cycle_set_phase(actor=actor, cycle=cycle, phase=phase).phase
    except VotingError as error:
        log.warning("phase change of cycle %s refused: %s", cycle_id, error.message)
        _tell(cycle_id, phase, "refused", error.message)
        return error.message
    except Exception:
        _tell(cycle_id, phase, "failed")
        raise
    _tell(cycle_id, phase, "done")
    return done


@shared_task
def count_cycle(cycle_id: int, actor_id: int | None) -> int:
    """An officer's count before publishing; returns how many results were stored."""
    cycle, actor = _cycle_and_actor(cycle_id, actor_id)
    _tell(cycle_id, "count", "running")
    try:
        stored = len(services.cycle_count(actor=actor, cycle=cycle, publish=False))
    except Exception:
        _tell(cycle_id, "count", "failed")
        raise
    _tell(cycle_id, "count", "done")
    return stored


# Moves that read or count every ballot: in the worker when a task queue runs.
HEAVY = {Phase.COUNTING, Phase.RESULTS}


def set_phase_by_hand(*, actor, cycle: Cycle, phase: str) -> bool:
    """An officer's phase change (the cycle page and the back office). Closing the vote
    and publishing the result read every ballot, seconds on a large vote, so with a
    task queue those moves run in the worker (`change_phase`): they are
    checked now, so a refusal is said at once, and False is returned. Any other move,
    or any move without a broker, is made now and True is returned."""
    if phase in HEAVY and in_background():
        lifecycle.check_move(Cycle.objects.get(pk=cycle.pk), phase)
        _tell(cycle.pk, phase, "queued")
        queue(change_phase, cycle.pk, phase, actor.pk)
        return False
    services.cycle_set_phase(actor=actor, cycle=cycle, phase=phase)
    return True


def count_by_hand(*, actor, cycle: Cycle) -> bool:
    """An officer's count before publishing: in the worker when a task queue runs
    (False), else now (True); a cycle not yet closed is refused at once."""
    if in_background():
        services.check_countable(cycle)
        _tell(cycle.pk, "count", "queued")
        queue(count_cycle, cycle.pk, actor.pk)
        return False
    services.cycle_count(actor=actor, cycle=cycle, publish=False)
    return True


def request_build(section: Section) -> None:
    """Queue the build of a section's files, once while one is on its way (the task
    clears the flag; without a broker it runs here and now)."""
    if cache.add(exports.building_key(section.pk), 1, timeout=60):
        queue(build_export, section.pk)


@shared_task
def voting_reminders() -> int:
    """Once for each vote opening in the next day: text the people following its
    forums who asked to be reminded (through GOV.UK Notify). Returns texts queued."""
    now = timezone.now()
    sent = 0
    for cycle in Cycle.objects.filter(
        archived=False,
        reminded_at__isnull=True,
        voting_start__gt=now,
        voting_start__lte=now + timedelta(days=1),
        phase__in=BEFORE_VOTING,
    ):
        sent += notifications.voting_opens_tomorrow(cycle)
        Cycle.objects.filter(pk=cycle.pk).update(reminded_at=now)
    return sent
