"""What an administrator may do with Login as Customer, asked of the host (``Host.staff_may``).

By default these are Django permissions of this app (``login_as_customer.<codename>``, declared
on ``AssistedSession``); ShopAssist maps them onto its role resources (``lac_host/acl.py``)."""

from django.utils.translation import gettext_lazy as _

from login_as_customer.host import host

ALLOW = "login_as_customer"
VIEW_LOG = "view_login_as_customer_log"
MANAGE_SESSIONS = "manage_assisted_sessions"
OPT_IN = "change_assistance_consent"
CONFIGURE = "configure_login_as_customer"

LABELS = {
    ALLOW: _("Allow Login as Customer"),
    VIEW_LOG: _("View Login as Customer Log"),
    MANAGE_SESSIONS: _("Manage active sessions"),
    OPT_IN: _("Remote shopping assistance opt-in"),
    CONFIGURE: _("Login as Customer Section"),
}


def staff_may(user, permission: str) -> bool:
    return host().staff_may(user, permission)


def require(permission: str, *, on_refused=None):
    """Decorate an admin view: refused (403) unless the user may; ``on_refused(request, ...)``
    runs first (to log it)."""
    return host().require(permission, on_refused=on_refused)
