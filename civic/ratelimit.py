"""Fixed-window rate limits on Django's cache (Redis in production), shared by all
server processes, so one account cannot flood a forum. Windows are aligned to the
clock (e.g. 10:00–10:10), and the message says when the next one opens."""

from __future__ import annotations

import math
import time

from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class RateLimited(Exception):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def limit(key: str, *, max_hits: int, per_seconds: int, what: str) -> None:
    """Count one hit; past `max_hits` in the current window, raise RateLimited saying
    the limit and exactly when the next window (and so the next hit) opens."""
    now = time.time()
    window = int(now // per_seconds)
    cache_key = f"rl:{key}:{per_seconds}:{window}"
    added = cache.add(cache_key, 1, timeout=per_seconds + 5)
    count = 1 if added else cache.incr(cache_key)
    if count > max_hits:
        wait = math.ceil((window + 1) * per_seconds - now)
        raise RateLimited(
            _(
                "You have reached the limit of %(n)s %(what)s in %(m)s minutes. "
                "You can post again in %(wait)s."
            )
            % {
                "what": what,
                "n": max_hits,
                "m": max(1, per_seconds // 60),
                "wait": _wait_text(wait),
            }
        )


def _wait_text(seconds: int) -> str:
    if seconds < 60:
        return ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
