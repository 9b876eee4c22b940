"""Redeeming a login link (SPEC §5): the one-time token checked (its browser, its store view,
the rules again at this moment), consumed once, and the session started — in the storefront
(``storefront/views.redeem``) or by the API's token exchange (``start_api_session``)."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from login_as_customer import config as lac_config
from login_as_customer import events, selectors, tokens
from login_as_customer.decisions import can_login_as
from login_as_customer.errors import DenialCode, LoginAsCustomerDenied
from login_as_customer.flows import notice
from login_as_customer.flows.end import record_end
from login_as_customer.flows.start import StartRequest, deny, start_facts
from login_as_customer.host import host
from login_as_customer.journal import atomic_keeping_refusals
from login_as_customer.models import (
    AssistedSession,
    ConsentBasis,
    EndReason,
    LoginToken,
)
from login_as_customer.signals import (
    assisted_session_started,
)


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
    return deny(
        DenialCode.TOKEN_INVALID,
        staff=None,
        customer_id=None,
        context=context,
        stage="redeem",
        details=details,
    )


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
    along = [f"customer__{name}" for name in host().customer_related]
    return LoginToken.objects.select_related(
        "assisted_session", "admin", *along, "customer__assistance_consent"
    ).annotate(customer_has_staff_email=selectors.has_staff_email("customer__email"))


def _token_with_its_facts(raw_token) -> LoginToken | None:
    """The token of ``raw_token`` with its session, admin and customer, and what the decision
    reads about the customer (consent, staff e-mail), in one statement."""
    token = host().first_of(
        "login_as_customer.token_with_its_facts",
        _tokens_with_their_facts,
        token_hash=tokens.hash_token(raw_token),
    )
    if token is not None:
        token.customer.has_staff_email = token.customer_has_staff_email
        if token.assisted_session.customer_id == token.customer_id:
            token.assisted_session.customer = token.customer  # its log entries read it
    return token


def _consume(token: LoginToken, session: AssistedSession) -> DenialCode | None:
    """Mark the token used and its session started; the refusal if another redemption used
    the token first (``TOKEN_REPLAYED``), or if the session ended meanwhile
    (``TOKEN_EXPIRED``: a termination, an administrator's logout): an ended session never
    starts. The caller's transaction is rolled back on a refusal."""
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
            f" AND ended_at IS NULL"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [token.used_at, token.pk, *values])
            if cursor.rowcount == 1:
                return None
        # Refused (rare): why, from the session now. Ended without ever starting: it ended
        # meanwhile; otherwise another redemption used the token (and started it).
        ended = AssistedSession.objects.filter(
            pk=session.pk, ended_at__isnull=False, started_at__isnull=True
        ).exists()
        return DenialCode.TOKEN_EXPIRED if ended else DenialCode.TOKEN_REPLAYED
    consumed = LoginToken.objects.filter(pk=token.pk, used_at__isnull=True).update(
        used_at=token.used_at
    )
    if not consumed:
        return DenialCode.TOKEN_REPLAYED
    started = AssistedSession.objects.filter(pk=session.pk, ended_at__isnull=True).update(
        started_at=session.started_at,
        last_seen_at=session.last_seen_at,
        expires_at=session.expires_at,
    )
    return None if started else DenialCode.TOKEN_EXPIRED


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
        raise deny(
            DenialCode.TOKEN_INVALID, staff=None, customer_id=None, context=context, stage="redeem"
        )
    staff, customer = token.admin, token.customer

    def refuse(code: DenialCode) -> LoginAsCustomerDenied:
        return deny(code, staff=staff, customer_id=customer.pk, context=context, stage="redeem")

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
            mode=token.assisted_session.mode,
            # The consent the start checked: a code (spent on this session) or the opt-in.
            code_given=token.assisted_session.consent_basis == ConsentBasis.CODE,
            consent_mode=(
                lac_config.ASSISTANCE_CODE
                if token.assisted_session.consent_basis == ConsentBasis.CODE
                else lac_config.STANDING_OPT_IN
            ),
        ),
        now=now,
    )
    if not decision.allowed:
        record_end(token.assisted_session, EndReason.NEVER_REDEEMED)
        raise refuse(decision.code)

    session = token.assisted_session
    token.used_at = session.started_at = session.last_seen_at = now
    session.expires_at = now + timedelta(minutes=lac_config.setting(lac_config.MAX_DURATION))
    # The loser of a race refuses inside this block: its entry outlives the rollback.
    with atomic_keeping_refusals():
        refusal = _consume(token, session)
        if refusal is not None:
            raise refuse(refusal)
        events.redeemed(session, channel=origin.channel, ip_address=origin.ip_address)
        assisted_session_started.send(sender=AssistedSession, session=session, context=context)
        if lac_config.setting(lac_config.NOTIFY_CUSTOMER, store_view=store_view):
            # Queued with the redemption, sent after it commits and after the response.
            _notify_customer(session, customer, store_view)
        if open_in_browser is not None:
            open_in_browser(session)
    return session


def start_api_session(
    *, session: AssistedSession, raw_token: str, origin: StartRequest, open_in_api=None
):
    """Start a session for a headless client: consume its one-time token exactly as the
    storefront redemption does (same checks, same record, same log entries), without a browser.

    ``open_in_api(session)`` runs inside the redemption's transaction, after its log entry, as
    ``open_in_browser`` does for a browser: the credential it issues the client (an API token)
    is committed with the redemption, so a failure between the two (a database connection
    cut) never leaves a session started that nobody holds.
    """
    return _redeem(
        raw_token=raw_token,
        store_view=session.store_view,
        origin=origin,
        browser_bindings=None,
        open_in_browser=open_in_api,
    )


def _notify_customer(session, customer, store_view) -> None:
    with translation.override(host().store_view_language(store_view)):
        host().queue_mail(
            to=host().customer_email(customer),
            subject=_("A store administrator is assisting you"),
            body=render_to_string(
                "login_as_customer/email/session_started.txt",
                {
                    "session": session,
                    "customer_name": host().customer_name(customer),
                    "store_view": store_view,
                    # Who, as the customer's notice names them (the setting may hide names).
                    "admin_name": notice.admin_display_name(session)
                    if lac_config.setting(lac_config.SHOW_ADMIN_NAMES)
                    else "",
                    "started_at": timezone.localtime(session.started_at),
                },
            ),
        )
