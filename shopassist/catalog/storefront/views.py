"""Storefront catalog pages: home, category listing, product page, search."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from shopassist.catalog import selectors

PAGE_SIZE = 12


def _sort_choices():
    return [("position", _("Position")), ("name", _("Product Name")), ("price", _("Price"))]


def _page(request, products):
    paginator = Paginator(products, PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def home(request):
    store_view = request.store_view
    featured = selectors.products_for_storefront(
        selectors.visible_products().order_by("id")[:8], store_view
    )
    return render(
        request,
        "catalog/home.html",
        {"featured": featured, "categories": selectors.active_categories(store_view)},
    )


def category(request, code):
    store_view = request.store_view
    categories = selectors.active_categories(store_view)
    current = next((c for c in categories if c["code"] == code), None)
    if current is None:
        raise Http404(_("Category not found."))
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


def product(request, sku):
    found = selectors.visible_products().filter(sku=sku).values_list("pk", flat=True).first()
    view = (
        selectors.product_for_storefront(product_id=found, store_view=request.store_view)
        if found
        else None
    )
    if view is None:
        raise Http404(_("Product not found."))
    return render(request, "catalog/product.html", {"product": view})


def search(request):
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
