"""Pages of the admin shell itself: Stores › Settings › Configuration."""

from shopassist.admin_panel import config_views
from shopassist.admin_panel.menu import MenuEntry, add_entry
from shopassist.admin_panel.site import admin_site
from shopassist.stores.acl import CONFIGURATION

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
