"""My Account › My Orders: history, order view with storefront-visible comments, reorder."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from shopassist.cart import services as cart_services
from shopassist.cart.selectors import cart_for_request
from shopassist.core.actor import Actor
from shopassist.core.errors import DomainError
from shopassist.customers.storefront.views import customer_required
from shopassist.sales import selectors
from shopassist.stores.urls import store_reverse


@never_cache
@customer_required
def order_history(request):
    page = Paginator(selectors.customer_orders(request.customer), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "sales/order_history.html", {"page_obj": page})


@never_cache
@customer_required
def order_view(request, order_id):
    order = selectors.customer_order(request.customer, order_id)
    if order is None:
        raise Http404
    return render(
        request,
        "sales/order_view.html",
        {"order": order, "comments": order.comments.filter(is_visible_on_front=True)},
    )


@customer_required
@require_POST
def reorder(request, order_id):
    """Put the order's products back into the cart; report what could not be added."""
    order = selectors.customer_order(request.customer, order_id)
    if order is None:
        raise Http404
    cart = cart_for_request(request, create=True)
    actor = Actor.for_request(request)
    added = 0
    for item in order.items.all():
        try:
            cart_services.add_item(cart=cart, sku=item.sku, qty=item.qty_ordered, actor=actor)
            added += 1
        except DomainError as error:
            messages.error(request, f"{item.name}: {error.message}")
    if added:
        messages.success(request, _("The order's products are in your shopping cart."))
    return HttpResponseRedirect(store_reverse("cart:cart", store_view=request.store_view))
