"""Statements PostgreSQL plans once per connection (prepared), for the hottest reads.

Django's psycopg cursors bind parameters on the client, so PostgreSQL plans every statement
on every run; for a join of several tables planning costs more than running it (the assisted
live check: 0.146 ms planning against 0.027 ms for a customer's own row). ``kept_plan_cursor``
gives a server-side binding cursor that prepares what it runs: psycopg PREPAREs a statement on
its first run on a connection and EXECUTEs it afterwards, and tracks what each connection
prepared, so the pool's reuse of connections is safe (and it prepares again after ``DISCARD
ALL``). Still Django's cursor wrapper: statements are logged and counted like any other.
Elsewhere (SQLite) Django's own cursor.

On SQLite the cost is on our side: Django's cursor rewrites every statement from its ``%s``
placeholders to SQLite's ``?`` with a regular expression, each time it runs — 28 µs for the
live check's 2.4 kB statement, longer than SQLite takes to run it (the sqlite3 module already
keeps the compiled statement). ``kept_plan_cursor`` gives a cursor that rewrites each statement
once per process; still wrapped by Django (logged, counted, errors translated).

Used by ``core.precompiled`` (the reads compiled once per process) and the assisted session's
live check. A connection pooler in transaction mode needs protocol-level prepared statements
(PgBouncer 1.21+ ``max_prepared_statements``).
"""

from __future__ import annotations

import functools

_PREPARE_ONLY_WHEN_ASKED = 2**31 - 1  # runs of a statement before psycopg prepares it itself


@functools.cache
def _preparing_cursor_class(postgresql_base):
    class PreparingCursor(postgresql_base.ServerBindingCursor):
        """Prepares what it runs (Django leaves psycopg's ``prepare_threshold`` at None,
        never)."""

        def execute(self, query, params=None, *, prepare=None, binary=None):
            result = super().execute(query, params, prepare=True, binary=binary)
            # psycopg records the query it sent (read by Django's query log, the debug
            # toolbar and CaptureQueriesContext) only when it did not run a prepared one.
            self._query = _SentQuery(self, query, params)
            return result

    return PreparingCursor


class _SentQuery:
    """What Django's ``last_executed_query`` reads (``.query``, bytes), with the parameters
    put in only when something reads it."""

    __slots__ = ("cursor", "sql", "params")

    def __init__(self, cursor, sql, params):
        self.cursor, self.sql, self.params = cursor, sql, params

    @property
    def query(self) -> bytes:
        import psycopg

        return psycopg.ClientCursor(self.cursor.connection).mogrify(self.sql, self.params).encode()


@functools.cache
def _converting_once_cursor_class(sqlite_base):
    class ConvertingOnceCursor(sqlite_base.SQLiteCursorWrapper):
        """Django's SQLite cursor, with each statement's placeholders rewritten once."""

        def convert_query(self, query, *, param_names=None):
            if param_names is not None:
                return super().convert_query(query, param_names=param_names)
            converted = _qmark_statements.get(query)
            if converted is None:
                converted = _qmark_statements[query] = super().convert_query(query)
            return converted

    return ConvertingOnceCursor


# Only the statements written once per process run through kept_plan_cursor: a bounded set.
_qmark_statements: dict[str, str] = {}


def kept_plan_cursor(connection):
    """A cursor whose statements PostgreSQL plans once per connection, and SQLite's cursor
    rewrites once per process (see the module's docstring); Django's own cursor elsewhere."""
    if connection.vendor == "sqlite":
        from django.db.backends.sqlite3 import base as sqlite_base

        factory = _converting_once_cursor_class(sqlite_base)
        connection.close_if_health_check_failed()
        connection.ensure_connection()
        with connection.wrap_database_errors:
            return connection._prepare_cursor(connection.connection.cursor(factory=factory))
    if connection.vendor != "postgresql":
        return connection.cursor()
    # Imported here: the PostgreSQL backend's module needs psycopg, which SQLite sites lack.
    from django.db.backends.postgresql import base as postgresql_base

    if not postgresql_base.is_psycopg3:
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        raw = connection.connection
        if raw.prepare_threshold is None:
            # Django's default, None, turns psycopg's preparing off, even when asked for. Only
            # when asked, then: Django's own cursors bind on the client and never prepare.
            raw.prepare_threshold = _PREPARE_ONLY_WHEN_ASKED
        cursor = _preparing_cursor_class(postgresql_base)(raw)
        # As Django's create_cursor: its time zone when the connection's differs.
        loader = connection.connection.adapters.get_loader(
            postgresql_base.TIMESTAMPTZ_OID, postgresql_base.Format.TEXT
        )
        if connection.timezone != loader.timezone:
            postgresql_base.register_tzloader(connection.timezone, cursor)
    return connection._prepare_cursor(cursor)
