"""Retention forgets the search values (shopassist/audit/search_values.py) that only the removed
entries, or deleted assisted sessions, named: both ways of removing entries (``audit_partitions``
detaching months, ``prune``) delete them and count them in the run's entry, the values still
named by a kept entry or a session stay, and a writer naming a value while the run deletes it
does not lose it. SQLite keeps no such values (its filters read the log itself)."""

import io
import threading
import time
import uuid
from datetime import timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.utils import timezone

from login_as_customer.models import AssistedSession
from shopassist.audit.append_only import deletion_allowed
from shopassist.audit.models import ActionGroup, ActionLogEntry, Channel
from shopassist.audit.partitions import LOG_TABLE, months_before
from shopassist.audit.retention import prune
from shopassist.audit.search_values import (
    KEPT_COLUMNS,
    VALUES_TABLE,
    forget_statement,
    forget_unused_values,
    matching_values,
    tables_remembering_values,
)
from shopassist.audit.writer import record

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the search values are kept on PostgreSQL only"
)


def unique(prefix: str) -> str:
    """A value no other test writes (the values table outlives the flushes of other tests)."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def write(*, admin: str = "", email: str = "", when=None) -> ActionLogEntry:
    """One entry naming an admin and a customer e-mail, written at ``when`` (now if None)."""
    customer = SimpleNamespace(pk=7, email=email) if email else None

    def _record():
        return record(
            action_group=ActionGroup.SYSTEM,
            action="test.entry",
            channel=Channel.SYSTEM,
            admin_id=5,
            admin_username=admin,
            customer=customer,
        )

    if when is None:
        return _record()
    with time_machine.travel(when, tick=False):
        return _record()


def kept_values(column: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {VALUES_TABLE} WHERE kind = %s", [column])  # noqa: S608
        return [value for (value,) in cursor.fetchall()]


def all_values() -> set[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT kind, value FROM {VALUES_TABLE}")  # noqa: S608
        return set(cursor.fetchall())


def found_by_filter(column: str, value: str) -> bool:
    """Whether the log pages' partial filter looks ``value`` up (by a part of it)."""
    values, _more = matching_values(column, value.upper()[2:], limit=200)
    return value in values


def last_run() -> ActionLogEntry:
    return ActionLogEntry.objects.filter(action="retention").latest("id")


def delete_session(session: AssistedSession) -> None:
    """Sessions are append-only: only a retention transaction may delete them (nothing in the
    code does yet; an operator may, through the same gate)."""
    with transaction.atomic(), deletion_allowed():
        session.delete()


def session_naming(*, admin: str, email: str) -> AssistedSession:
    return AssistedSession.objects.create(
        admin_username=admin,
        customer_email=email,
        customer_name="Kept Customer",
        store_view_code="en",
        website_name="Main Website",
    )


@pytest.fixture
def people():
    """Admins and e-mails named 14 months ago only, also 11 months ago, or also by a session;
    each kind of value in both columns."""
    now = timezone.now()
    names = {
        who: (unique(f"admin-{who}"), f"{unique(who)}@example.com")
        for who in ("expired", "kept", "in_session")
    }
    for who in ("expired", "kept", "in_session"):
        admin, email = names[who]
        write(admin=admin, email=email, when=months_before(now, 14))
    write(admin=names["kept"][0], email=names["kept"][1], when=months_before(now, 11))
    session_naming(admin=names["in_session"][0], email=names["in_session"][1])
    write(admin=unique("admin-now"))  # the log goes on
    return names


def assert_forgotten_only_the_expired(people, before: set, run: ActionLogEntry) -> None:
    after = all_values()
    expired_admin, expired_email = people["expired"]
    assert ("admin_username", expired_admin) not in after
    assert ("customer_email", expired_email) not in after
    assert not found_by_filter("admin_username", expired_admin)
    assert not found_by_filter("customer_email", expired_email)
    for who in ("kept", "in_session"):
        admin, email = people[who]
        assert ("admin_username", admin) in after and ("customer_email", email) in after
        assert found_by_filter("admin_username", admin)
        assert found_by_filter("customer_email", email)
    # The count is that of the distinct values gone (other tests may have left orphans too).
    gone = {value for value in before if value not in after}
    assert run.details["search_values_removed"] == len(gone) >= 2
    call_command("verify_audit_log")


@postgres_only
@pytest.mark.django_db
def test_detaching_months_forgets_the_values_only_they_named(demo, people):
    before = all_values()
    assert {
        ("admin_username", people["expired"][0]),
        ("customer_email", people["expired"][1]),
    } <= before

    call_command("audit_partitions", "--retention-months", "12", stdout=io.StringIO())

    run = last_run()
    assert run.details["partitions"]  # the 14-month-old month was detached
    assert_forgotten_only_the_expired(people, before, run)


@postgres_only
@pytest.mark.django_db
def test_months_kept_detached_keep_no_search_values(demo, people):
    """The detached table is an archive kept on purpose; the pages no longer search it."""
    call_command(
        "audit_partitions", "--retention-months", "12", "--keep-detached", stdout=io.StringIO()
    )

    assert last_run().details["kept_detached"]
    assert people["expired"][1] not in kept_values("customer_email")
    assert people["kept"][1] in kept_values("customer_email")


@postgres_only
@pytest.mark.django_db
def test_pruning_rows_forgets_the_values_only_they_named(demo, people):
    before = all_values()

    removed = prune(older_than_days=365)

    run = last_run()
    assert removed == run.details["removed"] >= 3
    assert_forgotten_only_the_expired(people, before, run)


