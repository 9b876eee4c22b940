"""The Login as Customer button on the customer, order, invoice, shipment and credit memo
pages (through the admin shell's object-button extension point)."""

from django.template.loader import render_to_string

from shopassist.admin_panel.buttons import register_object_button
from shopassist.login_as_customer import config as lac_config
from shopassist.login_as_customer import selectors
from shopassist.login_as_customer.admin_ui.dialog import dialog_context


def _customer_of(obj):
    if obj._meta.label_lower == "customers.customer":
        return obj
    order = obj if obj._meta.label_lower == "sales.order" else obj.order
    return order.customer  # None for guest orders: no button


def login_as_customer_button(request, obj):
    if not lac_config.feature_enabled() or not selectors.staff_may_login_as(request.user):
        return None
    customer = _customer_of(obj)
    if customer is None:
        return None
    return render_to_string(
        "login_as_customer/admin/button.html", dialog_context(request, customer), request=request
    )


for label in (
    "customers.customer",
    "sales.order",
    "sales.invoice",
    "sales.shipment",
    "sales.creditmemo",
):
    register_object_button(label, login_as_customer_button)
