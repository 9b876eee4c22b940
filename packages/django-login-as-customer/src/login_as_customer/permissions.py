"""What an administrator may do with Login as Customer, asked of the host (``Host.staff_may``).

By default these are Django permissions of this app (``login_as_customer.<codename>``, declared
on ``AssistedSession``); ShopAssist maps them onto its role resources (``lac_host/acl.py``)."""

from django.utils.translation import gettext_lazy as _

from login_as_customer.host import host
from login_as_customer.models import SessionMode

ALLOW = "login_as_customer"
VIEW_ONLY = "login_as_customer_view_only"
VIEW_LOG = "view_login_as_customer_log"
MANAGE_SESSIONS = "manage_assisted_sessions"
OPT_IN = "change_assistance_consent"
CONFIGURE = "configure_login_as_customer"

LABELS = {
    ALLOW: _("Allow Login as Customer"),
    VIEW_ONLY: _("Login as Customer (view only)"),
    VIEW_LOG: _("View Login as Customer Log"),
    MANAGE_SESSIONS: _("Manage active sessions"),
    OPT_IN: _("Remote shopping assistance opt-in"),
    CONFIGURE: _("Login as Customer Section"),
}


def staff_may(user, permission: str) -> bool:
    return host().staff_may(user, permission)


def modes_for(user) -> tuple[SessionMode, ...]:
    """The sessions this administrator may start: view only with *Login as Customer (view
    only)*; both with *Allow Login as Customer*, which includes looking."""
    if staff_may(user, ALLOW):
        return (SessionMode.VIEW_ONLY, SessionMode.FULL)
    if staff_may(user, VIEW_ONLY):
        return (SessionMode.VIEW_ONLY,)
    return ()


def default_mode(modes) -> SessionMode:
    """What a start without a chosen mode asks for: the most the administrator may (a start
    made before modes existed was a full one), view only for who may only look."""
    return SessionMode.FULL if SessionMode.FULL in modes else SessionMode.VIEW_ONLY


def may_keep(user_id, mode: str) -> bool:
    """Whether the administrator of a live session still holds what its mode needs."""
    if host().staff_id_may(user_id, ALLOW):
        return True
    return mode == SessionMode.VIEW_ONLY and host().staff_id_may(user_id, VIEW_ONLY)


def require_any(*permissions: str, on_refused=None):
    """Decorate an admin view: refused (403) unless the user holds one of ``permissions``."""
    return host().require_any(permissions, on_refused=on_refused)


def require(permission: str, *, on_refused=None):
    """Decorate an admin view: refused (403) unless the user may; ``on_refused(request, ...)``
    runs first (to log it)."""
    return host().require(permission, on_refused=on_refused)
