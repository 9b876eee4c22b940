"""Cache tags of the catalog, and the changes that give them new versions.

* ``catalog`` — categories, their names and which products they hold: the category menu is on
  every storefront page, so every cached page depends on it.
* ``products`` — any product at all (home page and search results show any of them).
* ``product:<id>`` — one product: its page.
* ``category:<id>`` — the products listed in one category (price, stock, names, sort order).

Saves through the ORM (admin, demo loader) are seen by the model signals below; stock moved with
``QuerySet.update`` goes through ``catalog.stock``, which calls :func:`products_changed`.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from shopassist.catalog.models import Category, CategoryText, Product, ProductText
from shopassist.core import cache_tags

CATALOG = "catalog"
PRODUCTS = "products"


def product(product_id: int) -> str:
    return f"product:{product_id}"


def category(category_id: int) -> str:
    return f"category:{category_id}"


def products_changed(product_ids) -> None:
    """Price, stock, texts or state of these products changed (in the current transaction)."""
    product_ids = set(product_ids)
    if not product_ids:
        return
    category_ids = Product.categories.through.objects.filter(
        product_id__in=product_ids
    ).values_list("category_id", flat=True)
    cache_tags.bump(
        PRODUCTS,
        *(product(pk) for pk in product_ids),
        *(category(pk) for pk in set(category_ids)),
    )


@receiver(post_save, sender=Product)
@receiver(pre_delete, sender=Product)  # before its category links are gone
def _product_saved(sender, instance, **kwargs):
    products_changed([instance.pk])


@receiver(post_save, sender=ProductText)
@receiver(post_delete, sender=ProductText)
def _product_text_saved(sender, instance, **kwargs):
    products_changed([instance.product_id])


@receiver(post_save, sender=Category)
@receiver(post_delete, sender=Category)
@receiver(post_save, sender=CategoryText)
@receiver(post_delete, sender=CategoryText)
@receiver(m2m_changed, sender=Product.categories.through)
def _catalog_changed(sender, **kwargs):
    cache_tags.bump(CATALOG)
