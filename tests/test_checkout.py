"""Checkout: place an order as a customer or a guest; totals, flat-rate shipping, stock;
bad input refused with nothing changed; the order_placed extension point; the staff actor."""

from decimal import Decimal

import pytest
from django.test import Client

from shopassist.cart.models import Cart
from shopassist.cart.selectors import customer_cart
from shopassist.catalog.models import Product
from shopassist.checkout.config import FLATRATE_PRICE
from shopassist.checkout.errors import CheckoutErrorCode
from shopassist.checkout.services import ShippingAddress, place_order, shipping_price
from shopassist.core.actor import Actor
from shopassist.core.config import Scope
from shopassist.core.config.services import ConfigValidationError
from shopassist.core.errors import DomainError
from shopassist.sales.models import Order, OrderStatus
from shopassist.sales.signals import order_placed
from tests.commerce import (
    SignalRecorder,
    address_of,
    atomic_depth,
    cart_lines,
    commerce_snapshot,
    connected,
    fill_cart,
    messages_of,
    stock_of,
)
from tests.conftest import login_customer_client

CHECKOUT_URL = "/en/checkout/"
SUCCESS_URL = "/en/checkout/onepage/success/"
CART_URL = "/en/checkout/cart/"
METHODS = {"shipping_method": "flatrate_flatrate", "payment_method": "checkmo"}
GUEST = {
    "email": "Gina.Guest@Example.com",
    "first_name": "Gina",
    "last_name": "Guest",
    "street": "5 Market Square",
    "city": "Springfield",
    "postcode": "12345",
    "country": "US",
    "telephone": "+1 555 0199",
    **METHODS,
}
ADDRESS = ShippingAddress(
    first_name="Gina",
    last_name="Guest",
    street="5 Market Square",
    city="Springfield",
    postcode="12345",
    country="US",
)
REQUIRED = "This is a required field."


@pytest.fixture
def jane_client(jane):
    return login_customer_client(Client(), jane)


@pytest.fixture
def jane_cart(jane):
    return fill_cart(jane, {"SA-BAG-001": 2, "SA-APP-002": 1})


@pytest.fixture
def guest_client(demo):
    client = Client()
    client.post("/en/checkout/cart/add/", {"sku": "SA-BAG-001", "qty": "2"})
    client.post("/en/checkout/cart/add/", {"sku": "SA-APP-002", "qty": "1"})
    return client


def guest_cart():
    return Cart.objects.filter(customer__isnull=True, is_active=True).latest("pk")


def price_of(sku) -> Decimal:
    return Product.objects.get(sku=sku).price


def form_errors(response) -> dict[str, list[str]]:
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


# --- placing orders through the storefront -----------------------------------------------------


def test_customer_places_an_order_with_an_address_book_address(jane_client, jane, jane_cart):
    address = jane.addresses.get()
    stock = {sku: stock_of(sku) for sku in ("SA-BAG-001", "SA-APP-002")}
    page = jane_client.get(CHECKOUT_URL)
    assert page.status_code == 200
    assert b"Place Order" in page.content
    assert b'name="email"' not in page.content  # a customer's order goes to the account e-mail

    response = jane_client.post(CHECKOUT_URL, {"address_choice": str(address.pk), **METHODS})

    assert response.status_code == 302
    assert response["Location"] == SUCCESS_URL
    order = Order.objects.latest("pk")
    assert (order.customer, order.customer_email) == (jane, "jane.doe@example.com")
    assert (order.customer_first_name, order.customer_last_name) == ("Jane", "Doe")
    assert (order.ship_street, order.ship_city, order.ship_postcode, order.ship_country) == (
        "100 Main Street",
        "Springfield",
        "12345",
        "US",
    )
    assert order.store_view == jane.created_in
    assert order.status == OrderStatus.PENDING
    assert (order.shipping_method, order.payment_method) == ("flatrate_flatrate", "checkmo")
    bag, shirt = price_of("SA-BAG-001"), price_of("SA-APP-002")
    assert list(order.items.values_list("sku", "name", "price", "qty_ordered", "row_total")) == [
        ("SA-BAG-001", "Canvas Weekender Bag", bag, 2, 2 * bag),
        ("SA-APP-002", "Organic Cotton T-Shirt", shirt, 1, shirt),
    ]
    subtotal = 2 * bag + shirt
    assert order.subtotal == subtotal
    assert order.shipping_amount == Decimal("5.00")
    assert order.grand_total == subtotal + Decimal("5.00")
    assert (order.total_paid, order.total_refunded) == (Decimal("0.00"), Decimal("0.00"))
    assert stock_of("SA-BAG-001") == stock["SA-BAG-001"] - 2
    assert stock_of("SA-APP-002") == stock["SA-APP-002"] - 1
    jane_cart.refresh_from_db()
    assert not jane_cart.is_active
    assert customer_cart(jane, jane.created_in) is None
    assert (order.placed_by, order.placed_by_username) == (None, "")

    success = jane_client.get(SUCCESS_URL)
    assert success.status_code == 200
    assert f'data-testid="order-number">{order.increment_id}<'.encode() in success.content
    assert b'data-testid="minicart-count">0<' in success.content


