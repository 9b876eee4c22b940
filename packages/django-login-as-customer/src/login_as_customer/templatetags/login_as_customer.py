"""``{% load login_as_customer %}{% login_as_customer_button customer %}``: the Login as Customer
button and its confirmation dialog on any admin or dashboard page of a customer — nothing when
the feature is off or the administrator may not use it; and ``lac_store_view_name``."""

from django import template

from login_as_customer.admin_ui import buttons
from login_as_customer.host import host

register = template.Library()


@register.simple_tag(takes_context=True)
def login_as_customer_button(context, customer):
    request = context["request"]
    if customer is None:
        return ""
    # A template's output, already a safe string: every value in it was escaped there.
    return buttons.login_as_customer_button(request, customer) or ""


@register.filter
def lac_store_view_name(code):
    """``{{ session.store_view_code|lac_store_view_name }}``: the name a person knows the store
    view by; the code itself when no store view has it any more (records keep codes)."""
    if not code:
        return ""
    return host().store_view_names().get(code, code)
