"""The pure decisions of Login as Customer as tables: no database, no request."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from login_as_customer.decisions import (
    ALLOWED,
    Decision,
    LiveFacts,
    StartFacts,
    can_login_as,
    end_reason_for,
)
from login_as_customer.errors import DenialCode
from login_as_customer.models import EndReason

NOW = datetime(2026, 3, 14, 12, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)

# Everything in order: the one start that is allowed.
ALLOWED_START = StartFacts(
    feature_enabled=True,
    staff_active=True,
    staff_allowed=True,
    customer_exists=True,
    customer_active=True,
    customer_is_staff=False,
    consent_given=True,
    consent_expires_at=None,
    store_view_usable=True,
    reason_required=False,
    reason="",
)


def test_all_checks_passing_allows_the_start():
    assert can_login_as(ALLOWED_START, now=NOW) == ALLOWED == Decision(True, None)


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"feature_enabled": False}, DenialCode.FEATURE_DISABLED),
        ({"staff_active": False}, DenialCode.ADMIN_INACTIVE),
        ({"staff_allowed": False}, DenialCode.PERMISSION_MISSING),
        ({"customer_exists": False}, DenialCode.CUSTOMER_MISSING),
        ({"customer_is_staff": True}, DenialCode.TARGET_IS_STAFF),
        ({"customer_active": False}, DenialCode.CUSTOMER_INACTIVE),
        ({"consent_given": False}, DenialCode.CONSENT_MISSING),
        ({"consent_expires_at": NOW}, DenialCode.CONSENT_EXPIRED),
        ({"consent_expires_at": NOW - MINUTE}, DenialCode.CONSENT_EXPIRED),
        ({"store_view_usable": False}, DenialCode.STORE_VIEW_NOT_ALLOWED),
        ({"reason_required": True, "reason": ""}, DenialCode.REASON_REQUIRED),
        ({"reason_required": True, "reason": "   \t"}, DenialCode.REASON_REQUIRED),
    ],
    ids=lambda value: value.name if isinstance(value, DenialCode) else None,
)
def test_each_failing_check_denies_with_its_code(changes, code):
    assert can_login_as(replace(ALLOWED_START, **changes), now=NOW) == Decision(False, code)


@pytest.mark.parametrize(
    "changes",
    [
        {"consent_expires_at": NOW + MINUTE},
        {"reason_required": True, "reason": "Ticket #4711"},
        {"reason_required": False, "reason": ""},
    ],
)
def test_time_limited_consent_and_given_reason_allow_the_start(changes):
    assert can_login_as(replace(ALLOWED_START, **changes), now=NOW) == ALLOWED


# Checks in the order can_login_as makes them, each as the facts that fail it.
START_CHECKS_IN_ORDER = [
    ({"feature_enabled": False}, DenialCode.FEATURE_DISABLED),
    ({"staff_active": False}, DenialCode.ADMIN_INACTIVE),
    ({"staff_allowed": False}, DenialCode.PERMISSION_MISSING),
    ({"customer_exists": False}, DenialCode.CUSTOMER_MISSING),
    ({"customer_is_staff": True}, DenialCode.TARGET_IS_STAFF),
    ({"customer_active": False}, DenialCode.CUSTOMER_INACTIVE),
    ({"consent_given": False}, DenialCode.CONSENT_MISSING),
    ({"consent_expires_at": NOW}, DenialCode.CONSENT_EXPIRED),
    ({"store_view_usable": False}, DenialCode.STORE_VIEW_NOT_ALLOWED),
    ({"reason_required": True, "reason": ""}, DenialCode.REASON_REQUIRED),
]


@pytest.mark.parametrize("first", range(len(START_CHECKS_IN_ORDER)))
def test_the_first_failing_check_in_order_is_the_reason(first):
    """Fail this check and every later one at once: the reported code is this check's."""
    facts = ALLOWED_START
    for changes, _code in START_CHECKS_IN_ORDER[first:]:
        facts = replace(facts, **changes)
    assert can_login_as(facts, now=NOW) == Decision(False, START_CHECKS_IN_ORDER[first][1])


def test_nothing_at_all_known_is_denied_as_feature_disabled():
    facts = StartFacts(
        feature_enabled=False, staff_active=False, staff_allowed=False, customer_exists=False
    )
    assert can_login_as(facts, now=NOW) == Decision(False, DenialCode.FEATURE_DISABLED)


