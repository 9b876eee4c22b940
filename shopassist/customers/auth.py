"""Storefront authentication of customers (separate from staff authentication)."""

from collections.abc import Callable

from django.middleware.csrf import rotate_token
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from shopassist.core import precompiled
from shopassist.customers.signals import customer_logged_in, customer_logged_out

SESSION_CUSTOMER_ID = "_customer_id"
SESSION_CUSTOMER_HASH = "_customer_hash"
# Requests that change nothing: what other apps read with the customer's row may be read at once.
READING_METHODS = frozenset({"GET", "HEAD"})

# What other apps read with the customer on every page, in the customer's own statement on a
# request that changes nothing (one round trip instead of two): attribute name -> a function
# of the customer's primary key column's path (``"pk"``, or ``"customer_id"`` from a row that
# refers to the customer) giving a scalar expression. Registered by the apps in ``ready()``
# (the mini cart's count: ``cart/apps.py``); the customer object carries each under its name.
_read_along: dict[str, Callable[[str], object]] = {}


def read_along(name: str, expression: Callable[[str], object]) -> None:
    _read_along[name] = expression


def read_along_expressions(customer_ref: str) -> dict[str, object]:
    return {name: expression(customer_ref) for name, expression in _read_along.items()}


def _customer_with_read_along():
    from shopassist.customers.models import Customer

    return Customer.objects.annotate(**read_along_expressions("pk"))


def start_customer_session(request, customer) -> None:
    """Authenticate this storefront session as the customer (the caller chose the session:
    a cycled one for a login, a fresh one for an assisted session). No signal, no last_login."""
    request.session[SESSION_CUSTOMER_ID] = customer.pk
    request.session[SESSION_CUSTOMER_HASH] = customer.get_session_auth_hash()
    rotate_token(request)
    request.customer = customer


def login_customer(request, customer) -> None:
    """The customer logs in themselves: new session key, new CSRF token, last_login."""
    previous_session = dict(request.session.items())
    request.session.cycle_key()
    start_customer_session(request, customer)
    customer.last_login = timezone.now()
    customer.save(update_fields=["last_login"])
    customer_logged_in.send(
        sender=type(customer), request=request, customer=customer, previous_session=previous_session
    )


def logout_customer(request) -> None:
    customer_logged_out.send(sender=type(request.customer), request=request)
    end_storefront_session(request)


def end_storefront_session(request) -> None:
    """Destroy the storefront session on the server and give the browser a new CSRF secret
    (it lives in its own cookie, which a flush alone would keep)."""
    request.session.flush()
    rotate_token(request)
    request.customer = None


def customer_from_session(request, *, loaded=None):
    """The customer of this storefront session, or None (also when the password changed).

    ``loaded`` is the session's customer when a caller already read it (saves a query). On a
    request that changes nothing, the row comes with what other apps read along with it."""
    from shopassist.customers.models import Customer

    customer_id = request.session.get(SESSION_CUSTOMER_ID)
    if customer_id is None:
        return None
    if loaded is not None and loaded.pk == customer_id:
        customer = loaded if loaded.is_active else None
    elif _read_along and request.method in READING_METHODS:
        customer = precompiled.first_of(
            "customer_with_read_along", _customer_with_read_along, pk=customer_id, is_active=True
        )
    else:
        # Every request of a logged-in customer reads this row: a statement written once.
        customer = precompiled.first(Customer, pk=customer_id, is_active=True)
    if customer is None or not constant_time_compare(
        request.session.get(SESSION_CUSTOMER_HASH, ""), customer.get_session_auth_hash()
    ):
        request.session.flush()
        return None
    store_view = getattr(request, "store_view", None)
    if store_view is not None and not customer_can_use_website(
        customer, store_view.store.website_id
    ):
        return None
    return customer


def customer_can_use_website(customer, website_id: int) -> bool:
    from shopassist.customers.config import accounts_shared_globally

    return accounts_shared_globally() or customer.website_id == website_id


def update_session_hash(request, customer) -> None:
    """Keep this session valid after the customer changed their own password."""
    request.session.cycle_key()
    request.session[SESSION_CUSTOMER_HASH] = customer.get_session_auth_hash()
