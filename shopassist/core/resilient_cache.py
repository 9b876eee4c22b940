"""A Redis cache backend that says plainly when Redis cannot be reached, once.

Django's ``RedisCache`` lets every ``redis`` error escape, and each call tries to connect again:
with Redis down, every request fails on its first cache read and the log gets one traceback per
request. ``ResilientRedisCache`` puts a small circuit breaker in front of it, one per Redis server
and process:

* a call that fails (``redis.exceptions.RedisError``: refused, timed out, loading, read-only,
  out of memory…) raises ``CacheUnavailable``, logs one warning and *opens* the breaker;
* while it is open, calls raise ``CacheUnavailable`` at once, without touching the network;
* ``retry_after`` seconds later the next call tries again; before it goes through, the recovery
  hooks run (``on_recovery``: invalidations recorded during the outage are applied, see
  ``core/invalidations.py``), then the breaker closes and one warning says the cache is back.

Callers decide what an unreachable cache means for them (serve uncached, read the database,
record the invalidation): ``CacheUnavailable`` is never swallowed here. A closed breaker costs
one attribute test per call: the page cache's hit path makes no extra round trip.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger("shopassist.cache")
DEFAULT_RETRY_AFTER = 2.0  # seconds between attempts while Redis is unreachable


class CacheUnavailable(Exception):
    """The shared cache cannot be reached (now, or it failed less than ``retry_after`` ago)."""


_recovery_hooks: list[Callable[[], None]] = []


def on_recovery(hook: Callable[[], None]) -> None:
    """Run ``hook()`` when a cache comes back, before the call that found it back proceeds."""
    if hook not in _recovery_hooks:
        _recovery_hooks.append(hook)


def describe(location: str) -> str:
    """A server's address without its credentials (``redis://:secret@host`` → ``host:port/db``)."""
    parts = urlsplit(location)
    if parts.hostname is None:
        return parts.path or "redis"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.hostname}{port}{parts.path or ''}"


class Breaker:
    """The state of one Redis server as this process sees it."""

    def __init__(self, location: str, retry_after: float):
        self.location = location
        self.retry_after = retry_after
        self.open_until = 0.0  # 0: closed (reachable); else when to try again
        self.down_since = 0.0
        self._lock = threading.RLock()  # failed() runs inside before_call
        self._probing = threading.local()

    @property
    def is_open(self) -> bool:
        return bool(self.open_until)

    def before_call(self, ping: Callable[[], object]) -> None:
        """Called only while open: refuse at once, or, when it is time to try again, ping the
        server, run the recovery hooks and close."""
        if getattr(self._probing, "active", False):
            return  # the recovery hooks' own cache calls
        if time.monotonic() < self.open_until:
            raise CacheUnavailable(describe(self.location))
        with self._lock:
            if not self.open_until:
                return  # another thread recovered meanwhile
            if time.monotonic() < self.open_until:
                raise CacheUnavailable(describe(self.location))  # its attempt failed meanwhile
            self._probing.active = True
            try:
                try:
                    ping()
                except RedisError as exc:
                    raise self.failed(exc) from exc
                for hook in _recovery_hooks:
                    hook()
            except CacheUnavailable:
                # This server or another one a hook needs: try again in retry_after seconds.
                self.open_until = time.monotonic() + self.retry_after
                raise
            finally:
                self._probing.active = False
            logger.warning(
                "Cache reachable again at %s after %.1f s.",
                describe(self.location),
                time.monotonic() - self.down_since,
            )
            self.open_until = 0.0

    def failed(self, exc: Exception) -> CacheUnavailable:
        now = time.monotonic()
        with self._lock:
            if not self.open_until:
                self.down_since = now
                logger.warning(
                    "Cache unreachable at %s (%s: %s): serving without it, retrying every %g s.",
                    describe(self.location),
                    type(exc).__name__,
                    exc,
                    self.retry_after,
                )
            self.open_until = now + self.retry_after
        return CacheUnavailable(describe(self.location))


_breakers: dict[tuple[str, ...], Breaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(servers: list[str], retry_after: float) -> Breaker:
    """One breaker per server list and process, shared by every alias that names it."""
    key = tuple(servers)
    with _breakers_lock:
        breaker = _breakers.get(key)
        if breaker is None:
            breaker = _breakers[key] = Breaker(servers[0], retry_after)
        breaker.retry_after = retry_after
        return breaker


def _guarded(name: str, unguarded=None):
    unguarded = unguarded or getattr(RedisCacheClient, name)

    def call(self, *args, **kwargs):
        breaker = self.breaker
        if breaker.open_until:
            breaker.before_call(self._ping)
        try:
            return unguarded(self, *args, **kwargs)
        except RedisError as exc:
            raise breaker.failed(exc) from exc

    call.__name__ = name
    return call


def _counted(self, key, timeout):
    """One more in the counter ``key``, made with a lifetime of ``timeout`` seconds if it is
    missing: created and counted in one round trip (``SET NX`` and ``INCR`` in one pipeline),
    where Django's ``add`` and ``incr`` take three (``incr`` asks ``EXISTS`` first)."""
    pipeline = self.get_client(key, write=True).pipeline(transaction=False)
    pipeline.set(key, 0, ex=timeout, nx=True)
    pipeline.incr(key)
    return pipeline.execute()[1]


class ResilientRedisCacheClient(RedisCacheClient):
    def __init__(self, servers, *, breaker: Breaker, **options):
        super().__init__(servers, **options)
        self.breaker = breaker

    def _ping(self):
        return self.get_client(write=True).ping()

    # Every operation of Django's client, behind the breaker.
    add = _guarded("add")
    get = _guarded("get")
    set = _guarded("set")
    touch = _guarded("touch")
    delete = _guarded("delete")
    get_many = _guarded("get_many")
    has_key = _guarded("has_key")
    incr = _guarded("incr")
    set_many = _guarded("set_many")
    delete_many = _guarded("delete_many")
    clear = _guarded("clear")
    counted = _guarded("counted", _counted)


class ResilientRedisCache(RedisCache):
    """``RedisCache`` raising ``CacheUnavailable`` (see the module docstring).

    ``OPTIONS["retry_after"]``: seconds between attempts while unreachable (default 2). Give
    the connection short ``socket_connect_timeout`` / ``socket_timeout`` options too: a Redis
    that accepts connections and never answers would otherwise hold every request."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        retry_after = float(options.pop("retry_after", DEFAULT_RETRY_AFTER))
        super().__init__(server, {**params, "OPTIONS": options})
        self.breaker = breaker_for(self._servers, retry_after)
        self._class = ResilientRedisCacheClient
        self._options = {**options, "breaker": self.breaker}

    @property
    def available(self) -> bool:
        """False while the breaker is open (the last call failed less than retry_after ago)."""
        return not self.breaker.is_open

    def counted(self, key, timeout: int, version=None) -> int:
        key = self.make_and_validate_key(key, version=version)
        return self._cache.counted(key, timeout)


def count(cache, key: str, timeout: int) -> int:
    """Add one to the counter ``key`` (it lives ``timeout`` seconds from its first count) and
    return its value: one round trip on Redis; ``add`` and ``incr`` on any other cache."""
    counted = getattr(cache, "counted", None)  # a ResilientRedisCache (``cache`` may be a proxy)
    if counted is not None:
        return counted(key, timeout)
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=timeout)
        return 1
