"""What casting needs to know about a voter, kept between requests.

A ballot asks two things of the database that rarely change: whether the voter's email
is verified, and where they are a resident (their "home" for the cycle). Both are kept
in the cache (Redis in production, shared by every process) per voter and cycle, under
a per-voter version that any change to their roles or email addresses moves on (the
signals below), so a role granted or revoked counts from the next request. If Redis
is away the cache misses (civic/cache.py) and the database answers, as before.
"""

from __future__ import annotations

import time

from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from civic.models import Place, Role, RoleKind

KEEP_SECONDS = 600


def _version_key(user_id: int) -> str:
    return f"voter-v:{user_id}"


def changed(user_id: int | None) -> None:
    """The voter's roles or addresses changed: what was kept about them is stale."""
    if user_id is not None:
        cache.set(_version_key(user_id), time.time_ns(), timeout=None)


def _home(user, place: Place) -> Place | None:
    """The deepest place inside or above `place` where the user is a resident."""
    best = None
    for role in Role.objects.filter(user=user, kind=RoleKind.RESIDENT).select_related(
        "place"
    ):
        p = role.place
        related = p.path.startswith(place.path) or place.path.startswith(p.path)
        if related and (best is None or p.depth > best.depth):
            best = p
    return best


def facts(user, cycle) -> tuple[bool, Place | None]:
    """(email verified, home place or None) for this voter and cycle: from this
    request's memo, else the cache, else the database (and then kept)."""
    memo = user.__dict__.setdefault("_nb_voter_facts", {})
    if cycle.pk in memo:
        return memo[cycle.pk]
    # One round trip: the version and the facts kept with the version they were
    # read under; a change since (or nothing kept) reads them afresh.
    version_key = _version_key(user.pk)
    key = f"voter:{user.pk}:{cycle.pk}:{cycle.place_id}"
    kept = cache.get_many([version_key, key])
    version = kept.get(version_key) or 0
    if kept.get(key, (None,))[0] == version:
        found = kept[key][1]
    else:
        found = (
            EmailAddress.objects.filter(user=user, verified=True).exists(),
            _home(user, cycle.place),
        )
        cache.set(key, (version, found), timeout=KEEP_SECONDS)
    memo[cycle.pk] = found
    return found


def _role_changed(sender, instance, **kwargs):
    changed(instance.user_id)


def connect() -> None:
    for model in (Role, EmailAddress):
        post_save.connect(_role_changed, sender=model, dispatch_uid=f"voter-{model}")
        post_delete.connect(
            _role_changed, sender=model, dispatch_uid=f"voter-del-{model}"
        )
