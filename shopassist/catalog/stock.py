"""Stock changes: the one place that moves ``Product.stock_qty`` outside the admin, and tells
the page cache (through the product's cache tags) when the transaction commits."""

from django.db.models import F

from shopassist.catalog import cache_tags
from shopassist.catalog.models import Product


def take(product_id: int, qty: int) -> bool:
    """Take ``qty`` units if that many are in stock (one conditional UPDATE: of two buyers of
    the last unit exactly one succeeds); False, and nothing changed, otherwise."""
    taken = Product.objects.filter(pk=product_id, stock_qty__gte=qty).update(
        stock_qty=F("stock_qty") - qty
    )
    if taken:
        cache_tags.products_changed([product_id])
    return bool(taken)


def give_back(product_id: int, qty: int) -> None:
    Product.objects.filter(pk=product_id).update(stock_qty=F("stock_qty") + qty)
    cache_tags.products_changed([product_id])
