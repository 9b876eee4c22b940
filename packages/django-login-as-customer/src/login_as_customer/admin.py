"""Login as Customer in Django's admin, for a shop without an admin shell of its own.

The Login as Customer Log is the assisted sessions' change list (read-only); the confirmation
and the start, a session's actions, Active sessions and Terminate are URLs of the same
``ModelAdmin``, named in the ``admin:`` namespace as the feature's templates reverse them. A
customer's page gets the button with ``{% login_as_customer_button customer %}``
(``templatetags/login_as_customer.py``).

A host with an admin of its own wires the views there and sets
``LOGIN_AS_CUSTOMER["DJANGO_ADMIN"] = False`` (ShopAssist: ``lac_host/admin.py``).
"""

from django.conf import settings
from django.contrib import admin
from django.urls import path

from login_as_customer.admin_ui import log_views, views
from login_as_customer.admin_ui.dashboard.views import dashboard
from login_as_customer.models import AssistedSession
from login_as_customer.permissions import ALLOW, MANAGE_SESSIONS, VIEW_LOG, staff_may


class AssistedSessionAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "created_at",
        "admin_username",
        "customer_email",
        "store_view_code",
        "reason",
        "mode",
        "started_at",
        "ended_at",
        "end_reason",
    )
    list_filter = ("end_reason", "mode", "store_view_code", "created_at")
    search_fields = ("customer_email", "admin_username", "reason")
    ordering = ("-id",)
    list_per_page = 50

    def has_module_permission(self, request):
        user = request.user
        return any(staff_may(user, name) for name in (ALLOW, VIEW_LOG, MANAGE_SESSIONS))

    def has_view_permission(self, request, obj=None):
        return staff_may(request.user, VIEW_LOG)

    def has_add_permission(self, request):
        return False  # a session starts from a customer's page, never from a form

    def has_change_permission(self, request, obj=None):
        return False  # the record is what happened

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "customer/<int:customer_id>/confirm/",
                wrap(views.confirm),
                name="login_as_customer_confirm",
            ),
            path(
                "customer/<int:customer_id>/start/",
                wrap(views.start),
                name="login_as_customer_start",
            ),
            path("active/", wrap(log_views.active_sessions), name="login_as_customer_active"),
            path("dashboard/", wrap(dashboard), name="login_as_customer_dashboard"),
            path(
                "active/<int:session_id>/terminate/",
                wrap(log_views.terminate),
                name="login_as_customer_terminate",
            ),
            path(
                "<int:session_id>/actions/",
                wrap(log_views.session_detail),
                name="login_as_customer_log_detail",
            ),
            *super().get_urls(),
            path("", wrap(self.changelist_view), name="login_as_customer_log"),
        ]


if getattr(settings, "LOGIN_AS_CUSTOMER", {}).get("DJANGO_ADMIN", True):
    admin.site.register(AssistedSession, AssistedSessionAdmin)
