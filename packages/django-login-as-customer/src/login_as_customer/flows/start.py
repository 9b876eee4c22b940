"""Starting an assisted session (SPEC §5): the administrator's request checked against the
rules (``decisions.can_login_as``), the session and its one-time login link recorded, and every
refusal written to the log — by the admin panel and the API alike. Where a start or a
redemption comes from is a ``StartRequest``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.translation import ngettext

from login_as_customer import config as lac_config
from login_as_customer import events, selectors, tokens
from login_as_customer.bidi import direction_controls_in
from login_as_customer.decisions import StartFacts, can_login_as
from login_as_customer.errors import DenialCode, LoginAsCustomerDenied
from login_as_customer.flows.assistance_code import CodeRefused, spend_code
from login_as_customer.flows.end import end_unused_links_of
from login_as_customer.host import host
from login_as_customer.models import (
    AssistanceCode,
    AssistedSession,
    ConsentBasis,
    LoginToken,
    SessionMode,
)
from login_as_customer.permissions import default_mode, modes_for
from login_as_customer.signals import (
    login_as_customer_denied,
)

MAX_REASON = AssistedSession._meta.get_field("reason").max_length
MAX_USER_AGENT = 512

if TYPE_CHECKING:  # a start's actor: the staff user, with where it comes from (StartRequest)
    from django.contrib.auth.base_user import AbstractBaseUser


def _printable(value: str, limit: int) -> str:
    """Printable characters only (PostgreSQL refuses NUL in text), at most ``limit``."""
    return "".join(char for char in str(value) if char.isprintable())[:limit]


@dataclass(frozen=True)
class StartRequest:
    """Where a start comes from: the admin's browser (IP, user agent, admin session)."""

    ip_address: str | None = None
    user_agent: str = ""
    admin_session_key: str | None = None
    channel: str = "web"


def deny(code: DenialCode, *, staff, customer_id, context, stage="start", details=None):
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


def record_denial(
    code: DenialCode, *, staff, customer_id, origin: StartRequest, stage="start", details=None
):
    """Record a refusal decided outside the services (a cross-site redemption, a failed
    password re-entry) like every other refusal, and build it for the caller to raise."""
    context = {"ip_address": origin.ip_address, "channel": origin.channel}
    return deny(
        code, staff=staff, customer_id=customer_id, context=context, stage=stage, details=details
    )


def _counted_start(staff) -> int | None:
    """This start's number in the administrator's clock minute, from the cache; None when the
    cache cannot count (``_counted_in_database`` counts in the start's transaction)."""
    return host().count(f"lac:start-rate:{staff.pk}:{_minute()}", timeout=120)


def _counted_in_database(staff) -> int:
    """This start's number in the minute, from the sessions this minute's starts recorded. The
    administrator's row is locked first, until the start commits: two simultaneous starts
    count one after the other, never both the same number (PostgreSQL; SQLite writes one
    transaction at a time). A lock that leaves the row's key alone (FOR NO KEY UPDATE): a
    row that names the administrator (an admin log entry, an order they place) is written
    meanwhile without waiting for it, which with FOR UPDATE could deadlock against the start
    at the other's commit (its deferred foreign-key check against the start's audit chain)."""
    model = staff._meta.model
    alias = router.db_for_write(model, instance=staff)  # where the lock is taken, not read
    rows = model._default_manager.using(alias).filter(pk=staff.pk)
    no_key = connections[alias].features.has_select_for_no_key_update
    rows.select_for_update(no_key=no_key).exists()
    since = datetime.fromtimestamp(_minute() * 60, tz=UTC)
    return AssistedSession.objects.filter(admin=staff, created_at__gte=since).count() + 1


