"""An order is placed in the store view it is checked out in — the one whose prices, product
names and method titles the checkout page showed — not the one the customer's cart was first
filled in: the total charged is the total shown (storefront and API)."""

from decimal import Decimal

import pytest
from django.test import Client

from shopassist.checkout.config import FLATRATE_PRICE
from shopassist.core.config import Scope
from shopassist.customers.config import ACCOUNT_SHARE_SCOPE, SHARE_GLOBAL
from shopassist.sales.models import Order
from tests.commerce import fill_cart
from tests.conftest import add_outlet_website, login_customer_client

pytestmark = pytest.mark.django_db

METHODS = {"shipping_method": "flatrate_flatrate", "payment_method": "checkmo"}


@pytest.fixture
def outlet(demo, set_config, django_capture_on_commit_callbacks):
    """A second website whose flat rate is 20.00, and accounts shared by every website."""
    with django_capture_on_commit_callbacks(execute=True):
        view = add_outlet_website()
    set_config({ACCOUNT_SHARE_SCOPE: SHARE_GLOBAL})
    set_config({FLATRATE_PRICE: "20.00"}, scope=Scope.WEBSITE, scope_id=view.store.website_id)
    return view


def test_the_order_is_placed_in_the_store_view_of_the_checkout(jane, outlet):
    cart = fill_cart(jane, {"SA-BAG-001": 1})  # filled in Jane's own store view, English
    assert cart.store_view.code == "en"
    browser = login_customer_client(Client(), jane, store_code="outlet")

    page = browser.get("/outlet/checkout/")
    response = browser.post(
        "/outlet/checkout/", {"address_choice": str(jane.addresses.get().pk), **METHODS}
    )

    assert page.context["shipping_price"] == Decimal("20.00")
    assert response.status_code == 302
    order = Order.objects.latest("pk")
    assert order.store_view == outlet
    assert order.shipping_amount == Decimal("20.00")
    assert order.grand_total == page.context["grand_total"]


def test_an_order_checked_out_in_french_is_a_french_store_views_order(jane, fr):
    fill_cart(jane, {"SA-BAG-001": 1})  # English
    browser = login_customer_client(Client(), jane, store_code="fr")

    browser.post("/fr/checkout/", {"address_choice": str(jane.addresses.get().pk), **METHODS})

    order = Order.objects.latest("pk")
    assert order.store_view == fr
    assert order.shipping_description == "Forfait"  # its titles in its store view's language
