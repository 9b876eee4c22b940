"""The action log partitioned by month on PostgreSQL (shopassist/audit/partitions.py): entries
land in their month's partition or in DEFAULT, every partition refuses UPDATE, DELETE and
TRUNCATE, ``manage.py audit_partitions`` creates months ahead, empties DEFAULT with a warning
and detaches the months older than the retention (recording the run so that the chains still
verify), and migration 0007 converts a plain log keeping its rows, ids, sequence, indexes and
triggers. SQLite keeps one plain table (its retention is ``prune_audit_log``)."""

import importlib
import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.apps import apps as django_apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from shopassist.audit.config import RETENTION_DAYS
from shopassist.audit.models import ActionGroup, ActionLogEntry, Channel
from shopassist.audit.partitions import (
    DEFAULT_PARTITION,
    LOG_TABLE,
    add_months,
    month_of,
    months_ahead,
    months_before,
    partition_name,
)
from shopassist.audit.writer import record
from tests.audit.helpers import log_snapshot
from tests.audit.test_append_only import assert_refused

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the log is partitioned on PostgreSQL only"
)


def write(when: datetime | None = None, *, chain_key: int, action: str = "test.entry"):
    """One entry on the chain of admin id ``chain_key``, written at ``when`` (now if None)."""

    def _record():
        return record(
            action_group=ActionGroup.SYSTEM,
            action=action,
            channel=Channel.SYSTEM,
            admin_id=chain_key,
            details={"written": (when or timezone.now()).isoformat()},
        )

    if when is None:
        return _record()
    with time_machine.travel(when, tick=False):
        entry = _record()
    assert entry.created_at == when  # the chain's clock did not lift it
    return entry


