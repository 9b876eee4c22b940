"""Walk every hash chain and report the first broken link."""

from __future__ import annotations

from dataclasses import dataclass

from shopassist.audit.models import CHAINS, ActionGroup, ActionLogEntry, ChainHead
from shopassist.audit.writer import HASHED_FIELDS, HASHED_IF_SET, entry_digest

GENESIS = "0" * 64
RETENTION_ACTION = "retention"


@dataclass(frozen=True)
class BrokenLink:
    chain: int
    seq: int
    entry_id: int | None  # None: the entry is missing
    problem: str


def retention_anchors() -> dict[int, tuple[int, str]]:
    """Where pruned chains restart: the last removed link of each chain, per retention run."""
    anchors: dict[int, tuple[int, str]] = {}
    runs = ActionLogEntry.objects.filter(
        action_group=ActionGroup.SYSTEM, action=RETENTION_ACTION
    ).order_by("id")
    for run in runs:
        for chain, (seq, last_hash) in run.details.get("anchors", {}).items():
            anchors[int(chain)] = (int(seq), last_hash)
    return anchors


def verify_chains(batch_size: int = 5000) -> BrokenLink | None:
    # Heads are read first: each head's seq was committed with its entry, so a chain ending
    # before its head lost its last entries (writers appending meanwhile only add more).
    heads = dict(ChainHead.objects.values_list("chain", "seq"))
    anchors = retention_anchors()
    for chain in range(CHAINS):
        expected_seq, expected_prev = 1, GENESIS
        last_seq = anchors.get(chain, (0, GENESIS))[0]
        entries = (
            ActionLogEntry.objects.filter(chain=chain)
            .order_by("seq")
            .values("id", "prev_hash", "entry_hash", *HASHED_FIELDS, *HASHED_IF_SET)
        )
        first = True
        for row in entries.iterator(chunk_size=batch_size):
            if first and row["seq"] != 1:
                anchor = anchors.get(chain)
                if anchor is None or anchor[0] != row["seq"] - 1:
                    return BrokenLink(chain, row["seq"], row["id"], "chain starts mid-way")
                expected_seq, expected_prev = row["seq"], anchor[1]
            first = False
            if row["seq"] != expected_seq:
                return BrokenLink(chain, row["seq"], row["id"], f"expected seq {expected_seq}")
            if row["prev_hash"] != expected_prev:
                return BrokenLink(chain, row["seq"], row["id"], "previous hash does not match")
            if entry_digest(row["prev_hash"], row) != row["entry_hash"]:
                return BrokenLink(chain, row["seq"], row["id"], "entry altered (hash mismatch)")
            expected_seq, expected_prev = row["seq"] + 1, row["entry_hash"]
            last_seq = row["seq"]
        if heads.get(chain, 0) > last_seq:
            return BrokenLink(
                chain, last_seq + 1, None, f"missing (the chain's head is at seq {heads[chain]})"
            )
    return None
