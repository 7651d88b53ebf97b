"""WebSocket consumer for a cycle's live results: /ws/cycles/<id>/results/."""

from __future__ import annotations

import asyncio
import logging

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from . import live
from .models import Cycle

log = logging.getLogger(__name__)
REJOIN_SECONDS = 5


@database_sync_to_async
def _cycle_visible(cycle_id: int) -> bool:
    # Every cycle is public to watch; the payload itself holds only what anyone may see.
    return Cycle.objects.filter(pk=cycle_id).exists()


@database_sync_to_async
def _snapshot(cycle_id: int) -> str:
    return live.snapshot(cycle_id)


class ResultsConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        self.cycle_id = int(self.scope["url_route"]["kwargs"]["cycle_id"])
        self.group = live.group_name(self.cycle_id)
        if not await _cycle_visible(self.cycle_id):
            await self.close(code=4404)
            return
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_snapshot()
        self._rejoin = asyncio.ensure_future(self._keep_joined())

    async def disconnect(self, code):
        task = getattr(self, "_rejoin", None)
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
