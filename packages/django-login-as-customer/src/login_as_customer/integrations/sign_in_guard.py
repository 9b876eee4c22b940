"""Nobody signs in in the browser of an assisted session (SPEC §6): its storefront session
carries the assisted session, and a sign-in would replace it — the browser signed in as another
account outside the feature's attribution, the record live until its idle timeout.

The host's sign-in and registration pages are refused before their view runs
(``Host.sign_in_url_names``, django.contrib.auth's ``LoginView``: ``middleware``). This guard
holds for any other view that signs a browser in: the host calls ``refuse_sign_in`` when its
customer has just been signed in (the default host and django-oscar through django.contrib.auth's
``user_logged_in``, connected by ``customer_sign_in``; ShopAssist on its ``customer_logged_in``).
By then the sign-in has run: Django's ``login()`` has flushed the session of another account's
sign-in (ShopAssist's cycles its key). So the refusal keeps nothing of it: the request's writes
roll back (``last_login``, an account just registered); a browser whose storefront session is
no longer the one that carried the assisted session, or is signed in as someone else, is signed
out, and the record ends with that session (``middleware``). Only the customer signed in again
by Django's ``login()``, which then keeps the session as it was, goes on."""

from django.utils.translation import gettext_lazy as _

from login_as_customer import events
from login_as_customer.errors import DenialCode, message_for
from login_as_customer.flows.live_check import SESSION_ID_KEY
from login_as_customer.host import RefusedDuringAssistedSession, host
from login_as_customer.middleware import current_assisted_request

SIGNED_OUT = _(
    "Signing in is not possible during an assisted session: the assisted session has ended and "
    "this browser is signed out."
)


def refuse_sign_in(request) -> None:
    """Call when the storefront request ``request`` has just signed a customer in: during an
    assisted session it is refused (a ``sign_in.blocked`` entry, ``RefusedDuringAssistedSession``:
    403 with its message); otherwise nothing happens."""
    if request is None or current_assisted_request() is not request:
        return
    session = request.assisted_session
    match = getattr(request, "resolver_match", None)
    events.blocked(
        session,
        action="sign_in.blocked",
        details={
            "view": match.view_name if match else request.path_info[:200],
            "method": request.method,
        },
        ip_address=host().client_ip(request),
    )
    signed_in = host().signed_in_customer(request)
    if (
        request.session.session_key == request.lac_session_key
        and request.session.get(SESSION_ID_KEY) == session.pk
        and getattr(signed_in, "pk", None) == session.customer_id
    ):
        raise RefusedDuringAssistedSession(message_for(DenialCode.SIGN_IN_BLOCKED))
    host().end_customer_session(request)  # the other account's session is never saved
    raise RefusedDuringAssistedSession(str(SIGNED_OUT))