def test_customer_places_an_order_with_a_new_address(jane_client, jane, jane_cart):
    response = jane_client.post(
        CHECKOUT_URL,
        {
            "address_choice": "new",
            "first_name": "Jane",
            "last_name": "Doe",
            "street": "7 Elm Road",
            "city": "Shelbyville",
            "postcode": "54321",
            "country": "us",
            **METHODS,
        },
    )

    assert response["Location"] == SUCCESS_URL
    order = Order.objects.latest("pk")
    assert (order.ship_street, order.ship_city, order.ship_country) == (
        "7 Elm Road",
        "Shelbyville",
        "US",
    )
    assert order.customer_email == jane.email


def test_guest_places_an_order_with_a_new_address_and_email(guest_client):
    cart = guest_cart()
    stock = stock_of("SA-BAG-001")
    page = guest_client.get(CHECKOUT_URL)
    assert b'name="email"' in page.content
    assert b'name="address_choice"' not in page.content

    response = guest_client.post(CHECKOUT_URL, GUEST)

    assert response["Location"] == SUCCESS_URL
    order = Order.objects.latest("pk")
    assert order.is_guest
    assert order.customer_email == "gina.guest@example.com"
    assert (order.customer_first_name, order.customer_last_name) == ("Gina", "Guest")
    assert order.ship_telephone == "+1 555 0199"
    assert order.items.count() == 2
    assert order.grand_total == order.subtotal + Decimal("5.00")
    assert stock_of("SA-BAG-001") == stock - 2
    cart.refresh_from_db()
    assert not cart.is_active

    success = guest_client.get(SUCCESS_URL)
    assert f'data-testid="order-number">{order.increment_id}<'.encode() in success.content


def test_flat_rate_price_is_configurable_per_website(jane_client, jane, jane_cart, set_config, en):
    set_config({FLATRATE_PRICE: "7.50"}, scope=Scope.WEBSITE, scope_id=en.store.website_id)

    page = jane_client.get(CHECKOUT_URL)
    assert b"$7.50" in page.content
    jane_client.post(CHECKOUT_URL, {"address_choice": str(jane.addresses.get().pk), **METHODS})

    order = Order.objects.latest("pk")
    assert order.shipping_amount == Decimal("7.50")
    assert order.grand_total == order.subtotal + Decimal("7.50")


@pytest.mark.parametrize("raw", ["NaN", "-1", "abc", "100000.01", ""])
def test_flat_rate_price_refuses_invalid_amounts(set_config, en, raw):
    with pytest.raises(ConfigValidationError) as error:
        set_config({FLATRATE_PRICE: raw}, scope=Scope.WEBSITE, scope_id=en.store.website_id)

    assert FLATRATE_PRICE in error.value.errors
    assert shipping_price(en) == Decimal("5.00")


def test_flat_rate_defaults_to_five(jane, jane_cart, en):
    page = login_customer_client(Client(), jane).get(CHECKOUT_URL)
    assert page.context["shipping_price"] == Decimal("5.00")


def test_success_page_without_an_order_is_not_found(demo):
    assert Client().get(SUCCESS_URL).status_code == 404


def test_a_guests_order_is_not_shown_to_a_customer_signing_in_afterwards(guest_client, jane):
    guest_client.post(CHECKOUT_URL, GUEST)
    assert guest_client.get(SUCCESS_URL).status_code == 200

    signed_in = login_customer_client(guest_client, jane)  # the same browser, the same session

    assert signed_in.get(SUCCESS_URL).status_code == 404


# --- bad input through the storefront ------------------------------------------------------------


