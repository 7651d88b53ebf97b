"""Fixed-window rate limits on Django's cache (Redis in production), shared by all
server processes, so one account cannot flood a forum."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.utils.translation import gettext as _


class RateLimited(Exception):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def limit(key: str, *, max_hits: int, per_seconds: int, what: str) -> None:
    """Count one hit; raise RateLimited with a clear message past `max_hits`."""
    window = int(time.time() // per_seconds)
    cache_key = f"rl:{key}:{per_seconds}:{window}"
    added = cache.add(cache_key, 1, timeout=per_seconds + 5)
    count = 1 if added else cache.incr(cache_key)
    if count > max_hits:
        minutes = max(1, per_seconds // 60)
        raise RateLimited(
            _(
                "You have posted %(what)s %(n)s times in the last %(m)s minutes, the most "
                "we allow. Please wait a few minutes and try again."
            )
            % {"what": what, "n": max_hits, "m": minutes}
        )
