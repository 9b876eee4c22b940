"""Sessions in PostgreSQL with a copy in Redis (Django's ``cached_db``), that keep working while
Redis is unreachable.

Django's ``cached_db`` falls back to the database when reading the cache fails, but then writes
the copy back without catching the error (the request fails), logs a traceback for every save,
and lets ``delete`` fail. Here every cache call may fail: the database is the record, the cache a
copy. A save or delete the cache could not take leaves an *old* copy there, which Redis would
serve again once it is back (a signed-out session signed in again): it is recorded and the copy
dropped before the cache is trusted again (``core/invalidations.py``).
"""

from __future__ import annotations

from contextlib import suppress

from django.contrib.sessions.backends import cached_db

from shopassist.core import invalidations
from shopassist.core.database_sessions import PrecompiledRead
from shopassist.core.resilient_cache import CacheUnavailable

KEY_PREFIX = cached_db.KEY_PREFIX  # Django's: copies written before the switch stay readable


class SessionStore(PrecompiledRead, cached_db.SessionStore):
    cache_key_prefix = KEY_PREFIX

    def load(self):
        try:
            data = self._cache.get(self.cache_key)
        except CacheUnavailable:
            return self._load_from_database(copy=False)
        if data is None:
            return self._load_from_database(copy=True)
        return data

    def _load_from_database(self, *, copy: bool) -> dict:
        stored = self._get_session_from_db()
        if not stored:
            return {}
        data = self.decode(stored.session_data)
        if copy:
            with suppress(CacheUnavailable):  # the database has it; so will the cache, next time
                self._cache.set(
                    self.cache_key, data, self.get_expiry_age(expiry=stored.expire_date)
                )
        return data

    def exists(self, session_key):
        try:
            if session_key and self._cache.has_key(self.cache_key_prefix + session_key):
                return True
        except CacheUnavailable:
            pass
        return super(cached_db.SessionStore, self).exists(session_key)

    def save(self, must_create=False):
        if self.session_key is None:
            return self.create()  # a new key, then this save with must_create: one copy written
        new_key = must_create  # no old copy to outlive it
        super(cached_db.SessionStore, self).save(must_create)  # the database
        try:
            self._cache.set(self.cache_key, self._session, self.get_expiry_age())
        except CacheUnavailable:
            if not new_key:
                invalidations.record(invalidations.SESSIONS, [self.session_key])

    def delete(self, session_key=None):
        super(cached_db.SessionStore, self).delete(session_key)  # the database
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        try:
            self._cache.delete(self.cache_key_prefix + session_key)
        except CacheUnavailable:
            invalidations.record(invalidations.SESSIONS, [session_key])


def drop_cached_copies(session_keys: list[str]) -> None:
    """Forget the cached copies of these sessions (their database rows are the truth)."""
    store = SessionStore()
    store._cache.delete_many([KEY_PREFIX + key for key in session_keys])


invalidations.register(invalidations.SESSIONS, drop_cached_copies)
