"""The action log and ended assisted sessions are append-only: the database refuses UPDATE and
DELETE (triggers on SQLite and PostgreSQL), the ORM refuses too, and the one way to remove old
entries is the retention command, which records its own run."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import DatabaseError, IntegrityError, ProgrammingError, connection, transaction
from django.utils import timezone

from login_as_customer.flows.end import end_session
from login_as_customer.models import AssistedSession, EndReason
from shopassist.audit.config import RETENTION_DAYS
from shopassist.audit.models import (
    CHAINS,
    ActionGroup,
    ActionLogEntry,
    AppendOnlyError,
    Channel,
)
from shopassist.audit.writer import record
from shopassist.customers.models import Customer
from tests.audit.helpers import entries_of, log_snapshot

pytestmark = pytest.mark.django_db


def assert_refused(sql: str, params=(), message="append-only") -> None:
    """The statement fails as a trigger refusal of this backend: SQLite's RAISE(ABORT) is a
    constraint violation (IntegrityError); PostgreSQL's RAISE EXCEPTION is SQLSTATE P0001
    (raise_exception), which psycopg 3 maps to ProgrammingError."""
    with pytest.raises(DatabaseError) as refused, transaction.atomic(), connection.cursor() as c:
        c.execute(sql, params)
    if connection.vendor == "postgresql":
        assert isinstance(refused.value, ProgrammingError), type(refused.value)
        assert refused.value.__cause__.sqlstate == "P0001"
    else:
        assert isinstance(refused.value, IntegrityError), type(refused.value)
    assert message in str(refused.value)


@pytest.fixture
def logged(demo, support_agent, jane):
    """A few entries naming the support agent and Jane."""
    return [
        record(
            action_group=ActionGroup.ADMIN,
            action=f"test.entry{number}",
            admin=support_agent,
            customer=jane,
            details={"number": number},
        )
        for number in range(3)
    ]


@pytest.fixture
def ended_session(assisted_jane):
    _browser, session = assisted_jane
    end_session(session, EndReason.CLOSED_BY_ADMIN)
    session.refresh_from_db()
    return session


# --- The database ------------------------------------------------------------------------------


def test_raw_sql_update_of_an_entry_is_refused_by_the_database(logged):
    before = log_snapshot()

    assert_refused(
        "UPDATE audit_actionlogentry SET action = %s WHERE id = %s", ["forged", logged[1].pk]
    )
    assert_refused("UPDATE audit_actionlogentry SET admin_username = %s", ["someone-else"])

    assert log_snapshot() == before


def test_raw_sql_delete_of_an_entry_is_refused_by_the_database(logged):
    before = log_snapshot()

    assert_refused("DELETE FROM audit_actionlogentry WHERE id = %s", [logged[0].pk])
    assert_refused("DELETE FROM audit_actionlogentry")

    assert log_snapshot() == before


def test_inserting_entries_is_still_allowed_by_the_triggers(logged):
    entry = record(action_group=ActionGroup.SYSTEM, action="test.more", channel=Channel.SYSTEM)

    assert ActionLogEntry.objects.filter(pk=entry.pk).exists()
    assert ActionLogEntry.objects.count() == len(log_snapshot())


# --- The ORM -----------------------------------------------------------------------------------


def test_the_orm_refuses_to_save_an_existing_entry(logged):
    before = log_snapshot()
    entry = ActionLogEntry.objects.get(pk=logged[0].pk)
    entry.action = "forged"

    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.save(update_fields=["action"])

    assert log_snapshot() == before


def test_the_orm_refuses_to_delete_an_entry(logged):
    before = log_snapshot()

    with pytest.raises(AppendOnlyError):
        ActionLogEntry.objects.get(pk=logged[0].pk).delete()

    assert log_snapshot() == before


def test_the_orm_refuses_queryset_update_and_delete(logged):
    before = log_snapshot()
    entries = ActionLogEntry.objects.filter(pk__in=[entry.pk for entry in logged])

    with pytest.raises(AppendOnlyError):
        entries.update(action="forged")
    with pytest.raises(AppendOnlyError):
        entries.delete()
    with pytest.raises(AppendOnlyError):
        ActionLogEntry.objects.all().delete()

    assert log_snapshot() == before


# --- Ended assisted sessions -------------------------------------------------------------------


def test_an_ended_session_cannot_be_changed_or_deleted_by_raw_sql(ended_session):
    before = list(AssistedSession.objects.filter(pk=ended_session.pk).values())
    pk = ended_session.pk

    assert_refused(
        "UPDATE login_as_customer_assistedsession SET end_reason = %s WHERE id = %s",
        [EndReason.TERMINATED.value, pk],
        message="an ended assisted session is append-only",
    )
    assert_refused(
        "UPDATE login_as_customer_assistedsession SET ended_at = NULL WHERE id = %s",
        [pk],
        message="an ended assisted session is append-only",
    )
    assert_refused(
        "UPDATE login_as_customer_assistedsession SET customer_email = %s WHERE id = %s",
        ["someone@example.com", pk],
        message="an ended assisted session is append-only",
    )
    assert_refused(
        "DELETE FROM login_as_customer_assistedsession WHERE id = %s",
        [pk],
        message="assisted sessions are append-only",
    )

    assert list(AssistedSession.objects.filter(pk=pk).values()) == before


def test_an_ended_session_cannot_be_changed_through_the_orm_either(ended_session):
    before = list(AssistedSession.objects.filter(pk=ended_session.pk).values())

    with pytest.raises(DatabaseError), transaction.atomic():
        AssistedSession.objects.filter(pk=ended_session.pk).update(reason="rewritten")
    with pytest.raises(DatabaseError), transaction.atomic():
        AssistedSession.objects.filter(pk=ended_session.pk).delete()

    assert list(AssistedSession.objects.filter(pk=ended_session.pk).values()) == before


def test_a_live_session_can_still_be_ended(assisted_jane):
    _browser, session = assisted_jane

    assert end_session(session, EndReason.TERMINATED)

    session.refresh_from_db()
    assert session.end_reason == EndReason.TERMINATED


def test_deleting_the_customer_of_an_ended_session_sets_its_link_to_null(ended_session, jane):
    entries = log_snapshot()

    Customer.objects.get(pk=jane.pk).delete()

    ended_session.refresh_from_db()
    assert ended_session.customer_id is None
    assert ended_session.customer_email == "jane.doe@example.com"
    assert ended_session.customer_name == "Jane Doe"
    assert ended_session.end_reason == EndReason.CLOSED_BY_ADMIN
    assert log_snapshot()[: len(entries)] == entries


# --- Survival of the people the log names ------------------------------------------------------


def test_entries_survive_deletion_of_the_staff_user_and_customer_they_name(
    assisted_jane, support_agent, jane
):
    browser, session = assisted_jane
    browser.post("/en/checkout/cart/add/", {"sku": "SA-BAG-001", "qty": "1"})
    before = log_snapshot()
    support_id = support_agent.pk
    named = [e for e in before if e["admin_username"] == "support"]
    assert {"start", "redeem", "cart.add", "request"} <= {e["action"] for e in named}

    support_agent.delete()
    Customer.objects.get(pk=jane.pk).delete()

    after = log_snapshot()
    assert after[: len(before)] == before  # every entry unchanged, none removed
    for entry in entries_of(session):  # including the end, written after both deletions
        assert entry.admin_username == "support"
        assert entry.admin_id in (support_id, None)
    end = entries_of(session)[-1]
    assert (end.action, end.details) == ("end", {"reason": "customer_deleted"})
    assert end.customer_email == "jane.doe@example.com"
    session.refresh_from_db()
    assert session.admin_id is None and session.customer_id is None
    assert (session.admin_username, session.customer_email) == ("support", "jane.doe@example.com")
    assert session.end_reason == EndReason.CUSTOMER_DELETED
    assert call_command("verify_audit_log") is None


# --- Retention ---------------------------------------------------------------------------------


@pytest.fixture
def old_and_new_entries(demo, support_agent, auditor):
    """Entries written 400 days ago and today: the support agent's chain keeps its newer
    entries, the auditor's chain holds only old ones."""
    assert support_agent.pk % CHAINS != auditor.pk % CHAINS
    with time_machine.travel(timezone.now() - timedelta(days=400), tick=False):
        old = [
            record(action_group=ActionGroup.ADMIN, action="test.old", admin=staff)
            for staff in (support_agent, support_agent, auditor, support_agent, auditor)
        ]
    new = [
        record(action_group=ActionGroup.ADMIN, action="test.new", admin=support_agent)
        for _ in range(2)
    ]
    return old, new


