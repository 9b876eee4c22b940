"""Stores › Settings › All Stores, and Stores › Settings › Configuration (``config_views``)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from shopassist.admin_panel.menu import MenuEntry, add_entry
from shopassist.admin_panel.resource_admin import ResourceModelAdmin, ResourceTabularInline
from shopassist.admin_panel.site import admin_site
from shopassist.stores import config_views
from shopassist.stores.acl import ALL_STORES, CONFIGURATION
from shopassist.stores.models import Store, StoreView, Website


class StoreViewInline(ResourceTabularInline):
    acl_resource = ALL_STORES
    model = StoreView
    extra = 0
    fields = ("code", "name", "locale", "sort_order", "is_active")


class StoreInline(ResourceTabularInline):
    acl_resource = ALL_STORES
    model = Store
    extra = 0
    fields = ("name", "default_store_view")
    show_change_link = True


@admin.register(Website, site=admin_site)
class WebsiteAdmin(ResourceModelAdmin):
    acl_resource = ALL_STORES
    list_display = ("name", "code", "is_default", "sort_order")
    inlines = [StoreInline]


@admin.register(Store, site=admin_site)
class StoreAdmin(ResourceModelAdmin):
    acl_resource = ALL_STORES
    list_display = ("name", "website")
    list_select_related = ("website",)
    inlines = [StoreViewInline]


@admin.register(StoreView, site=admin_site)
class StoreViewAdmin(ResourceModelAdmin):
    acl_resource = ALL_STORES
    list_display = ("name", "code", "store", "website_name", "locale", "sort_order", "is_active")
    list_select_related = ("store__website",)
    list_filter = ("is_active", "locale", "store__website")
    ordering = ("store__website__sort_order", "sort_order")

    @admin.display(description=_("Website"))
    def website_name(self, obj):
        return obj.store.website.name


add_entry(
    "stores",
    MenuEntry(_("All Stores"), "admin:stores_storeview_changelist", ALL_STORES, _("Settings"), 10),
)


admin_site.add_view("config/", config_views.config_index, "config_index")
admin_site.add_view("config/<slug:section_id>/", config_views.config_edit, "config_edit")
add_entry(
    "stores",
    MenuEntry(
        title=config_views.MENU_TITLE,
        url_name="admin:config_index",
        resource=CONFIGURATION,
        group=config_views.MENU_GROUP,
        sort_order=20,
    ),
)
