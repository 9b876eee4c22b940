"""Admin pages of Login as Customer, and its additions to Customers › All Customers."""

from shopassist.admin_panel.site import admin_site
from shopassist.login_as_customer.admin_ui import buttons, customer_admin, views  # noqa: F401

admin_site.add_view(
    "login_as_customer/<int:customer_id>/confirm/", views.confirm, "login_as_customer_confirm"
)
admin_site.add_view(
    "login_as_customer/<int:customer_id>/start/", views.start, "login_as_customer_start"
)
