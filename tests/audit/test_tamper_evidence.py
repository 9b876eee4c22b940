"""Tamper evidence: every entry is chained by hash to the previous entry of its chain, and
``manage.py verify_audit_log`` names the first broken link. The tests tamper as an attacker with
database access would: disable the trigger (or open the retention gate), then rewrite or delete.

Transactional tests: SQLite's schema editor (which puts the dropped trigger back) cannot run
inside the test's transaction."""

import io
from contextlib import contextmanager

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from shopassist.audit.append_only import LOG_TABLE, deletion_allowed, install_log_triggers
from shopassist.audit.models import ActionGroup, ActionLogEntry, ChainHead
from shopassist.audit.writer import entry_digest, record
from tests.login_as_customer.assisted import start_assisted


@pytest.fixture(autouse=True)
def _transactional(transactional_db):
    pass


@contextmanager
def log_trigger_disabled():
    """The append-only trigger switched off for the block, and put back afterwards."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {LOG_TABLE} DISABLE TRIGGER audit_log_append_only")
        else:
            cursor.execute("DROP TRIGGER audit_log_no_update")
    try:
        yield
    finally:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"ALTER TABLE {LOG_TABLE} ENABLE TRIGGER audit_log_append_only")
        else:
            with connection.schema_editor() as editor:
                install_log_triggers(editor)


def tamper(sql: str, params) -> None:
    with log_trigger_disabled(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def delete_entry(entry) -> None:
    """Delete one entry through the opened retention gate (as an attacker could)."""
    with transaction.atomic(), deletion_allowed(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_actionlogentry WHERE id = %s", [entry.pk])


def verify_fails() -> str:
    with pytest.raises(CommandError) as broken:
        call_command("verify_audit_log")
    return str(broken.value)


@pytest.fixture
def chain_of_entries(demo, support_agent):
    """Five entries on the support agent's chain."""
    return [
        record(
            action_group=ActionGroup.ADMIN,
            action="test.entry",
            admin=support_agent,
            details={"number": number},
        )
        for number in range(5)
    ]


def test_a_fresh_log_verifies(chain_of_entries, support_agent, support_client, jane):
    # An entry certainly on another chain than the support agent's.
    record(
        action_group=ActionGroup.ADMIN,
        action="test.other_chain",
        admin_id=support_agent.pk + 1,
        admin_username="someone-else",
    )
    browser, _session = start_assisted(support_client, jane)
    browser.post("/en/checkout/cart/add/", {"sku": "SA-BAG-001", "qty": "1"})
    out = io.StringIO()

    call_command("verify_audit_log", stdout=out)

    assert "every hash chain verified" in out.getvalue()
    assert len({entry.chain for entry in ActionLogEntry.objects.all()}) > 1


def test_entries_link_to_the_previous_entry_of_their_chain(chain_of_entries):
    first, second = chain_of_entries[:2]

    assert first.chain == second.chain
    assert second.seq == first.seq + 1
    assert second.prev_hash == first.entry_hash
    stored = ActionLogEntry.objects.filter(pk=second.pk).values().get()
    assert entry_digest(stored["prev_hash"], stored) == stored["entry_hash"]
    head = ChainHead.objects.get(chain=second.chain)
    assert (head.seq, head.last_hash) == (chain_of_entries[-1].seq, chain_of_entries[-1].entry_hash)


def test_an_entry_altered_with_the_trigger_disabled_is_reported(chain_of_entries):
    altered = chain_of_entries[2]

    tamper(
        "UPDATE audit_actionlogentry SET admin_username = 'someone-else' WHERE id = %s",
        [altered.pk],
    )

    assert ActionLogEntry.objects.get(pk=altered.pk).admin_username == "someone-else"
    message = verify_fails()
    assert f"Broken link in chain {altered.chain} at seq {altered.seq} " in message
    assert f"entry id {altered.pk}" in message
    assert "entry altered" in message


def test_altered_details_are_reported(chain_of_entries):
    altered = chain_of_entries[1]

    tamper(
        "UPDATE audit_actionlogentry SET details = %s WHERE id = %s", ['{"number": 99}', altered.pk]
    )

    assert f"chain {altered.chain} at seq {altered.seq} " in verify_fails()


def test_rewriting_the_hash_as_well_breaks_the_next_link(chain_of_entries):
    altered, following = chain_of_entries[1], chain_of_entries[2]
    values = ActionLogEntry.objects.filter(pk=altered.pk).values().get()
    values["action"] = "test.forged"
    forged_hash = entry_digest(values["prev_hash"], values)

    tamper(
        "UPDATE audit_actionlogentry SET action = %s, entry_hash = %s WHERE id = %s",
        ["test.forged", forged_hash, altered.pk],
    )

    message = verify_fails()
    assert f"chain {following.chain} at seq {following.seq} " in message
    assert "previous hash does not match" in message


def test_the_trigger_is_back_after_tampering(chain_of_entries):
    tamper("UPDATE audit_actionlogentry SET action = 'x' WHERE id = %s", [chain_of_entries[0].pk])

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_actionlogentry SET action = %s", ["y"])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_actionlogentry")
    assert ActionLogEntry.objects.filter(action="y").count() == 0


def test_a_deleted_middle_entry_is_reported_at_the_next_link(chain_of_entries):
    deleted, following = chain_of_entries[2], chain_of_entries[3]

    delete_entry(deleted)

    assert not ActionLogEntry.objects.filter(pk=deleted.pk).exists()
    message = verify_fails()
    assert f"Broken link in chain {following.chain} at seq {following.seq} " in message
    assert f"expected seq {deleted.seq}" in message


def test_a_deleted_first_entry_is_reported(chain_of_entries):
    first = ActionLogEntry.objects.filter(chain=chain_of_entries[0].chain).order_by("seq")[0]
    second = ActionLogEntry.objects.get(chain=first.chain, seq=first.seq + 1)

    delete_entry(first)

    message = verify_fails()
    assert f"chain {second.chain} at seq {second.seq} " in message
    assert "chain starts mid-way" in message


def test_a_deleted_last_entry_is_reported(chain_of_entries):
    last = chain_of_entries[-1]

    delete_entry(last)

    message = verify_fails()
    assert f"Broken link in chain {last.chain} at seq {last.seq}: missing" in message
