"""The audit stream for a SIEM: every journal entry, once its transaction has committed, also
goes out as one JSON line through Python logging — the logger ``login_as_customer.audit``, at
INFO — with Elastic Common Schema field names, so operators ship it with the log shipper they
already run (docs/deploy.md: a file handler, journald).

Nothing is built when no handler listens (the logger is not enabled for INFO); an entry of a
transaction that rolls back is never emitted (a refusal is written after the rollback, and so
emitted then)."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from django.db import transaction

LOGGER_NAME = "login_as_customer.audit"
logger = logging.getLogger(LOGGER_NAME)

# ECS's event.outcome knows success, failure and unknown; ours is kept in the feature's fields.
_ECS_OUTCOME = {"success": "success", "denied": "failure", "failed": "failure"}


def enabled() -> bool:
    return logger.isEnabledFor(logging.INFO)


def ecs_document(
    *,
    created_at: datetime,
    action: str,
    outcome: str,
    channel: str = "",
    admin_username: str = "",
    customer_email: str = "",
    ip_address: str | None = None,
    user_agent: str = "",
    assisted_session_id: int | None = None,
    entry_hash: str = "",
    action_group: str = "login_as_customer",
    target: str = "",
) -> dict:
    """One entry as an ECS document (nested objects; empty values left out)."""
    document = {
        "@timestamp": created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "event": {
            "kind": "event",
            "dataset": LOGGER_NAME,
            "category": [action_group],
            "action": action,
            "outcome": _ECS_OUTCOME.get(str(outcome), "unknown"),
        },
        "user": {"name": admin_username, "target": {"email": customer_email}},
        "client": {"ip": ip_address},
        "user_agent": {"original": user_agent},
        "login_as_customer": {
            "outcome": str(outcome),
            "channel": str(channel),
            "session": {"id": assisted_session_id},
            "target": target,
            "chain": {"hash": entry_hash},
        },
    }
    return _without_empty(document)


def _without_empty(value):
    if isinstance(value, dict):
        kept = {key: _without_empty(item) for key, item in value.items()}
        return {key: item for key, item in kept.items() if item not in (None, "", {}, [])}
    return value


def emit_entry(entry) -> None:
    """Stream a journal entry: the feature's own ``AssistedAction`` or a host's row with the
    same names (ShopAssist's action log adds ``user_agent``, ``entry_hash``, ``action_group``)."""
    if not enabled():
        return
    emit_after_commit(
        ecs_document(
            created_at=entry.created_at,
            action=entry.action,
            outcome=entry.outcome,
            channel=entry.channel,
            admin_username=entry.admin_username,
            customer_email=entry.customer_email,
            ip_address=entry.ip_address,
            user_agent=getattr(entry, "user_agent", ""),
            assisted_session_id=entry.assisted_session_id,
            entry_hash=getattr(entry, "entry_hash", ""),
            action_group=getattr(entry, "action_group", "login_as_customer"),
            target=f"{entry.target_type}:{entry.target_id}" if entry.target_type else "",
        )
    )


def emit_after_commit(document: dict) -> None:
    """Log the document as one JSON line when the current transaction commits (at once in
    autocommit). A failing handler never breaks what was recorded."""
    line = json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    transaction.on_commit(lambda: logger.info(line), robust=True)