def test_checkout_of_an_empty_cart_sends_back_to_the_cart(jane_client):
    before = commerce_snapshot()

    for response in (
        jane_client.get(CHECKOUT_URL, follow=True),
        jane_client.post(CHECKOUT_URL, METHODS, follow=True),
    ):
        assert response.redirect_chain == [(CART_URL, 302)]
        assert messages_of(response) == ["Your shopping cart is empty."]

    assert commerce_snapshot() == before


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        pytest.param(
            {"email": "not-an-email"}, {"email": ["Enter a valid email address."]}, id="email"
        ),
        pytest.param({"email": ""}, {"email": ["This field is required."]}, id="no-email"),
        pytest.param({"first_name": ""}, {"first_name": [REQUIRED]}, id="no-first-name"),
        pytest.param(
            {"street": "", "city": "", "postcode": ""},
            {"street": [REQUIRED], "city": [REQUIRED], "postcode": [REQUIRED]},
            id="no-street-city-postcode",
        ),
        pytest.param(
            {"street": "x" * 256},
            {"street": ["Ensure this value has at most 255 characters (it has 256)."]},
            id="long-street",
        ),
        pytest.param(
            {"first_name": "x" * 151},
            {"first_name": ["Ensure this value has at most 150 characters (it has 151)."]},
            id="long-name",
        ),
        pytest.param(
            {"postcode": "1" * 21},
            {"postcode": ["Ensure this value has at most 20 characters (it has 21)."]},
            id="long-postcode",
        ),
        pytest.param(
            {"country": "USA"},
            {"country": ["Ensure this value has at most 2 characters (it has 3)."]},
            id="long-country",
        ),
        pytest.param(
            {"email": "a" * 250 + "@example.com"},
            {"email": ["Ensure this value has at most 254 characters (it has 262)."]},
            id="long-email",
        ),
    ],
)
def test_guest_checkout_refuses_bad_input_and_changes_nothing(guest_client, changes, errors):
    before = commerce_snapshot()

    response = guest_client.post(CHECKOUT_URL, {**GUEST, **changes})

    assert response.status_code == 200
    assert form_errors(response) == errors
    assert commerce_snapshot() == before
    assert guest_cart().is_active


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"shipping_method": "tablerate_bestway"}, id="shipping"),
        pytest.param({"payment_method": "free"}, id="payment"),
    ],
)
def test_checkout_refuses_an_unknown_method_and_changes_nothing(guest_client, changes):
    before = commerce_snapshot()

    response = guest_client.post(CHECKOUT_URL, {**GUEST, **changes})

    assert response.status_code == 200
    assert form_errors(response) == {"__all__": ["Choose a shipping and payment method."]}
    assert commerce_snapshot() == before


def test_customer_cannot_ship_to_another_customers_address(jane_client, jane_cart, marie):
    before = commerce_snapshot()

    response = jane_client.post(
        CHECKOUT_URL, {"address_choice": str(marie.addresses.get().pk), **METHODS}
    )

    assert response.status_code == 200
    assert "address_choice" in form_errors(response)
    assert commerce_snapshot() == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        pytest.param(
            {"is_active": False},
            "Canvas Weekender Bag is no longer available.",
            id="disabled",
        ),
        pytest.param(
            {"stock_qty": 1},
            "Canvas Weekender Bag is out of stock or not available in the requested quantity.",
            id="stock-dropped",
        ),
        pytest.param(
            {"stock_qty": 0},
            "Canvas Weekender Bag is out of stock or not available in the requested quantity.",
            id="sold-out",
        ),
    ],
)
def test_product_changed_between_cart_and_checkout_refuses_and_changes_nothing(
    jane_client, jane, jane_cart, change, message
):
    Product.objects.filter(sku="SA-BAG-001").update(**change)
    before = commerce_snapshot()

    response = jane_client.post(
        CHECKOUT_URL, {"address_choice": str(jane.addresses.get().pk), **METHODS}
    )

    assert response.status_code == 200
    assert form_errors(response) == {"__all__": [message]}
    assert commerce_snapshot() == before
    jane_cart.refresh_from_db()
    assert jane_cart.is_active
    assert cart_lines(jane_cart) == {"SA-BAG-001": 2, "SA-APP-002": 1}