def test_retention_removes_only_entries_older_than_the_age_and_records_its_run(
    old_and_new_entries,
):
    old, new = old_and_new_entries
    before = {e["id"]: e for e in log_snapshot()}
    cutoff = timezone.now() - timedelta(days=365)
    expected_removed = {pk for pk, e in before.items() if e["created_at"] < cutoff}
    assert {e.pk for e in old} <= expected_removed
    assert not {e.pk for e in new} & expected_removed

    call_command("prune_audit_log", "--older-than-days", "365")

    after = {e["id"]: e for e in log_snapshot()}
    assert not expected_removed & set(after)
    kept = set(before) - expected_removed
    assert {pk: after[pk] for pk in kept} == {pk: before[pk] for pk in kept}  # unchanged
    (run,) = [e for pk, e in after.items() if pk not in before]
    assert (run["action_group"], run["action"], run["channel"]) == ("system", "retention", "system")
    assert run["details"]["removed"] == len(expected_removed)
    assert run["details"]["older_than_days"] == 365
    call_command("verify_audit_log")  # the chains restart at the recorded anchors


def test_retention_uses_the_configured_age(old_and_new_entries, set_config):
    old, new = old_and_new_entries
    set_config({RETENTION_DAYS: "500"})

    call_command("prune_audit_log")

    assert ActionLogEntry.objects.filter(pk__in=[e.pk for e in old + new]).count() == 7
    run = ActionLogEntry.objects.get(action="retention")
    assert run.details["older_than_days"] == 500
    assert run.details["removed"] == 0


def test_retention_twice_and_new_entries_keep_the_chains_verifiable(
    old_and_new_entries, support_agent
):
    call_command("prune_audit_log", "--older-than-days", "365")
    record(action_group=ActionGroup.ADMIN, action="test.after", admin=support_agent)
    call_command("prune_audit_log", "--older-than-days", "365")

    call_command("verify_audit_log")
    assert ActionLogEntry.objects.filter(action="retention").count() == 2
    assert not ActionLogEntry.objects.filter(action="test.old").exists()
    assert ActionLogEntry.objects.filter(action__in=["test.new", "test.after"]).count() == 3


def test_outside_retention_the_gate_stays_closed(old_and_new_entries):
    old, _new = old_and_new_entries
    call_command("prune_audit_log", "--older-than-days", "365")
    before = log_snapshot()

    assert_refused("DELETE FROM audit_actionlogentry")

    assert log_snapshot() == before
