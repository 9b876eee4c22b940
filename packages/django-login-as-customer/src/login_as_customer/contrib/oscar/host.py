"""``OscarHost``: what a django-oscar shop answers differently from the default host."""

from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from login_as_customer.host import Host


class OscarHost(Host):
    storefront_template = "oscar/layout.html"  # its blocks title and content
    sign_out_url_names = ("customer:logout",)

    def landing_url(self, store_view) -> str:
        """The customer's account (``customer:summary``) unless ``LANDING_URL`` says otherwise."""
        landing = getattr(settings, "LOGIN_AS_CUSTOMER", {}).get("LANDING_URL", "customer:summary")
        return resolve_url(landing)

    def discard_guest_cart(self, request) -> None:
        """The browser's anonymous basket (its cookie) is dropped: Oscar's ``BasketMiddleware``
        would otherwise merge it into the customer's basket on the next page."""
        name = settings.OSCAR_BASKET_COOKIE_OPEN
        request.COOKIES.pop(name, None)
        to_delete = getattr(request, "cookies_to_delete", None)  # BasketMiddleware deletes them
        if to_delete is not None and name not in to_delete:
            to_delete.append(name)

    def end_customer_session(self, request) -> None:
        """Also replace the customer's basket this request may have loaded by an empty one:
        Oscar's middleware would otherwise give its cookie to the now anonymous browser."""
        super().end_customer_session(request)
        if hasattr(request, "basket"):
            from oscar.core.loading import get_model

            empty = get_model("basket", "Basket")()  # never saved: no cookie is set for it
            empty.strategy = request.strategy
            request.basket = empty

    def customer_admin_url(self, customer) -> str:
        """The customer's page in Oscar's dashboard."""
        return reverse("dashboard:user-detail", kwargs={"pk": customer.pk})
