from django.utils.functional import SimpleLazyObject

from shopassist.cart.selectors import cart_for_request, cart_item_count


def mini_cart(request):
    if getattr(request, "store_view", None) is None:
        return {}
    return {"cart_count": SimpleLazyObject(lambda: cart_item_count(cart_for_request(request)))}
