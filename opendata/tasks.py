"""Open-data downloads are built in the background: every 15 minutes the scheduler
asks `refresh`, which rebuilds them only if the open data changed since the last
build; a published result asks at once. Without a broker (`make run`) the task runs in
the process that asks."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.core.cache import cache
from django.db.models import Max
from django.dispatch import receiver

from ballots import events
from civic.tasks import queue

from . import files
from .models import Download
from .receivers import data_changed_at

LOCK = "opendata:building"


def stale() -> bool:
    built = Download.objects.aggregate(at=Max("built_at"))["at"]
    return built is None or built.timestamp() < data_changed_at()


@shared_task(acks_late=True)
def refresh(force: bool = False) -> int:
    """Rebuild the downloads if the data changed (or `force`); one build at a time."""
    if not (force or stale()):
        return 0
    if not cache.add(LOCK, 1, timeout=int(dt.timedelta(minutes=30).total_seconds())):
        return 0
    try:
        return files.build()
    finally:
        cache.delete(LOCK)


@receiver(events.result_published, dispatch_uid="opendata-result-published")
def _result_published(tally_id, **kwargs):
    queue(refresh)
