"""Counters the platform's processes share (live sockets open, broadcasts sent, export
builds): kept in the cache, so with Redis every web, socket and worker process adds to
the same figure, and /metrics (config/metrics.py) reads it whichever process answers.
Without Redis (`make run`) there is one process, and the local cache is the figure.

Never a label with personal data: the names are fixed and the only label is a channel
or phase name."""

from __future__ import annotations

from django.core.cache import cache

PREFIX = "metric:"


def add(name: str, delta: int = 1) -> None:
    """Add to a shared counter or gauge; a cache outage loses the step, not the site."""
    key = PREFIX + name
    try:
        cache.add(key, 0, None)
        cache.incr(key, delta)
    except Exception:  # noqa: BLE001 — metrics never break what they measure
        pass


def read(name: str) -> int:
    try:
        return int(cache.get(PREFIX + name) or 0)
    except Exception:  # noqa: BLE001
        return 0
