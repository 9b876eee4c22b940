from django.utils.functional import SimpleLazyObject

from shopassist.cart.selectors import item_count_for_request


def mini_cart(request):
    if getattr(request, "store_view", None) is None:
        return {}
    return {"cart_count": SimpleLazyObject(lambda: item_count_for_request(request))}
