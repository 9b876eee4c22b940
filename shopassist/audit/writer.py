"""Write action log entries: one small function per event kind calls ``record``.

``record`` must run inside the transaction of the change it records (it opens a savepoint if
there is one, a transaction if not): a rolled-back change leaves no entry, and a failed write
fails the change. Each entry links to the previous entry of its chain by hash.
"""

from __future__ import annotations

import hashlib
import json

from django.db import connection, transaction
from django.utils import timezone

from shopassist.audit.models import CHAINS, ActionLogEntry, ChainHead, Channel, Outcome

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


def entry_digest(prev_hash: str, values: dict) -> str:
    """SHA-256 over the previous link and a canonical JSON of the entry's fields."""
    payload = {name: values[name] for name in HASHED_FIELDS}
    payload["created_at"] = values["created_at"].isoformat()
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()


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
) -> ActionLogEntry:
    if admin is not None:
        admin_id, admin_username = admin.pk, admin.get_username()
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
    }
    values["chain"] = chain_for(
        assisted_session_id=assisted_session_id,
        admin_id=admin_id,
        customer_id=values["customer_id"],
    )
    with transaction.atomic():
        seq, prev_hash = _advance_head(values["chain"])
        # Timestamped under the chain's lock: time order and seq order agree in a chain.
        values["created_at"] = timezone.now()
        values["seq"] = seq
        digest = entry_digest(prev_hash, values)
        entry = ActionLogEntry(prev_hash=prev_hash, entry_hash=digest, **values)
        entry.save()
        ChainHead.objects.filter(chain=values["chain"]).update(last_hash=digest)
    return entry


def _advance_head(chain: int) -> tuple[int, str]:
    """Take the next seq of a chain and its last hash in one statement; the row stays locked
    until the transaction ends, so one chain's writers queue while other chains go on."""
    table = ChainHead._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET seq = seq + 1 WHERE chain = %s RETURNING seq, last_hash",  # noqa: S608
            [chain],
        )
        row = cursor.fetchone()
    if row is None:  # heads come with migrate; a flushed test database has none
        ChainHead.objects.get_or_create(chain=chain)
        return _advance_head(chain)
    return row[0], row[1]
