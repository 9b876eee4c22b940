"""Chain heads published outside the database (``manage.py audit_chain_head``, signed with
AUDIT_HEAD_SIGNING_KEY) make a rewrite that keeps every chain consistent detectable:
``verify_audit_log --against FILE``. Transactional, as the tamper tests it borrows from."""

import io
import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from shopassist.audit import published_heads
from shopassist.audit.append_only import deletion_allowed
from shopassist.audit.config import MIN_RETENTION_DAYS
from shopassist.audit.models import ActionGroup, ActionLogEntry, ChainHead, Channel
from shopassist.audit.verify import RETENTION_ACTION
from shopassist.audit.writer import entry_digest, record
from tests.audit.test_tamper_evidence import tamper

KEY = "k" * 40


@pytest.fixture(autouse=True)
def _transactional(transactional_db, monkeypatch):
    monkeypatch.setenv(published_heads.KEY_VARIABLE, KEY)


@pytest.fixture
def entries(demo, support_agent):
    return [
        record(action_group=ActionGroup.ADMIN, action="test.entry", admin=support_agent)
        for _ in range(3)
    ]


def publish(tmp_path) -> tuple[dict, str]:
    out = io.StringIO()
    call_command("audit_chain_head", stdout=out)
    path = tmp_path / "heads.json"
    path.write_text(out.getvalue())
    return json.loads(out.getvalue()), str(path)


def verify_against(path) -> str:
    out = io.StringIO()
    call_command("verify_audit_log", against=path, stdout=out)
    return out.getvalue()


def signed(heads: list[dict], read_at="2026-12-06T18:00:00+00:00") -> dict:
    payload = {"read_at": read_at, "heads": heads}
    return {**payload, "signature": published_heads._signature(payload, KEY.encode())}


def test_the_published_heads_are_every_chain_head_signed(entries, tmp_path):
    published, path = publish(tmp_path)

    last = entries[-1]
    created_at = last.created_at.isoformat()
    head = {"chain": last.chain, "seq": last.seq, "hash": last.entry_hash, "created_at": created_at}
    assert head in published["heads"]
    assert len(published["heads"]) == ChainHead.objects.filter(seq__gt=0).count()
    assert "Published heads matched" in verify_against(path)


def test_a_consistent_rewrite_passes_the_walk_but_not_the_published_head(entries, tmp_path):
    _published, path = publish(tmp_path)
    last = entries[-1]
    values = ActionLogEntry.objects.filter(pk=last.pk).values().get()
    values["action"] = "test.forged"
    forged = entry_digest(values["prev_hash"], values)
    # The attacker rewrites the chain's last entry with a correct hash, and its head.
    tamper(
        "UPDATE audit_actionlogentry SET action = %s, entry_hash = %s WHERE id = %s",
        ["test.forged", forged, last.pk],
    )
    ChainHead.objects.filter(chain=last.chain).update(last_hash=forged)

    walk = io.StringIO()
    call_command("verify_audit_log", stdout=walk)  # the chains alone still verify
    assert "every hash chain verified" in walk.getvalue()
    with pytest.raises(CommandError) as refused:
        verify_against(path)
    assert f"Chain {last.chain}: link {last.seq} has another hash" in str(refused.value)
    assert "the log was rewritten" in str(refused.value)


def test_removed_entries_are_reported(entries, tmp_path):
    last = entries[-1]
    path = tmp_path / "heads.json"
    path.write_text(json.dumps(signed([{"chain": last.chain, "seq": last.seq + 5, "hash": "a"}])))

    with pytest.raises(CommandError) as refused:
        verify_against(str(path))

    assert f"link {last.seq + 5} is missing from the log" in str(refused.value)


def test_heads_not_signed_with_the_key_are_refused(entries, tmp_path):
    published, _path = publish(tmp_path)
    published["heads"][0]["hash"] = "0" * 64  # changed after signing
    path = tmp_path / "forged.json"
    path.write_text(json.dumps(published))

    with pytest.raises(CommandError) as refused:
        verify_against(str(path))

    assert "The signature does not match" in str(refused.value)


