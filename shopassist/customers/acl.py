from django.utils.translation import gettext_lazy as _

from shopassist.core.acl import Resource, extend_branch, register_branch

CUSTOMERS = "customers"
ALL_CUSTOMERS = "customers.manage"
CUSTOMER_ACTIONS = "customers.manage.actions"
CONFIG_CUSTOMER = "stores.settings.config.customer"

register_branch(
    Resource(
        CUSTOMERS,
        _("Customers"),
        sort_order=10,
        children=(
            Resource(
                ALL_CUSTOMERS,
                _("All Customers"),
                children=(Resource(CUSTOMER_ACTIONS, _("Actions")),),
            ),
        ),
    )
)
extend_branch(
    "stores.settings.config", Resource(CONFIG_CUSTOMER, _("Customer Configuration Section"))
)
