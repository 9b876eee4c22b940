"""Django's PostgreSQL backend, with one change to its psycopg pool: when a connection taken
from the pool fails its check, every idle connection is checked at once.

With ``CONN_HEALTH_CHECKS`` Django (5.2) gives the pool psycopg_pool's ``check_connection``:
each connection is tested (an empty query) before a request gets it, and a dead one is replaced.
But a database restart or failover kills *every* idle connection, and the pool finds that out
one connection per attempt, sleeping 0, 1, 2, 4 ... s between attempts: a process holding three
idle connections answers its first request after a restart 3 s late, one holding five or more
fails it (the pool timeout, 10 s, runs out). Here the first failed check has the pool check all
its idle connections (``ConnectionPool.check``, public API): the dead ones are dropped and
replaced together, and the request waits only for one new connection.

A second change: a request waits for a connection once. With the database down, every
attempt waits the pool's whole timeout (``DB_POOL_TIMEOUT``); a request makes several (the look
at pending cache invalidations, the view, its error page's menu), so it failed after two or three
timeouts — 30 s, gunicorn's worker timeout — instead of one. Once an attempt has timed out, the
request's later ones fail at once with the same error, and the error page falls back to its page
without the database at once. The next request waits afresh (cleared when it starts); so does
code outside requests (a management command, a thread) once another pool timeout has passed.

Settings select this backend for every PostgreSQL ``DATABASE_URL`` (``shopassist/settings.py``);
everything else is Django's own (``connection.vendor`` is still "postgresql").
"""

import time

from django.core.exceptions import ImproperlyConfigured
from django.core.signals import request_started
from django.db import connections
from django.db.backends.base.base import NO_DB_ALIAS
from django.db.backends.postgresql import base
from psycopg_pool import ConnectionPool, PoolTimeout


class CheckAllOnFailure:
    """The pool's ``check``: a dead connection means its idle siblings died with it."""

    def __init__(self):
        self.pool: ConnectionPool | None = None  # set once the pool exists

    def __call__(self, conn) -> None:
        try:
            ConnectionPool.check_connection(conn)
        except Exception:
            if self.pool is not None:
                self.pool.check()  # tests with check_connection itself: no recursion
            raise


class DatabaseWrapper(base.DatabaseWrapper):
    # The pool's timeout this request already waited in vain (the database unreachable), and
    # when (``time.monotonic``): later attempts fail at once with the same error. Cleared when a
    # request starts; outside requests it holds for one more pool timeout.
    pool_timed_out: PoolTimeout | None = None
    pool_timed_out_at = 0.0

    def get_new_connection(self, conn_params):
        timed_out = self.pool_timed_out
        if timed_out is not None and time.monotonic() - self.pool_timed_out_at < self.pool.timeout:
            raise PoolTimeout(str(timed_out))
        try:
            connection = super().get_new_connection(conn_params)
        except PoolTimeout as exc:
            self.pool_timed_out, self.pool_timed_out_at = exc, time.monotonic()
            raise
        self.pool_timed_out = None
        return connection

    @property
    def pool(self):
        """Django's ``pool`` (django/db/backends/postgresql/base.py), built with our check."""
        options = self.settings_dict["OPTIONS"].get("pool")
        if self.alias == NO_DB_ALIAS or not options:
            return None
        pools = self._connection_pools
        if self.alias not in pools:
            if self.settings_dict.get("CONN_MAX_AGE", 0) != 0:
                raise ImproperlyConfigured("Pooling doesn't support persistent connections.")
            connect_kwargs = self.get_connection_params()
            connect_kwargs["autocommit"] = True  # as Django's: it sets autocommit itself later
            check = CheckAllOnFailure() if self.settings_dict["CONN_HEALTH_CHECKS"] else None
            pool = ConnectionPool(
                kwargs=connect_kwargs,
                open=False,  # opened by the first connection, as Django's
                configure=self._configure_connection,
                check=check,
                **({} if options is True else options),
            )
            if check is not None:
                check.pool = pool
            pools.setdefault(self.alias, pool)  # the first of racing threads wins, as Django's
        return pools[self.alias]


def _request_started(**kwargs) -> None:
    """Each request waits for the database (once) afresh."""
    for wrapper in connections.all(initialized_only=True):
        if isinstance(wrapper, DatabaseWrapper):
            wrapper.pool_timed_out = None


request_started.connect(_request_started, dispatch_uid="shopassist.core.postgresql.request")
