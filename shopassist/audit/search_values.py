"""PostgreSQL: the distinct admins and customer e-mails named by the action log and the
assisted sessions, kept by the database in ``audit_search_value`` (kind, value) for the log
pages' partial filters (``substring_filter``). SQLite has no such table.

A row trigger on each table adds a value the first time it is written (on the partitioned log
it is created on the parent, so PostgreSQL clones it onto every partition, present and
future, and it fires for the chained INSERT of ``chained_insert``). The table has no unique
constraint on purpose: a unique one would make a writer wait for another's uncommitted first
use of the same value (and two writers could deadlock on two values); without it, two
concurrent first uses may leave a duplicate, which the readers ignore. A value outlives the
rows that named them until the next retention run, which forgets the values no table names any
more (``forget_unused_values``): personal data is not kept beyond the retention period.
"""

from __future__ import annotations

from django.db import connection

from shopassist.audit.append_only import LOG_TABLE

VALUES_TABLE = "audit_search_value"
# The columns whose distinct values the table keeps (its "kind"); both tables have them.
KEPT_COLUMNS = ("admin_username", "customer_email")
TRIGGER_FUNCTION = "audit_remember_search_values"


def _trigger_name(table: str) -> str:
    return f"{table}_search_values"


def create_values_table(cursor) -> None:
    """The table, its lookup index and the trigger function (the trigram indexes come after
    the backfill: ``create_trigram_indexes``)."""
    cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    cursor.execute(
        f"CREATE TABLE IF NOT EXISTS {VALUES_TABLE} (kind text NOT NULL, value text NOT NULL)"
    )
    # The trigger's look-up, by value only: no search by kind can be served by it.
    cursor.execute(f"CREATE INDEX IF NOT EXISTS {VALUES_TABLE}_value ON {VALUES_TABLE} (value)")
    # Statistics on the compared expression: the planner then reads a common part's first
    # matches by a sequential scan that stops at the LIMIT instead of the whole trigram index.
    cursor.execute(
        f"CREATE STATISTICS IF NOT EXISTS {VALUES_TABLE}_upper "
        f"ON (upper(value)) FROM {VALUES_TABLE}"
    )
    create_trigger_function(cursor)


def create_trigger_function(cursor) -> None:
    """The row trigger's function: add each kept value not yet in the table.

    Its look-up always goes through the index on ``value`` (``enable_seqscan`` off for the
    function alone): PL/pgSQL keeps a plan per connection, and a generic plan made while the
    table was nearly empty scans it whole — for every row written afterwards, on that
    connection, as the table grows (measured: 20,000 sessions written in 43.8 s instead of
    1.5 s after the demo data had been loaded on the same connection; a bulk insert of a
    million rows did not finish in 13 minutes)."""
    kept = ", ".join(f"('{column}', NEW.{column}::text)" for column in KEPT_COLUMNS)
    cursor.execute(
        f"""CREATE OR REPLACE FUNCTION {TRIGGER_FUNCTION}() RETURNS trigger AS $$
        BEGIN
            INSERT INTO {VALUES_TABLE} (kind, value)
            SELECT kept.kind, kept.value FROM (VALUES {kept}) AS kept (kind, value)
            WHERE kept.value <> '' AND NOT EXISTS (
                SELECT 1 FROM {VALUES_TABLE} AS known
                WHERE known.kind = kept.kind AND known.value = kept.value);
            RETURN NULL;
        END; $$ LANGUAGE plpgsql SET enable_seqscan = off"""  # noqa: S608 - names from the code
    )


def create_trigram_indexes(cursor) -> None:
    """One partial trigram index per kind, on the expression ``matching_values`` compares
    (CONCURRENTLY: the log's writers keep adding values meanwhile), then the statistics."""
    for column in KEPT_COLUMNS:
        cursor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {VALUES_TABLE}_{column}_trgm "
            f"ON {VALUES_TABLE} USING gin (upper(value) gin_trgm_ops) WHERE kind = '{column}'"
        )
    cursor.execute(f"ANALYZE {VALUES_TABLE}")


def drop_values_table(cursor) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {VALUES_TABLE}")
    cursor.execute(f"DROP FUNCTION IF EXISTS {TRIGGER_FUNCTION}()")


def remember_values_of(cursor, table: str) -> None:
    """Install the trigger on ``table``, then add the values its rows already hold (in that
    order, so that no value written meanwhile is missed). Run it outside a transaction, or
    the trigger's lock holds the table's writers until the backfill ends."""
    columns = ", ".join(KEPT_COLUMNS)
    cursor.execute(f"DROP TRIGGER IF EXISTS {_trigger_name(table)} ON {table}")
    cursor.execute(
        f"CREATE TRIGGER {_trigger_name(table)} AFTER INSERT OR UPDATE OF {columns} "
        f"ON {table} FOR EACH ROW EXECUTE FUNCTION {TRIGGER_FUNCTION}()"
    )
    for column in KEPT_COLUMNS:
        cursor.execute(
            f"INSERT INTO {VALUES_TABLE} (kind, value) "  # noqa: S608 - names from the code
            f"SELECT DISTINCT '{column}', {column}::text FROM {table} AS rows "
            f"WHERE {column} <> '' AND NOT EXISTS (SELECT 1 FROM {VALUES_TABLE} AS known "
            f"WHERE known.kind = '{column}' AND known.value = rows.{column}::text)"
        )


