"""Pure decisions: given the facts, may an assisted session start (or go on)? No database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from login_as_customer.config import ASSISTANCE_CODE, EITHER, STANDING_OPT_IN
from login_as_customer.errors import DenialCode
from login_as_customer.flows.consent import consent_valid
from login_as_customer.models import EndReason


@dataclass(frozen=True)
class Decision:
    allowed: bool
    code: DenialCode | None = None


ALLOWED = Decision(True)


def _deny(code: DenialCode) -> Decision:
    return Decision(False, code)


@dataclass(frozen=True)
class StartFacts:
    """What the server knows when an administrator asks to log in as a customer."""

    feature_enabled: bool
    staff_active: bool
    staff_allowed: bool  # may start a session of the mode asked for (permissions.modes_for)
    customer_exists: bool
    customer_active: bool = False
    customer_is_staff: bool = False
    consent_given: bool = False
    consent_expires_at: datetime | None = None
    store_view_usable: bool = False
    reason_required: bool = False
    reason: str = ""
    consent_mode: str = STANDING_OPT_IN  # configuration "Customer consent"
    code_given: bool = False  # an assistance code was typed (checked by the start flow)


def can_login_as(facts: StartFacts, *, now: datetime) -> Decision:
    """The start rule (SPEC §5), checked in this order; the first failing check is the reason."""
    if not facts.feature_enabled:
        return _deny(DenialCode.FEATURE_DISABLED)
    if not facts.staff_active:
        return _deny(DenialCode.ADMIN_INACTIVE)
    if not facts.staff_allowed:
        return _deny(DenialCode.PERMISSION_MISSING)
    if not facts.customer_exists:
        return _deny(DenialCode.CUSTOMER_MISSING)
    if facts.customer_is_staff:
        return _deny(DenialCode.TARGET_IS_STAFF)
    if not facts.customer_active:
        return _deny(DenialCode.CUSTOMER_INACTIVE)
    consent_missing = _consent_missing(facts, now)
    if consent_missing is not None:
        return _deny(consent_missing)
    if not facts.store_view_usable:
        return _deny(DenialCode.STORE_VIEW_NOT_ALLOWED)
    if facts.reason_required and not facts.reason.strip():
        return _deny(DenialCode.REASON_REQUIRED)
    return ALLOWED


def _consent_missing(facts: StartFacts, now: datetime) -> DenialCode | None:
    """What consent the configuration asks for is missing, if any: the standing opt-in, an
    assistance code for this session, or either."""
    standing = consent_valid(facts.consent_given, facts.consent_expires_at, now)
    if facts.consent_mode == ASSISTANCE_CODE:
        return None if facts.code_given else DenialCode.CODE_REQUIRED
    if facts.consent_mode == EITHER:
        return None if standing or facts.code_given else DenialCode.CODE_OR_CONSENT_MISSING
    if standing:
        return None
    return DenialCode.CONSENT_EXPIRED if facts.consent_given else DenialCode.CONSENT_MISSING


@dataclass(slots=True)  # made on every request of an assisted session: no frozen __setattr__
class LiveFacts:
    """What the server knows at each request of a live assisted session."""

    ended: bool
    feature_enabled: bool
    admin_exists: bool
    admin_active: bool
    admin_allowed: bool
    customer_exists: bool
    customer_active: bool
    consent_valid: bool
    started_at: datetime
    last_seen_at: datetime
    max_duration: timedelta
    idle_timeout: timedelta
    customer_is_staff: bool = False  # the account became a staff account since the start


@dataclass(frozen=True)
class LimitPassed:
    """The absolute or idle limit of a session passed: which, and when."""

    reason: EndReason
    at: datetime


def limit_passed(
    *,
    started_at: datetime,
    last_seen_at: datetime | None,
    max_duration: timedelta,
    idle_timeout: timedelta,
    now: datetime,
) -> LimitPassed | None:
    """The first of the two limits to pass, if one has passed by ``now``: the session ended at
    that moment, whenever it is noticed (a later request, the sweep). Without a request since
    the start, the idle clock runs from the start."""
    absolute_at = started_at + max_duration
    idle_at = (last_seen_at or started_at) + idle_timeout
    if absolute_at <= idle_at:
        return LimitPassed(EndReason.MAX_DURATION, absolute_at) if absolute_at <= now else None
    return LimitPassed(EndReason.IDLE_TIMEOUT, idle_at) if idle_at <= now else None


def end_reason_for(facts: LiveFacts, *, now: datetime) -> EndReason | None:
    """None if the assisted session may go on, else why it ends now (SPEC §7)."""
    if facts.ended:
        return EndReason.TERMINATED  # already ended elsewhere (terminate, admin logout, …)
    if not facts.feature_enabled:
        return EndReason.FEATURE_DISABLED
    if not facts.customer_exists:
        return EndReason.CUSTOMER_DELETED
    if not facts.customer_active:
        return EndReason.CUSTOMER_DEACTIVATED
    if facts.customer_is_staff:
        return EndReason.CUSTOMER_IS_STAFF
    if not facts.consent_valid:
        return EndReason.CONSENT_REVOKED
    if not facts.admin_exists or not facts.admin_active:
        return EndReason.ADMIN_DEACTIVATED
    if not facts.admin_allowed:
        return EndReason.PERMISSION_REVOKED
    passed = limit_passed(
        started_at=facts.started_at,
        last_seen_at=facts.last_seen_at,
        max_duration=facts.max_duration,
        idle_timeout=facts.idle_timeout,
        now=now,
    )
    return passed.reason if passed else None
