"""The customer's e-mail address and password never change, and the account is never deleted,
during an assisted session, whatever view saves or deletes it (SPEC §6): a pre_save and a
pre_delete guard on the user model, for the request an assisted session is answering.
Connected by the app for every host whose customers are Django's users (the default host,
django-oscar): a shop's own account page that saves a new e-mail address or password, or
deletes the account, answers 403 with its message. A host may refuse its own pages earlier,
with their message (``Host.refusal_of_assisted_write``: ``OscarHost``); this guard holds for
any other view — a fork of a customer app, a GET that was not declared as a write.

A new e-mail address would let the administrator (or whoever they give it to) reset the
password and take the account: refused, as a changed password is. A deleted account cannot
be given back: refused too (the deletion's transaction rolls back; the refusal's entry is
written after it)."""

from django.contrib.auth import get_user_model
from django.db.models.signals import pre_delete, pre_save
from django.utils.translation import gettext_lazy as _

from login_as_customer import events
from login_as_customer.host import RefusedDuringAssistedSession, host
from login_as_customer.middleware import current_assisted_request

# The account's fields an assisted session never changes, and why each is refused.
REFUSED_CHANGES = {
    "email": _("The e-mail address cannot be changed during an assisted session."),
    "password": _("The password cannot be changed during an assisted session."),
}
REFUSED_DELETION = _("The account cannot be deleted during an assisted session.")


def _changed_credentials(instance, *, using, update_fields) -> list[str]:
    """Which of the account's e-mail and password this save writes with another value."""
    fields = [
        name for name in REFUSED_CHANGES if update_fields is None or name in update_fields
    ]  # e.g. last_login at a sign-in: none, no query
    if not fields or instance._state.adding or instance.pk is None:
        return []
    stored = (
        instance._meta.concrete_model._base_manager.using(using)
        .filter(pk=instance.pk)
        .values(*fields)
        .first()
    )
    if stored is None:
        return []
    return [name for name in fields if stored[name] != getattr(instance, name)]


def _session_of_guarded_account(instance):
    """The assisted session and its request, when ``instance`` is the account of the customer
    whose assisted session this request is; otherwise (None, None)."""
    request = current_assisted_request()  # first: every save outside one returns here
    if request is None or not isinstance(instance, get_user_model()):
        return None, None
    session = request.assisted_session
    if instance.pk != session.customer_id:
        return None, None
    return session, request


def refuse_credentials_change(sender, instance, using, update_fields=None, **kwargs):
    session, request = _session_of_guarded_account(instance)
    if session is None:
        return
    changed = _changed_credentials(instance, using=using, update_fields=update_fields)
    if not changed:
        return
    events.blocked(
        session,
        action="account.blocked",
        details={"fields": changed},
        ip_address=host().client_ip(request),
    )
    raise RefusedDuringAssistedSession(REFUSED_CHANGES[changed[0]])


def refuse_deletion(sender, instance, using, **kwargs):
    session, request = _session_of_guarded_account(instance)
    if session is None:
        return
    events.blocked(
        session,
        action="account_deletion.blocked",
        details={},
        ip_address=host().client_ip(request),
    )
    raise RefusedDuringAssistedSession(REFUSED_DELETION)


def connect() -> None:
    """Called by the app's ready() (and by ``login_as_customer.contrib.oscar``'s, which comes
    first in ``INSTALLED_APPS``): before the package's own receivers on the account's save and
    deletion, so a refused password change or deletion ends nothing. No sender: a proxy of the
    user model saves under its own."""
    pre_save.connect(refuse_credentials_change, dispatch_uid="login_as_customer.credentials")
    pre_delete.connect(refuse_deletion, dispatch_uid="login_as_customer.account_deletion")