@postgres_only
@pytest.mark.django_db
def test_a_deleted_sessions_values_go_at_the_next_run(demo):
    admin, email = unique("admin-gone"), f"{unique('gone')}@example.com"
    session = session_naming(admin=admin, email=email)
    assert found_by_filter("customer_email", email)
    delete_session(session)

    prune(older_than_days=365)

    assert email not in kept_values("customer_email")
    assert admin not in kept_values("admin_username")
    assert not found_by_filter("customer_email", email)
    assert last_run().details["search_values_removed"] >= 2


@postgres_only
@pytest.mark.django_db
def test_every_copy_of_a_duplicated_value_goes_and_counts_once(demo):
    gone, kept = f"{unique('twice')}@example.com", f"{unique('twice-kept')}@example.com"
    write(email=kept)
    with connection.cursor() as cursor:
        for value in (gone, gone, kept):  # two concurrent first uses leave duplicates
            cursor.execute(
                f"INSERT INTO {VALUES_TABLE} (kind, value) VALUES ('customer_email', %s)",  # noqa: S608
                [value],
            )
        before = all_values()
        forgotten = forget_unused_values(cursor)

    after = all_values()
    assert gone not in kept_values("customer_email")
    assert kept_values("customer_email").count(kept) == 2  # readers ignore duplicates
    assert ("customer_email", gone) in before - after
    assert forgotten == len(before - after)  # distinct values, not rows


def test_the_run_records_the_count_on_every_engine(db):
    """On SQLite nothing is kept, so nothing is forgotten; the entry says so."""
    write(admin=unique("admin-old"), when=timezone.now() - timedelta(days=400))

    prune(older_than_days=365)

    run = last_run()
    assert run.details["removed"] == 1
    if connection.vendor == "postgresql":
        assert run.details["search_values_removed"] >= 1
    else:
        assert run.details["search_values_removed"] == 0
    call_command("verify_audit_log")


@postgres_only
@pytest.mark.django_db
def test_the_statement_probes_each_tables_column_index():
    """Each NOT EXISTS is an index probe on the (column, -id) btree of every partition of the
    log and of the sessions, not a read of those tables."""
    with transaction.atomic(), connection.cursor() as cursor:
        tables = tables_remembering_values(cursor)
        assert tables == sorted([LOG_TABLE, AssistedSession._meta.db_table])
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL enable_hashjoin = off")
        cursor.execute("SET LOCAL enable_mergejoin = off")
        for column, log_index, session_index in (
            ("admin_username", "audit_admin_id", "lac_admin_id"),
            ("customer_email", "audit_customer_id", "lac_customer_id"),
        ):
            cursor.execute("EXPLAIN " + forget_statement(column, tables))
            plan = "\n".join(line for (line,) in cursor.fetchall())
            assert "Seq Scan on audit_actionlogentry" not in plan
            assert f"using {log_index}_" in plan
            assert f"using {session_index} on" in plan
    assert set(KEPT_COLUMNS) == {"admin_username", "customer_email"}


# --- A writer naming a value while the run forgets it ------------------------------------------


def backend_waits_for_a_lock(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return row is not None and row[0] == "Lock"


def waited_for_a_lock(pid_box: list, seconds: float = 5) -> bool:
    """Whether the other connection comes to wait for a lock within ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if pid_box and backend_waits_for_a_lock(pid_box[0]):
            return True
        time.sleep(0.02)
    return False


def in_thread(target) -> tuple[threading.Thread, list, list]:
    """Run ``target`` on its own database connection; (thread, its backend pid, its error)."""
    pid, errors = [], []

    def run():
        try:
            with connections["default"].cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid.append(cursor.fetchone()[0])
            target()
        except Exception as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connections["default"].close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, pid, errors


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_writer_that_named_the_value_first_keeps_it(demo):
    """The writer's trigger saw the value and added nothing; the run waits for its commit and
    sees its entry."""
    email = f"{unique('racer')}@example.com"
    session = session_naming(admin=unique("admin-racer"), email=email)
    delete_session(session)  # the value is now named by nothing

    with transaction.atomic():
        write(email=email)  # uncommitted: the run's statement could not see it
        thread, pid, errors = in_thread(lambda: prune(older_than_days=365))
        run_waited = waited_for_a_lock(pid)
    thread.join(30)

    assert not errors and not thread.is_alive()
    assert email in kept_values("customer_email")
    assert found_by_filter("customer_email", email)
    assert run_waited  # for the writer's commit


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_writer_that_names_the_value_during_the_run_adds_it_again(demo):
    """The run has deleted the value but not committed; the writer waits, then its trigger
    reads the table anew and adds the value back."""
    email = f"{unique('late')}@example.com"
    session = session_naming(admin=unique("admin-late"), email=email)
    delete_session(session)
    forgotten_once = threading.Event()
    release = threading.Event()

    def run_and_hold():
        with transaction.atomic(), connections["default"].cursor() as cursor:
            forget_unused_values(cursor)
            forgotten_once.set()
            release.wait(30)

    runner, _runner_pid, runner_errors = in_thread(run_and_hold)
    assert forgotten_once.wait(30)
    writer, writer_pid, writer_errors = in_thread(lambda: write(email=email))
    writer_waited = waited_for_a_lock(writer_pid)
    release.set()
    runner.join(30)
    writer.join(30)

    assert not runner_errors and not writer_errors
    assert email in kept_values("customer_email")
    assert found_by_filter("customer_email", email)
    assert writer_waited  # for the run's commit
