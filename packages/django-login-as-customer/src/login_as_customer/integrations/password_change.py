"""A password change ends the assisted sessions it concerns: every session of the administrator
whose password changed (web and API, redeemed or not yet), or every session of the customer.

Detected where the password is written, the save of the account, so every way of changing
it is covered: the admin's own Change password page, a password set in All Users,
``manage.py changepassword``, the storefront's Account Information and password reset, the API,
a shell. The stored hash is what every credential check compares (storefront sessions, admin
sessions, API tokens), so a changed hash is a changed credential."""

from django.contrib.auth import get_user_model
from django.db.models.signals import pre_save
from django.dispatch import receiver

from login_as_customer.flows.end import end_each
from login_as_customer.models import AssistedSession, EndReason
from login_as_customer.selectors import live_sessions_of_customer


def _password_changes(instance, *, using, update_fields) -> bool:
    """True if this save writes a password hash other than the stored one."""
    if instance._state.adding or instance.pk is None:
        return False
    if update_fields is not None and "password" not in update_fields:
        return False  # e.g. last_login on sign-in: no query
    stored = (
        instance._meta.concrete_model._base_manager.using(using)
        .filter(pk=instance.pk)
        .values_list("password", flat=True)
        .first()
    )
    return stored is not None and stored != instance.password


# The sessions end before the new hash is written (in the caller's transaction when there is
# one): should the save fail, the old password stays and nothing is left live by a new one.
@receiver(pre_save)
def end_sessions_of_admin(sender, instance, using, update_fields=None, **kwargs):
    # No sender filter: the staff admin saves users through a proxy model (its own sender).
    if not isinstance(instance, get_user_model()):
        return
    if _password_changes(instance, using=using, update_fields=update_fields):
        end_each(
            AssistedSession.objects.filter(admin_id=instance.pk),
            EndReason.ADMIN_PASSWORD_CHANGED,
        )


# Connected to the host's customer model by the app's ready().
def end_sessions_of_customer(sender, instance, using, update_fields=None, **kwargs):
    if _password_changes(instance, using=using, update_fields=update_fields):
        end_each(live_sessions_of_customer(instance.pk), EndReason.CUSTOMER_PASSWORD_CHANGED)
