from django.utils.functional import SimpleLazyObject

from shopassist.core.areas import STOREFRONT
from shopassist.customers.auth import customer_from_session


class CustomerMiddleware:
    """Attach ``request.customer`` (a Customer or None) to storefront requests, lazily."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.area == STOREFRONT:
            request.customer = SimpleLazyObject(lambda: customer_from_session(request))
        else:
            request.customer = None
        return self.get_response(request)
