"""Login as Customer's events in ShopAssist's hash-chained action log (action group "Login As
Customer"), through the audit app's writer: its refusal queue, its request fields (user agent,
session hash), its chain."""

from login_as_customer.journal import Event, Journal, count_sessions_by_events, filter_actions
from shopassist.audit import writer
from shopassist.audit.models import ActionGroup, ActionLogEntry


def _entry_fields(event: Event) -> dict:
    session, details = event.session, event.details
    fields = {
        "action_group": ActionGroup.LOGIN_AS_CUSTOMER,
        "action": event.action,
        "outcome": event.outcome,
        "channel": event.channel,
        "admin": event.admin,
        "customer": event.customer,
        "target": event.target,
        "ip_address": event.ip_address,
    }
    if session is not None:
        customer = event.customer if event.customer is not None else session.customer
        if customer is None:  # deleted since: keep the e-mail as it was
            details["customer_email"] = session.customer_email
        fields.update(
            customer=customer,
            assisted_session_id=session.pk,
            store_view_code=session.store_view_code,
        )
        if event.admin is None:  # the session's administrator, unless another acted
            fields.update(admin_id=session.admin_id, admin_username=session.admin_username)
    fields["details"] = details
    return fields


class ActionLogJournal(Journal):
    def actions_of(self, session_ids, *, actions=None):
        return filter_actions(ActionLogEntry.objects.all(), session_ids, actions)

    def sessions_by_event_count(self, sessions, *, id_range=None) -> dict[int, int]:
        return count_sessions_by_events(ActionLogEntry.objects.all(), sessions, id_range=id_range)

    def event_count(self, session_id) -> int:
        return ActionLogEntry.objects.filter(assisted_session_id=session_id).count()

    def write(self, event: Event) -> None:
        writer.record(**_entry_fields(event))

    def record_refusal(self, event: Event) -> None:
        writer.record_refusal(**_entry_fields(event))

    def flush_refusals(self) -> None:
        writer.flush_refusals()
