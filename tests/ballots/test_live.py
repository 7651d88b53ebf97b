"""Live results over WebSockets: snapshot, updates with seq, coalescing, hidden results,
phase changes."""

import json
import time

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from ballots import live
from ballots.models import Ballot, Phase, SealedBallot
from ballots.services import ballot_cast, cycle_set_phase
from civic.models import RoleKind
from config.asgi import application
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db(transaction=True)


def communicator(cycle):
    return WebsocketCommunicator(
        application,
        f"/ws/cycles/{cycle.pk}/results/",
        headers=[(b"origin", b"http://testserver")],
    )


def cast(w, voter, picks):
    return ballot_cast(
        user=voter,
        cycle=w["cycle"],
        choices={str(w["section"].pk): [w["codes"][i] for i in picks]},
    )


def more_voters(w, n):
    voters = [UserFactory(is_demo=True) for _ in range(n)]
    for voter in voters:
        grant(voter, w["hood"], RoleKind.RESIDENT)
    return voters


@pytest.mark.asyncio
async def test_snapshot_then_updates_with_increasing_seq(vote_world):
    """Turnout moves with every ballot; support only when a batch of 20 ballots is
    mixed into the box, so no update ever shows one voter's choices."""
    w = vote_world
    await sync_to_async(w["open"])()
    await sync_to_async(cast)(w, w["voters"][0], [0, 1])
    ws = communicator(w["cycle"])
    connected, _ = await ws.connect()
    assert connected
    snap = await ws.receive_json_from(timeout=5)
    assert snap["type"] == "snapshot" and snap["data"]["turnout"]["cast"] == 1
    support = {r["code"]: r["support"] for r in snap["data"]["sections"][0]["rows"]}
    assert support == {code: 0 for code in w["codes"]}
    for voter in await sync_to_async(more_voters)(w, 19):
        await sync_to_async(cast)(w, voter, [0])
    # The coalesced update: the full batch is mixed into the box, then counted.
    await sync_to_async(live.flush)(w["cycle"].pk)
    update = await ws.receive_json_from(timeout=5)
    while update["data"]["turnout"]["cast"] < 20:  # a coalesced update on the way
        update = await ws.receive_json_from(timeout=5)
    assert update["type"] == "update" and update["seq"] > snap["seq"]
    assert {r["code"]: r["support"] for r in update["data"]["sections"][0]["rows"]} == {
        w["codes"][0]: 20,
        w["codes"][1]: 1,
        w["codes"][2]: 0,
        w["codes"][3]: 0,
    }
    assert "outcome" in update["data"]
    # Rows come most-supported first (the page re-orders them so), and the online /
    # paper split comes from the same register as the turnout: they add up.
    assert [r["code"] for r in update["data"]["sections"][0]["rows"][:2]] == [
        w["codes"][0],
        w["codes"][1],
    ]
    assert update["data"]["channels"]["split"] == "20 / 0"
    await sync_to_async(live.broadcast_now)(w["cycle"].pk)
    again = await ws.receive_json_from(timeout=5)
    assert again["seq"] > update["seq"]
    await ws.send_json_to({"type": "resync"})
    resync = await ws.receive_json_from(timeout=5)
    while resync["type"] != "snapshot":
        resync = await ws.receive_json_from(timeout=5)
    assert resync["seq"] >= again["seq"]
    await ws.disconnect()


@pytest.mark.asyncio
async def test_hidden_live_results_send_only_turnout(vote_world):
    w = vote_world
    await sync_to_async(w["open"])(live_results=False)
    await sync_to_async(cast)(w, w["voters"][0], [2])
    ws = communicator(w["cycle"])
    await ws.connect()
    snap = await ws.receive_json_from(timeout=5)
    assert set(snap["data"]) == {"phase", "turnout", "channels"}
    await sync_to_async(live.broadcast_now)(w["cycle"].pk)
    update = await ws.receive_json_from(timeout=5)
    assert set(update["data"]) == {"phase", "turnout", "channels"}
    text = str(update) + str(snap)
    for code in w["codes"]:
        assert f"'{code}'" not in text
    await ws.disconnect()


@pytest.mark.asyncio
async def test_phase_change_is_pushed(vote_world):
    w = vote_world
    await sync_to_async(w["open"])()
    ws = communicator(w["cycle"])
    await ws.connect()
    await ws.receive_json_from(timeout=5)
    await sync_to_async(cycle_set_phase)(
        actor=w["officer"], cycle=w["cycle"], phase=Phase.COUNTING
    )
    message = await ws.receive_json_from(timeout=5)
    assert message == {"type": "phase", "seq": message["seq"], "phase": "counting"}
    await ws.disconnect()


