"""Login as Customer in ShopAssist's admin panel: its pages and menu entries, the button on
customer and sales pages, and Customers › All Customers with the consent column, filter and
field (``ConsentAdminMixin``)."""

from django.utils.translation import gettext_lazy as _

from login_as_customer.admin_ui import log_views, views
from login_as_customer.admin_ui.buttons import login_as_customer_button
from login_as_customer.admin_ui.customer_admin import ConsentAdminMixin
from login_as_customer.admin_ui.dashboard.views import dashboard
from login_as_customer.config import feature_enabled
from shopassist.admin_panel.buttons import register_object_button
from shopassist.admin_panel.menu import MenuEntry, add_entry
from shopassist.admin_panel.site import admin_site
from shopassist.customers.admin import CustomerAdmin
from shopassist.customers.models import Customer
from shopassist.lac_host import log_page
from shopassist.lac_host.acl import MANAGE_SESSIONS, VIEW_LOG


class AssistedCustomerAdmin(ConsentAdminMixin, CustomerAdmin):
    pass


admin_site.unregister(Customer)
admin_site.register(Customer, AssistedCustomerAdmin)


def _customer_of(obj):
    if obj._meta.label_lower == "customers.customer":
        return obj
    order = obj if obj._meta.label_lower == "sales.order" else obj.order
    return order.customer  # None for guest orders: no button


def _button(request, obj):
    customer = _customer_of(obj)
    return None if customer is None else login_as_customer_button(request, customer)


for label in (
    "customers.customer",
    "sales.order",
    "sales.invoice",
    "sales.shipment",
    "sales.creditmemo",
):
    register_object_button(label, _button)

admin_site.add_view(
    "login_as_customer/<int:customer_id>/confirm/", views.confirm, "login_as_customer_confirm"
)
admin_site.add_view(
    "login_as_customer/<int:customer_id>/start/", views.start, "login_as_customer_start"
)
admin_site.add_view("login_as_customer/log/", log_page.session_log, "login_as_customer_log")
admin_site.add_view(
    "login_as_customer/log/<int:session_id>/",
    log_views.session_detail,
    "login_as_customer_log_detail",
)
admin_site.add_view(
    "login_as_customer/active/", log_views.active_sessions, "login_as_customer_active"
)
admin_site.add_view("login_as_customer/dashboard/", dashboard, "login_as_customer_dashboard")
admin_site.add_view(
    "login_as_customer/active/<int:session_id>/terminate/",
    log_views.terminate,
    "login_as_customer_terminate",
)

add_entry(
    "customers",
    MenuEntry(
        _("Login as Customer Log"),
        "admin:login_as_customer_log",
        VIEW_LOG,
        sort_order=30,
        visible=feature_enabled,
    ),
)
add_entry(
    "customers",
    MenuEntry(
        _("Dashboard"),
        "admin:login_as_customer_dashboard",
        VIEW_LOG,
        group=_("Login as Customer"),
        sort_order=35,
        visible=feature_enabled,
    ),
)
add_entry(
    "customers",
    MenuEntry(
        _("Active sessions"),
        "admin:login_as_customer_active",
        MANAGE_SESSIONS,
        group=_("Login as Customer"),
        sort_order=40,
        visible=feature_enabled,
    ),
)
