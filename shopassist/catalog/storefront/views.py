"""Storefront catalog pages: home, category listing, product page, search."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from shopassist.catalog import cache_tags, selectors
from shopassist.core.cache_tags import depends_on
from shopassist.storefront.page_cache import cached_page, one_of, page_number

PAGE_SIZE = 12
SORTS = ("position", "name", "price")


def _sort_choices():
    labels = {"position": _("Position"), "name": _("Product Name"), "price": _("Price")}
    return [(sort, labels[sort]) for sort in SORTS]


def _page(request, products):
    paginator = Paginator(products, PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


@cached_page()
def home(request):
    store_view = request.store_view
    depends_on(request, cache_tags.CATALOG, cache_tags.PRODUCTS)
    featured = selectors.products_for_storefront(
        selectors.visible_products().order_by("id")[:8], store_view
    )
    return render(
        request,
        "catalog/home.html",
        {"featured": featured, "categories": selectors.active_categories(store_view)},
    )


@cached_page(params={"page": page_number, "sort": one_of(*SORTS)})
def category(request, code):
    store_view = request.store_view
    depends_on(request, cache_tags.CATALOG)
    categories = selectors.active_categories(store_view)
    current = next((c for c in categories if c["code"] == code), None)
    if current is None:
        raise Http404(_("Category not found."))
    depends_on(request, cache_tags.category(current["category"].pk))
    sort = request.GET.get("sort", "position")
    if sort not in dict(_sort_choices()):
        sort = "position"
    products = selectors.products_for_storefront(
        selectors.category_products(current["category"]), store_view, sort=sort
    )
    return render(
        request,
        "catalog/category.html",
        {
            "current": current,
            "categories": categories,
            "page_obj": _page(request, products),
            "sort": sort,
            "sort_choices": _sort_choices(),
        },
    )


@cached_page()
def product(request, sku):
    found = selectors.visible_products().filter(sku=sku).values_list("pk", flat=True).first()
    if found:
        depends_on(request, cache_tags.product(found))
    view = (
        selectors.product_for_storefront(product_id=found, store_view=request.store_view)
        if found
        else None
    )
    if view is None:
        raise Http404(_("Product not found."))
    return render(request, "catalog/product.html", {"product": view})


@cached_page(
    params={"q": lambda q: len(q) <= 100, "page": page_number},
    timeout=settings.PAGE_CACHE_SEARCH_TIMEOUT,
)
def search(request):
    depends_on(request, cache_tags.PRODUCTS)
    query = request.GET.get("q", "")[:100]
    products = selectors.products_for_storefront(
        selectors.search_products(query=query, store_view=request.store_view),
        request.store_view,
    )
    return render(
        request,
        "catalog/search.html",
        {"query": query, "page_obj": _page(request, products), "count": len(products)},
    )
