"""Live results: coalesced broadcasts to the browsers watching a cycle.

Casting never waits for, or fails because of, live updates: the database is the source of
truth. After a ballot commits (`events.ballots_cast`), `ballot_cast` asks for a
broadcast; a per-cycle flag in the
cache (Redis in production, shared by every server process) makes sure at most one
broadcast is pending per cycle. The process that set the flag waits COALESCE_SECONDS,
clears the flag, mixes a full batch of sealed ballots into the box (ballot_box.py), reads
the state from the database and sends it to the cycle's group, so
under a burst each cycle broadcasts a few times a second and the last state is always
sent (ballots committed after the flag is cleared schedule the next broadcast).
"""

from __future__ import annotations

import json
import logging
import threading

from asgiref.sync import async_to_sync
from celery import shared_task
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import close_old_connections
from django.db.models import prefetch_related_objects
from django.dispatch import receiver

from civic import metrics
from civic.tasks import in_background

from . import ballot_box, events, tallying
from .models import Cycle, Phase
from .selectors.results import live_state
from .services import supports
from .tally import collector_paused

log = logging.getLogger(__name__)

COALESCE_SECONDS = 0.5
_local_pending: set[int] = set()
_local_lock = threading.Lock()
_local_seq: dict[int, int] = {}


def group_name(cycle_id: int) -> str:
    return f"cycle-{cycle_id}-results"


def next_seq(cycle_id: int) -> int:
    """A per-cycle sequence number shared by all processes (cache), local as a fallback."""
    key = f"live-seq:{cycle_id}"
    try:
        cache.add(key, 0, timeout=None)
        return cache.incr(key)
    except Exception:  # noqa: BLE001 — the cache (Redis) is away: keep counting locally
        with _local_lock:
            _local_seq[cycle_id] = _local_seq.get(cycle_id, 0) + 1
            return 10**9 + _local_seq[cycle_id]


def current_seq(cycle_id: int) -> int:
    """The latest sequence number sent, without taking a new one (for snapshots)."""
    try:
        return int(cache.get(f"live-seq:{cycle_id}") or 0)
    except Exception:  # noqa: BLE001
        return 10**9 + _local_seq.get(cycle_id, 0)


@collector_paused()
def payload(cycle_id: int) -> dict:
    """What any viewer may see now: turnout always; support and the outcome so far only
    where the frozen rules allow live results. Read from the box's counts, with the
    cycle's sections fetched once (the cyclic garbage collector waits, as in a count:
    its passes over the many small values read here are pure overhead)."""
    cycle = Cycle.objects.select_related("place").get(pk=cycle_id)
    counted = ballot_box.counted(cycle_id)
    sections = list(cycle.sections.select_related("place").prefetch_related("projects"))
    state = live_state(cycle, counted, sections)
    # Online and paper from the same register as the turnout, read together, so the
    # page's figures always add up.
    data = {
        "phase": cycle.phase,
        "turnout": state["turnout"],
        "channels": state["channels"],
    }
    if cycle.phase == Phase.SUPPORTS:  # public counts, per proposal
        data["supports"] = {str(k): n for k, n in supports.counts(cycle).items()}
    if "sections" in state:
        data["sections"] = [
            {
                "id": s["id"],
                "rows": [
                    {"code": r["code"], "support": r["support"]} for r in s["rows"]
                ],
            }
            for s in state["sections"]
        ]
        outcome = {}
        if cycle.phase == Phase.VOTING and cycle.frozen_rules:
            rules = cycle.rules
            prefetch_related_objects(
                sections, "budget__contributions__ring_fence_category"
            )
            for section in sections:
                ballots = tallying.grouped(
                    counted.get(section.pk, ()), rules["ballot_method"]
                )
                outcome[str(section.pk)] = sorted(
                    tallying.count(section, rules, ballots).selected
                )
        data["outcome"] = outcome
    return data


def _send(cycle_id: int, message: dict) -> bool:
    layer = get_channel_layer()
    if layer is None:
        return False
    try:
        async_to_sync(layer.group_send)(group_name(cycle_id), message)
        metrics.add("live_broadcasts_total")
        return True
    except Exception as error:  # noqa: BLE001 — Redis away: live updates pause
        log.warning("live results: broadcast for cycle %s failed: %s", cycle_id, error)
        return False


def _latest_key(cycle_id: int) -> str:
    return f"live-latest:{cycle_id}"


