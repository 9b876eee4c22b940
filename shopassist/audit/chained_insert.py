"""Append an entry to its hash chain in one statement.

The chain head's row is the lock that orders the writers of one chain. The statement reads the
head under that lock, links the entry to it (seq, prev_hash, created_at, entry_hash) and moves
the head, so an entry costs one round trip:

- PostgreSQL: ``SELECT * FROM audit_append_entry(…)``, a PL/pgSQL function whose one WITH
  statement locks the head ``FOR UPDATE``, computes the link, moves the head with an UPDATE of
  its own and inserts the entry. A function, because PL/pgSQL keeps the statement's plan for
  the session: planned on every call, the statement cost more than the insert itself. No
  trigger, so nothing to copy onto the partitions of a partitioned log.
- SQLite: ``INSERT … SELECT`` from the head (a writer holds the database's write lock), and
  the ``audit_chain_head_follows`` trigger moves the head (SQLite has no data-modifying WITH).
  ``SHA256()`` is the function Django registers on its SQLite connections.

The digest is ``writer.entry_digest``'s: Python builds the canonical JSON in pieces around the
two values known only under the lock, which the database splices in (``canonical_pieces``).
The time is the writer's clock, raised to the chain's last time if a writer of the same chain
got the lock first, so that time order and seq order agree in a chain; the time is part of
the statement, not set by a trigger (the partition key of a partitioned log must not move).

The function and the trigger are installed by migrations; one that adds or removes a column of
the log installs them again (``install_append_function``, ``install_head_trigger``).
"""

from __future__ import annotations

import functools

from django.db import connection

from shopassist.audit.models import ActionLogEntry, ChainHead

LINKED = ("chain", "seq", "prev_hash", "entry_hash", "created_at")  # computed by the statement
RETURNED = ("id", "seq", "prev_hash", "entry_hash", "created_at")
# Given to the statement besides the entry's values: the writer's clock, its chain, and the
# canonical JSON's pieces (writer.canonical_pieces).
LINK_ARGUMENTS = (
    ("p_now", "timestamptz"),
    ("p_chain", "smallint"),
    ("p_before", "text"),
    ("p_between", "text"),
    ("p_after", "text"),
)

LOG_TABLE = ActionLogEntry._meta.db_table
HEAD_TABLE = ChainHead._meta.db_table
APPEND_FUNCTION = "audit_append_entry"
HEAD_TRIGGER = "audit_chain_head_follows"

# created_at as Python's isoformat() writes it in UTC: microseconds only when not zero.
_POSTGRES_ISOFORMAT = (
    "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS') "
    "|| CASE WHEN date_trunc('second', created_at) = created_at THEN '' "
    "ELSE to_char(created_at AT TIME ZONE 'UTC', '.US') END || '+00:00'"
)
# On SQLite Django stores isoformat(" ") of the UTC time without its offset.
_SQLITE_ISOFORMAT = "replace(created_at, ' ', 'T') || '+00:00'"


def _value_fields(model=ActionLogEntry):
    """The entry's other columns, by name: a migration's historical model lists its fields in
    another order than the model class does, and the function's arguments follow this one."""
    fields = [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key and field.attname not in LINKED
    ]
    return sorted(fields, key=lambda field: field.column)


def _function_arguments(model, database) -> list[tuple[str, str]]:
    values = [(f"p_{field.column}", field.db_type(database)) for field in _value_fields(model)]
    return [*LINK_ARGUMENTS, *values]


@functools.cache
def _statement(vendor: str) -> str:
    """The statement; its parameters are those of ``_parameters``, in that order."""
    if vendor == "postgresql":
        # Typed, so that the call finds the function's one signature.
        arguments = ", ".join(
            f"%s::{kind}" for _name, kind in _function_arguments(ActionLogEntry, connection)
        )
        return f"SELECT {', '.join(RETURNED)} FROM {APPEND_FUNCTION}({arguments})"  # noqa: S608
    fields = _value_fields()
    columns = ", ".join([*LINKED, *(field.column for field in fields)])
    values = ", ".join(["%s"] * len(fields))
    return f"""
        INSERT INTO {LOG_TABLE} ({columns})
        SELECT chain, seq, prev_hash,
               SHA256(prev_hash || %s || {_SQLITE_ISOFORMAT} || %s || seq || %s),
               created_at, {values}
        FROM (SELECT chain, seq + 1 AS seq, last_hash AS prev_hash,
                     max(%s, coalesce(last_created_at, '')) AS created_at
              FROM {HEAD_TABLE} WHERE chain = %s)
        RETURNING {", ".join(RETURNED)}"""  # noqa: S608 - names from the models, values as parameters


