"""Versioned cache tags: what a cached copy was built from, and whether that is still current.

Each tag ("catalog", "product:42", …) has a version: a random token in the shared cache (the
``default`` alias, the same place as the configuration version), replaced whenever the data
behind the tag changes. A cached copy records the versions of its tags; it is current while all
of them still match. A version that was never written or was evicted simply reads as a new
token, which makes every copy built on the old one stale — the safe way to be wrong.

Two rules keep a copy from ever being stored with newer versions than its data:

* ``bump`` runs when the transaction that changed the data commits, never before;
* a writer reads the generation (bumped before the tags on every change) before it reads any
  data, and stores its copy only if the generation is still unchanged once it has read the tag
  versions afterwards (``versions_for_store``). A change that commits while the copy is being built
  either leaves the old tag versions in the copy (stale at once) or moves the generation (the
  copy is not stored).

With the cache unreachable, reads raise ``CacheUnavailable`` (the page cache then serves pages
uncached) and a bump is recorded in the database to be applied before the cache is trusted
again (``core/invalidations.py``): a change committed during an outage is never lost.
"""

from __future__ import annotations

import secrets

from django.core.cache import caches
from django.db import transaction

from shopassist.core import invalidations

GENERATION = "generation"
_PREFIX = "tagv:"


def _cache():
    return caches["default"]


def _token() -> str:
    return secrets.token_hex(8)


def start_recording(request) -> set[str]:
    """Make ``request`` collect the tags of what is rendered for it (see ``depends_on``)."""
    request.cache_tags_read = set()
    return request.cache_tags_read


def depends_on(request, *tags: str) -> None:
    """Declare what is being rendered for ``request`` is built from: kept only when the request
    records it (a page built for the page cache), a no-op otherwise."""
    recorded = getattr(request, "cache_tags_read", None)
    if recorded is not None:
        recorded.update(tags)


def versions(tags) -> dict[str, str]:
    """The current version of each tag (one cache round trip; missing tags are created)."""
    keys = {tag: _PREFIX + tag for tag in tags}
    found = _cache().get_many(keys.values())
    result = {}
    for tag, key in keys.items():
        value = found.get(key)
        if value is None:
            _cache().add(key, _token(), timeout=None)
            value = _cache().get(key)
        result[tag] = value
    return result


def generation() -> str:
    return versions([GENERATION])[GENERATION]


def versions_for_store(tags, generation_before: str) -> dict[str, str] | None:
    """The versions to store a copy with, or None when anything changed while it was built.

    The generation is read *after* the tag versions (including any created just now): a bump
    that lands while they are read moves it, so the copy is not stored."""
    found = versions(tags)
    if generation() != generation_before:
        return None
    return found


def is_current(recorded: dict[str, str]) -> bool:
    if not recorded:
        return False
    found = _cache().get_many([_PREFIX + tag for tag in recorded])
    return all(found.get(_PREFIX + tag) == version for tag, version in recorded.items())


def bump(*tags: str) -> None:
    """Give the tags new versions once the current transaction commits (at once outside one);
    recorded for later if the cache cannot be reached then."""
    if tags:
        # robust: an unexpected error is logged and does not undo the committed change nor skip
        # the other callbacks of the transaction.
        transaction.on_commit(
            lambda: invalidations.apply_or_record(invalidations.TAGS, tags), robust=True
        )


def _bump_now(tags) -> None:
    cache = _cache()
    cache.set(_PREFIX + GENERATION, _token(), timeout=None)  # first: see versions_for_store
    cache.set_many({_PREFIX + tag: _token() for tag in set(tags)}, timeout=None)


invalidations.register(invalidations.TAGS, _bump_now)
