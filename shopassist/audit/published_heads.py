"""The chain heads, signed, to be published outside the database (a ticket, a mail, another
system's log): ``manage.py audit_chain_head`` prints them; ``verify_audit_log --against FILE``
checks that the log still holds each published link with the same hash. Someone who can write
the database could rebuild a consistent chain (every hash recomputed), which the chain walk
alone cannot see; the published head, signed with a key the database never holds, they cannot.

The key comes from the environment (``AUDIT_HEAD_SIGNING_KEY``, 32 characters or more): HMAC
SHA-256 over the canonical JSON of the heads (each with the time of its entry) and the time
they were read.

A published link the log no longer holds passes only as the retention's: behind a retention
run's anchor, and older than the shortest retention anyone can set (``MIN_RETENTION_DAYS``, a
constant of the code, not a value of the database the check distrusts). Otherwise someone who
removed recent entries could cover them with a forged retention entry of their own."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from shopassist.audit.config import MIN_RETENTION_DAYS
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
        {"chain": chain, "seq": seq, "hash": last_hash, "created_at": _iso(created_at)}
        for chain, seq, last_hash, created_at in ChainHead.objects.filter(seq__gt=0)
        .order_by("chain")
        .values_list("chain", "seq", "last_hash", "last_created_at")
    ]
    payload = {"read_at": timezone.now().isoformat(), "heads": heads}
    return {**payload, "signature": _signature(payload, key)}


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _created_by(head: dict, read_at: str) -> datetime:
    """When the published link was written at the latest: its entry's time, or, in a file
    published before heads carried it, the time the heads were read."""
    moment = parse_datetime(str(head.get("created_at") or read_at))
    if moment is None:
        raise ValueError(f"not a time: {head.get('created_at') or read_at!r}")
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, UTC)


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
        heads = [
            (int(h["chain"]), int(h["seq"]), str(h["hash"]), _created_by(h, payload["read_at"]))
            for h in payload["heads"]
        ]
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise HeadError(f"Not a published chain head: {exc!r}.") from exc
    if not hmac.compare_digest(_signature(payload, key), signature):
        raise HeadError("The signature does not match: not heads published with this key.")
    anchors = retention_anchors()
    prunable_before = timezone.now() - timedelta(days=MIN_RETENTION_DAYS)
    checked = pruned = 0
    for chain, seq, published_hash, created_by in heads:
        found = (
            ActionLogEntry.objects.filter(chain=chain, seq=seq)
            .values_list("entry_hash", flat=True)
            .first()
        )
        if found is None:
            anchor_seq, anchor_hash = anchors.get(chain, (0, ""))
            behind_anchor = seq < anchor_seq or (
                seq == anchor_seq and anchor_hash == published_hash
            )
            if behind_anchor and created_by < prunable_before:
                pruned += 1
                continue
            if behind_anchor:
                raise HeadError(
                    f"Chain {chain}: the published link {seq}, written at "
                    f"{created_by.isoformat()}, is missing from the log behind a retention run, "
                    f"but no retention removes entries younger than {MIN_RETENTION_DAYS} days: "
                    "entries were removed and the retention entry forged."
                )
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