def _parameters(vendor: str, values: dict, now, pieces: tuple[str, str, str]) -> list:
    created_at = ActionLogEntry._meta.get_field("created_at").get_db_prep_save(now, connection)
    stored = [
        field.get_db_prep_save(values[field.attname], connection) for field in _value_fields()
    ]
    if vendor == "postgresql":
        return [created_at, values["chain"], *pieces, *stored]
    return [*pieces, *stored, created_at, values["chain"]]


def insert_chained(values: dict, *, now, pieces: tuple[str, str, str]) -> dict | None:
    """Insert the entry of ``values`` (every field but the linked ones) at the end of its chain,
    stamped ``now`` or the chain's last time if later. Returns the linked fields and id as
    stored, or None if the chain has no head row."""
    vendor = connection.vendor
    with connection.cursor() as cursor:
        cursor.execute(_statement(vendor), _parameters(vendor, values, now, pieces))
        row = cursor.fetchone()
    if row is None:
        return None
    linked = dict(zip(RETURNED, row, strict=True))
    linked["created_at"] = _from_db("created_at", linked["created_at"])
    return linked


def _from_db(name: str, value):
    """A value of a raw row converted as the ORM converts it (SQLite returns text times)."""
    field = ActionLogEntry._meta.get_field(name)
    column = field.get_col(LOG_TABLE)
    converters = [*connection.ops.get_db_converters(column), *field.get_db_converters(connection)]
    for converter in converters:
        value = converter(value, column, connection)
    return value


def install_append_function(schema_editor, model=ActionLogEntry, head_model=ChainHead) -> None:
    """PostgreSQL: (re)create ``audit_append_entry`` for the columns ``model`` has (a
    migration passes its historical model)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    database = schema_editor.connection
    arguments = _function_arguments(model, database)
    signature = ", ".join(f"{name} {kind}" for name, kind in arguments)
    returns = ", ".join(
        f"{name} {model._meta.get_field(name).db_type(database)}" for name in RETURNED
    )
    log, head = model._meta.db_table, head_model._meta.db_table
    columns = ", ".join([*LINKED, *(field.column for field in _value_fields(model))])
    values = ", ".join(name for name, _kind in arguments[len(LINK_ARGUMENTS) :])
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {APPEND_FUNCTION}", params=None)
    schema_editor.execute(
        f"""
        CREATE FUNCTION {APPEND_FUNCTION}({signature})
        RETURNS TABLE ({returns}) LANGUAGE plpgsql AS $$
        #variable_conflict use_column
        BEGIN
            RETURN QUERY
            WITH head AS MATERIALIZED (
                SELECT chain, seq + 1 AS seq, last_hash AS prev_hash,
                       GREATEST(p_now, last_created_at) AS created_at
                FROM {head} WHERE chain = p_chain FOR UPDATE
            ), linked AS MATERIALIZED (
                SELECT chain, seq, prev_hash, created_at,
                       encode(sha256(convert_to(prev_hash || p_before || {_POSTGRES_ISOFORMAT}
                                                || p_between || seq::text || p_after, 'UTF8')),
                              'hex') AS entry_hash
                FROM head
            ), moved AS (
                UPDATE {head} AS h
                SET seq = linked.seq, last_hash = linked.entry_hash,
                    last_created_at = linked.created_at
                FROM linked WHERE h.chain = linked.chain
            ), inserted AS (
                INSERT INTO {log} ({columns})
                SELECT {", ".join(LINKED)}, {values} FROM linked
                RETURNING {", ".join(RETURNED)}
            )
            SELECT * FROM inserted;
        END $$""",  # noqa: S608 - names from the models, values as arguments
        params=None,
    )


def install_head_trigger(schema_editor) -> None:
    """SQLite: the trigger that moves a chain's head to the entry that follows it. Migrations
    that rebuild the log table on SQLite (which drops its triggers) install it again."""
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(
        f"""CREATE TRIGGER IF NOT EXISTS {HEAD_TRIGGER} AFTER INSERT ON {LOG_TABLE}
            WHEN NEW.seq = (SELECT seq + 1 FROM {HEAD_TABLE} WHERE chain = NEW.chain)
            BEGIN
                UPDATE {HEAD_TABLE}
                SET seq = NEW.seq, last_hash = NEW.entry_hash, last_created_at = NEW.created_at
                WHERE chain = NEW.chain;
            END""",  # noqa: S608 - names from the models
        params=None,
    )
