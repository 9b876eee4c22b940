"""The action log partitioned by month on PostgreSQL (SQLite keeps one plain table).

``audit_actionlogentry`` is partitioned by RANGE (created_at): one partition per calendar month
in UTC (``audit_actionlogentry_y2027m01``) and a DEFAULT partition, so that an insert never
fails for want of a partition (a frozen clock, a forgotten cron). ``manage.py audit_partitions``
creates the months ahead, moves rows that landed in DEFAULT into their months, and detaches the
months older than the retention (``retention.detach_expired_partitions``).

Its primary key is (id, created_at) and its chain constraint (chain, seq, created_at): a unique
index of a partitioned table must hold the partition key. What keeps seq unique in a chain is
the chain head's row lock (``writer``); the constraint keeps its name and serves the chain walk.
Django's model state is unchanged (pk ``id``): ids stay unique, drawn from one sequence.

A partition's indexes are named after the log's, with the partition's suffix
(``audit_group_id_y2027m01``), so that a plan names the index it uses on every partition.

New month partitions are created as plain tables and then ATTACHed, which takes only a SHARE
UPDATE EXCLUSIVE lock on the log (CREATE TABLE ... PARTITION OF would take an ACCESS EXCLUSIVE
one, queueing every reader and writer behind any long export).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from django.utils import timezone

from shopassist.audit.append_only import LOG_TABLE, install_log_guards, install_truncate_guard

DEFAULT_PARTITION = f"{LOG_TABLE}_default"
PARTITION_PREFIX = f"{LOG_TABLE}_y"
DETACHED_PREFIX = "audit_detached_y"  # partitions kept by retention --keep-detached
MONTHS_AHEAD = 3
# The log's own triggers, installed again by install_log_guards; any other trigger (another
# app's) is copied from the old table as it was.
OWN_TRIGGERS = ("audit_log_append_only", "audit_log_no_truncate")


def month_of(moment: datetime) -> date:
    """The first day of the moment's calendar month in UTC."""
    return moment.astimezone(UTC).date().replace(day=1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def partition_name(month: date) -> str:
    return f"{PARTITION_PREFIX}{month.year:04d}m{month.month:02d}"


def month_of_partition(name: str) -> date | None:
    """The month of a partition named by ``partition_name``, None for any other name."""
    suffix = name.removeprefix(PARTITION_PREFIX)
    if suffix == name or len(suffix) != 7 or suffix[4] != "m":
        return None
    try:
        return date(int(suffix[:4]), int(suffix[5:]), 1)
    except ValueError:
        return None


def _bound(month: date) -> str:
    """A partition bound literal (built from a date, never from input)."""
    return f"'{month.isoformat()} 00:00:00+00'"


def is_partitioned(cursor) -> bool:
    cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [LOG_TABLE])
    row = cursor.fetchone()
    return row is not None and row[0] == "p"


def partitions(cursor) -> list[str]:
    """The names of the log's partitions (month partitions and DEFAULT)."""
    cursor.execute(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = to_regclass(%s) ORDER BY c.relname",
        [LOG_TABLE],
    )
    return [name for (name,) in cursor.fetchall()]


def month_partitions(cursor) -> dict[date, str]:
    """The log's month partitions by month, oldest first."""
    months = {month_of_partition(name): name for name in partitions(cursor)}
    months.pop(None, None)
    return dict(sorted(months.items()))


def suffix_of(partition: str) -> str:
    return partition.removeprefix(f"{LOG_TABLE}_")


def name_partition_indexes(cursor, partition: str, suffix: str | None = None) -> None:
    """Name each index of a partition after the log's index it belongs to, plus a suffix
    (the partition's own by default)."""
    suffix = suffix or suffix_of(partition)
    cursor.execute(
        "SELECT child.relname, parent.relname FROM pg_index x "
        "JOIN pg_class child ON child.oid = x.indexrelid "
        "JOIN pg_inherits i ON i.inhrelid = x.indexrelid "
        "JOIN pg_class parent ON parent.oid = i.inhparent "
        "WHERE x.indrelid = to_regclass(%s)",
        [partition],
    )
    for child, parent in cursor.fetchall():
        name = f"{parent}_{suffix}"
        if child != name:
            cursor.execute(f"ALTER INDEX {child} RENAME TO {name}")


