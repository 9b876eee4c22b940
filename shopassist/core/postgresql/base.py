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

Settings select this backend for every PostgreSQL ``DATABASE_URL`` (``shopassist/settings.py``);
everything else is Django's own (``connection.vendor`` is still "postgresql").
"""

from django.core.exceptions import ImproperlyConfigured
from django.db.backends.base.base import NO_DB_ALIAS
from django.db.backends.postgresql import base
from psycopg_pool import ConnectionPool


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
