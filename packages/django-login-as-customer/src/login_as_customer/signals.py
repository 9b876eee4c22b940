"""Signals of Login as Customer, for the audit log and other listeners (sent in-transaction
where a transaction exists)."""

from django.dispatch import Signal

# staff, customer_id, code (DenialCode), context (ip_address, channel)
login_as_customer_denied = Signal()
# session, context
assisted_session_started = Signal()
# session, reason (EndReason)
assisted_session_ended = Signal()
