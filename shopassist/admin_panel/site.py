"""The admin panel: Django's admin with our navigation, ACL and extra pages."""

from functools import update_wrapper

from django.contrib import admin
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext_lazy as _

from shopassist.admin_panel import menu, refusals
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

    def admin_view(self, view, cacheable=False):
        """Django's wrapper (login + staff, CSRF, never cache), whose refusals are pages of the
        admin shell naming the missing resource (``admin_panel.refusals``)."""
        guarded = super().admin_view(view, cacheable)

        def refusals_in_shell(request, *args, **kwargs):
            try:
                return guarded(request, *args, **kwargs)
            except PermissionDenied as refusal:
                return refusals.refusal_response(request, refusal, view=view)

        # Metadata of the view itself (its acl_resource, csrf_exempt, __wrapped__ = the view).
        return update_wrapper(refusals_in_shell, view)

    def add_view(self, route: str, view, name: str):
        """Register an extra admin page (wrapped by admin_view: login + staff required)."""
        self._extra_urls.append((route, view, name))

    def get_urls(self):
        extra = [
            path(route, self.admin_view(view), name=name) for route, view, name in self._extra_urls
        ]
        view_on_site = self.admin_view(self.view_on_site)
        return extra + [
            path(str(url.pattern), view_on_site, name=url.name)
            if getattr(url, "name", None) == "view_on_site"
            else url
            for url in super().get_urls()
        ]

    def view_on_site(self, request, content_type_id, object_id):
        """Django's "view on site" redirect, for the models registered here only: another
        content type may have no table (the ACL's anchor model) and no page to show."""
        try:
            model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
        except (ValueError, ContentType.DoesNotExist):
            raise Http404 from None
        if model not in self._registry:
            raise Http404
        return contenttype_views.shortcut(request, content_type_id, object_id)

    def each_context(self, request):
        context = super().each_context(request)
        context["admin_menu"] = menu.menu_for(request.user) if self.has_permission(request) else []
        context["available_apps"] = []
        return context

    def get_app_list(self, request, app_label=None):
        return []


admin_site = ShopAdminSite()