def _minute() -> int:
    return int(timezone.now().timestamp() // 60)


def choose_store_view(customer, store_view_id):
    """Manual selection uses the administrator's pick; auto detection ignores it."""
    if (
        lac_config.setting(lac_config.STORE_VIEW_LOGIN) == lac_config.MANUAL_SELECTION
        and store_view_id
    ):
        try:
            return host().store_view(int(store_view_id))
        except (TypeError, ValueError):
            return None
    return host().auto_store_view(customer)


def start_facts(
    *,
    staff,
    customer,
    store_view,
    reason,
    mode=None,
    staff_modes=None,
    code_given=False,
    consent_mode=None,
) -> StartFacts:
    """``mode``: the mode asked for (None: any); ``staff_modes``: what the staff may start,
    when the caller already knows (``permissions.modes_for``); ``code_given``: an assistance
    code was typed; ``consent_mode``: what consent counts (default: the configuration's)."""
    consent = selectors.consent_of(customer) if customer else None
    if staff_modes is None:
        staff_modes = modes_for(staff)
    return StartFacts(
        feature_enabled=lac_config.feature_enabled(),
        staff_active=bool(staff and staff.is_active and staff.is_staff),
        staff_allowed=(mode in staff_modes) if mode else bool(staff_modes),
        customer_exists=customer is not None,
        customer_active=bool(customer and host().customer_is_active(customer)),
        customer_is_staff=bool(customer and selectors.customer_is_staff(customer)),
        consent_given=bool(consent and consent.allowed),
        consent_expires_at=consent.expires_at if consent else None,
        store_view_usable=bool(customer and host().store_view_usable(customer, store_view)),
        reason_required=lac_config.setting(lac_config.REQUIRE_REASON),
        reason=reason,
        consent_mode=consent_mode
        or lac_config.setting(lac_config.CUSTOMER_CONSENT, store_view=store_view),
        code_given=code_given,
    )


def _reason_too_long(reason: str, *, staff, customer_id, context) -> LoginAsCustomerDenied:
    """A reason longer than the log keeps is refused, never cut: what is logged is what was
    typed. Recorded as a refused reason (with its length), and said as such."""
    denial = deny(
        DenialCode.REASON_TOO_LONG,
        staff=staff,
        customer_id=customer_id,
        context=context,
        details={"reason_length": len(reason), "max_length": MAX_REASON},
    )
    denial.message = ngettext(
        "The reason is too long: enter at most %(limit)d character.",
        "The reason is too long: enter at most %(limit)d characters.",
        MAX_REASON,
    ) % {"limit": MAX_REASON}
    return denial


def _reason_with_direction_controls(
    characters: list[str], *, staff, customer_id, context
) -> LoginAsCustomerDenied:
    """A reason holding invisible direction controls is refused, never cleaned: stored, they
    would reorder how the log shows it and the columns around it (Trojan Source), and what is
    logged is what was typed. Recorded as a refused start naming the characters, not the text;
    said with their names, so the administrator or API client can find them."""
    denial = deny(
        DenialCode.REASON_DIRECTION_CONTROLS,
        staff=staff,
        customer_id=customer_id,
        context=context,
        details={"characters": characters},
    )
    denial.message = ngettext(
        "The reason contains an invisible character that changes the direction of text "
        "(%(characters)s). Remove it and try again.",
        "The reason contains invisible characters that change the direction of text "
        "(%(characters)s). Remove them and try again.",
        len(characters),
    ) % {"characters": ", ".join(characters)}
    return denial


def start_assisted_session(
    *,
    staff: AbstractBaseUser,
    customer_id,
    store_view_id=None,
    reason: str = "",
    mode: str | None = None,
    assistance_code: str = "",
    origin: StartRequest,
    browser_binding: str = "",
) -> tuple[AssistedSession, str]:
    """Check everything on the server, then record the session and mint its one-time token.

    ``mode``: a ``SessionMode`` value; None asks for the most the administrator may
    (``permissions.default_mode``). ``assistance_code``: the code the customer read out, when
    the configuration takes codes (``flows/assistance_code``): spent on this session.

    Returns the session and the raw token (to be POSTed to the storefront, never stored).
    ``browser_binding`` is the secret of the binding cookie the admin's browser gets with the
    token (its hash is stored with the token); "" for a headless start, whose token no browser
    can redeem.
    """
    reason = (reason or "").strip()
    context = {"ip_address": origin.ip_address, "channel": origin.channel}
    try:
        customer_pk = int(customer_id)
    except (TypeError, ValueError):
        customer_pk = None
    # One statement (written once per process): the customer with the consent and staff
    # e-mail the decision reads.
    customer = (
        host().first_of(
            "login_as_customer.customer_for_decision",
            selectors.customers_for_decision,
            pk=customer_pk,
        )
        if customer_pk
        else None
    )
    store_view = choose_store_view(customer, store_view_id) if customer else None
    staff_modes = modes_for(staff)
    mode = default_mode(staff_modes) if mode is None else str(mode)
    if mode not in SessionMode.values:
        raise deny(
            DenialCode.MODE_INVALID,
            staff=staff,
            customer_id=customer_pk,
            context=context,
            details={"mode": _printable(mode, 32)},
        )
    typed_code = (assistance_code or "").strip()
    facts = start_facts(
        staff=staff,
        customer=customer,
        store_view=store_view,
        reason=reason,
        mode=mode,
        staff_modes=staff_modes,
        code_given=bool(typed_code),
    )
    decision = can_login_as(facts, now=timezone.now())
    if not decision.allowed:
        code = decision.code
        if code == DenialCode.PERMISSION_MISSING and staff_modes:
            code = DenialCode.FULL_ACCESS_MISSING  # may look, asked to act
        raise deny(code, staff=staff, customer_id=customer_pk, context=context)
    if len(reason) > MAX_REASON:
        raise _reason_too_long(reason, staff=staff, customer_id=customer_pk, context=context)
    controls = direction_controls_in(reason)
    if controls:
        raise _reason_with_direction_controls(
            controls, staff=staff, customer_id=customer_pk, context=context
        )
    limit = lac_config.setting(lac_config.START_RATE_LIMIT)
    counted = _counted_start(staff)
    if counted is not None and counted > limit:
        raise deny(DenialCode.RATE_LIMITED, staff=staff, customer_id=customer_pk, context=context)
    code = refused = None
    raw_token = tokens.new_token()
    now = timezone.now()
    with transaction.atomic():
        # Without the cache, the count is taken in this transaction, under a lock it keeps
        # until the session is recorded.
        limited = counted is None and _counted_in_database(staff) > limit
        # The code is spent in the transaction of the session it starts: both commit or
        # neither (a connection cut between them must not burn the customer's code). A wrong
        # code starts nothing, and its count commits with this block: no rollback gives the
        # guess back.
        if (
            not limited
            and typed_code
            and facts.consent_mode in (lac_config.ASSISTANCE_CODE, lac_config.EITHER)
        ):
            try:
                code = spend_code(customer_id=customer_pk, typed=typed_code)
            except CodeRefused as refusal:
                refused = refusal
        if not limited and refused is None:
            session = _record_start(
                staff=staff,
                customer=customer,
                store_view=store_view,
                reason=reason,
                mode=mode,
                code=code,
                origin=origin,
                token_hash=tokens.hash_token(raw_token),
                binding_hash=tokens.hash_binding(browser_binding),
                now=now,
            )
    if limited:
        raise deny(DenialCode.RATE_LIMITED, staff=staff, customer_id=customer_pk, context=context)
    if refused is not None:
        raise deny(
            refused.code,
            staff=staff,
            customer_id=customer_pk,
            context=context,
            details=refused.details,
        )
    return session, raw_token


def _record_start(
    *, staff, customer, store_view, reason, mode, code, origin, token_hash, binding_hash, now
) -> AssistedSession:
    """The session, its log entries and its one-time login link, in the caller's transaction."""
    # Links this admin never used are closed in the record, so the log has no loose ends.
    end_unused_links_of(staff)
    session = AssistedSession.objects.create(
        admin=staff,
        admin_username=staff.get_username(),
        customer=customer,
        customer_email=host().customer_email(customer),
        customer_name=host().customer_name(customer),
        store_view=store_view,
        store_view_code=host().store_view_code(store_view),
        website_name=host().website_name(store_view),
        reason=reason,
        mode=mode,
        consent_basis=ConsentBasis.CODE if code else ConsentBasis.STANDING,
        created_at=now,
        ip_address=origin.ip_address,
        user_agent=_printable(origin.user_agent, MAX_USER_AGENT),
        admin_session_hash=tokens.hash_session_key(origin.admin_session_key),
    )
    events.started(session, channel=origin.channel, ip_address=origin.ip_address)
    if code is not None:
        AssistanceCode.objects.filter(pk=code.pk).update(assisted_session=session)
        events.code_used(session, code, channel=origin.channel, ip_address=origin.ip_address)
    LoginToken.objects.create(
        token_hash=token_hash,
        binding_hash=binding_hash,
        assisted_session=session,
        admin=staff,
        customer=customer,
        store_view=store_view,
        created_at=now,
        expires_at=now + timedelta(seconds=lac_config.setting(lac_config.LINK_LIFETIME)),
    )
    return session
