"""Every entry of ShopAssist's action log — Login as Customer's, admin changes, system — goes
out through Login as Customer's audit stream for a SIEM (``login_as_customer/audit_stream.py``),
with its chain hash, once its transaction has committed."""

from login_as_customer import audit_stream
from shopassist.audit import writer


def stream(entry) -> None:
    if not audit_stream.enabled():
        return
    audit_stream.emit_after_commit(
        audit_stream.ecs_document(
            created_at=entry.created_at,
            action=entry.action,
            outcome=entry.outcome,
            channel=entry.channel,
            admin_username=entry.admin_username,
            customer_email=entry.customer_email,
            ip_address=entry.ip_address,
            user_agent=entry.user_agent,
            assisted_session_id=entry.assisted_session_id,
            entry_hash=entry.entry_hash,
            action_group=entry.action_group,
            target=f"{entry.target_type}:{entry.target_id}" if entry.target_type else "",
        )
    )


writer.on_written(stream)
