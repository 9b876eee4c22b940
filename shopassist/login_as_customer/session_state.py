"""What an assisted storefront session keeps in its session, and how it is checked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.db.models import F
from django.utils import timezone

from shopassist.core.acl_grants import grants_resource
from shopassist.core.config import config
from shopassist.login_as_customer import config as lac_config
from shopassist.login_as_customer.acl import ALLOW
from shopassist.login_as_customer.decisions import LiveFacts, end_reason_for
from shopassist.login_as_customer.models import AssistedSession, EndReason

SESSION_ID_KEY = "_lac_session_id"
LAST_SEEN_KEY = "_lac_last_seen"
LAST_SEEN_GRANULARITY = 10  # seconds: write the session at most this often for the idle clock


def load_live_session(session_id) -> AssistedSession | None:
    """The session with everything the per-request check needs, in one query."""
    return (
        AssistedSession.objects.select_related("customer", "customer__assistance_consent")
        # The admin's flags are read fresh every request (a deactivation may bypass signals);
        # only their role grants come from the per-process memo.
        .annotate(
            admin_is_active=F("admin__is_active"),
            admin_is_staff=F("admin__is_staff"),
            admin_is_superuser=F("admin__is_superuser"),
        )
        .filter(pk=session_id)
        .first()
    )


def live_facts(session: AssistedSession, *, last_seen: datetime) -> LiveFacts:
    customer = session.customer
    admin_active = bool(session.admin_is_active and session.admin_is_staff)
    consent = getattr(customer, "assistance_consent", None) if customer else None
    return LiveFacts(
        ended=session.ended_at is not None,
        feature_enabled=lac_config.feature_enabled(),
        admin_exists=session.admin_id is not None,
        admin_active=admin_active,
        admin_allowed=admin_active
        and (session.admin_is_superuser or grants_resource(session.admin_id, ALLOW)),
        customer_exists=customer is not None,
        customer_active=bool(customer and customer.is_active),
        consent_valid=bool(consent and consent.is_valid()),
        started_at=session.started_at,
        last_seen_at=last_seen,
        max_duration=timedelta(minutes=config.get(lac_config.MAX_DURATION)),
        idle_timeout=timedelta(minutes=config.get(lac_config.IDLE_TIMEOUT)),
    )


def check(session: AssistedSession | None, last_seen_epoch) -> EndReason | None:
    if session is None or session.started_at is None:
        return EndReason.TERMINATED
    last_seen = (
        datetime.fromtimestamp(last_seen_epoch, tz=UTC) if last_seen_epoch else session.started_at
    )
    return end_reason_for(live_facts(session, last_seen=last_seen), now=timezone.now())


def touch(request) -> None:
    now = timezone.now().timestamp()
    if now - request.session.get(LAST_SEEN_KEY, 0) >= LAST_SEEN_GRANULARITY:
        request.session[LAST_SEEN_KEY] = now


def seconds_left(session: AssistedSession) -> int:
    deadline = session.started_at + timedelta(minutes=config.get(lac_config.MAX_DURATION))
    return max(0, int((deadline - timezone.now()).total_seconds()))
