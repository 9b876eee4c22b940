"""Login as Customer writes: start and redeem. Each runs in one transaction. Every ending is in
``flows/end.py``, consent in ``flows/consent.py``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core.cache import cache
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from shopassist.audit.request_context import clean_user_agent
from shopassist.audit.writer import atomic_keeping_refusals
from shopassist.core import precompiled, resilient_cache
from shopassist.core.config import config
from shopassist.core.resilient_cache import CacheUnavailable
from shopassist.login_as_customer import config as lac_config
from shopassist.login_as_customer import events, selectors, tokens
from shopassist.login_as_customer.decisions import StartFacts, can_login_as
from shopassist.login_as_customer.errors import DenialCode, LoginAsCustomerDenied
from shopassist.login_as_customer.flows.end import end_unused_links_of, record_end
from shopassist.login_as_customer.models import (
    AssistedSession,
    EndReason,
    LoginToken,
)
from shopassist.login_as_customer.signals import (
    assisted_session_started,
    login_as_customer_denied,
)
from shopassist.outbox.services import queue_mail
from shopassist.stores.models import StoreView

MAX_REASON = 255


@dataclass(frozen=True)
class StartRequest:
    """Where a start comes from: the admin's browser (IP, user agent, admin session)."""

    ip_address: str | None = None
    user_agent: str = ""
    admin_session_key: str | None = None
    channel: str = "web"


def _deny(code: DenialCode, *, staff, customer_id, context, stage="start", details=None):
    """Record a refusal (kept even when the refused change rolls back) and build it."""
    events.denied(
        stage=stage,
        staff=staff,
        customer_id=customer_id,
        code=code,
        channel=context["channel"],
        ip_address=context["ip_address"],
        details=details,
    )
    login_as_customer_denied.send(
        sender=AssistedSession, staff=staff, customer_id=customer_id, code=code, context=context
    )
    return LoginAsCustomerDenied(code)


def record_denial(code: DenialCode, *, staff, customer_id, origin: StartRequest, stage="start"):
    """Record a refusal decided outside the services (a cross-site redemption, a failed
    password re-entry) like every other refusal, and build it for the caller to raise."""
    context = {"ip_address": origin.ip_address, "channel": origin.channel}
    return _deny(code, staff=staff, customer_id=customer_id, context=context, stage=stage)


def malformed_token_refusal(*, values: list, origin: StartRequest):
    """The refusal, recorded ("redeem_invalid"), of a redemption form whose token field can
    never hold a token (missing, repeated, of the wrong shape); None if it can. The entry
    keeps how many values came and the length of a single one, never the value."""
    if len(values) == 1 and tokens.looks_like_token(values[0]):
        return None
    context = {"ip_address": origin.ip_address, "channel": origin.channel}
    details = {
        "malformed": True,
        "values": len(values),
        "token_length": len(values[0]) if len(values) == 1 else None,
    }
    return _deny(
        DenialCode.TOKEN_INVALID,
        staff=None,
        customer_id=None,
        context=context,
        stage="redeem",
        details=details,
    )


