"""Read the catalog as a store view sees it: texts resolved store view → default."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet

from shopassist.catalog.models import Category, CategoryText, Product, ProductText


@dataclass(frozen=True)
class ProductView:
    """A product with its texts for one store view."""

    id: int
    sku: str
    name: str
    description: str
    price: Decimal
    stock_qty: int
    image_url: str

    @property
    def in_stock(self) -> bool:
        return self.stock_qty > 0


def _text_for(texts, store_view_id):
    chosen = None
    for text in texts:
        if text.store_view_id == store_view_id:
            return text
        if text.store_view_id is None:
            chosen = text
    return chosen


def _with_texts(queryset: QuerySet, store_view) -> QuerySet:
    return queryset.prefetch_related(
        Prefetch(
            "texts",
            queryset=ProductText.objects.filter(
                Q(store_view__isnull=True) | Q(store_view=store_view)
            ),
        )
    )


def product_view(product: Product, store_view) -> ProductView:
    text = _text_for(product.texts.all(), store_view.pk)
    return ProductView(
        id=product.pk,
        sku=product.sku,
        name=text.name if text else product.sku,
        description=text.description if text else "",
        price=product.price,
        stock_qty=product.stock_qty,
        image_url=product.image.url if product.image else "",
    )


def visible_products() -> QuerySet:
    return Product.objects.filter(is_active=True)


def product_for_storefront(*, product_id: int, store_view) -> ProductView | None:
    product = _with_texts(visible_products().filter(pk=product_id), store_view).first()
    return product_view(product, store_view) if product else None


def products_for_storefront(queryset: QuerySet, store_view, sort: str = "position"):
    """ProductViews of a queryset, sorted; name sorting uses the store view's texts."""
    products = [product_view(p, store_view) for p in _with_texts(queryset, store_view)]
    if sort == "name":
        products.sort(key=lambda p: p.name.casefold())
    elif sort == "price":
        products.sort(key=lambda p: (p.price, p.id))
    elif sort == "-price":
        products.sort(key=lambda p: (-p.price, p.id))
    return products


def category_products(category: Category) -> QuerySet:
    return visible_products().filter(categories=category)


def search_products(*, query: str, store_view) -> QuerySet:
    query = query.strip()[:100]
    if not query:
        return visible_products().none()
    matching_texts = ProductText.objects.filter(
        Q(store_view__isnull=True) | Q(store_view=store_view)
    ).filter(Q(name__icontains=query) | Q(description__icontains=query))
    return visible_products().filter(
        Q(sku__iexact=query) | Q(pk__in=matching_texts.values("product_id"))
    )


def active_categories(store_view) -> list[dict]:
    categories = Category.objects.filter(is_active=True).prefetch_related(
        Prefetch(
            "texts",
            queryset=CategoryText.objects.filter(
                Q(store_view__isnull=True) | Q(store_view=store_view)
            ),
        )
    )
    result = []
    for category in categories:
        text = _text_for(category.texts.all(), store_view.pk)
        result.append(
            {
                "category": category,
                "code": category.code,
                "name": text.name if text else category.code,
                "description": text.description if text else "",
            }
        )
    return result
