"""Catalog › Products and Categories."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from shopassist.admin_panel.menu import MenuEntry, add_entry
from shopassist.admin_panel.resource_admin import ResourceModelAdmin, ResourceTabularInline
from shopassist.admin_panel.site import admin_site
from shopassist.catalog.acl import CATEGORIES, PRODUCTS
from shopassist.catalog.models import Category, CategoryText, Product, ProductText


class ProductTextInline(ResourceTabularInline):
    acl_resource = PRODUCTS
    model = ProductText
    extra = 0
    fields = ("store_view", "name", "description")


class CategoryTextInline(ResourceTabularInline):
    acl_resource = CATEGORIES
    model = CategoryText
    extra = 0
    fields = ("store_view", "name", "description")


@admin.register(Product, site=admin_site)
class ProductAdmin(ResourceModelAdmin):
    acl_resource = PRODUCTS
    list_display = ("id", "sku", "default_name", "price", "stock_qty", "is_active")
    list_display_links = ("id", "sku")
    list_filter = ("is_active", "categories")
    search_fields = ("sku", "texts__name")
    list_editable = ("price", "stock_qty", "is_active")
    filter_horizontal = ("categories",)
    fields = ("sku", "price", "stock_qty", "is_active", "categories", "image")
    inlines = [ProductTextInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("texts")

    @admin.display(description=_("Name"))
    def default_name(self, obj):
        text = next((t for t in obj.texts.all() if t.store_view_id is None), None)
        return text.name if text else ""


@admin.register(Category, site=admin_site)
class CategoryAdmin(ResourceModelAdmin):
    acl_resource = CATEGORIES
    list_display = ("code", "__str__", "position", "is_active")
    list_editable = ("position", "is_active")
    inlines = [CategoryTextInline]


add_entry("catalog", MenuEntry(_("Products"), "admin:catalog_product_changelist", PRODUCTS, "", 10))
add_entry(
    "catalog", MenuEntry(_("Categories"), "admin:catalog_category_changelist", CATEGORIES, "", 20)
)