def create_month_partition(cursor, month: date) -> str:
    """Create and attach the partition of one month, append-only like the rest of the log."""
    name = partition_name(month)
    cursor.execute(
        f"CREATE TABLE {name} (LIKE {LOG_TABLE} INCLUDING CONSTRAINTS INCLUDING STORAGE)"
    )
    cursor.execute(
        f"ALTER TABLE {LOG_TABLE} ATTACH PARTITION {name} "
        f"FOR VALUES FROM ({_bound(month)}) TO ({_bound(add_months(month, 1))})"
    )
    install_truncate_guard(cursor, name)  # row triggers come with ATTACH, TRUNCATE's do not
    name_partition_indexes(cursor, name)
    return name


def create_default_partition(cursor) -> None:
    cursor.execute(f"CREATE TABLE {DEFAULT_PARTITION} PARTITION OF {LOG_TABLE} DEFAULT")
    install_truncate_guard(cursor, DEFAULT_PARTITION)
    name_partition_indexes(cursor, DEFAULT_PARTITION)


def name_all_partition_indexes(cursor) -> None:
    """Also the indexes a later migration adds to the log (PostgreSQL names them itself)."""
    for partition in partitions(cursor):
        name_partition_indexes(cursor, partition)


def ensure_partitions(cursor, months: Iterable[date]) -> list[str]:
    """Create the partitions of these months that do not exist yet; return their names."""
    existing = month_partitions(cursor)
    return [
        create_month_partition(cursor, month)
        for month in sorted(set(months))
        if month not in existing
    ]


def months_ahead(now: datetime, ahead: int) -> list[date]:
    """This month and the ``ahead`` next ones."""
    this_month = month_of(now)
    return [add_months(this_month, count) for count in range(ahead + 1)]


def ensure_partitions_for_span(cursor, *, days: int, ahead: int = MONTHS_AHEAD) -> list[str]:
    """The months of the last ``days`` days and ``ahead`` months (generate_audit_data); nothing
    on an unpartitioned log."""
    if not is_partitioned(cursor):
        return []
    now = timezone.now()
    first, last = month_of(now - timedelta(days=days)), add_months(month_of(now), ahead)
    months, month = [], first
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return ensure_partitions(cursor, months)


def default_partition_rows(cursor) -> dict[date, int]:
    """How many rows DEFAULT holds, by month (none unless partitions were missing)."""
    cursor.execute(
        "SELECT date_trunc('month', created_at AT TIME ZONE 'UTC')::date, count(*) "  # noqa: S608
        f"FROM {DEFAULT_PARTITION} GROUP BY 1 ORDER BY 1"
    )
    return dict(cursor.fetchall())


def adopt_default_rows(cursor) -> dict[date, int]:
    """Move the rows that landed in DEFAULT into partitions of their months; return how many
    by month. A partition cannot be attached over rows DEFAULT holds for its range, so DEFAULT
    is detached, its rows copied into new month tables (no insert trigger fires: the rows keep
    their hashes) that are then attached, and an empty DEFAULT takes its place. Holds an ACCESS
    EXCLUSIVE lock on the log until the transaction ends: run it inside one, it is short when
    DEFAULT holds little (which the daily command keeps so)."""
    held = default_partition_rows(cursor)
    if not held:
        return {}
    adopted = f"{DEFAULT_PARTITION}_adopted"
    name_partition_indexes(cursor, DEFAULT_PARTITION, "adopted")  # frees the names
    cursor.execute(f"ALTER TABLE {LOG_TABLE} DETACH PARTITION {DEFAULT_PARTITION}")
    cursor.execute(f"ALTER TABLE {DEFAULT_PARTITION} RENAME TO {adopted}")
    create_default_partition(cursor)
    for month in held:
        name = partition_name(month)
        cursor.execute(
            f"CREATE TABLE {name} (LIKE {LOG_TABLE} INCLUDING CONSTRAINTS INCLUDING STORAGE)"
        )
        cursor.execute(
            f"INSERT INTO {name} SELECT * FROM {adopted} "  # noqa: S608
            f"WHERE created_at >= {_bound(month)} AND created_at < {_bound(add_months(month, 1))} "
            "ORDER BY id"
        )
        cursor.execute(
            f"ALTER TABLE {LOG_TABLE} ATTACH PARTITION {name} "
            f"FOR VALUES FROM ({_bound(month)}) TO ({_bound(add_months(month, 1))})"
        )
        install_truncate_guard(cursor, name)
        name_partition_indexes(cursor, name)
    cursor.execute(f"DROP TABLE {adopted}")
    return held


