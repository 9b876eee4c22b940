"""Sessions in the database (the embedded default's ``SESSION_ENGINE``): Django's, with the
read every request makes in a statement written once per process (``core/precompiled.py``).
``core/sessions.py`` (sessions with a copy in Redis) reads the database the same way when its
copy is missing."""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.utils import timezone

from shopassist.core import precompiled


class PrecompiledRead:
    """``_get_session_from_db`` as Django's: the unexpired row of the key, else None (and the
    key forgotten), without building the query through the ORM on every request."""

    def _get_session_from_db(self):
        stored = None
        if self.session_key is not None:
            stored = precompiled.first(
                self.model, session_key=self.session_key, expire_date__gt=timezone.now()
            )
        if stored is None:
            self._session_key = None
        return stored


class SessionStore(PrecompiledRead, db.SessionStore):
    pass
