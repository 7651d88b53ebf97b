"""Closing a vote by hand with a real task queue: the officer's request returns at
once, having only queued the move; a Celery worker closes the box (in set-based SQL,
ballot_box.close) and counts it; a vote of 20,000 ballots closes with the same
ballots in the box as before, by content, none twice, each with a new id."""

import json
import time
from collections import Counter

import pytest
from django.urls import reverse

from ballots import ballot_box, tasks
from ballots.models import Ballot, Cycle, Phase, SealedBallot, Tally
from tests.ballots.conftest import _no_frozen_cache, vote_world  # noqa: F401
from tests.civic.test_task_queue import real_queue, start_worker  # noqa: F401

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

BALLOTS = 20_000


def box(cycle_id) -> tuple[Counter, set]:
    rows = Ballot.objects.filter(cycle_id=cycle_id).values_list(
        "id", "choices", "receipt_hash"
    )
    return (
        Counter((json.dumps(c, sort_keys=True), r) for _id, c, r in rows),
        {i for i, _c, _r in rows},
    )


def test_a_20000_ballot_vote_closed_by_hand_closes_in_the_worker(
    vote_world,  # noqa: F811
    real_queue,  # noqa: F811
    client,
):
    mail_dir, queue_name = real_queue
    w = vote_world
    cycle = w["open"]()
    section, codes = str(w["section"].pk), w["codes"]
    Ballot.objects.bulk_create(
        (
            Ballot(
                cycle=cycle,
                choices={section: [codes[i % 4], codes[(i // 4) % 4]]},
                receipt_hash=f"{i:064x}",
            )
            for i in range(BALLOTS)
        ),
        batch_size=5000,
    )
    for i in range(7):  # cast but still sealed, waiting for a batch
        ballot_box.drop(cycle.pk, {section: [codes[i % 4]]}, f"s{i:063x}")
    before, ids_before = box(cycle.pk)
    before += Counter(
        (json.dumps(o["choices"], sort_keys=True), o["receipt_hash"])
        for _row, o in ballot_box.waiting(cycle.pk)
    )
    assert sum(before.values()) == BALLOTS + 7

    client.force_login(w["officer"])
    response = client.post(
        reverse("ballots:phase", args=[cycle.slug]),
        {"phase": "counting", "confirm": "on"},
    )
    # No worker runs yet: the request only checked and queued the move.
    assert response.status_code == 302
    assert Cycle.objects.get(pk=cycle.pk).phase == Phase.VOTING
    assert tasks.work_status(cycle.pk)["state"] == "queued"
    assert SealedBallot.objects.count() == 7 and not Tally.objects.exists()

    worker = start_worker(mail_dir, queue_name)
    try:
        deadline = time.time() + 180
        while time.time() < deadline:
            if Cycle.objects.get(pk=cycle.pk).phase == Phase.COUNTING:
                break
            time.sleep(0.5)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert Cycle.objects.get(pk=cycle.pk).phase == Phase.COUNTING
    assert tasks.work_status(cycle.pk)["state"] == "done"
    after, ids_after = box(cycle.pk)
    assert after == before  # the same ballots, by content
    assert max(after.values()) == 1  # none twice
    assert not ids_before & ids_after  # every one with a new id
    assert SealedBallot.objects.count() == 0
    assert Tally.objects.get().ballots_counted == BALLOTS + 7
