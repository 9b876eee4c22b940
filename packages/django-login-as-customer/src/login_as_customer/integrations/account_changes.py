"""A change that takes away what a live assisted session stands on ends it when the change
commits, not at the session's next request — which an undo before it would have let go on:

* a customer's account saved (deactivated, moved to another website): that customer's sessions;
* an administrator's account saved (deactivated, no longer staff): that administrator's;
* a group's or a user's permissions or groups changed, a group or permission deleted (a role
  lost *Allow Login as Customer*): every live session;
* the host's settings changed (the feature switched off, a shorter maximum duration): every
  live session, when the host calls ``recheck_after_commit`` (ShopAssist: ``lac_host``).

Each live session concerned is checked as its next request would be (``live_check.check``, then
``live_check.usable_store_view``) and ended with the reason that check gives, so the two can
never disagree. Sessions whose link is
not yet redeemed are left to the redemption, which checks the same facts. Live sessions are
few: a recheck costs one query, and one per live session concerned."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from login_as_customer.flows import live_check
from login_as_customer.flows.end import end_session
from login_as_customer.models import AssistedSession, EndReason
from login_as_customer.overdue import idle_clock_as

# What a user's save may change in a session's check: a save naming only other fields
# (``last_login`` at every sign-in) rechecks nothing.
_ACCOUNT_FIELDS = frozenset({"is_active", "is_staff", "is_superuser"})


def recheck(sessions=None) -> int:
    """End each started live session (of ``sessions``, default all) whose check now fails;
    how many ended."""
    live = (sessions if sessions is not None else AssistedSession.objects.all()).filter(
        ended_at__isnull=True, started_at__isnull=False
    )
    ended = 0
    for session_id in live.values_list("pk", flat=True):
        session = live_check.load_live_session(session_id)
        reason = live_check.check(session)
        if session is not None and reason is None and not live_check.usable_store_view(session):
            reason = EndReason.STORE_VIEW_UNAVAILABLE  # the customer moved to another website
        if session is None or reason is None:
            continue
        live_check.load_deferred(session)
        # Ended now, by the change (a limit shortened now did not pass back then: dated back,
        # the end would fall before what a customer's sign-in already marked told); an idle
        # one unless a request moved the idle clock meanwhile.
        idle = reason == EndReason.IDLE_TIMEOUT
        ended += end_session(session, reason, only_if=idle_clock_as(session) if idle else None)
    return ended


def recheck_after_commit(sessions=None) -> None:
    """``recheck(sessions)`` once the current transaction commits (at once outside one). The
    change has committed by then: a failing recheck is logged, never the change's error (the
    next request of each session checks it anyway)."""
    transaction.on_commit(lambda: recheck(sessions), robust=True)


def _names_a_checked_field(update_fields) -> bool:
    return update_fields is None or bool(_ACCOUNT_FIELDS & set(update_fields))


# No sender filter: the staff admin saves users through a proxy model (its own sender).
@receiver(post_save, dispatch_uid="login_as_customer.admin_account_saved")
def recheck_sessions_of_admin(sender, instance, update_fields=None, **kwargs):
    if isinstance(instance, get_user_model()) and _names_a_checked_field(update_fields):
        recheck_after_commit(AssistedSession.objects.filter(admin_id=instance.pk))


# Connected to the host's customer model by the app's ready().
def recheck_sessions_of_customer(sender, instance, update_fields=None, **kwargs):
    if _names_a_checked_field(update_fields):
        recheck_after_commit(AssistedSession.objects.filter(customer_id=instance.pk))


def _permission_links():
    user_model = get_user_model()
    links = [Group.permissions.through]
    for name in ("groups", "user_permissions"):  # a custom user model may have neither
        field = getattr(user_model, name, None)
        if field is not None and hasattr(field, "through"):
            links.append(field.through)
    return links


def _recheck_all(sender, action=None, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        recheck_after_commit()


def _recheck_all_after_a_delete(sender, **kwargs):
    recheck_after_commit()


def connect_permission_changes() -> None:
    """Called by the app's ready(): any change of who holds which permission rechecks every
    live session (the host's roles may be Django's groups and permissions)."""
    for link in _permission_links():
        m2m_changed.connect(
            _recheck_all, sender=link, dispatch_uid=f"login_as_customer.recheck.{link.__name__}"
        )
    # A group deleted through a proxy model (ShopAssist's roles) names the proxy, and takes
    # its members and permissions by cascade, without m2m_changed: each model that is a group
    # or a permission, proxies included (never no sender: Django's fast delete would be off
    # for every model).
    for model in apps.get_models():
        if issubclass(model, (Group, Permission)):
            post_delete.connect(
                _recheck_all_after_a_delete,
                sender=model,
                dispatch_uid=f"login_as_customer.recheck.deleted.{model._meta.label_lower}",
            )
