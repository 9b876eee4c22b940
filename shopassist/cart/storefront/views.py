"""Storefront cart: view, add, update quantity, remove."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from shopassist.cart import selectors, services
from shopassist.cart.errors import CartErrorCode
from shopassist.core.actor import Actor
from shopassist.core.errors import DomainError
from shopassist.stores.urls import store_reverse


def _cart_url(request):
    return store_reverse("cart:cart", store_view=request.store_view)


def _back(request, fallback):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(fallback)


@never_cache
def cart(request):
    summary = selectors.cart_summary(selectors.cart_for_request(request), request.store_view)
    return render(request, "cart/cart.html", {"summary": summary})


@require_POST
def add(request):
    sku = request.POST.get("sku", "")
    try:
        services.add_item(
            cart=selectors.cart_for_request(request, create=True),
            sku=sku,
            qty=request.POST.get("qty", "1"),
            actor=Actor.for_request(request),
        )
    except DomainError as error:
        messages.error(request, error.message)
        return _back(request, _cart_url(request))
    messages.success(request, _("You added the product to your shopping cart."))
    return _back(request, _cart_url(request))


@require_POST
def update(request):
    cart_obj = selectors.cart_for_request(request)
    try:
        if cart_obj is None:
            raise DomainError(CartErrorCode.UNKNOWN_ITEM, _("Your shopping cart is empty."))
        services.update_item(
            cart=cart_obj,
            item_id=request.POST.get("item_id"),
            qty=request.POST.get("qty"),
            actor=Actor.for_request(request),
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You updated your shopping cart."))
    return HttpResponseRedirect(_cart_url(request))


@require_POST
def remove(request):
    cart_obj = selectors.cart_for_request(request)
    try:
        if cart_obj is None:
            raise DomainError(CartErrorCode.UNKNOWN_ITEM, _("Your shopping cart is empty."))
        services.remove_item(
            cart=cart_obj, item_id=request.POST.get("item_id"), actor=Actor.for_request(request)
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You removed the item from your shopping cart."))
    return HttpResponseRedirect(_cart_url(request))
