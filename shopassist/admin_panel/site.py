"""The admin panel: Django's admin with our navigation, ACL and extra pages."""

from django.contrib import admin
from django.urls import path
from django.utils.translation import gettext_lazy as _

from shopassist.admin_panel import menu
from shopassist.core import throttles


class ShopAdminSite(admin.AdminSite):
    site_header = _("ShopAssist Admin")
    site_title = _("ShopAssist Admin")
    index_title = _("Dashboard")
    enable_nav_sidebar = True

    def __init__(self):
        super().__init__(name="admin")
        self._extra_urls = []

    def has_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def login(self, request, extra_context=None):
        """Django's login page, throttled per client address like the storefront's sign-in
        (the per-account lockout is axes' backend, see ``admin_panel/lockout.py``)."""
        if request.method == "POST" and throttles.over_limit(request, throttles.SIGN_IN):
            from shopassist.admin_panel.lockout import throttled_response

            return throttled_response(request)
        return super().login(request, extra_context)

    def add_view(self, route: str, view, name: str):
        """Register an extra admin page (wrapped by admin_view: login + staff required)."""
        self._extra_urls.append((route, view, name))

    def get_urls(self):
        extra = [
            path(route, self.admin_view(view), name=name) for route, view, name in self._extra_urls
        ]
        return extra + super().get_urls()

    def each_context(self, request):
        context = super().each_context(request)
        context["admin_menu"] = menu.menu_for(request.user) if self.has_permission(request) else []
        context["available_apps"] = []
        return context

    def get_app_list(self, request, app_label=None):
        return []


admin_site = ShopAdminSite()
