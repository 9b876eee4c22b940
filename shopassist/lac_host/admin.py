"""Customers › All Customers with the consent flag (column, filter, field)."""

from shopassist.admin_panel.site import admin_site
from shopassist.customers.admin import CustomerAdmin
from shopassist.customers.models import Customer
from shopassist.login_as_customer.admin_ui.customer_admin import ConsentAdminMixin


class AssistedCustomerAdmin(ConsentAdminMixin, CustomerAdmin):
    pass


admin_site.unregister(Customer)
admin_site.register(Customer, AssistedCustomerAdmin)
