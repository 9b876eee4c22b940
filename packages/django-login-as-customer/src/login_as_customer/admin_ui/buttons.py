"""The Login as Customer button and its confirmation dialog, for a host's admin pages of a
customer (and of its orders): the HTML, or None when this administrator may not use it."""

from django.template.loader import render_to_string

from login_as_customer import config as lac_config
from login_as_customer.admin_ui.dialog import dialog_context
from login_as_customer.permissions import modes_for


def login_as_customer_button(request, customer, css_class: str = "") -> str | None:
    """``css_class``: the classes of the dashboard's own buttons (e.g. ``btn btn-primary``)."""
    if not lac_config.feature_enabled() or not modes_for(request.user):
        return None
    context = {**dialog_context(request, customer), "button_class": css_class}
    return render_to_string("login_as_customer/admin/button.html", context, request=request)