def sql(query: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def partitions() -> dict[str, str]:
    """Each partition of the log and its bound, as PostgreSQL states them."""
    return dict(
        sql(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = %s::regclass",
            [LOG_TABLE],
        )
    )


def partition_of(entry) -> str:
    ((table,),) = sql(f"SELECT tableoid::regclass::text FROM {LOG_TABLE} WHERE id = %s", [entry.pk])  # noqa: S608
    return table


def table_exists(name: str) -> bool:
    return sql("SELECT to_regclass(%s) IS NOT NULL", [name])[0][0]


def run_command(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("audit_partitions", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def rows_in(table: str) -> int:
    return sql(f"SELECT count(*) FROM {table}")[0][0]  # noqa: S608


def refused_everywhere(table: str) -> None:
    """UPDATE and DELETE of the table's rows (row triggers fire only on rows: the table must
    hold some) and TRUNCATE of it are refused and change nothing."""
    assert rows_in(table) > 0, table
    before = log_snapshot()
    assert_refused(f"UPDATE {table} SET action = %s", ["forged"])  # noqa: S608
    assert_refused(f"DELETE FROM {table}")  # noqa: S608
    assert_refused(f"TRUNCATE {table}")
    assert log_snapshot() == before


def guarded(table: str) -> bool:
    """The table has the append-only row trigger and the TRUNCATE one (an empty partition has
    no row to refuse an UPDATE of, but its TRUNCATE is refused all the same)."""
    assert_refused(f"TRUNCATE {table}")
    names = {
        name
        for (name,) in sql("SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass", [table])
    }
    return {"audit_log_append_only", "audit_log_no_truncate"} <= names


# --- The partitioned table ---------------------------------------------------------------------


@postgres_only
def test_the_log_has_a_partition_per_month_ahead_and_a_default_one():
    bounds = partitions()

    assert bounds[DEFAULT_PARTITION] == "DEFAULT"
    for month in months_ahead(timezone.now(), 3):
        assert month.isoformat() in bounds[partition_name(month)]
        assert add_months(month, 1).isoformat() in bounds[partition_name(month)]
    ((kind,),) = sql("SELECT relkind FROM pg_class WHERE oid = %s::regclass", [LOG_TABLE])
    assert kind == "p"


@postgres_only
def test_an_entry_goes_to_its_month_and_one_outside_every_month_to_default():
    entry = write(chain_key=3)
    stray = write(datetime(2001, 2, 3, 4, 5, 6, tzinfo=UTC), chain_key=5)

    assert partition_of(entry) == partition_name(month_of(entry.created_at))
    assert partition_of(stray) == DEFAULT_PARTITION
    assert ActionLogEntry.objects.get(pk=entry.pk).entry_hash == entry.entry_hash
    call_command("verify_audit_log")


def month_start(month) -> datetime:
    return datetime(month.year, month.month, 1, tzinfo=UTC)


@postgres_only
def test_update_delete_and_truncate_are_refused_on_the_log_and_on_every_partition():
    this_month = month_of(timezone.now())
    later_month = add_months(this_month, 5)
    run_command("--ahead", "5")  # a partition created by the command, not by the migration
    write(chain_key=3)
    write(month_start(later_month), chain_key=7)
    write(month_start(add_months(this_month, 30)), chain_key=8)  # no partition: DEFAULT

    assert rows_in(partition_name(later_month)) == 1
    assert rows_in(DEFAULT_PARTITION) == 1
    for table in [LOG_TABLE, partition_name(this_month), partition_name(later_month)]:
        refused_everywhere(table)
    refused_everywhere(DEFAULT_PARTITION)
    for table in [LOG_TABLE, *partitions()]:
        assert guarded(table), table


# --- manage.py audit_partitions ----------------------------------------------------------------


@postgres_only
def test_the_command_creates_months_ahead_and_a_second_run_changes_nothing():
    this_month = month_of(timezone.now())
    before = partitions()

    out, _err = run_command("--ahead", "6")
    after = partitions()
    again, _err = run_command("--ahead", "6")

    created = set(after) - set(before)
    assert created == {partition_name(add_months(this_month, n)) for n in (4, 5, 6)}
    assert all(name in out for name in created)
    assert partitions() == after
    assert "exist" in again
    assert ActionLogEntry.objects.filter(action="retention").count() == 2  # each run recorded


@postgres_only
def test_the_command_moves_entries_out_of_default_with_a_warning():
    """Months with no partition: a year ahead of the clock (as a wrong clock would write)."""
    first, second = (add_months(month_of(timezone.now()), n) for n in (12, 14))
    strays = [
        write(month_start(first) + timedelta(days=2), chain_key=5),
        write(month_start(first) + timedelta(days=20), chain_key=5),
        write(month_start(second), chain_key=5),
    ]
    assert {partition_of(entry) for entry in strays} == {DEFAULT_PARTITION}
    before = log_snapshot()

    _out, warning = run_command()
    _out, second_warning = run_command()

    assert "DEFAULT partition" in warning
    assert f"{first:%Y-%m}: 2" in warning and f"{second:%Y-%m}: 1" in warning
    assert second_warning == ""
    assert [partition_of(entry) for entry in strays] == [
        partition_name(first),
        partition_name(first),
        partition_name(second),
    ]
    assert rows_in(DEFAULT_PARTITION) == 0
    ids = {row["id"] for row in before}
    assert [row for row in log_snapshot() if row["id"] in ids] == before  # moved, not changed
    refused_everywhere(partition_name(first))
    assert guarded(DEFAULT_PARTITION)
    call_command("verify_audit_log")


def test_on_sqlite_the_command_has_nothing_to_do():
    if connection.vendor == "postgresql":
        pytest.skip("what the command says on SQLite; the tests above run it on PostgreSQL")
    write(chain_key=3)
    before = log_snapshot()

    out, err = run_command()

    assert "nothing to partition" in out and err == ""
    assert log_snapshot() == before


# --- Retention by detaching months ---------------------------------------------------------------


@pytest.fixture
def months_of_entries(demo):
    """Entries 14, 13 and 11 months old and from now, written in time order: chain 5 has only
    old ones, chain 6 old and new ones."""
    now = timezone.now()
    return {
        "14 months": [write(months_before(now, 14), chain_key=key) for key in (5, 6, 6)],
        "13 months": [write(months_before(now, 13), chain_key=key) for key in (5, 6)],
        "11 months": [write(months_before(now, 11), chain_key=6)],
        "now": [write(chain_key=6), write(chain_key=7)],
    }


@postgres_only
def test_retention_detaches_the_months_older_than_it_and_records_its_run(months_of_entries):
    old = months_of_entries["14 months"] + months_of_entries["13 months"]
    old_months = sorted({partition_name(month_of(entry.created_at)) for entry in old})
    before = {row["id"]: row for row in log_snapshot()}
    old_ids = {entry.pk for entry in old}

    out, _err = run_command("--retention-months", "12")

    after = {row["id"]: row for row in log_snapshot()}
    assert not old_ids & set(after)
    assert {pk: after[pk] for pk in set(before) - old_ids} == {
        pk: row for pk, row in before.items() if pk not in old_ids
    }
    assert not any(table_exists(name) for name in old_months)  # dropped
    assert all(name in out for name in old_months)
    run = ActionLogEntry.objects.filter(action="retention").latest("id")
    assert run.details["removed"] == len(old_ids)
    assert run.details["partitions"] == old_months
    assert run.details["retention_months"] == 12
    last_old = {5: months_of_entries["13 months"][0], 6: months_of_entries["13 months"][1]}
    assert run.details["anchors"] == {
        str(entry.chain): [entry.seq, entry.entry_hash] for entry in last_old.values()
    }
    call_command("verify_audit_log")  # chains 5 and 6 restart at the anchors
    write(chain_key=5)
    call_command("verify_audit_log")


@postgres_only
def test_retention_months_come_from_the_setting(months_of_entries, settings):
    settings.SHOPASSIST_AUDIT_RETENTION_MONTHS = 13

    run_command()

    kept = set(ActionLogEntry.objects.values_list("id", flat=True))
    assert not {entry.pk for entry in months_of_entries["14 months"]} & kept
    assert {entry.pk for entry in months_of_entries["13 months"]} <= kept
    run = ActionLogEntry.objects.filter(action="retention").latest("id")
    assert run.details["retention_months"] == 13
    call_command("verify_audit_log")


@postgres_only
def test_retention_keeps_what_the_configured_days_still_cover(months_of_entries, set_config):
    set_config({RETENTION_DAYS: str(14 * 31 + 31)})
    before = log_snapshot()

    run_command("--retention-months", "12")

    run = ActionLogEntry.objects.filter(action="retention").latest("id")
    assert log_snapshot()[: len(before)] == before
    assert (run.details["removed"], run.details["partitions"]) == (0, [])


@postgres_only
def test_retention_can_keep_the_detached_months_append_only(months_of_entries):
    oldest = months_of_entries["14 months"]
    name = partition_name(month_of(oldest[0].created_at))
    kept = name.replace(f"{LOG_TABLE}_y", "audit_detached_y")

    run_command("--retention-months", "13", "--keep-detached")

    assert name not in partitions()
    assert sorted(pk for (pk,) in sql(f"SELECT id FROM {kept}")) == [e.pk for e in oldest]  # noqa: S608
    refused_everywhere(kept)
    call_command("verify_audit_log")


@postgres_only
def test_a_second_retention_run_and_new_entries_keep_the_chains_verifiable(months_of_entries):
    run_command("--retention-months", "13")
    write(chain_key=5)
    run_command("--retention-months", "12")

    call_command("verify_audit_log")
    assert ActionLogEntry.objects.filter(action="retention").count() == 2
    for entry in months_of_entries["14 months"] + months_of_entries["13 months"]:
        assert not ActionLogEntry.objects.filter(pk=entry.pk).exists()


# --- Migration 0007 ------------------------------------------------------------------------------


def log_shape() -> dict:
    """The log's indexes (name: definition without the table), constraints and triggers."""
    indexes = dict(
        sql(
            "SELECT i.relname, regexp_replace(pg_get_indexdef(i.oid), ' ON .* USING ', ' USING ') "
            "FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
            "WHERE x.indrelid = %s::regclass",
            [LOG_TABLE],
        )
    )
    constraints = dict(
        sql("SELECT conname, contype FROM pg_constraint WHERE conrelid = %s::regclass", [LOG_TABLE])
    )
    triggers = {
        name
        for (name,) in sql(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
            [LOG_TABLE],
        )
    }
    return {"indexes": indexes, "constraints": constraints, "triggers": triggers}


def sequence_position() -> tuple:
    return sql("SELECT last_value, is_called FROM audit_actionlogentry_id_seq")[0]


def run_migration_0007(direction: str) -> None:
    """Migration 0007's own function, run in the test's transaction (PostgreSQL's DDL is
    transactional): the later migrations stay applied, their triggers on the log included."""
    migration = importlib.import_module("shopassist.audit.migrations.0007_partition_log_by_month")
    with connection.schema_editor() as editor:
        getattr(migration, direction)(django_apps, editor)


@postgres_only
def test_migration_0007_converts_a_plain_log_keeping_rows_ids_sequence_indexes_triggers():
    partitioned_shape = log_shape()
    run_migration_0007("unpartition")  # back to one plain table
    plain_shape = log_shape()
    assert sql("SELECT relkind FROM pg_class WHERE oid = %s::regclass", [LOG_TABLE]) == [("r",)]
    now = timezone.now()
    for months in (14, 2, 1):
        write(months_before(now, months), chain_key=9)
    write(chain_key=9)
    write(datetime(2001, 2, 3, tzinfo=UTC), chain_key=10)
    before, position = log_snapshot(), sequence_position()

    run_migration_0007("partition")

    assert log_snapshot() == before  # every row, id and hash as it was
    assert sequence_position() == position
    entry = write(chain_key=9)
    assert entry.pk == max(row["id"] for row in before) + 1
    bounds = partitions()
    for row in before:
        assert partition_name(month_of(row["created_at"])) in bounds
    for month in months_ahead(now, 3):
        assert partition_name(month) in bounds
    shape = log_shape()
    assert shape == partitioned_shape
    assert set(shape["indexes"]) == set(plain_shape["indexes"])  # trigram, composite, pk
    assert shape["indexes"]["audit_actionlogentry_pkey"].endswith("(id, created_at)")
    assert shape["indexes"]["audit_chain_seq_unique"].endswith("(chain, seq, created_at)")
    for table in [LOG_TABLE, *bounds]:
        assert guarded(table), table
    refused_everywhere(LOG_TABLE)
    refused_everywhere(f"{LOG_TABLE}_y2001m02")  # the month of its one entry
    refused_everywhere(partition_name(month_of(now)))
    call_command("verify_audit_log")


# --- Flush -------------------------------------------------------------------------------------


@postgres_only
def test_in_production_flush_cannot_empty_the_log(settings):
    write(chain_key=3)
    before = log_snapshot()
    settings.PRODUCTION = True

    with pytest.raises(CommandError):
        call_command("flush", interactive=False, verbosity=0)

    assert log_snapshot() == before


def test_months_before_keeps_the_day_or_takes_the_months_last():
    moment = datetime(2027, 3, 31, 12, 30, tzinfo=UTC)

    assert months_before(moment, 1) == datetime(2027, 2, 28, 12, 30, tzinfo=UTC)
    assert months_before(moment, 13) == datetime(2026, 2, 28, 12, 30, tzinfo=UTC)
    assert months_before(moment, 12) == moment - timedelta(days=365)
    assert add_months(month_of(moment), -15).isoformat() == "2025-12-01"
