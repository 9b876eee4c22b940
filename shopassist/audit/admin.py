from django.utils.translation import gettext_lazy as _

from shopassist.admin_panel.menu import MenuEntry, add_entry
from shopassist.admin_panel.site import admin_site
from shopassist.audit import views
from shopassist.audit.acl import ACTION_LOG_REPORT

admin_site.add_view("action-log/report/", views.report, "audit_report")
add_entry(
    "system",
    MenuEntry(_("Report"), "admin:audit_report", ACTION_LOG_REPORT, _("Action Log"), 50),
)
