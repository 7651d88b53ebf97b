"""WebSocket consumer for a cycle's live results: /ws/cycles/<id>/results/."""

from __future__ import annotations

import asyncio
import logging

from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import InMemoryChannelLayer
from django.db.models import Count, Max

from civic import metrics

from . import live
from .models import Cycle, Support, VoterRecord

log = logging.getLogger(__name__)
REJOIN_SECONDS = 5
# Without Redis (`make run`: the in-memory layer, one process's own) a ballot cast by
# another process (the demo's background voter, a worker) is never broadcast here, so
# each socket looks at the database this often and sends a snapshot when it changed.
POLL_SECONDS = 3


@database_sync_to_async
def _cycle_visible(cycle_id: int) -> bool:
    # Every cycle is public to watch; the payload itself holds only what anyone may see.
    return Cycle.objects.filter(pk=cycle_id).exists()


@database_sync_to_async
def _snapshot(cycle_id: int) -> str:
    return live.snapshot(cycle_id)


@database_sync_to_async
def _fresh_snapshot(cycle_id: int) -> str:
    """A snapshot read from the database, not the state this process kept."""
    live.forget(cycle_id)
    return live.snapshot(cycle_id)


@database_sync_to_async
def _fingerprint(cycle_id: int) -> tuple:
    """What changes when a ballot is cast, mixed into the box, a proposal is
    supported or a support withdrawn, or the phase moves."""
    return (
        Cycle.objects.filter(pk=cycle_id).values_list("phase", "box_mixed_at").first(),
        VoterRecord.objects.filter(cycle_id=cycle_id).count(),
        Support.objects.filter(cycle_id=cycle_id).aggregate(
            n=Count("id"), last=Max("id")
        ),
    )


class ResultsConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        self.cycle_id = int(self.scope["url_route"]["kwargs"]["cycle_id"])
        self.group = live.group_name(self.cycle_id)
        if not await _cycle_visible(self.cycle_id):
            await self.close(code=4404)
            return
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        self._counted = True
        await sync_to_async(metrics.add)("live_sockets_open")
        polling = isinstance(self.channel_layer, InMemoryChannelLayer)
        seen = await _fingerprint(self.cycle_id) if polling else None
        await self.send_snapshot()
        self._rejoin = asyncio.ensure_future(self._keep_joined())
        if polling:
            self._poll = asyncio.ensure_future(self._poll_database(seen))

    async def disconnect(self, code):
        if getattr(self, "_counted", False):
            await sync_to_async(metrics.add)("live_sockets_open", -1)
        for name in ("_rejoin", "_poll"):
            task = getattr(self, name, None)
            if task:
                task.cancel()
        try:
            await self.channel_layer.group_discard(self.group, self.channel_name)
        except Exception:  # noqa: BLE001 — the layer may be the thing that went away
            pass

    async def _keep_joined(self):
        """Re-join the group now and then: a restarted Redis forgets group members.
        After a failure, the first successful re-join sends a fresh snapshot."""
        failed = False
        while True:
            await asyncio.sleep(REJOIN_SECONDS)
            try:
                await self.channel_layer.group_add(self.group, self.channel_name)
            except Exception as error:  # noqa: BLE001
                failed = True
                log.info("live results: rejoin failed (%s)", error)
                continue
            if failed:
                failed = False
                await self.send_snapshot()

    async def _poll_database(self, seen):
        """The embedded default's live updates across processes (see POLL_SECONDS)."""
        while True:
            await asyncio.sleep(POLL_SECONDS)
            now = await _fingerprint(self.cycle_id)
            if now != seen:
                seen = now
                await self.send(text_data=await _fresh_snapshot(self.cycle_id))

    async def send_snapshot(self):
        await self.send(text_data=await _snapshot(self.cycle_id))

    async def receive_json(self, content, **kwargs):
        if isinstance(content, dict) and content.get("type") == "resync":
            await self.send_snapshot()

    async def results_update(self, event):
        await self.send(text_data=event["text"])  # built once for every socket

    async def results_phase(self, event):
        await self.send_json(
            {"type": "phase", "seq": event["seq"], "phase": event["phase"]}
        )