def broadcast_now(cycle_id: int) -> bool:
    """Build the cycle's state once, keep it for snapshots, and send it as one text
    that every socket receives byte for byte (no per-socket encoding)."""
    try:
        data = payload(cycle_id)
    finally:
        close_old_connections()
    seq = next_seq(cycle_id)
    state = json.dumps(data, separators=(",", ":"))
    cache.set(_latest_key(cycle_id), (seq, state), timeout=3600)
    return _send(
        cycle_id,
        {"type": "results.update", "text": _framed("update", seq, state)},
    )


def _framed(kind: str, seq: int, state: str) -> str:
    return f'{{"type":"{kind}","seq":{seq},"data":{state}}}'


def snapshot(cycle_id: int) -> str:
    """What a socket is sent when it connects: the state last broadcast, kept in the
    cache, so a burst of connections reads no ballots; built afresh when none is kept
    (and kept then). The cache degrades by itself when Redis is away (civic/cache.py):
    a miss, and the state is built from the database."""
    kept = cache.get(_latest_key(cycle_id))
    if kept is None:
        seq = current_seq(cycle_id)
        state = json.dumps(payload(cycle_id), separators=(",", ":"))
        cache.add(_latest_key(cycle_id), (seq, state), timeout=3600)
    else:
        seq, state = kept
    return _framed("snapshot", seq, state)


def _claim(cycle_id: int) -> bool:
    try:
        return cache.add(f"live-pending:{cycle_id}", 1, timeout=10)
    except Exception:  # noqa: BLE001
        with _local_lock:
            if cycle_id in _local_pending:
                return False
            _local_pending.add(cycle_id)
            return True


def _release(cycle_id: int) -> None:
    try:
        cache.delete(f"live-pending:{cycle_id}")
    except Exception:  # noqa: BLE001
        pass
    with _local_lock:
        _local_pending.discard(cycle_id)


def flush(cycle_id: int) -> None:
    """Send the pending broadcast for a cycle (the task's body, and the timer's)."""
    _release(cycle_id)  # before reading: later ballots schedule the next broadcast
    try:
        ballot_box.mix_when_full(cycle_id)  # a full batch goes into the box first
    except Exception:  # noqa: BLE001 — the sealed ballots wait for the next turn
        log.exception("live results: could not mix the batch of cycle %s", cycle_id)
    try:
        broadcast_now(cycle_id)
    except Exception:  # noqa: BLE001 — never let a broadcast failure escape the timer
        log.exception("live results: could not build the update for cycle %s", cycle_id)
    finally:
        close_old_connections()


def forget(cycle_id: int) -> None:
    """Drop the state kept for snapshots: the next socket to connect gets a fresh one."""
    cache.delete(_latest_key(cycle_id))


@shared_task(ignore_result=True)
def broadcast_results(cycle_id: int) -> None:
    """The coalesced live-results broadcast of a cycle, in the task queue's worker."""
    flush(cycle_id)


@receiver(events.ballots_cast)
def _on_ballots_cast(sender, cycle_id: int, **kwargs) -> None:
    ballot_cast(cycle_id)


@receiver(events.supports_changed)
def _on_supports_changed(sender, cycle_id: int, **kwargs) -> None:
    # The kept state is stale at once (the supporter's next page load must not be
    # sent the count from before their click); then the same coalesced broadcast.
    forget(cycle_id)
    ballot_cast(cycle_id)


@receiver(events.phase_changed)
def _on_phase_changed(sender, cycle_id: int, **kwargs) -> None:
    phase_changed(cycle_id)


def ballot_cast(cycle_id: int) -> None:
    """Called after a ballot's transaction commits: a broadcast is due (one Redis
    write when another is already pending). The kept state is left as it is: a socket
    connecting now is in the group before it reads it, so it gets the broadcast that
    follows, which the claim below guarantees counts this ballot."""
    if _claim(cycle_id) and not _queued(cycle_id):
        timer = threading.Timer(COALESCE_SECONDS, flush, args=(cycle_id,))
        timer.daemon = True
        timer.start()


def _queued(cycle_id: int) -> bool:
    """With a task queue (a broker, not eager), the broadcast is built by a worker
    COALESCE_SECONDS from now, away from the processes answering requests; without
    one (`make run`), or if the broker refuses, a timer in this process builds it."""
    if not in_background():
        return False
    try:
        broadcast_results.apply_async((cycle_id,), countdown=COALESCE_SECONDS)
    except Exception as error:  # noqa: BLE001 — broker away: the timer does it
        log.warning("live results: could not queue the broadcast: %s", error)
        return False
    return True


def phase_changed(cycle_id: int) -> None:
    forget(cycle_id)  # the kept state shows the old phase

    phase = Cycle.objects.filter(pk=cycle_id).values_list("phase", flat=True).first()
    _send(
        cycle_id, {"type": "results.phase", "seq": next_seq(cycle_id), "phase": phase}
    )
