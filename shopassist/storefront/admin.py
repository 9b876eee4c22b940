from django.utils.translation import gettext_lazy as _

from shopassist.admin_panel.menu import MenuEntry, add_entry
from shopassist.admin_panel.site import admin_site
from shopassist.storefront import admin_views
from shopassist.storefront.acl import CACHE_MANAGEMENT

admin_site.add_view("cache/", admin_views.cache_management, "cache_management")
admin_site.add_view("cache/flush-pages/", admin_views.flush_page_cache, "cache_flush_pages")
add_entry(
    "system",
    MenuEntry(_("Cache Management"), "admin:cache_management", CACHE_MANAGEMENT, _("Tools"), 60),
)