def test_without_a_key_nothing_is_published_or_checked(entries, tmp_path, monkeypatch):
    published, path = publish(tmp_path)
    monkeypatch.setenv(published_heads.KEY_VARIABLE, "short")

    with pytest.raises(CommandError, match="AUDIT_HEAD_SIGNING_KEY must be set"):
        call_command("audit_chain_head", stdout=io.StringIO())
    with pytest.raises(CommandError, match="AUDIT_HEAD_SIGNING_KEY must be set"):
        verify_against(path)


def test_a_file_that_is_no_published_head_is_a_clear_error(entries, tmp_path):
    path = tmp_path / "junk.json"
    path.write_text("[1, 2")
    with pytest.raises(CommandError, match="Cannot read the published chain heads"):
        verify_against(str(path))
    path.write_text(json.dumps({"heads": []}))
    with pytest.raises(CommandError, match="Not a published chain head"):
        verify_against(str(path))


def _delete_chain_behind_a_retention_entry(chain: int, *, removed_anchor) -> None:
    """What the retention does to a chain (its entries gone, a "retention" run entry naming
    its anchor), done by hand: by someone with database access, or by the retention itself."""
    with transaction.atomic(), deletion_allowed(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_actionlogentry WHERE chain = %s", [chain])
    record(
        action_group=ActionGroup.SYSTEM,
        action=RETENTION_ACTION,
        channel=Channel.SYSTEM,
        details={"anchors": {str(chain): (removed_anchor.seq, removed_anchor.entry_hash)}},
    )


def test_recent_entries_removed_behind_a_forged_retention_entry_are_reported(entries, tmp_path):
    """Found by review: a retention entry's anchor, written by whoever can write the database,
    made published links minutes old pass as pruned."""
    published, path = publish(tmp_path)
    last = entries[-1]
    head = next(head for head in published["heads"] if head["chain"] == last.chain)
    assert parse_datetime(head["created_at"]) == last.created_at  # signed with the head

    _delete_chain_behind_a_retention_entry(last.chain, removed_anchor=last)

    with pytest.raises(CommandError) as refused:
        verify_against(path)
    assert f"Chain {last.chain}: the published link {last.seq}" in str(refused.value)
    assert "the retention entry forged" in str(refused.value)


def test_a_published_link_older_than_any_retention_passes_as_pruned(entries, tmp_path):
    last = entries[-1]
    written = timezone.now() - timedelta(days=MIN_RETENTION_DAYS + 1)
    path = tmp_path / "heads.json"
    head = {"chain": last.chain, "seq": last.seq, "hash": last.entry_hash}
    path.write_text(json.dumps(signed([{**head, "created_at": written.isoformat()}])))

    _delete_chain_behind_a_retention_entry(last.chain, removed_anchor=last)

    assert "0 links as published; 1 removed by the retention since" in verify_against(str(path))


def test_a_file_without_the_heads_times_counts_a_link_pruned_only_if_read_long_ago(
    entries, tmp_path
):
    """Heads published before they carried their entries' times: the time they were read is
    the latest their links can have been written."""
    last = entries[-1]
    head = {"chain": last.chain, "seq": last.seq, "hash": last.entry_hash}
    _delete_chain_behind_a_retention_entry(last.chain, removed_anchor=last)
    recent, old = tmp_path / "recent.json", tmp_path / "old.json"
    recent.write_text(json.dumps(signed([head], read_at=timezone.now().isoformat())))
    long_ago = timezone.now() - timedelta(days=MIN_RETENTION_DAYS + 1)
    old.write_text(json.dumps(signed([head], read_at=long_ago.isoformat())))

    with pytest.raises(CommandError, match="the retention entry forged"):
        verify_against(str(recent))
    assert "1 removed by the retention since" in verify_against(str(old))


def test_no_retention_run_removes_entries_younger_than_the_shortest_retention(entries):
    with pytest.raises(CommandError, match=f"at least {MIN_RETENTION_DAYS} days"):
        call_command("prune_audit_log", "--older-than-days", "1", stdout=io.StringIO())
    assert ActionLogEntry.objects.filter(pk__in=[entry.pk for entry in entries]).count() == 3
    assert not ActionLogEntry.objects.filter(action=RETENTION_ACTION).exists()
