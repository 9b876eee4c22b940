"""The settings of Login as Customer (SPEC §2): declared here, read through the host.

A host shows them where it keeps its settings (ShopAssist: Stores › Settings › Configuration ›
Customers › Login as Customer, ``lac_host/config.py``) and answers ``Host.setting``; by
default they come from ``settings.LOGIN_AS_CUSTOMER`` (the option's id in capitals, e.g.
``"ENABLED": True``), else from the defaults below."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from login_as_customer.host import host

PREFIX = "login_as_customer/general/"  # the keys: ShopAssist's configuration paths
ENABLED = PREFIX + "enabled"
DISABLE_PAGE_CACHE = PREFIX + "disable_page_cache"
STORE_VIEW_LOGIN = PREFIX + "store_view_login"
OPT_IN_TITLE = PREFIX + "opt_in_title"
OPT_IN_TOOLTIP = PREFIX + "opt_in_tooltip"
LINK_LIFETIME = PREFIX + "link_lifetime"
MAX_DURATION = PREFIX + "max_duration"
IDLE_TIMEOUT = PREFIX + "idle_timeout"
REQUIRE_REASON = PREFIX + "require_reason"
NOTIFY_CUSTOMER = PREFIX + "notify_customer"
START_RATE_LIMIT = PREFIX + "start_rate_limit"
SHOW_ADMIN_NAMES = PREFIX + "show_admin_names"
REAUTH_AFTER = PREFIX + "reauth_after"
CUSTOMER_CONSENT = PREFIX + "customer_consent"

AUTO_DETECTION = "auto"
MANUAL_SELECTION = "manual"
# Customer consent: what lets a session start (flows/assistance_code.py).
STANDING_OPT_IN = "standing"
ASSISTANCE_CODE = "code"
EITHER = "either"

# Defaults are shown translated into the store view's language until an operator sets a text.
DEFAULT_TITLE = gettext_noop("Allow remote shopping assistance")
DEFAULT_TOOLTIP = gettext_noop(
    "This allows merchants to see what you see and take actions on your behalf in order "
    "to provide better assistance."
)


@dataclass(frozen=True, kw_only=True)
class Option:
    """One setting: ``kind`` is bool, int, text or choice; ``per_store_view``: a website or
    store view may set its own value (texts shown to customers, what a store view does)."""

    kind: str
    id: str
    label: str
    default: Any
    comment: str = ""
    per_store_view: bool = False
    min_value: int | None = None
    max_value: int | None = None
    max_length: int = 255
    choices: tuple[tuple[str, str], ...] = ()

    @property
    def key(self) -> str:
        return PREFIX + self.id


OPTIONS: tuple[Option, ...] = (
    Option(kind="bool", id="enabled", label=_("Enable Login as Customer"), default=False),
    Option(
        kind="bool",
        id="disable_page_cache",
        label=_("Disable Page Cache for Admin User"),
        default=True,
        comment=_(
            "Yes: pages of an assisted session are never read from or written "
            "to the shared page cache, so the administrator sees fresh data. "
            "No: they are read from it as the customer sees them, and never "
            "written to it."
        ),
    ),
    Option(
        kind="choice",
        id="store_view_login",
        label=_("Store View to Log in"),
        default=AUTO_DETECTION,
        choices=(
            (AUTO_DETECTION, _("Auto detection")),
            (MANUAL_SELECTION, _("Manual selection")),
        ),
        comment=_(
            "Manual selection: the administrator picks the store view in the "
            "confirmation dialog (multi-site and multi-store setups)."
        ),
    ),
    Option(
        kind="choice",
        id="customer_consent",
        label=_("Customer consent"),
        default=STANDING_OPT_IN,
        per_store_view=True,
        choices=(
            (STANDING_OPT_IN, _("Standing opt-in")),
            (ASSISTANCE_CODE, _("Assistance code for each session")),
            (EITHER, _("Either")),
        ),
        comment=_(
            "Standing opt-in: the customer's Allow remote shopping assistance. Assistance "
            "code: the customer gets a 6-digit code in My Account (valid 10 minutes, for one "
            "session) and reads it out; the administrator types it in the confirmation."
        ),
    ),
    Option(
        kind="text",
        id="opt_in_title",
        label=_("Title of the opt-in checkbox"),
        default=DEFAULT_TITLE,
        per_store_view=True,
    ),
    Option(
        kind="text",
        id="opt_in_tooltip",
        label=_("Tooltip of the opt-in checkbox"),
        default=DEFAULT_TOOLTIP,
        max_length=500,
        per_store_view=True,
    ),
    Option(
        kind="int",
        id="link_lifetime",
        label=_("Login link lifetime"),
        default=60,
        min_value=5,
        max_value=3600,
        comment=_("Seconds. The one-time login token expires after this."),
    ),
    Option(
        kind="int",
        id="reauth_after",
        label=_("Re-authenticate after"),
        default=15,
        min_value=0,
        max_value=1440,
        comment=_(
            "Minutes. Starting Login as Customer asks for the administrator's "
            "password when it was last entered longer ago than this. 0: ask "
            "every time."
        ),
    ),
    Option(
        kind="int",
        id="max_duration",
        label=_("Assisted session maximum duration"),
        default=60,
        min_value=1,
        max_value=1440,
        comment=_("Minutes."),
    ),
    Option(
        kind="int",
        id="idle_timeout",
        label=_("Assisted session idle timeout"),
        default=15,
        min_value=1,
        max_value=1440,
        comment=_("Minutes without a request before the session ends."),
    ),
    Option(
        kind="bool",
        id="require_reason",
        label=_("Require a reason"),
        default=False,
        comment=_("The administrator types a reason or ticket id when starting."),
    ),
    Option(
        kind="bool",
        id="notify_customer",
        label=_("Notify the customer"),
        default=False,
        comment=_(
            "E-mail the customer when an assisted session starts, and when a "
            "store administrator allows remote shopping assistance for them."
        ),
    ),
    Option(
        kind="bool",
        id="show_admin_names",
        label=_("Show administrator names to customers"),
        default=False,
        comment=_(
            'In My Account › Assisted sessions. No: the customer sees "a store administrator".'
        ),
    ),
    Option(
        kind="int",
        id="start_rate_limit",
        label=_("Starts per administrator per minute"),
        default=10,
        min_value=1,
        max_value=1000,
    ),
)


_BY_KEY = {option.key: option for option in OPTIONS}


def option(key: str) -> Option:
    return _BY_KEY[key]


def setting(key: str, *, store_view=None):
    """The value of the setting ``key`` (e.g. ``MAX_DURATION``) for a store view (or the
    default scope), as the host keeps it."""
    return host().setting(key, store_view=store_view)


def feature_enabled() -> bool:
    return setting(ENABLED)