# --- The migration (audit 0007) --------------------------------------------------------------


def _table_definition(cursor, table: str) -> tuple[list[str], list[str], list[str]]:
    """(indexes other than constraints', unique constraints' columns, triggers) of a table, as
    SQL that recreates them on a table called LOG_TABLE."""
    cursor.execute(
        "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = to_regclass(%s) AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1",
        [table],
    )
    on_table = re.compile(rf" ON (ONLY )?(\w+\.)?{table} ")
    indexes = [on_table.sub(f" ON {LOG_TABLE} ", definition) for (definition,) in cursor.fetchall()]
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = to_regclass(%s) AND contype IN ('p', 'u') ORDER BY contype, conname",
        [table],
    )
    constraints = list(cursor.fetchall())
    cursor.execute(
        "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger "
        "WHERE tgrelid = to_regclass(%s) AND NOT tgisinternal AND tgparentid = 0 ORDER BY 1",
        [table],
    )
    triggers = [
        on_table.sub(f" ON {LOG_TABLE} ", definition)
        for name, definition in cursor.fetchall()
        if name not in OWN_TRIGGERS
    ]
    return indexes, constraints, triggers


def _take_over_sequence(cursor, old: str) -> None:
    """Give the new table the id sequence at the old one's position: ids are never reused."""
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [old])
    (sequence,) = cursor.fetchone()
    cursor.execute(f"SELECT last_value, is_called FROM {sequence}")  # noqa: S608
    last_value, is_called = cursor.fetchone()
    cursor.execute(
        "SELECT attidentity FROM pg_attribute WHERE attrelid = to_regclass(%s) AND attname = 'id'",
        [old],
    )
    if cursor.fetchone()[0]:
        cursor.execute(f"ALTER TABLE {old} ALTER COLUMN id DROP IDENTITY")
    else:
        cursor.execute(f"ALTER TABLE {old} ALTER COLUMN id DROP DEFAULT")
        cursor.execute(f"DROP SEQUENCE {sequence}")
    new_sequence = f"{LOG_TABLE}_id_seq"
    cursor.execute(f"CREATE SEQUENCE {new_sequence} AS bigint")
    cursor.execute("SELECT setval(%s, %s, %s)", [new_sequence, last_value, is_called])
    cursor.execute(f"ALTER TABLE {LOG_TABLE} ALTER COLUMN id SET DEFAULT nextval('{new_sequence}')")
    cursor.execute(f"ALTER SEQUENCE {new_sequence} OWNED BY {LOG_TABLE}.id")


def _constraint_columns(definition: str) -> list[str]:
    """The columns of 'PRIMARY KEY (id)' or 'UNIQUE (chain, seq)'."""
    inside = definition[definition.index("(") + 1 : definition.rindex(")")]
    return [column.strip() for column in inside.split(",")]