def test_a_customer_with_only_the_defaults_is_denied_for_missing_consent():
    """The dataclass defaults are the safe side: inactive, no consent, no usable view."""
    facts = StartFacts(
        feature_enabled=True, staff_active=True, staff_allowed=True, customer_exists=True
    )
    assert can_login_as(facts, now=NOW) == Decision(False, DenialCode.CUSTOMER_INACTIVE)


# --- end_reason_for -------------------------------------------------------------------------

STARTED = NOW - 10 * MINUTE
LIVE = LiveFacts(
    ended=False,
    feature_enabled=True,
    admin_exists=True,
    admin_active=True,
    admin_allowed=True,
    customer_exists=True,
    customer_active=True,
    consent_valid=True,
    started_at=STARTED,
    last_seen_at=NOW - MINUTE,
    max_duration=60 * MINUTE,
    idle_timeout=15 * MINUTE,
)


def test_a_healthy_session_goes_on():
    assert end_reason_for(LIVE, now=NOW) is None


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"ended": True}, EndReason.TERMINATED),
        ({"feature_enabled": False}, EndReason.FEATURE_DISABLED),
        ({"customer_exists": False}, EndReason.CUSTOMER_DELETED),
        ({"customer_active": False}, EndReason.CUSTOMER_DEACTIVATED),
        ({"customer_is_staff": True}, EndReason.CUSTOMER_IS_STAFF),
        ({"consent_valid": False}, EndReason.CONSENT_REVOKED),
        ({"admin_exists": False}, EndReason.ADMIN_DEACTIVATED),
        ({"admin_active": False}, EndReason.ADMIN_DEACTIVATED),
        ({"admin_allowed": False}, EndReason.PERMISSION_REVOKED),
        ({"started_at": NOW - 60 * MINUTE}, EndReason.MAX_DURATION),
        ({"started_at": NOW - 61 * MINUTE}, EndReason.MAX_DURATION),
        ({"last_seen_at": NOW - 15 * MINUTE}, EndReason.IDLE_TIMEOUT),
        ({"last_seen_at": NOW - 16 * MINUTE}, EndReason.IDLE_TIMEOUT),
    ],
    ids=lambda value: value.name if isinstance(value, EndReason) else None,
)
def test_each_trigger_ends_the_session_with_its_reason(changes, reason):
    assert end_reason_for(replace(LIVE, **changes), now=NOW) == reason


@pytest.mark.parametrize(
    "changes",
    [
        {"started_at": NOW - 60 * MINUTE + timedelta(seconds=1)},
        {"last_seen_at": NOW - 15 * MINUTE + timedelta(seconds=1)},
        {"max_duration": 5 * MINUTE, "started_at": NOW - 4 * MINUTE, "last_seen_at": NOW},
        {"idle_timeout": 120 * MINUTE, "last_seen_at": NOW - 59 * MINUTE},
    ],
)
def test_just_inside_the_limits_the_session_goes_on(changes):
    assert end_reason_for(replace(LIVE, **changes), now=NOW) is None


# Triggers in the order end_reason_for checks them.
LIVE_CHECKS_IN_ORDER = [
    ({"ended": True}, EndReason.TERMINATED),
    ({"feature_enabled": False}, EndReason.FEATURE_DISABLED),
    ({"customer_exists": False}, EndReason.CUSTOMER_DELETED),
    ({"customer_active": False}, EndReason.CUSTOMER_DEACTIVATED),
    ({"customer_is_staff": True}, EndReason.CUSTOMER_IS_STAFF),
    ({"consent_valid": False}, EndReason.CONSENT_REVOKED),
    ({"admin_active": False}, EndReason.ADMIN_DEACTIVATED),
    ({"admin_allowed": False}, EndReason.PERMISSION_REVOKED),
    ({"started_at": NOW - 90 * MINUTE}, EndReason.MAX_DURATION),
    ({"last_seen_at": NOW - 30 * MINUTE}, EndReason.IDLE_TIMEOUT),
]


@pytest.mark.parametrize("first", range(len(LIVE_CHECKS_IN_ORDER)))
def test_the_first_trigger_in_order_is_the_recorded_reason(first):
    facts = LIVE
    for changes, _reason in LIVE_CHECKS_IN_ORDER[first:]:
        facts = replace(facts, **changes)
    assert end_reason_for(facts, now=NOW) == LIVE_CHECKS_IN_ORDER[first][1]
