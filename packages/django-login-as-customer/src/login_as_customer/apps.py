from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoginAsCustomerConfig(AppConfig):
    name = "login_as_customer"
    label = "login_as_customer"
    verbose_name = _("Login as Customer")
    # Its migrations' ids, whatever the project's DEFAULT_AUTO_FIELD (Oscar's is AutoField).
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Registration: ACL resources, configuration fields, and the receivers that end
        # sessions when an account changes. What the host's apps report (actions, orders,
        # sign-outs) comes through its own code (docs/host-interface.md).
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save, pre_delete, pre_save

        from login_as_customer import checks  # noqa: F401 - registers them
        from login_as_customer.host import host
        from login_as_customer.integrations import account_guard

        customer_model = host().customer_model()
        if customer_model is get_user_model():  # the default host, django-oscar
            # First: a refused change of the customer's e-mail or password ends nothing.
            account_guard.connect()

        from login_as_customer.integrations import (  # noqa: F401
            account_changes,
            admin_logout,
            admin_password,
            customer_sign_in,
            password_change,
        )

        pre_delete.connect(
            admin_logout.end_sessions_of_deleted_customer,
            sender=customer_model,
            dispatch_uid="login_as_customer.customer_deleted",
        )
        pre_save.connect(
            password_change.end_sessions_of_customer,
            sender=customer_model,
            dispatch_uid="login_as_customer.customer_password",
        )
        post_save.connect(
            account_changes.recheck_sessions_of_customer,
            sender=customer_model,
            dispatch_uid="login_as_customer.customer_account_saved",
        )
        account_changes.connect_permission_changes()