def forget_values_of(cursor, table: str) -> None:
    cursor.execute(f"DROP TRIGGER IF EXISTS {_trigger_name(table)} ON {table}")


def tables_remembering_values(cursor) -> list[str]:
    """The tables whose rows' values are kept (the log and the assisted sessions): those with
    the trigger, found in the catalogue, so that audit names no other app's table."""
    cursor.execute(
        "SELECT tgrelid::regclass::text FROM pg_trigger "
        "WHERE tgfoid = to_regproc(%s) AND tgparentid = 0 ORDER BY 1",  # not the partitions' clones
        [TRIGGER_FUNCTION],
    )
    return [table for (table,) in cursor.fetchall()]


def forget_unused_values(cursor) -> int:
    """Delete the values that no table remembering values names any more (after retention
    removed old entries, or sessions were deleted); return how many distinct values went.
    One statement per kind, whose NOT EXISTS probes each table's (column, -id) btree; every
    copy of a duplicated value goes with it.

    A writer naming a value at this moment must not lose it (its trigger sees the value still
    here and adds nothing; this statement does not see its uncommitted row). So the log's
    writers are held until the transaction ends (SHARE lock; run it inside the retention's
    transaction, just before its entry): every writer that names a value writes a log entry
    naming it (a session is created with its start entry, and its kept columns are never
    updated), so the writers that came first have committed and are seen, and those that
    come later wait at their log entry, whose trigger then reads the table anew (after this
    transaction) and adds the value again."""
    if connection.vendor != "postgresql":
        return 0
    if not connection.in_atomic_block:
        raise RuntimeError("forget_unused_values runs inside the retention's transaction")
    cursor.execute(f"LOCK TABLE {LOG_TABLE} IN SHARE MODE")
    tables = tables_remembering_values(cursor)
    forgotten = 0
    for column in KEPT_COLUMNS:
        cursor.execute(forget_statement(column, tables))
        forgotten += cursor.fetchone()[0]
    return forgotten


def forget_statement(column: str, tables: list[str]) -> str:
    """The DELETE of the values of one kind that none of ``tables`` names (the count of
    distinct values it removed)."""
    named = " ".join(
        f"AND NOT EXISTS (SELECT 1 FROM {table} AS named WHERE named.{column} = known.value)"  # noqa: S608
        for table in tables
    )
    return (
        f"WITH gone AS (DELETE FROM {VALUES_TABLE} AS known "  # noqa: S608 - names from the code
        f"WHERE known.kind = '{column}' {named} RETURNING known.value) "
        "SELECT count(DISTINCT value) FROM gone"
    )


def index_probe(term: str) -> str:
    """The part of ``term`` the trigram index is asked for: an e-mail's local part with its
    "@", when it has a trigram. Addresses share their domains ("example.com", "gmail.com"):
    the posting lists of the domain's trigrams hold a large share of the index, and reading
    them was most of the look-up (10 M-entry benchmark, 200,000 e-mails:
    "%CUSTOMER777@EXAMPLE.COM%" 18-21 ms, "%CUSTOMER777@%" 8 ms). Otherwise the whole term."""
    local, at, _domain = term.partition("@")
    probe = local + at
    return probe if at and len(probe) >= 3 else term


def matching_values(column: str, term: str, *, limit: int) -> tuple[list[str], bool]:
    """The distinct values of ``column`` (one of KEPT_COLUMNS) that contain ``term`` in any
    case: the rows the trigram index finds for ``index_probe(term)``, each then checked for
    the whole term with STRPOS, which no index serves (at most ``limit`` values, and whether
    there are more)."""
    if column not in KEPT_COLUMNS:
        raise ValueError(column)
    probe = f"%{connection.ops.prep_for_like_query(index_probe(term))}%"
    with connection.cursor() as cursor:
        # The kind is written in the statement, not passed, so that the partial index applies.
        cursor.execute(
            f"SELECT value FROM {VALUES_TABLE} WHERE kind = '{column}' "  # noqa: S608 - a constant
            "AND upper(value) LIKE upper(%s) AND strpos(upper(value), upper(%s)) > 0 LIMIT %s",
            [probe, term, limit + 1],
        )
        rows = [value for (value,) in cursor.fetchall()]
    # Decided on rows read, not on distinct values: a duplicate must not hide a further value.
    return list(dict.fromkeys(rows[:limit])), len(rows) > limit
