"""Logging out of the admin panel ends the assisted sessions started from that admin session,
and so does signing in to it as someone else without logging out; signing out in an
assisted session closes it (the host reports it, or, where customers sign in and out through
django.contrib.auth, its ``user_logged_out``); deleting a customer ends theirs."""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from login_as_customer.flows.end import end_each
from login_as_customer.host import ADMIN, STOREFRONT, host
from login_as_customer.models import AssistedSession, EndReason
from login_as_customer.tokens import hash_session_key


@receiver(user_logged_out)
def end_sessions_of_admin_session(sender, request, user, **kwargs):
    if request is None or user is None or host().area_of(request) != ADMIN:
        return
    session_hash = hash_session_key(request.session.session_key)
    if session_hash:
        end_each(
            AssistedSession.objects.filter(admin=user, admin_session_hash=session_hash),
            EndReason.ADMIN_LOGGED_OUT,
        )


@receiver(user_logged_in, dispatch_uid="login_as_customer.admin_sign_in")
def end_sessions_of_replaced_admin_session(sender, request, user, **kwargs):
    """Signing in to the admin panel as another staff member, in a browser whose administrator
    did not log out: Django's ``login()`` flushes their admin session without a logout, so the
    assisted sessions started from it end here, as at a logout — a storefront tab left open
    must not go on in the first administrator's name. (The same administrator signing in again
    keeps their admin session and its key.)"""
    # Set by the middleware on an admin request only (not on a request built by hand).
    old_hash = hash_session_key(getattr(request, "lac_admin_session_key", None))
    if not old_hash or old_hash == hash_session_key(request.session.session_key):
        return
    end_each(
        AssistedSession.objects.filter(admin_session_hash=old_hash).exclude(admin_id=user.pk),
        EndReason.ADMIN_LOGGED_OUT,
    )


@receiver(user_logged_out, dispatch_uid="login_as_customer.customer_sign_out")
def end_session_of_storefront_sign_out(sender, request, user, **kwargs):
    """The storefront's Sign Out of a host whose customers sign in through django.contrib.auth
    (the default host, django-oscar): in an assisted session, it closes the session's record,
    not only the browser's session (which Django's logout flushes)."""
    if request is None or not host().customers_sign_in_with_django_auth:
        return
    if host().area_of(request) == STOREFRONT:
        end_session_on_sign_out(request)


def end_session_on_sign_out(request) -> None:
    """Sign Out in an assisted session closes it, as the Close session button does (the host
    calls this when a customer signs out)."""
    session = getattr(request, "assisted_session", None)
    if session is not None:
        end_each(AssistedSession.objects.filter(pk=session.pk), EndReason.CLOSED_BY_ADMIN)


# Connected to the host's customer model by the app's ready().
def end_sessions_of_deleted_customer(sender, instance, **kwargs):
    end_each(AssistedSession.objects.filter(customer_id=instance.pk), EndReason.CUSTOMER_DELETED)
