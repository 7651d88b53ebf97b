"""The ballot box, and how a cast ballot reaches it without a trace back to the voter.

The register (`VoterRecord`: that someone voted) and the box (`Ballot`: what was
voted) are written by different transactions, so nothing the database holds joins them:

1. Casting writes, in the voter's transaction, the register row and a *sealed* ballot
   (`SealedBallot`): the choices and receipt hash encrypted with AES-GCM under a key
   held outside the database (`BALLOT_SEAL_KEY`, or one derived from `SECRET_KEY`).
   The cast is acknowledged only once both are committed: the ballot is durable.
   A sealed row shares its transaction id and neighbourhood in the table with the
   register row, but says nothing readable, and it never becomes the counted ballot.
2. The mixer opens the sealed ballots of a cycle only when at least `MIX_BATCH` are
   waiting, and in one transaction of its own writes them into the box in a random
   order (with new random ids) and deletes the sealed rows. All ballots of a batch share
   one transaction id; their order and ids say nothing about who cast which, so the
   best anyone reading the database, a backup or an export can do is guess among the
   batch: chance among at least `MIX_BATCH` voters. A crash before the commit leaves
   the sealed rows as they were (nothing lost, nothing twice); after it, the batch is
   complete.
3. Live results count the box only (through `BoxCount`: the box's ballots grouped by
   their choice per section, written in the same transaction as the box, so a live
   update reads a few hundred rows, not every ballot), so they move in steps of at
   least `MIX_BATCH` ballots, never one voter's. The mixing is not done by the casting
   request: the coalesced live update (live.flush, in the task queue's worker) mixes
   what is waiting, once a batch is full, before it counts; where the cycle's
   `live_results_every` rule says so, at most every so many minutes (the scheduler,
   `advance_phases`, mixes batches that are due).
4. When voting closes, the remaining sealed ballots are mixed in and the whole box is
   rewritten in a random order in one transaction, so the final box carries no trace
   of the batches either.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import Counter
from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone

from civic import sealing

from . import events
from .models import Ballot, BoxCount, Cycle, Phase, SealedBallot

MIX_BATCH = 20
_shuffle = random.SystemRandom().shuffle


def seal(choices: dict, receipt_hash: str) -> bytes:
    body = json.dumps({"c": choices, "r": receipt_hash}, separators=(",", ":"))
    return sealing.seal(body.encode(), "nb-ballot-seal", b"nb-ballot")


def unseal(sealed: bytes) -> dict:
    data = json.loads(sealing.unseal(sealed, "nb-ballot-seal", b"nb-ballot"))
    return {"choices": data["c"], "receipt_hash": data["r"]}


def drop(cycle_id: int, choices: dict, receipt_hash: str) -> None:
    """Put a cast ballot, sealed, into the cycle's mixing buffer (voter's transaction)."""
    SealedBallot.objects.create(cycle_id=cycle_id, sealed=seal(choices, receipt_hash))


def waiting(cycle_id: int) -> list[tuple[SealedBallot, dict]]:
    return [
        (row, unseal(row.sealed))
        for row in SealedBallot.objects.filter(cycle_id=cycle_id)
    ]


def contents(cycle_id: int) -> list[dict]:
    """Every ballot cast in the cycle, in the box or still waiting (opened), shuffled
    together: for backups, whose order must say nothing about who voted when."""
    ballots = [
        {"choices": b.choices, "receipt_hash": b.receipt_hash}
        for b in Ballot.objects.filter(cycle_id=cycle_id).iterator()
    ] + [opened for _row, opened in waiting(cycle_id)]
    _shuffle(ballots)
    return ballots


def find_waiting(cycle_id: int, receipt_hash: str) -> tuple[SealedBallot, dict] | None:
    """A ballot still in the buffer, by its receipt (the buffer is at most a batch or
    so, opened in memory: no receipt hash is ever stored in the clear beside it)."""
    for row, opened in waiting(cycle_id):
        if opened["receipt_hash"] == receipt_hash:
            return row, opened
    return None


@transaction.atomic
def mix(cycle_id: int, *, minimum: int = MIX_BATCH) -> int:
    """Move the cycle's sealed ballots into the box in a random order, if at least
    `minimum` are waiting; returns how many were moved."""
    # Locked in one order, so two mixers never deadlock; a second mixer finds the
    # rows the first moved gone, and too few left to mix.
    rows = list(
        SealedBallot.objects.select_for_update()
        .filter(cycle_id=cycle_id)
        .order_by("pk")
    )
    if len(rows) < max(minimum, 1):
        return 0
    opened = [unseal(row.sealed) for row in rows]
    _shuffle(opened)
    Ballot.objects.bulk_create(
        Ballot(cycle_id=cycle_id, choices=o["choices"], receipt_hash=o["receipt_hash"])
        for o in opened
    )
    count_in(cycle_id, [o["choices"] for o in opened])
    SealedBallot.objects.filter(pk__in=[row.pk for row in rows]).delete()
    return len(rows)


def choice_key(value) -> str:
    """A section's choice as the canonical text `BoxCount` groups by."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def _grouped(ballots: Iterable[tuple[dict, int]]) -> Counter:
    """(section id, choice key) → how many, from (ballot choices, how many) pairs."""
    grouped: Counter = Counter()
    for choices, n in ballots:
        for sid, value in choices.items():
            if value not in (None, [], {}):
                grouped[(int(sid), choice_key(value))] += n
    return grouped


