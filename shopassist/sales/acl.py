from django.utils.translation import gettext_lazy as _

from shopassist.core.acl import Resource, register_branch

SALES = "sales"
OPERATIONS = "sales.operations"
ORDERS = "sales.operations.orders"
ORDER_INVOICE = "sales.operations.orders.invoice"
ORDER_SHIP = "sales.operations.orders.ship"
ORDER_CREDITMEMO = "sales.operations.orders.creditmemo"
ORDER_COMMENT = "sales.operations.orders.comment"
INVOICES = "sales.operations.invoices"
SHIPMENTS = "sales.operations.shipments"
CREDITMEMOS = "sales.operations.creditmemos"

register_branch(
    Resource(
        SALES,
        _("Sales"),
        sort_order=20,
        children=(
            Resource(
                OPERATIONS,
                _("Operations"),
                children=(
                    Resource(
                        ORDERS,
                        _("Orders"),
                        children=(
                            Resource(ORDER_INVOICE, _("Invoice")),
                            Resource(ORDER_SHIP, _("Ship")),
                            Resource(ORDER_CREDITMEMO, _("Credit Memos")),
                            Resource(ORDER_COMMENT, _("Comment")),
                        ),
                    ),
                    Resource(INVOICES, _("Invoices")),
                    Resource(SHIPMENTS, _("Shipments")),
                    Resource(CREDITMEMOS, _("Credit Memos")),
                ),
            ),
        ),
    )
)
