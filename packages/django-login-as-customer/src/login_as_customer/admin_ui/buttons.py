"""The Login as Customer button and its confirmation dialog, for a host's admin pages of a
customer (and of its orders): the HTML, or None when this administrator may not use it."""

from django.template.loader import render_to_string

from login_as_customer import config as lac_config
from login_as_customer import selectors
from login_as_customer.admin_ui.dialog import dialog_context


def login_as_customer_button(request, customer) -> str | None:
    if not lac_config.feature_enabled() or not selectors.staff_may_login_as(request.user):
        return None
    return render_to_string(
        "login_as_customer/admin/button.html", dialog_context(request, customer), request=request
    )
