"""Customer sign-in with the lockout all channels share: the storefront and the API call it."""

from __future__ import annotations

from shopassist.core import signin_guard
from shopassist.customers.config import accounts_shared_globally
from shopassist.customers.models import Customer
from shopassist.customers.services import authenticate_customer


def customer_sign_in_credentials(*, store_view, email: str) -> dict:
    """The lockout identity of the account an e-mail names on this store view's website
    (under global sharing one account answers on every website, so one count)."""
    website_id = 0 if accounts_shared_globally() else store_view.store.website_id
    return signin_guard.customer_credentials(website_id, email)


def authenticate_customer_with_lockout(
    request, *, store_view, email: str, password: str
) -> Customer | None:
    """The customer these credentials sign in, or None.

    Raises ``signin_guard.SignInLocked`` when the account is locked out: before any password
    is checked, and on the failure that locks it. Unknown e-mails count (and lock) the same,
    so the answer never tells whether an account exists."""
    credentials = customer_sign_in_credentials(store_view=store_view, email=email)
    signin_guard.check_not_locked(request, credentials)
    customer = authenticate_customer(store_view=store_view, email=email, password=password)
    if customer is None:
        signin_guard.record_failure_and_check(request, credentials)
        return None
    signin_guard.record_success(request, credentials)
    return customer