@pytest.mark.asyncio
async def test_unknown_cycle_is_refused():
    ws = WebsocketCommunicator(
        application,
        "/ws/cycles/999999/results/",
        headers=[(b"origin", b"http://testserver")],
    )
    connected, _ = await ws.connect()
    assert not connected


def test_bursts_are_coalesced_and_the_last_state_is_sent(vote_world, monkeypatch):
    w = vote_world
    w["open"]()
    voters = []
    for _ in range(30):
        v = UserFactory(is_demo=True)
        grant(v, w["hood"], RoleKind.RESIDENT)
        voters.append(v)
    sent = []
    monkeypatch.setattr(
        live, "_send", lambda cycle_id, message: sent.append(message) or True
    )
    start = time.monotonic()
    for v in voters:
        cast(w, v, [1])
    elapsed = time.monotonic() - start
    time.sleep(live.COALESCE_SECONDS * 3)
    # At most one broadcast per coalescing window while casting, plus the final one.
    assert 1 <= len(sent) <= int(elapsed / live.COALESCE_SECONDS) + 2 < 30
    last = json.loads(sent[-1]["text"])["data"]
    assert last["turnout"]["cast"] == 30
    # The updates mixed the waiting batches into the box before counting them.
    assert SealedBallot.objects.count() == 0 and Ballot.objects.count() == 30
    support = {r["code"]: r["support"] for r in last["sections"][0]["rows"]}
    assert support == {c: 30 if c == w["codes"][1] else 0 for c in w["codes"]}


def test_casting_leaves_the_mixing_to_the_coalesced_update(vote_world, monkeypatch):
    """The request that takes a ballot never mixes: a full batch waits, sealed, until
    the next live update (here none was scheduled: another process holds the flag)."""
    w = vote_world
    w["open"]()
    monkeypatch.setattr(live, "_claim", lambda cycle_id: False)
    for voter in more_voters(w, 20):
        cast(w, voter, [0])
    assert SealedBallot.objects.count() == 20 and Ballot.objects.count() == 0
    live.flush(w["cycle"].pk)
    assert SealedBallot.objects.count() == 0 and Ballot.objects.count() == 20


def test_with_a_broker_the_broadcast_is_queued_else_a_timer_builds_it(monkeypatch):
    """A worker builds the broadcast when there is a broker; eager (no broker) or a
    broker that refuses leaves it to a timer in the process that took the ballot."""
    from config.celery import app

    queued = []
    app.conf.task_always_eager = False
    try:
        monkeypatch.setattr(
            live.broadcast_results,
            "apply_async",
            lambda args, countdown: queued.append((args, countdown)),
        )
        assert live._queued(7) is True
        assert queued == [((7,), live.COALESCE_SECONDS)]

        def refuse(*args, **kwargs):
            raise ConnectionError("broker down")

        monkeypatch.setattr(live.broadcast_results, "apply_async", refuse)
        assert live._queued(7) is False
    finally:
        app.conf.task_always_eager = True
    monkeypatch.setattr(live.broadcast_results, "apply_async", queued.append)
    assert live._queued(7) is False
    assert len(queued) == 1


@pytest.mark.asyncio
async def test_without_redis_a_socket_sees_ballots_cast_by_another_process(
    vote_world, settings, monkeypatch
):
    """`make run` has no Redis: the demo's background voter casts in a process of its
    own, whose broadcasts reach no socket here. Each socket then looks at the
    database and sends a snapshot when it changed."""
    from ballots import ballot_box, consumers

    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}
    }
    monkeypatch.setattr(consumers, "POLL_SECONDS", 0.2)
    # Casting as another process would: nothing is broadcast from here.
    monkeypatch.setattr(live, "ballot_cast", ballot_box.mix_when_full)
    w = vote_world
    await sync_to_async(w["open"])()
    ws = communicator(w["cycle"])
    connected, _ = await ws.connect()
    assert connected
    snap = await ws.receive_json_from(timeout=5)
    assert snap["data"]["turnout"]["cast"] == 0
    await sync_to_async(cast)(w, w["voters"][0], [0])
    seen = await ws.receive_json_from(timeout=5)
    assert seen["type"] == "snapshot" and seen["data"]["turnout"]["cast"] == 1
    await ws.disconnect()
