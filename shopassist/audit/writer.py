"""Write action log entries: one small function per event kind calls ``record``.

``record`` must run inside the transaction of the change it records (its one INSERT is a
transaction of its own when none is open): a rolled-back change leaves no entry, and a failed
write fails the change. Each entry links to the previous entry of its chain by hash, in that
same INSERT (shopassist.audit.chained_insert).

A refusal is the opposite case: the refused work is rolled back, its entry must stay. Those
go through ``record_refusal``, which no rollback can undo (see its docstring).
"""

from __future__ import annotations

import hashlib
import json
import logging
from contextlib import contextmanager

from django.db import DatabaseError, InterfaceError, connection, transaction
from django.utils import timezone

from shopassist.audit import request_context
from shopassist.audit.chained_insert import insert_chained
from shopassist.audit.models import CHAINS, ActionLogEntry, ChainHead, Channel, Outcome
from shopassist.core.transactions import real_transaction_open

logger = logging.getLogger(__name__)

HASHED_FIELDS = (
    "chain",
    "seq",
    "created_at",
    "action_group",
    "action",
    "outcome",
    "channel",
    "admin_id",
    "admin_username",
    "customer_id",
    "customer_email",
    "store_view_code",
    "assisted_session_id",
    "target_type",
    "target_id",
    "details",
    "ip_address",
)
# Added later (issue 11): hashed only when not empty, so every entry written before they
# existed still verifies, while setting, changing or blanking one breaks the digest.
HASHED_IF_SET = ("user_agent", "session_hash")


CANONICAL_JSON = {"sort_keys": True, "separators": (",", ":"), "default": str}
_CANONICAL_ENCODER = json.JSONEncoder(**CANONICAL_JSON)
# Known only under the chain head's lock: the database splices them into the canonical JSON.
SPLICED = ("created_at", "seq")


def entry_digest(prev_hash: str, values: dict) -> str:
    """SHA-256 over the previous link and a canonical JSON of the entry's fields."""
    payload = _hashed_payload(values)
    payload["created_at"] = values["created_at"].isoformat()
    payload["seq"] = values["seq"]
    canonical = json.dumps(payload, **CANONICAL_JSON)
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()


def canonical_pieces(values: dict) -> tuple[str, str, str]:
    """``entry_digest``'s canonical JSON of ``values`` without created_at and seq, cut where
    their values go: canonical = before + created_at.isoformat() + between + str(seq) + after.
    A JSON object with sorted keys is its sorted items between braces, so the items before,
    between and after the two are written as three objects and their braces taken off."""
    parts: tuple[dict, dict, dict] = ({}, {}, {})
    for name, value in _hashed_payload(values).items():
        parts[(name > "created_at") + (name > "seq")][name] = value
    first, middle, last = (_CANONICAL_ENCODER.encode(part)[1:-1] for part in parts)
    before = "{" + (first + "," if first else "") + '"created_at":"'
    between = '",' + (middle + "," if middle else "") + '"seq":'
    after = ("," + last if last else "") + "}"
    return before, between, after


def _hashed_payload(values: dict) -> dict:
    payload = {name: values[name] for name in HASHED_FIELDS if name not in SPLICED}
    payload.update({name: values[name] for name in HASHED_IF_SET if values.get(name)})
    return payload


def chain_for(*, assisted_session_id=None, admin_id=None, customer_id=None) -> int:
    key = assisted_session_id or admin_id or customer_id or 0
    return int(key) % CHAINS


