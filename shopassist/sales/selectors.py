from shopassist.sales.models import Order


def customer_orders(customer):
    return Order.objects.filter(customer=customer).select_related("store_view")


def customer_order(customer, order_id) -> Order | None:
    return (
        customer_orders(customer)
        .prefetch_related("items", "invoices", "shipments", "creditmemos")
        .filter(pk=order_id)
        .first()
    )
