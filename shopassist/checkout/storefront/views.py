"""Checkout: shipping address, flat-rate shipping, Check / Money order, review, place order."""

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from shopassist.cart.selectors import cart_for_request, cart_summary, ordered_or_active_guest_cart
from shopassist.checkout import services
from shopassist.checkout.config import CHECKMO_TITLE, FLATRATE_TITLE, method_title
from shopassist.checkout.errors import CheckoutErrorCode
from shopassist.checkout.storefront.forms import NEW_ADDRESS, CheckoutForm, new_placement_key
from shopassist.core.actor import Actor
from shopassist.core.errors import DomainError
from shopassist.sales.models import Order
from shopassist.stores.urls import store_reverse

LAST_ORDER_SESSION_KEY = "_last_order_id"


@never_cache
@require_http_methods(["GET", "POST"])
def checkout(request):
    store_view = request.store_view
    cart = cart_for_request(request)
    summary = cart_summary(cart, store_view)
    # A second submit of a page whose order is placed finds the cart ordered: it goes on, to
    # be answered with that order (the page's one-time key, checkout.idempotency).
    resubmitted = request.method == "POST" and bool(request.POST.get("placement_key"))
    if summary.is_empty and not resubmitted:
        return _cart_is_empty(request)
    customer = request.customer or None
    addresses = list(customer.addresses.all()) if customer else []
    default = next(
        (a for a in addresses if a.is_default_shipping), addresses[0] if addresses else None
    )
    data = request.POST.copy() if request.POST else None
    if data is not None and not data.get("placement_key"):
        data["placement_key"] = new_placement_key()  # so the page shown again carries one
    form = CheckoutForm(
        data,
        customer=customer,
        addresses=addresses,
        initial={
            "address_choice": str(default.pk) if default else NEW_ADDRESS,
            "country": "US",
            "placement_key": new_placement_key(),
        },
    )
    if request.method == "POST" and form.is_valid():
        chosen = form.selected_address()
        data = form.cleaned_data
        address = services.ShippingAddress(
            first_name=chosen.first_name if chosen else data["first_name"],
            last_name=chosen.last_name if chosen else data["last_name"],
            street=chosen.street if chosen else data["street"],
            city=chosen.city if chosen else data["city"],
            postcode=chosen.postcode if chosen else data["postcode"],
            country=chosen.country if chosen else data["country"],
            telephone=chosen.telephone if chosen else data["telephone"],
        )
        try:
            order = services.place_order(
                # A guest's ordered cart still owns the page's key; a customer owns it.
                cart=cart or (None if customer else ordered_or_active_guest_cart(request.session)),
                email=customer.email if customer else data["email"],
                address=address,
                actor=Actor.for_request(request),
                # The page's radios; the service refuses a method it does not offer.
                shipping_method=request.POST.get("shipping_method") or services.SHIPPING_FLATRATE,
                payment_method=request.POST.get("payment_method") or services.PAYMENT_CHECKMO,
                idempotency_key=data["placement_key"],
                store_view=store_view,  # the prices and titles this page showed
            )
        except DomainError as error:
            if error.code == CheckoutErrorCode.EMPTY_CART:
                return _cart_is_empty(request)
            form.add_error(None, error.message)
        else:
            request.session[LAST_ORDER_SESSION_KEY] = order.pk
            return HttpResponseRedirect(store_reverse("checkout:success", store_view=store_view))
    if summary.is_empty:  # a resubmitted page whose key placed nothing
        return _cart_is_empty(request)
    shipping = services.shipping_price(store_view)
    return render(
        request,
        "checkout/checkout.html",
        {
            "form": form,
            "summary": summary,
            "shipping_price": shipping,
            "grand_total": summary.subtotal + shipping,
            "shipping_title": method_title(FLATRATE_TITLE, store_view),
            "payment_title": method_title(CHECKMO_TITLE, store_view),
            "has_addresses": bool(addresses),
        },
    )


def _cart_is_empty(request):
    messages.info(request, _("Your shopping cart is empty."))
    return HttpResponseRedirect(store_reverse("cart:cart", store_view=request.store_view))


@never_cache
def success(request):
    order_id = request.session.get(LAST_ORDER_SESSION_KEY)
    order = Order.objects.filter(pk=order_id).first() if order_id else None
    # Only to whoever placed it: a guest's order is not shown to a customer who signs in
    # afterwards in the same browser (the sign-in keeps the session's data).
    customer = getattr(request, "customer", None) or None
    if order is None or order.customer_id != (customer.pk if customer else None):
        raise Http404
    return render(request, "checkout/success.html", {"order": order})
