"""Redis cache that degrades instead of failing: if Redis is unreachable, reads miss,
writes are dropped and adds succeed, so rate limits fail open and pages keep working.
The database stays the source of truth; nothing correct depends on the cache."""

from __future__ import annotations

import logging

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

log = logging.getLogger(__name__)


def _redis_errors():
    import redis

    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


class _OneClientPerPool(RedisCacheClient):
    """Django builds a new redis-py client object for every cache call, and building
    one copies redis-py's table of ~160 response callbacks: 8% of a ballot's CPU in
    bench/results/cast_profile.txt. A client is thread-safe (each command takes a
    connection from the pool), so one per pool is kept and reused."""

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        clients = self.__dict__.setdefault("_clients", {})
        if index not in clients:
            clients[index] = self._client(
                connection_pool=self._get_connection_pool(write)
            )
        return clients[index]


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _OneClientPerPool

    def _safe(self, name, default, *args, **kwargs):
        try:
            return getattr(super(), name)(*args, **kwargs)
        except _redis_errors() as error:
            log.warning("cache unavailable (%s): %s", name, error)
            return default

    def get(self, key, default=None, version=None):
        return self._safe("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._safe("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._safe("has_key", False, key, version)

    def set(self, *args, **kwargs):
        return self._safe("set", None, *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._safe("set_many", [], *args, **kwargs)

    def add(self, *args, **kwargs):
        return self._safe("add", True, *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._safe("touch", False, *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._safe("delete", False, *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._safe("delete_many", None, *args, **kwargs)

    def clear(self):
        return self._safe("clear", None)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except _redis_errors() as error:
            raise ValueError(f"cache unavailable: {error}") from error