def _rate_limited(staff) -> bool:
    limit = config.get(lac_config.START_RATE_LIMIT)
    minute = int(timezone.now().timestamp() // 60)
    key = f"lac:start-rate:{staff.pk}:{minute}"
    try:
        return resilient_cache.count(cache, key, timeout=120) > limit
    except CacheUnavailable:
        # No counter while the cache is down: count this minute's starts in the database
        # (every start records a session), so the limit holds without the cache.
        started = AssistedSession.objects.filter(
            admin=staff, created_at__gte=datetime.fromtimestamp(minute * 60, tz=UTC)
        ).count()
        return started + 1 > limit


def choose_store_view(customer, store_view_id) -> StoreView | None:
    """Manual selection uses the administrator's pick; auto detection ignores it."""
    if config.get(lac_config.STORE_VIEW_LOGIN) == lac_config.MANUAL_SELECTION and store_view_id:
        try:
            return StoreView.objects.select_related("store__website").get(pk=int(store_view_id))
        except (StoreView.DoesNotExist, TypeError, ValueError):
            return None
    return selectors.auto_store_view(customer)


def start_facts(*, staff, customer, store_view, reason) -> StartFacts:
    consent = selectors.consent_of(customer) if customer else None
    return StartFacts(
        feature_enabled=lac_config.feature_enabled(),
        staff_active=bool(staff and staff.is_active and staff.is_staff),
        staff_allowed=bool(staff and selectors.staff_may_login_as(staff)),
        customer_exists=customer is not None,
        customer_active=bool(customer and customer.is_active),
        customer_is_staff=bool(customer and selectors.customer_is_staff(customer)),
        consent_given=bool(consent and consent.allowed),
        consent_expires_at=consent.expires_at if consent else None,
        store_view_usable=bool(customer and selectors.store_view_usable(customer, store_view)),
        reason_required=config.get(lac_config.REQUIRE_REASON),
        reason=reason,
    )


def start_assisted_session(
    *,
    staff,
    customer_id,
    store_view_id=None,
    reason: str = "",
    origin: StartRequest,
    browser_binding: str = "",
) -> tuple[AssistedSession, str]:
    """Check everything on the server, then record the session and mint its one-time token.

    Returns the session and the raw token (to be POSTed to the storefront, never stored).
    ``browser_binding`` is the secret of the binding cookie the admin's browser gets with the
    token (its hash is stored with the token); "" for a headless start, whose token no browser
    can redeem.
    """
    reason = (reason or "").strip()[:MAX_REASON]
    context = {"ip_address": origin.ip_address, "channel": origin.channel}
    try:
        customer_pk = int(customer_id)
    except (TypeError, ValueError):
        customer_pk = None
    # One statement (written once per process): the customer with the consent and staff
    # e-mail the decision reads.
    customer = (
        precompiled.first_of(
            "login_as_customer.customer_for_decision",
            selectors.customers_for_decision,
            pk=customer_pk,
        )
        if customer_pk
        else None
    )
    store_view = choose_store_view(customer, store_view_id) if customer else None
    decision = can_login_as(
        start_facts(staff=staff, customer=customer, store_view=store_view, reason=reason),
        now=timezone.now(),
    )
    if not decision.allowed:
        raise _deny(decision.code, staff=staff, customer_id=customer_pk, context=context)
    if _rate_limited(staff):
        raise _deny(DenialCode.RATE_LIMITED, staff=staff, customer_id=customer_pk, context=context)

    raw_token = tokens.new_token()
    now = timezone.now()
    with transaction.atomic():
        # Links this admin never used are closed in the record, so the log has no loose ends.
        end_unused_links_of(staff)
        session = AssistedSession.objects.create(
            admin=staff,
            admin_username=staff.get_username(),
            customer=customer,
            customer_email=customer.email,
            customer_name=customer.full_name,
            store_view=store_view,
            store_view_code=store_view.code,
            website_name=store_view.store.website.name,
            reason=reason,
            created_at=now,
            ip_address=origin.ip_address,
            user_agent=clean_user_agent(origin.user_agent),  # printable, ≤ 512
            admin_session_hash=tokens.hash_session_key(origin.admin_session_key),
        )
        events.started(session, channel=origin.channel, ip_address=origin.ip_address)
        LoginToken.objects.create(
            token_hash=tokens.hash_token(raw_token),
            binding_hash=tokens.hash_binding(browser_binding),
            assisted_session=session,
            admin=staff,
            customer=customer,
            store_view=store_view,
            created_at=now,
            expires_at=now + timedelta(seconds=config.get(lac_config.LINK_LIFETIME)),
        )
    return session, raw_token


def redeem_login_token(
    *, raw_token, store_view, origin: StartRequest, browser_bindings=(), open_in_browser=None
) -> AssistedSession:
    """Consume a one-time token in a browser and return the session it starts; re-checks
    everything.

    ``browser_bindings`` are the binding secrets the browser presented (its binding cookies):
    one must be the token's (none given: refused), so a link works only in the browser that
    started it. A refusal for that reason leaves the token unused: whoever holds a stolen link
    cannot burn it, and the administrator's own tab can still use it. Exactly one of any
    number of concurrent redemptions succeeds (conditional UPDATE).

    ``open_in_browser(session)`` runs inside the redemption's transaction, after its log
    entry: the storefront session it opens is committed with the redemption (one commit).
    """
    return _redeem(
        raw_token=raw_token,
        store_view=store_view,
        origin=origin,
        browser_bindings=browser_bindings,
        open_in_browser=open_in_browser,
    )


def _presented_by_its_browser(token: LoginToken, browser_bindings) -> bool:
    if browser_bindings is None:  # headless: only a token minted without a browser
        return not token.binding_hash
    return tokens.binding_matches(token.binding_hash, browser_bindings)


def _tokens_with_their_facts():
    return LoginToken.objects.select_related(
        "assisted_session", "admin", "customer__website", "customer__assistance_consent"
    ).annotate(customer_has_staff_email=selectors.has_staff_email("customer__email"))


def _token_with_its_facts(raw_token) -> LoginToken | None:
    """The token of ``raw_token`` with its session, admin and customer, and what the decision
    reads about the customer (consent, staff e-mail), in one statement."""
    token = precompiled.first_of(
        "login_as_customer.token_with_its_facts",
        _tokens_with_their_facts,
        token_hash=tokens.hash_token(raw_token),
    )
    if token is not None:
        token.customer.has_staff_email = token.customer_has_staff_email
        if token.assisted_session.customer_id == token.customer_id:
            token.assisted_session.customer = token.customer  # its log entries read it
    return token


def _consume(token: LoginToken, session: AssistedSession) -> bool:
    """Mark the token used and its session started, unless another redemption did first."""
    values = [session.started_at, session.last_seen_at, session.expires_at]
    if connection.vendor == "postgresql":
        # One statement: the session starts only if this UPDATE of the token consumed it.
        quote = connection.ops.quote_name
        token_table, session_table = LoginToken._meta.db_table, AssistedSession._meta.db_table
        sql = (
            f"WITH consumed AS (UPDATE {quote(token_table)} SET used_at = %s"  # noqa: S608
            f" WHERE id = %s AND used_at IS NULL RETURNING assisted_session_id)"
            f" UPDATE {quote(session_table)} SET started_at = %s, last_seen_at = %s,"
            f" expires_at = %s WHERE id = (SELECT assisted_session_id FROM consumed)"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [token.used_at, token.pk, *values])
            return cursor.rowcount == 1
    consumed = LoginToken.objects.filter(pk=token.pk, used_at__isnull=True)
    if consumed.update(used_at=token.used_at) != 1:
        return False
    AssistedSession.objects.filter(pk=session.pk).update(
        started_at=session.started_at,
        last_seen_at=session.last_seen_at,
        expires_at=session.expires_at,
    )
    return True


def _redeem(
    *, raw_token, store_view, origin: StartRequest, browser_bindings, open_in_browser=None
) -> AssistedSession:
    """``browser_bindings`` None: a headless redemption, only of a token minted without one."""
    if not tokens.looks_like_token(raw_token):
        raise LoginAsCustomerDenied(DenialCode.TOKEN_INVALID)
    context = {"ip_address": origin.ip_address, "channel": origin.channel}
    now = timezone.now()
    token = _token_with_its_facts(raw_token)
    if token is None:
        raise _deny(
            DenialCode.TOKEN_INVALID, staff=None, customer_id=None, context=context, stage="redeem"
        )
    staff, customer = token.admin, token.customer

    def refuse(code: DenialCode) -> LoginAsCustomerDenied:
        return _deny(code, staff=staff, customer_id=customer.pk, context=context, stage="redeem")

    # First, before anything about the token is told: the wrong browser learns nothing more.
    if not _presented_by_its_browser(token, browser_bindings):
        raise refuse(DenialCode.TOKEN_WRONG_BROWSER)
    if token.used_at is not None:
        raise refuse(DenialCode.TOKEN_REPLAYED)
    if token.assisted_session.ended_at is not None:
        # Ended before its link was used (admin logout, password change…): the link dies too.
        raise refuse(DenialCode.TOKEN_EXPIRED)
    if token.expires_at <= now:
        record_end(token.assisted_session, EndReason.NEVER_REDEEMED, at=token.expires_at)
        raise refuse(DenialCode.TOKEN_EXPIRED)
    if store_view is None or token.store_view_id != store_view.pk:
        raise refuse(DenialCode.TOKEN_WRONG_STORE_VIEW)
    decision = can_login_as(
        start_facts(
            staff=staff,
            customer=customer,
            store_view=store_view,
            reason=token.assisted_session.reason or "-",
        ),
        now=now,
    )
    if not decision.allowed:
        record_end(token.assisted_session, EndReason.NEVER_REDEEMED)
        raise refuse(decision.code)

    session = token.assisted_session
    token.used_at = session.started_at = session.last_seen_at = now
    session.expires_at = now + timedelta(minutes=config.get(lac_config.MAX_DURATION))
    # The loser of a race refuses inside this block: its entry outlives the rollback.
    with atomic_keeping_refusals():
        if not _consume(token, session):
            raise refuse(DenialCode.TOKEN_REPLAYED)
        events.redeemed(session, channel=origin.channel, ip_address=origin.ip_address)
        assisted_session_started.send(sender=AssistedSession, session=session, context=context)
        if config.get(lac_config.NOTIFY_CUSTOMER, store_view=store_view):
            # Queued with the redemption, sent after it commits and after the response.
            _notify_customer(session, customer, store_view)
        if open_in_browser is not None:
            open_in_browser(session)
    return session


def start_api_session(*, session: AssistedSession, raw_token: str, origin: StartRequest):
    """Start a session for a headless client: consume its one-time token exactly as the
    storefront redemption does (same checks, same record, same log entries), without a browser.
    """
    return _redeem(
        raw_token=raw_token, store_view=session.store_view, origin=origin, browser_bindings=None
    )


def _notify_customer(session, customer, store_view) -> None:
    with translation.override(store_view.locale):
        queue_mail(
            to=customer.email,
            subject=_("A store administrator is assisting you"),
            body=render_to_string(
                "login_as_customer/email/session_started.txt",
                {"session": session, "customer": customer, "store_view": store_view},
            ),
        )