# --- the service ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        pytest.param({"email": "nope"}, CheckoutErrorCode.INVALID_EMAIL, id="email"),
        pytest.param({"email": ""}, CheckoutErrorCode.INVALID_EMAIL, id="no-email"),
        pytest.param({"email": None}, CheckoutErrorCode.INVALID_EMAIL, id="none-email"),
        pytest.param(
            {"shipping_method": "tablerate"}, CheckoutErrorCode.UNKNOWN_METHOD, id="shipping"
        ),
        pytest.param({"payment_method": "free"}, CheckoutErrorCode.UNKNOWN_METHOD, id="payment"),
        *[
            pytest.param(
                {"address": ShippingAddress(**{**ADDRESS.__dict__, field: value})},
                CheckoutErrorCode.INVALID_ADDRESS,
                id=f"address-{field}-{len(value)}",
            )
            for field, value in [
                ("first_name", ""),
                ("last_name", "   "),
                ("street", ""),
                ("city", ""),
                ("postcode", ""),
                ("country", ""),
                ("first_name", "x" * 151),
                ("street", "x" * 256),
                ("city", "x" * 121),
                ("postcode", "x" * 21),
                ("country", "USA"),
                ("country", "\u00e91"),  # two characters, not a country code
                ("country", "1\u0663"),
                ("telephone", "1" * 41),
            ]
        ],
    ],
)
def test_place_order_refuses_bad_input_and_changes_nothing(jane, jane_cart, kwargs, code):
    before = commerce_snapshot()
    arguments = {
        "cart": jane_cart,
        "email": jane.email,
        "address": ADDRESS,
        "actor": Actor(customer=jane),
    }

    with pytest.raises(DomainError) as error:
        place_order(**{**arguments, **kwargs})

    assert error.value.code == code
    assert error.value.message
    assert commerce_snapshot() == before


def test_place_order_refuses_an_empty_or_inactive_cart(jane, en):
    empty = Cart.objects.create(customer=None, store_view=en)
    used = fill_cart(jane, {"SA-BAG-001": 1})
    Cart.objects.filter(pk=used.pk).update(is_active=False)
    before = commerce_snapshot()

    for cart in (empty, used):
        with pytest.raises(DomainError) as error:
            place_order(cart=cart, email=jane.email, address=ADDRESS, actor=Actor(customer=jane))
        assert error.value.code == CheckoutErrorCode.EMPTY_CART

    assert commerce_snapshot() == before


def test_place_order_twice_from_the_same_cart_orders_once(jane, jane_cart):
    actor = Actor(customer=jane)
    place_order(cart=jane_cart, email=jane.email, address=address_of(jane), actor=actor)
    before = commerce_snapshot()

    with pytest.raises(DomainError) as error:
        place_order(cart=jane_cart, email=jane.email, address=address_of(jane), actor=actor)

    assert error.value.code == CheckoutErrorCode.EMPTY_CART
    assert commerce_snapshot() == before


def test_order_placed_is_sent_inside_the_transaction(jane, jane_cart):
    recorder = SignalRecorder()
    actor = Actor(customer=jane)
    outside = atomic_depth()

    with connected(order_placed, recorder):
        order = place_order(cart=jane_cart, email=jane.email, address=ADDRESS, actor=actor)

    [call] = recorder.calls
    assert call["order"] == order
    assert call["actor"] is actor
    assert call["atomic_depth"] > outside


def test_an_order_placed_receiver_that_raises_rolls_the_order_back(jane, jane_cart):
    before = commerce_snapshot()

    failing = SignalRecorder(raises=RuntimeError("audit failed"))
    with connected(order_placed, failing), pytest.raises(RuntimeError, match="audit failed"):
        place_order(cart=jane_cart, email=jane.email, address=ADDRESS, actor=Actor())

    assert commerce_snapshot() == before
    jane_cart.refresh_from_db()
    assert jane_cart.is_active


def test_staff_actor_is_recorded_as_placed_by(jane, jane_cart, administrator):
    order = place_order(
        cart=jane_cart,
        email=jane.email,
        address=address_of(jane),
        actor=Actor(staff_user=administrator, customer=jane),
    )

    order.refresh_from_db()
    assert order.placed_by == administrator
    assert order.placed_by_username == "admin"
    assert order.customer == jane


def test_increment_ids_of_orders_are_sequential(jane, marie):
    first = place_order(
        cart=fill_cart(jane, {"SA-BAG-001": 1}),
        email=jane.email,
        address=address_of(jane),
        actor=Actor(customer=jane),
    )
    second = place_order(
        cart=fill_cart(marie, {"SA-BAG-001": 1}),
        email=marie.email,
        address=address_of(marie),
        actor=Actor(customer=marie),
    )

    assert int(second.increment_id) == int(first.increment_id) + 1
    assert len(first.increment_id) == 9
