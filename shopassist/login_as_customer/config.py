"""Stores › Settings › Configuration › Customers › Login as Customer (SPEC §2)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from shopassist.core.config import (
    ALL_SCOPES,
    BoolField,
    ChoiceField,
    Group,
    IntField,
    Section,
    TextField,
    config,
    register_section,
)
from shopassist.login_as_customer.acl import CONFIG_SECTION

ENABLED = "login_as_customer/general/enabled"
DISABLE_PAGE_CACHE = "login_as_customer/general/disable_page_cache"
STORE_VIEW_LOGIN = "login_as_customer/general/store_view_login"
OPT_IN_TITLE = "login_as_customer/general/opt_in_title"
OPT_IN_TOOLTIP = "login_as_customer/general/opt_in_tooltip"
LINK_LIFETIME = "login_as_customer/general/link_lifetime"
MAX_DURATION = "login_as_customer/general/max_duration"
IDLE_TIMEOUT = "login_as_customer/general/idle_timeout"
REQUIRE_REASON = "login_as_customer/general/require_reason"
NOTIFY_CUSTOMER = "login_as_customer/general/notify_customer"
START_RATE_LIMIT = "login_as_customer/general/start_rate_limit"
SHOW_ADMIN_NAMES = "login_as_customer/general/show_admin_names"
REAUTH_AFTER = "login_as_customer/general/reauth_after"

AUTO_DETECTION = "auto"
MANUAL_SELECTION = "manual"

# Defaults are shown translated into the store view's language until an operator sets a text.
DEFAULT_TITLE = gettext_noop("Allow remote shopping assistance")
DEFAULT_TOOLTIP = gettext_noop(
    "This allows merchants to see what you see and take actions on your behalf in order "
    "to provide better assistance."
)

register_section(
    Section(
        id="login_as_customer",
        tab=_("Customers"),
        title=_("Login as Customer"),
        resource=CONFIG_SECTION,
        sort_order=25,
        groups=(
            Group(
                "general",
                _("General Options"),
                (
                    BoolField(id="enabled", label=_("Enable Login as Customer"), default=False),
                    BoolField(
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
                    ChoiceField(
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
                    TextField(
                        id="opt_in_title",
                        label=_("Title of the opt-in checkbox"),
                        default=DEFAULT_TITLE,
                        scopes=ALL_SCOPES,
                    ),
                    TextField(
                        id="opt_in_tooltip",
                        label=_("Tooltip of the opt-in checkbox"),
                        default=DEFAULT_TOOLTIP,
                        max_length=500,
                        scopes=ALL_SCOPES,
                    ),
                    IntField(
                        id="link_lifetime",
                        label=_("Login link lifetime"),
                        default=60,
                        min_value=5,
                        max_value=3600,
                        comment=_("Seconds. The one-time login token expires after this."),
                    ),
                    IntField(
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
                    IntField(
                        id="max_duration",
                        label=_("Assisted session maximum duration"),
                        default=60,
                        min_value=1,
                        max_value=1440,
                        comment=_("Minutes."),
                    ),
                    IntField(
                        id="idle_timeout",
                        label=_("Assisted session idle timeout"),
                        default=15,
                        min_value=1,
                        max_value=1440,
                        comment=_("Minutes without a request before the session ends."),
                    ),
                    BoolField(
                        id="require_reason",
                        label=_("Require a reason"),
                        default=False,
                        comment=_("The administrator types a reason or ticket id when starting."),
                    ),
                    BoolField(
                        id="notify_customer",
                        label=_("Notify the customer"),
                        default=False,
                        comment=_(
                            "E-mail the customer when an assisted session starts, and when a "
                            "store administrator allows remote shopping assistance for them."
                        ),
                    ),
                    BoolField(
                        id="show_admin_names",
                        label=_("Show administrator names to customers"),
                        default=False,
                        comment=_(
                            "In My Account › Assisted sessions. No: the customer sees "
                            '"a store administrator".'
                        ),
                    ),
                    IntField(
                        id="start_rate_limit",
                        label=_("Starts per administrator per minute"),
                        default=10,
                        min_value=1,
                        max_value=1000,
                    ),
                ),
            ),
        ),
    )
)


def feature_enabled() -> bool:
    return config.get(ENABLED)