def count_in(cycle_id: int, ballots: Iterable[dict], sign: int = 1) -> None:
    """Add ballots' choices to the box's counts (sign −1: take them away), in the
    caller's transaction, with the rows they touch locked."""
    delta = _grouped((choices, sign) for choices in ballots)
    if not delta:
        return
    rows = {
        (row.section_id, row.choice): row
        for row in BoxCount.objects.select_for_update().filter(
            cycle_id=cycle_id, choice__in={key for _sid, key in delta}
        )
    }
    new, changed, emptied = [], [], []
    for (sid, key), n in delta.items():
        row = rows.get((sid, key))
        if row is None:
            if n < 0:
                raise ValueError(f"the box holds no ballot {key} for section {sid}")
            new.append(
                BoxCount(cycle_id=cycle_id, section_id=sid, choice=key, ballots=n)
            )
        else:
            row.ballots += n
            if row.ballots:
                changed.append(row)
            else:
                emptied.append(row.pk)
    BoxCount.objects.bulk_create(new)
    BoxCount.objects.bulk_update(changed, ["ballots"])
    if emptied:
        BoxCount.objects.filter(pk__in=emptied).delete()


def fill(cycle_id: int, ballots: Iterable[tuple[dict, int]]) -> None:
    """The counts of a box that has none yet (an import, a restore): from (ballot
    choices, how many) pairs, written in one pass."""
    BoxCount.objects.bulk_create(
        (
            BoxCount(cycle_id=cycle_id, section_id=sid, choice=key, ballots=n)
            for (sid, key), n in _grouped(ballots).items()
        ),
        batch_size=2000,
    )


@transaction.atomic
def recount_box(cycle_id: int) -> None:
    """Count the box's ballots again from scratch (after a restore, or to check)."""
    BoxCount.objects.filter(cycle_id=cycle_id).delete()
    fill(
        cycle_id,
        (
            (choices, 1)
            for choices in Ballot.objects.filter(cycle_id=cycle_id)
            .values_list("choices", flat=True)
            .iterator(chunk_size=5000)
        ),
    )


def counted(cycle_id: int) -> dict[int, list[tuple[object, int]]]:
    """The box's counts: per section, (choice, how many ballots hold it)."""
    out: dict[int, list[tuple[object, int]]] = {}
    for sid, key, n in BoxCount.objects.filter(cycle_id=cycle_id).values_list(
        "section_id", "choice", "ballots"
    ):
        out.setdefault(sid, []).append((json.loads(key), n))
    return out


def mix_when_full(cycle_id: int, now=None) -> int:
    """From the coalesced live update (live.flush, at most every COALESCE_SECONDS
    while ballots arrive) and from the scheduler: mix if a full batch is waiting and
    the cycle's `live_results_every` rule (minutes; 0: whenever a batch is full)
    allows a new batch yet. Returns how many ballots were moved into the box."""

    # A cheap count first, so a batch that is not full neither reads the cycle nor
    # locks the buffer.
    if SealedBallot.objects.filter(cycle_id=cycle_id).count() < MIX_BATCH:
        return 0
    cycle = Cycle.objects.only("phase", "frozen_rules", "box_mixed_at").get(pk=cycle_id)
    if cycle.phase != Phase.VOTING:
        return 0
    now = now or timezone.now()
    every = cycle.rules["live_results_every"]
    if (
        every
        and cycle.box_mixed_at
        and now - cycle.box_mixed_at < dt.timedelta(minutes=every)
    ):
        return 0
    moved = mix(cycle_id)
    if moved:
        Cycle.objects.filter(pk=cycle_id).update(box_mixed_at=now)
    return moved


def mix_due(now=None) -> int:
    """The scheduler's turn: every cycle open for voting whose next batch is due,
    each mixed batch then announced to live results."""

    total = 0
    for pk in Cycle.objects.filter(phase=Phase.VOTING).values_list("pk", flat=True):
        moved = mix_when_full(pk, now)
        if moved:
            events.announce(events.ballots_cast, cycle_id=pk)
        total += moved
    return total


@transaction.atomic
def close(cycle_id: int) -> int:
    """Voting has closed: mix in what is left, then rewrite the whole box in a random
    order with new random ids, in one transaction. Returns the number of ballots.

    On PostgreSQL the database does it in one statement, without carrying a ballot
    through Python (215,000 ballots close in seconds): the rows are deleted and
    inserted again ordered by `gen_random_uuid()`, whose randomness is the
    server's cryptographically strong source, with new ids from the same source."""
    mix(cycle_id, minimum=1)
    if connection.vendor == "postgresql":
        table = Ballot._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                WITH old AS (
                    DELETE FROM {table} WHERE cycle_id = %s
                    RETURNING choices, receipt_hash
                )
                INSERT INTO {table} (id, cycle_id, choices, receipt_hash)
                SELECT gen_random_uuid(), %s, choices, receipt_hash
                FROM old ORDER BY gen_random_uuid()
                """,
                [cycle_id, cycle_id],
            )
            return cursor.rowcount
    ballots = list(
        Ballot.objects.select_for_update()
        .filter(cycle_id=cycle_id)
        .values_list("choices", "receipt_hash")
    )
    _shuffle(ballots)
    Ballot.objects.filter(cycle_id=cycle_id).delete()
    Ballot.objects.bulk_create(
        Ballot(cycle_id=cycle_id, choices=choices, receipt_hash=receipt)
        for choices, receipt in ballots
    )
    return len(ballots)
