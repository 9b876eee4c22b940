"""Resolve configuration values: store view → website → default.

Each process keeps all stored values in memory, tagged with a version held in the shared
cache. Every request starts by comparing the two (one cache read); a save writes a new version
after commit, so every process reloads on its next request.

With the cache unreachable, every request reads the values from the database (nobody could
tell this process about a save), and a save records its new version to be published when the
cache is back (``core/invalidations.py``).
"""

from __future__ import annotations

import contextvars
import logging
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from typing import Any

from django.core.cache import caches
from django.core.exceptions import ValidationError

from shopassist.core import invalidations
from shopassist.core.config.registry import Scope, get_field
from shopassist.core.resilient_cache import CacheUnavailable

logger = logging.getLogger(__name__)
VERSION_KEY = "config:version"
UNSHARED = "unshared-"  # a version of one request, while the cache is unreachable
_in_request = contextvars.ContextVar("config_in_request", default=False)
# Registered by the app that owns the scopes (``set_scope_tree``); none: no store view has one.
_scope_tree: dict[str, Callable[[], dict[int, int]]] = {"websites_of_store_views": dict}


class ConfigResolver:
    def __init__(self, cache=None):
        self._cache = cache
        self._version: str | None = None
        self._values: dict[tuple[str, int, str], str] = {}
        # The typed values handed out since the last load (parsing an integer through its form
        # field costs more than the lookup): (path, store view id, website id) -> value.
        self._resolved: dict[tuple[str, int | None, int | None], Any] = {}
        self._website_of_store_view: dict[int, int] = {}

    @property
    def cache(self):
        return self._cache if self._cache is not None else caches["default"]

    # --- versioning ------------------------------------------------------------------------
    def current_version(self) -> str:
        version = self.cache.get(VERSION_KEY)
        if version is None:
            self.cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
            version = self.cache.get(VERSION_KEY)
        return version

    def current_version_cached(self) -> str:
        """The version this process last saw (refreshing first outside a request)."""
        if not _in_request.get() or self._version is None:
            self.refresh()
        return self._version

    def refresh(self) -> None:
        try:
            version = self.current_version()
        except CacheUnavailable:
            # No shared version to compare with: read the database, under a version of this
            # request alone (memos keyed by the version — store views, role grants — reload too).
            self._load()
            self._version = UNSHARED + uuid.uuid4().hex
            return
        if version != self._version:
            self._load()
            self._version = version

    def refresh_for_request(self) -> None:
        """``refresh``, after applying what was recorded during an outage of the cache if this
        process may not have seen it (``core/invalidations.py``)."""
        invalidations.before_cache_read()
        known = self._version
        self.refresh()
        changed = known is not None and self._version != known and not self._unshared()
        # Somebody saved, or the cache is back: look at what was recorded (cheap next to the
        # reload just made), and take the version it publishes, if any.
        if changed and invalidations.look_again():
            self.refresh()

    def _unshared(self) -> bool:
        return self._version is not None and self._version.startswith(UNSHARED)

    def version_is_shared(self) -> bool:
        """False when this request's version is its own: the cache could not be read."""
        return not self._unshared()

    def invalidate(self) -> None:
        """Publish a new version: every process reloads on its next request (recorded for
        later if the cache cannot be reached)."""
        invalidations.apply_or_record(invalidations.CONFIG)

    def _publish(self, _keys=()) -> None:
        self.cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)

    @staticmethod
    def set_scope_tree(websites_of_store_views: Callable[[], dict[int, int]]) -> None:
        """Who gives each store view's website (store view id -> website id), read at every
        load by every resolver of the process: the app that owns the store views registers it
        (``stores/apps.py``), so the configuration needs no import of it."""
        _scope_tree["websites_of_store_views"] = websites_of_store_views

    def _load(self) -> None:
        from shopassist.core.models import ConfigValue

        self._values = {
            (scope, scope_id, path): value
            for scope, scope_id, path, value in ConfigValue.objects.values_list(
                "scope", "scope_id", "path", "value"
            )
        }
        self._website_of_store_view = _scope_tree["websites_of_store_views"]()
        self._resolved = {}

    @contextmanager
    def request_scope(self):
        """Refresh once, then serve every read of this request from memory."""
        self.refresh_for_request()
        token = _in_request.set(True)
        try:
            yield
        finally:
            _in_request.reset(token)

    # --- reading ---------------------------------------------------------------------------
    def stored(self, scope: Scope, scope_id: int, path: str) -> str | None:
        if not _in_request.get():
            self.refresh()
        return self._values.get((scope, scope_id, path))

    def get(self, path: str, *, store_view=None, website=None) -> Any:
        """The typed value of ``path`` for a store view (or website, or the default scope)."""
        if not _in_request.get():
            self.refresh()
        key = (
            path,
            store_view.pk if store_view is not None else None,
            website.pk if website is not None else None,
        )
        resolved = self._resolved  # of this load, even if another thread reloads meanwhile
        try:
            return resolved[key]
        except KeyError:
            pass
        value = resolved[key] = self._resolve(path, store_view, website)
        return value

    def _resolve(self, path: str, store_view, website) -> Any:
        field = get_field(path)
        candidates: list[tuple[Scope, int]] = []
        if store_view is not None and Scope.STORE_VIEW in field.scopes:
            candidates.append((Scope.STORE_VIEW, store_view.pk))
        website_id = self._website_id(store_view, website)
        if website_id is not None and Scope.WEBSITE in field.scopes:
            candidates.append((Scope.WEBSITE, website_id))
        candidates.append((Scope.DEFAULT, 0))
        for scope, scope_id in candidates:
            raw = self._values.get((scope, scope_id, path))
            if raw is not None:
                try:
                    return field.parse(raw)
                except ValidationError:
                    # A value stored before a field's rules tightened: fall back a scope.
                    logger.warning("invalid stored configuration value %s at %s", path, scope)
        return field.default

    def _website_id(self, store_view, website) -> int | None:
        if website is not None:
            return website.pk
        if store_view is not None:
            return self._website_of_store_view.get(store_view.pk)
        return None


config = ConfigResolver()
invalidations.register(invalidations.CONFIG, config._publish)
