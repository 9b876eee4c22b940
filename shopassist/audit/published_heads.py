"""The chain heads, signed, to be published outside the database (a ticket, a mail, another
system's log): ``manage.py audit_chain_head`` prints them; ``verify_audit_log --against FILE``
checks that the log still holds each published link with the same hash. Someone who can write
the database could rebuild a consistent chain (every hash recomputed), which the chain walk
alone cannot see; the published head, signed with a key the database never holds, they cannot.

The key comes from the environment (``AUDIT_HEAD_SIGNING_KEY``, 32 characters or more): HMAC
SHA-256 over the canonical JSON of the heads and the time they were read."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass

from django.utils import timezone

from shopassist.audit.models import ActionLogEntry, ChainHead
from shopassist.audit.verify import retention_anchors

KEY_VARIABLE = "AUDIT_HEAD_SIGNING_KEY"
MIN_KEY_LENGTH = 32


class HeadError(Exception):
    """The published heads cannot be made or do not match the log (the message says why)."""


def signing_key() -> bytes:
    key = os.environ.get(KEY_VARIABLE, "")
    if len(key) < MIN_KEY_LENGTH:
        raise HeadError(f"{KEY_VARIABLE} must be set ({MIN_KEY_LENGTH}+ characters).")
    return key.encode()


def _signature(payload: dict, key: bytes) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()


def signed_heads() -> dict:
    """The head of every chain that has entries, when it was read, and the signature."""
    key = signing_key()
    heads = [
        {"chain": chain, "seq": seq, "hash": last_hash}
        for chain, seq, last_hash in ChainHead.objects.filter(seq__gt=0)
        .order_by("chain")
        .values_list("chain", "seq", "last_hash")
    ]
    payload = {"read_at": timezone.now().isoformat(), "heads": heads}
    return {**payload, "signature": _signature(payload, key)}


@dataclass(frozen=True)
class HeadCheck:
    checked: int  # links found with their published hash
    pruned: int  # published links the retention has removed since (not checkable)


def check_against(published: dict) -> HeadCheck:
    """Raise ``HeadError`` unless the signature is right and the log holds every published
    link with its hash (a link removed by the retention is counted, not held against it)."""
    key = signing_key()
    try:
        payload = {"read_at": published["read_at"], "heads": published["heads"]}
        signature = str(published["signature"])
        heads = [(int(h["chain"]), int(h["seq"]), str(h["hash"])) for h in payload["heads"]]
    except (KeyError, TypeError, ValueError) as exc:
        raise HeadError(f"Not a published chain head: {exc!r}.") from exc
    if not hmac.compare_digest(_signature(payload, key), signature):
        raise HeadError("The signature does not match: not heads published with this key.")
    anchors = retention_anchors()
    checked = pruned = 0
    for chain, seq, published_hash in heads:
        found = (
            ActionLogEntry.objects.filter(chain=chain, seq=seq)
            .values_list("entry_hash", flat=True)
            .first()
        )
        if found is None:
            anchor_seq, anchor_hash = anchors.get(chain, (0, ""))
            if seq < anchor_seq or (seq == anchor_seq and anchor_hash == published_hash):
                pruned += 1
                continue
            raise HeadError(
                f"Chain {chain}: the published link {seq} is missing from the log "
                f"(read at {payload['read_at']}): entries were removed."
            )
        if found != published_hash:
            raise HeadError(
                f"Chain {chain}: link {seq} has another hash than the one published at "
                f"{payload['read_at']}: the log was rewritten."
            )
        checked += 1
    return HeadCheck(checked=checked, pruned=pruned)
