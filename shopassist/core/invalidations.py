"""Invalidations of the shared cache are never lost, not even while Redis is unreachable.

An invalidation — new versions for cache tags (``core/cache_tags.py``), a new configuration
version (``core/config``), dropping a session's cached copy (``core/sessions.py``) — is applied
to the cache at once. When the cache cannot be reached it is *recorded* instead, as a
``PendingInvalidation`` row in the database, and applied before the cache is trusted again:

* by a process that saw the outage: when its breaker closes, before the call that found Redis
  back proceeds (``resilient_cache.on_recovery``);
* by every process, before the first cache read of a request (``ConfigRefreshMiddleware``) when
  it has not looked for ``PENDING_CHECK_IDLE`` seconds (a process that served no request while
  Redis was down finds out on its next one), on its first request, whenever the configuration
  version changed, and at least every ``PENDING_CHECK_INTERVAL`` seconds.

Redis may come back with its data (a restart with persistence, a frozen server, a network
partition healed): its pages and tag versions then look current, and only the recorded rows say
they are not. Every action here only makes things stale (new versions, deleted copies), so
applying a row twice, or one the cache had taken after all, costs a miss, never a wrong answer.
Looking costs one indexed query, at most once a second per busy process; nothing on a hit.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import DatabaseError

from shopassist.core.resilient_cache import CacheUnavailable, on_recovery

logger = logging.getLogger("shopassist.cache")

TAGS, CONFIG, SESSIONS = "tags", "config", "sessions"
BATCH = 500  # rows applied per round trip (a long outage with many sessions leaves many)
_appliers: dict[str, Callable[[list[str]], None]] = {}


def register(kind: str, apply: Callable[[list[str]], None]) -> None:
    """``apply(keys)`` performs one kind of invalidation; it raises ``CacheUnavailable``."""
    _appliers[kind] = apply


def apply_or_record(kind: str, keys: Iterable[str] = ()) -> None:
    """Invalidate now; if the cache is unreachable, record it to be applied later."""
    keys = sorted(set(keys))
    try:
        _appliers[kind](keys)
    except CacheUnavailable:
        record(kind, keys)


def record(kind: str, keys: Iterable[str] = ()) -> None:
    from shopassist.core.models import PendingInvalidation

    try:
        PendingInvalidation.objects.create(kind=kind, keys=sorted(set(keys)))
    except DatabaseError:
        # Neither the cache nor the database: nothing can be kept. Say so (it is rare).
        logger.exception("Could not record a %s invalidation for the unreachable cache.", kind)


class _Looked:
    """Per process (not per thread: runserver starts a thread per request)."""

    last_check = float("-inf")  # when this process last read the pending rows
    last_seen = float("-inf")  # when its last request began


_looked = _Looked()
_applying = threading.local()


def before_cache_read() -> None:
    """Called at the start of every request, before it reads the cache: apply the recorded
    invalidations if this process may not have seen them (see the module docstring)."""
    now = time.monotonic()
    idle = now - _looked.last_seen >= settings.PENDING_CHECK_IDLE
    _looked.last_seen = now
    if idle or now - _looked.last_check >= settings.PENDING_CHECK_INTERVAL:
        look_again()


def look_again() -> int:
    """``apply_pending``, leaving the rows for later if the cache cannot take them now."""
    try:
        return apply_pending()
    except CacheUnavailable:
        return 0  # still recorded; whoever reads the cache next fails the same way


def apply_pending() -> int:
    """Apply every recorded invalidation and forget it; return how many rows were applied.

    Raises ``CacheUnavailable`` (the rows stay) when the cache cannot take them."""
    if getattr(_applying, "active", False):
        return 0  # the breaker's recovery hook, called by this very application's first write
    _applying.active = True
    try:
        return _apply_pending()
    finally:
        _applying.active = False


def _apply_pending() -> int:
    from shopassist.core.models import PendingInvalidation

    _looked.last_check = time.monotonic()
    applied = 0
    while True:
        try:
            rows = list(
                PendingInvalidation.objects.filter(kind__in=list(_appliers))
                .order_by("id")
                .values_list("id", "kind", "keys")[:BATCH]
            )
        except DatabaseError:
            return applied  # the database is down too: the next look tries again
        if not rows:
            break
        keys_by_kind: dict[str, set[str]] = {}
        for _id, kind, keys in rows:
            keys_by_kind.setdefault(kind, set()).update(keys)
        # Tags first: what the stored copies record. (Any order is safe: each action only
        # makes things stale; a failure leaves the rows for the next attempt.)
        for kind in sorted(keys_by_kind, key=lambda k: (k != TAGS, k)):
            _appliers[kind](sorted(keys_by_kind[kind]))
        try:
            # By id, never by range: a row committed meanwhile with a lower id was not applied.
            PendingInvalidation.objects.filter(id__in=[row[0] for row in rows]).delete()
        except DatabaseError:
            return applied  # applied, kept: applied again next time, which costs a miss
        applied += len(rows)
        if len(rows) < BATCH:
            break
    if applied:
        logger.info(
            "Applied %d cache invalidation(s) recorded while the cache was unreachable.", applied
        )
    return applied


on_recovery(apply_pending)