def record(
    *,
    action_group: str,
    action: str,
    outcome: str = Outcome.SUCCESS,
    channel: str = Channel.WEB,
    admin=None,
    admin_id: int | None = None,
    admin_username: str = "",
    customer=None,
    store_view_code: str = "",
    assisted_session_id: int | None = None,
    target=None,
    details: dict | None = None,
    ip_address: str | None = None,
    user_agent: str | None = None,
    session_hash: str | None = None,
) -> ActionLogEntry:
    """Write one entry. ``ip_address``, ``user_agent`` and ``session_hash`` left at None are
    those of the request being served (shopassist.audit.request_context), if any."""
    if admin is not None:
        admin_id, admin_username = admin.pk, admin.get_username()
    from_request = request_context.current_fields()
    if ip_address is None:
        ip_address = from_request.get("ip_address")
    if user_agent is None:
        user_agent = from_request.get("user_agent", "")
    if session_hash is None:
        session_hash = from_request.get("session_hash", "")
    values = {
        "action_group": str(action_group),
        "action": action,
        "outcome": str(outcome),
        "channel": str(channel),
        "admin_id": admin_id,
        "admin_username": admin_username,
        "customer_id": customer.pk if customer is not None else None,
        "customer_email": customer.email if customer is not None else "",
        "store_view_code": store_view_code,
        "assisted_session_id": assisted_session_id,
        "target_type": target._meta.label_lower if target is not None else "",
        "target_id": str(target.pk) if target is not None else "",
        "details": json.loads(json.dumps(details or {}, default=str)),
        "ip_address": ip_address,
        "user_agent": request_context.clean_user_agent(user_agent),
        "session_hash": session_hash,
    }
    values["chain"] = chain_for(
        assisted_session_id=assisted_session_id,
        admin_id=admin_id,
        customer_id=values["customer_id"],
    )
    pieces = canonical_pieces(values)
    linked = insert_chained(values, now=timezone.now(), pieces=pieces)
    if linked is None:  # heads come with migrate; a flushed test database has none
        ChainHead.objects.get_or_create(chain=values["chain"])
        linked = insert_chained(values, now=timezone.now(), pieces=pieces)
    entry = ActionLogEntry(**values, **linked)
    entry._state.adding, entry._state.db = False, connection.alias
    for hook in _written_hooks:
        hook(entry)
    return entry


_written_hooks: list = []


def on_written(hook) -> None:
    """Call ``hook(entry)`` with every entry written, in its transaction (the audit stream:
    ``lac_host/audit_stream.py``)."""
    if hook not in _written_hooks:
        _written_hooks.append(hook)


# --- Refusals -----------------------------------------------------------------------------


def record_refusal(**fields) -> ActionLogEntry | None:
    """Record a refusal so that no rollback can remove it: written at once when no
    transaction is open; otherwise queued on the connection and written as soon as the
    outermost transaction is over, whether it commits (``on_commit``) or rolls back (the
    ``flush_refusals`` of ``atomic_keeping_refusals`` and of the request middleware).

    Takes ``record``'s arguments; the request's fields are taken now, not when written.
    Returns the entry if it was written at once.
    """
    for name, value in request_context.current_fields().items():
        if fields.get(name) is None:
            fields[name] = value
    if not real_transaction_open():
        flush_refusals()  # any earlier ones first: the log keeps their order
        return record(**fields)
    _pending_refusals().append(fields)
    # robust: a failure to write it after the commit must not turn the refusal into an error
    # nor skip the commit's other hooks (``flush_refusals`` keeps it queued).
    transaction.on_commit(flush_refusals, robust=True)
    return None


def flush_refusals() -> None:
    """Write the queued refusals, unless a transaction is still open (they then wait for
    its end: its commit runs this again)."""
    pending = _pending_refusals()
    if not pending:
        return
    if real_transaction_open():
        transaction.on_commit(flush_refusals, robust=True)
        return
    while pending:
        try:
            record(**pending[0])
        except (DatabaseError, InterfaceError) as exc:
            # The connection broke after the refused work's transaction ended (a cut, a
            # restart): the request keeps its answer, the refusal; the entries stay queued in
            # this process and go out with its next flush (the next request's, at the latest).
            logger.warning(
                "%d refusal entries not written yet (%s: %s); they stay queued.",
                len(pending),
                type(exc).__name__,
                exc,
            )
            return
        pending.pop(0)


@contextmanager
def atomic_keeping_refusals():
    """``transaction.atomic()`` after which the refusals queued inside it are written, also
    when it rolls back (the refused work), as soon as no transaction is open any more."""
    try:
        with transaction.atomic():
            yield
    finally:
        flush_refusals()


def _pending_refusals() -> list[dict]:
    """The queue of this thread's connection (one per thread, like its transaction)."""
    if not hasattr(connection, "audit_pending_refusals"):
        connection.audit_pending_refusals = []
    return connection.audit_pending_refusals
