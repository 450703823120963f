"""Django's Redis cache backend, made to survive Redis going down.

The portal's promise is that nobody is stopped because Redis is down: sessions (``cached_db``), allauth's
rate limits, the home page's "open now" block and the shared results all use the default cache. With this
backend every cache call that cannot reach Redis behaves as a miss on an empty cache (``get`` returns the
default, ``add`` succeeds, writes are dropped), with a warning in the log when Redis goes and when it comes
back, and sessions are read from their database copy.

A circuit breaker keeps an outage cheap: after a failure each process skips Redis for ``retry_after`` seconds
(``OPTIONS``; ``CACHE_RETRY_AFTER_SECONDS``), so a Redis that hangs costs one socket timeout per process and
window, not one per cache call. Keys whose writes were dropped meanwhile (a session changed or ended by a
logout, a counter) are deleted first thing when Redis answers again: otherwise a Redis that kept its data
would serve what the database has since changed, such as a session the person logged out of. Those keys
are kept per process: a process that restarts during the outage forgets them, and its stale entries live
until they expire.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

# Past this many dropped writes in one outage, recovery deletes every key of the cache instead.
MAX_STALE_KEYS = 50_000
_UNREACHABLE = object()


class _Circuit:
    """The state of one Redis location, shared by every thread of the process."""

    def __init__(self) -> None:
        self.open_until = 0.0
        self.down = False
        self.stale: set[str] = set()
        self.overflowed = False
        self.lock = threading.Lock()

    def remember(self, keys: Iterable[str]) -> None:
        with self.lock:
            for key in keys:
                if len(self.stale) >= MAX_STALE_KEYS:
                    self.overflowed = True
                    return
                self.stale.add(key)


_circuits: dict[tuple[str, ...], _Circuit] = {}
_circuits_lock = threading.Lock()


def reset_circuits() -> None:
    """Forget every outage (tests)."""
    with _circuits_lock:
        _circuits.clear()


def _circuit_for(servers: list[str]) -> _Circuit:
    with _circuits_lock:
        return _circuits.setdefault(tuple(servers), _Circuit())


class ResilientRedisCacheClient(RedisCacheClient):
    def __init__(self, servers, *, retry_after: float = 10.0, key_prefix: str = "", **options) -> None:
        super().__init__(servers, **options)
        self._retry_after = retry_after
        # Every key of this cache starts so (Django's default key function: "<prefix>:<version>:<key>").
        self._own_keys = f"{key_prefix}:*"
        self._circuit = _circuit_for(servers)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        # Django builds a new ``redis.Redis`` for every call, and each one fills its table of ~170 response
        # callbacks: about a third of a millisecond per cache call, three or four per signed-in page. The
        # client is thread-safe (its connections come from the pool), so one per pool is kept.
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client

    def _guarded(self, operation: Callable, *args, miss, written: Iterable[str] = ()):
        circuit = self._circuit
        if time.monotonic() < circuit.open_until:
            circuit.remember(written)
            return miss
        try:
            if circuit.stale or circuit.overflowed:
                self._forget_stale()
            result = operation(*args)
        except self._lib.RedisError as error:
            circuit.open_until = time.monotonic() + self._retry_after
            circuit.down = True
            circuit.remember(written)
            logger.warning(
                "redis cache unreachable (%s): reads are misses and writes are dropped for %.0f s",
                error,
                self._retry_after,
            )
            return miss
        if circuit.down:
            circuit.down = False
            logger.warning("redis cache reachable again")
        return result

    def _forget_stale(self) -> None:
        """Delete what was written (or deleted) while Redis was unreachable: it may hold older values. Past
        ``MAX_STALE_KEYS`` the keys are unknown, so every key of this cache goes: it is only a cache."""
        circuit = self._circuit
        with circuit.lock:
            keys, overflowed = list(circuit.stale), circuit.overflowed
        client = self.get_client(None, write=True)
        if overflowed:
            keys = list(client.scan_iter(match=self._own_keys, count=1000))
        for start in range(0, len(keys), 1000):
            client.delete(*keys[start : start + 1000])
        with circuit.lock:
            if overflowed:
                circuit.stale.clear()
            else:
                circuit.stale.difference_update(keys)
            circuit.overflowed = False
        logger.info("redis cache: deleted %d entries written while it was unreachable", len(keys))

    # Reads: a miss.
    def get(self, key, default):
        return self._guarded(super().get, key, default, miss=default)

    def get_many(self, keys):
        return self._guarded(super().get_many, keys, miss={})

    def has_key(self, key):
        return self._guarded(super().has_key, key, miss=False)

    # Writes: dropped, as if an empty cache had evicted them at once. ``add`` succeeds, as it would on an
    # empty cache: allauth's rate limits take a lock with it and would otherwise refuse every login.
    def add(self, key, value, timeout):
        return self._guarded(super().add, key, value, timeout, miss=True, written=[key])

    def set(self, key, value, timeout):
        return self._guarded(super().set, key, value, timeout, miss=None, written=[key])

    def set_many(self, data, timeout):
        return self._guarded(super().set_many, data, timeout, miss=None, written=list(data))

    def touch(self, key, timeout):
        return self._guarded(super().touch, key, timeout, miss=False)

    def delete(self, key):
        return self._guarded(super().delete, key, miss=False, written=[key])

    def delete_many(self, keys):
        return self._guarded(super().delete_many, keys, miss=None, written=list(keys))

    def incr(self, key, delta):
        result = self._guarded(super().incr, key, delta, miss=_UNREACHABLE, written=[key])
        if result is _UNREACHABLE:
            raise ValueError(f"Key {key!r} not found (the cache is unreachable).")
        return result

    def clear(self):
        return self._guarded(super().clear, miss=False)


class ResilientRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` that degrades to a miss when Redis is unreachable."""

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient
        self._options = {**self._options, "key_prefix": self.key_prefix}
