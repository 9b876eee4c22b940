"""Sign-in lockout shared by every channel, kept by django-axes.

Five failures for one account lock it for 15 minutes (``AXES_FAILURE_LIMIT``,
``AXES_COOLOFF_TIME``) on every channel at once: the storefront and the API's customer-token
endpoint share a customer's state, the admin login page and the API's admin-token endpoint an
administrator's. The lock is on the account alone (``AXES_LOCKOUT_PARAMETERS = ["username"]``),
so changing address does not help; per-address throttling is separate (``core/throttles.py``).

Customers are not Django's auth users, so their sign-in calls these functions, which drive
axes' handler. The admin login goes through ``django.contrib.auth.authenticate``, where axes'
backend and signal receivers do the same with the identity ``axes_username`` gives it.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.utils.translation import gettext_lazy as _

# The key of our credentials dicts naming the account axes counts failures for.
IDENTITY_KEY = "shopassist_identity"
# axes stores identities in a 255-character column.
_MAX_IDENTITY = 255

LOCKED_MESSAGE = _("Too many failed sign-in attempts. Try again in 15 minutes.")


class SignInLocked(Exception):
    """The account is locked out: no password is checked, no session or token starts."""

    def __init__(self):
        super().__init__(str(LOCKED_MESSAGE))
        self.message = LOCKED_MESSAGE


def _identity(kind: str, value: str) -> str:
    value = (value or "").strip().lower()
    identity = f"{kind}:{value}"
    if len(identity) > _MAX_IDENTITY:
        identity = f"{kind}:sha256:{hashlib.sha256(value.encode()).hexdigest()}"
    return identity


def admin_credentials(username: str) -> dict:
    """The credentials of a staff account, as ``django.contrib.auth`` names them."""
    return {"username": username, IDENTITY_KEY: _identity("admin", username)}


def customer_credentials(website_id: int, email: str) -> dict:
    """A customer account: one e-mail per website (accounts of two websites are apart)."""
    return {"username": email, IDENTITY_KEY: _identity(f"customer:{website_id}", email)}


def axes_username(request, credentials) -> str | None:
    """``AXES_USERNAME_CALLABLE``: the identity of our credentials, else of a staff username.

    Django's login page and ``authenticate`` know only ``username``; a prefix keeps staff and
    customer identities apart, so no one locks a customer out through the admin login."""
    if credentials and credentials.get(IDENTITY_KEY):
        return credentials[IDENTITY_KEY]
    if credentials:
        username = credentials.get("username")
    else:
        username = getattr(request, "POST", {}).get("username")
    if not isinstance(username, str) or not username:
        return None
    return _identity("admin", username)


def _axes():
    # Imported on use: axes' handler module loads its models, which needs the app registry.
    from axes.handlers.proxy import AxesProxyHandler

    return AxesProxyHandler


def is_locked(request, credentials: dict) -> bool:
    """Whether this account may not sign in now (whatever the password)."""
    if not getattr(settings, "AXES_ENABLED", True):
        return False
    return not _axes().is_allowed(request, credentials)


def record_failure(request, credentials: dict) -> None:
    """Count a failed sign-in for this account (the failure that reaches the limit locks it)."""
    _axes().user_login_failed(sender=__name__, credentials=credentials, request=request)


def record_success(request, credentials: dict) -> None:
    """A successful sign-in clears the account's failures."""
    identity = axes_username(request, credentials)
    # Never without an identity: axes would then reset every account's failures.
    if getattr(settings, "AXES_ENABLED", True) and identity:
        _axes().reset_attempts(username=identity)


def check_not_locked(request, credentials: dict) -> None:
    """Raise ``SignInLocked`` if the account is locked."""
    if is_locked(request, credentials):
        raise SignInLocked


def record_failure_and_check(request, credentials: dict) -> None:
    """Count a failure; raise ``SignInLocked`` if it locked the account."""
    record_failure(request, credentials)
    check_not_locked(request, credentials)