def convert_to_partitioned(cursor, *, now: datetime, ahead: int = MONTHS_AHEAD) -> dict:
    """Turn the plain log table into the partitioned one: same columns, indexes (the trigram
    ones and the composite ``…_id`` ones included), triggers, ids and id sequence. Rows are
    copied in id order into partitions of every month they cover plus this month and
    ``ahead`` more; secondary indexes are built after the copy. Returns what it did."""
    old = f"{LOG_TABLE}_unpartitioned"
    indexes, constraints, triggers = _table_definition(cursor, LOG_TABLE)
    cursor.execute(f"ALTER TABLE {LOG_TABLE} RENAME TO {old}")
    for definition in indexes:  # their names are free for the new table's indexes
        name = definition.split(" INDEX ", 1)[1].split(" ON ", 1)[0]
        cursor.execute(f"DROP INDEX {name}")
    for name, _definition in constraints:
        if name.endswith("_pkey"):  # kept for the copy in id order, under another name
            cursor.execute(f"ALTER TABLE {old} RENAME CONSTRAINT {name} TO {old}_pkey")
        else:
            cursor.execute(f"ALTER TABLE {old} DROP CONSTRAINT {name}")
    cursor.execute(
        f"CREATE TABLE {LOG_TABLE} (LIKE {old} INCLUDING CONSTRAINTS INCLUDING STORAGE "
        "INCLUDING COMMENTS) PARTITION BY RANGE (created_at)"
    )
    _take_over_sequence(cursor, old)
    cursor.execute(
        f"SELECT DISTINCT date_trunc('month', created_at AT TIME ZONE 'UTC')::date FROM {old}"  # noqa: S608
    )
    months = {month for (month,) in cursor.fetchall()} | set(months_ahead(now, ahead))
    created = ensure_partitions(cursor, months)
    create_default_partition(cursor)
    cursor.execute(f"INSERT INTO {LOG_TABLE} SELECT * FROM {old} ORDER BY id")  # noqa: S608
    copied = cursor.rowcount
    for name, definition in constraints:
        columns = _constraint_columns(definition)
        if "created_at" not in columns:
            columns.append("created_at")  # a partitioned table's unique keys hold its key
        kind = "PRIMARY KEY" if definition.startswith("PRIMARY KEY") else "UNIQUE"
        cursor.execute(
            f"ALTER TABLE {LOG_TABLE} ADD CONSTRAINT {name} {kind} ({', '.join(columns)})"
        )
    for definition in indexes:
        cursor.execute(definition)
    for definition in triggers:
        cursor.execute(definition)
    install_log_guards(cursor)
    name_all_partition_indexes(cursor)
    cursor.execute(f"DROP TABLE {old}")
    cursor.execute(f"ANALYZE {LOG_TABLE}")
    return {"rows": copied, "partitions": created}


def convert_to_plain(cursor) -> None:
    """The reverse of ``convert_to_partitioned``: one plain table again, ids and sequence kept,
    primary key (id) and unique (chain, seq)."""
    old = f"{LOG_TABLE}_partitioned"
    indexes, constraints, triggers = _table_definition(cursor, LOG_TABLE)
    cursor.execute(f"ALTER TABLE {LOG_TABLE} RENAME TO {old}")
    for definition in indexes:
        name = definition.split(" INDEX ", 1)[1].split(" ON ", 1)[0]
        cursor.execute(f"DROP INDEX {name}")
    for name, _definition in constraints:
        cursor.execute(f"ALTER TABLE {old} DROP CONSTRAINT {name}")
    cursor.execute(
        f"CREATE TABLE {LOG_TABLE} (LIKE {old} INCLUDING CONSTRAINTS INCLUDING STORAGE "
        "INCLUDING COMMENTS)"
    )
    _take_over_sequence(cursor, old)
    cursor.execute(f"INSERT INTO {LOG_TABLE} SELECT * FROM {old} ORDER BY id")  # noqa: S608
    for name, definition in constraints:
        columns = [c for c in _constraint_columns(definition) if c != "created_at"]
        kind = "PRIMARY KEY" if definition.startswith("PRIMARY KEY") else "UNIQUE"
        cursor.execute(
            f"ALTER TABLE {LOG_TABLE} ADD CONSTRAINT {name} {kind} ({', '.join(columns)})"
        )
    for definition in indexes:
        cursor.execute(definition)
    for definition in triggers:
        cursor.execute(definition)
    install_log_guards(cursor)
    cursor.execute(f"DROP TABLE {old}")


def months_before(moment: datetime, count: int) -> datetime:
    """The same day and time ``count`` calendar months earlier (the month's last day if the
    day does not exist there)."""
    month = add_months(moment.date().replace(day=1), -count)
    last_day = (add_months(month, 1) - timedelta(days=1)).day
    return moment.replace(year=month.year, month=month.month, day=min(moment.day, last_day))


def month_start(month: date) -> datetime:
    return datetime(month.year, month.month, 1, tzinfo=UTC)
