"""Admin pages of Login as Customer (the customer admin's consent column and field: the host's
admin with ``admin_ui.customer_admin.ConsentAdminMixin``)."""

from django.utils.translation import gettext_lazy as _

from shopassist.admin_panel.menu import MenuEntry, add_entry
from shopassist.admin_panel.site import admin_site
from shopassist.login_as_customer.acl import MANAGE_SESSIONS, VIEW_LOG
from shopassist.login_as_customer.admin_ui import (  # noqa: F401
    buttons,
    log_views,
    views,
)
from shopassist.login_as_customer.config import feature_enabled

admin_site.add_view(
    "login_as_customer/<int:customer_id>/confirm/", views.confirm, "login_as_customer_confirm"
)
admin_site.add_view(
    "login_as_customer/<int:customer_id>/start/", views.start, "login_as_customer_start"
)
admin_site.add_view("login_as_customer/log/", log_views.session_log, "login_as_customer_log")
admin_site.add_view(
    "login_as_customer/log/<int:session_id>/",
    log_views.session_detail,
    "login_as_customer_log_detail",
)
admin_site.add_view(
    "login_as_customer/active/", log_views.active_sessions, "login_as_customer_active"
)
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
        _("Active sessions"),
        "admin:login_as_customer_active",
        MANAGE_SESSIONS,
        group=_("Login as Customer"),
        sort_order=40,
        visible=feature_enabled,
    ),
)
