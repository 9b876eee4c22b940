"""Cart: add, update, remove through the services and the storefront; stock and quantity
checks; the mini-cart; guest cart merge on login; the cart_changed extension point."""

from importlib import import_module

import pytest
from django.conf import settings
from django.test import Client

from shopassist.cart import services
from shopassist.cart.errors import CartErrorCode
from shopassist.cart.models import Cart
from shopassist.cart.selectors import GUEST_CART_SESSION_KEY, customer_cart
from shopassist.cart.signals import cart_changed
from shopassist.catalog.models import Product
from shopassist.core.actor import Actor
from shopassist.core.errors import DomainError
from tests.commerce import (
    SignalRecorder,
    atomic_depth,
    cart_lines,
    commerce_snapshot,
    connected,
    fill_cart,
    messages_of,
    minicart_count,
    stock_of,
)
from tests.conftest import login_customer_client

ADD_URL = "/en/checkout/cart/add/"
UPDATE_URL = "/en/checkout/cart/update/"
REMOVE_URL = "/en/checkout/cart/remove/"
CART_URL = "/en/checkout/cart/"
DISABLED_SKU = "SA-BAG-002"
LAST_UNIT_SKU = "SA-ELE-010"  # stock 1
SOLD_OUT_SKU = "SA-HOM-010"  # stock 0

INVALID_QTY_MESSAGE = "Enter a quantity from 1 to 10,000."

BAD_QUANTITIES = [
    pytest.param(-1, id="negative"),
    pytest.param(0, id="zero"),
    pytest.param(10_001, id="above-max"),
    pytest.param(10**30, id="huge"),
    pytest.param("abc", id="non-numeric"),
    pytest.param("1.5", id="fraction"),
    pytest.param("1e3", id="exponent"),
    pytest.param("", id="empty"),
    # What int() reads but no quantity field sends: another script's digits, a separator, a sign.
    pytest.param("\u0663", id="arabic-indic-digit"),
    pytest.param("\uff13", id="full-width-digit"),
    pytest.param("1_0", id="underscore"),
    pytest.param("+1", id="plus-sign"),
    pytest.param(True, id="boolean"),
]

BAD_ADDS = [
    *[
        pytest.param("SA-BAG-001", p.values[0], CartErrorCode.INVALID_QTY, id=f"qty-{p.id}")
        for p in BAD_QUANTITIES
    ],
    pytest.param("NO-SUCH-SKU", 1, CartErrorCode.UNKNOWN_PRODUCT, id="unknown-sku"),
    pytest.param(DISABLED_SKU, 1, CartErrorCode.PRODUCT_DISABLED, id="disabled"),
    pytest.param(SOLD_OUT_SKU, 1, CartErrorCode.OUT_OF_STOCK, id="out-of-stock"),
    pytest.param(LAST_UNIT_SKU, 2, CartErrorCode.NOT_ENOUGH_STOCK, id="above-stock"),
    pytest.param("SA-BAG-001", 500, CartErrorCode.NOT_ENOUGH_STOCK, id="above-stock-many"),
]


@pytest.fixture
def disabled_product(demo):
    Product.objects.filter(sku=DISABLED_SKU).update(is_active=False)


@pytest.fixture
def jane_cart(jane, disabled_product):
    """Jane's cart with one item in it, so "nothing changed" compares a real cart."""
    return fill_cart(jane, {"SA-BAG-001": 1})


@pytest.fixture
def jane_client(jane):
    return login_customer_client(Client(), jane)


def storefront_session(client) -> dict:
    engine = import_module(settings.SESSION_ENGINE)
    key = client.cookies[settings.STOREFRONT_SESSION_COOKIE_NAME].value
    return dict(engine.SessionStore(session_key=key).load())


def item_of(cart, sku):
    return cart.items.get(product__sku=sku)


# --- services --------------------------------------------------------------------------------


def test_add_item_adds_then_increments_the_quantity(jane, en):
    cart = customer_cart(jane, en, create=True)
    actor = Actor(customer=jane)
    stock = stock_of("SA-BAG-001")

    services.add_item(cart=cart, sku="SA-BAG-001", qty=2, actor=actor)
    services.add_item(cart=cart, sku="SA-BAG-001", qty="3", actor=actor)
    services.add_item(cart=cart, sku="SA-APP-002", qty=" 1 ", actor=actor)

    assert cart_lines(cart) == {"SA-BAG-001": 5, "SA-APP-002": 1}
    assert stock_of("SA-BAG-001") == stock  # the cart reserves nothing; checkout decrements


def test_add_the_last_unit_is_allowed(jane, en):
    cart = customer_cart(jane, en, create=True)

    services.add_item(cart=cart, sku=LAST_UNIT_SKU, qty=1, actor=Actor(customer=jane))

    assert cart_lines(cart) == {LAST_UNIT_SKU: 1}


@pytest.mark.parametrize(("sku", "qty", "code"), BAD_ADDS)
def test_add_item_refuses_bad_input_and_changes_nothing(jane_cart, jane, sku, qty, code):
    before = commerce_snapshot()

    with pytest.raises(DomainError) as error:
        services.add_item(cart=jane_cart, sku=sku, qty=qty, actor=Actor(customer=jane))

    assert error.value.code == code
    assert error.value.message
    assert commerce_snapshot() == before


def test_add_item_counts_what_is_already_in_the_cart_against_stock(jane):
    cart = fill_cart(jane, {LAST_UNIT_SKU: 1})
    before = commerce_snapshot()

    with pytest.raises(DomainError) as error:
        services.add_item(cart=cart, sku=LAST_UNIT_SKU, qty=1, actor=Actor(customer=jane))

    assert error.value.code == CartErrorCode.NOT_ENOUGH_STOCK
    assert "Only 1 left in stock" in error.value.message
    assert commerce_snapshot() == before


def test_update_item_sets_the_quantity(jane_cart, jane):
    item = item_of(jane_cart, "SA-BAG-001")

    services.update_item(cart=jane_cart, item_id=str(item.pk), qty="4", actor=Actor(customer=jane))

    assert cart_lines(jane_cart) == {"SA-BAG-001": 4}


@pytest.mark.parametrize(
    ("qty", "code"),
    [
        *[pytest.param(p.values[0], CartErrorCode.INVALID_QTY, id=p.id) for p in BAD_QUANTITIES],
        pytest.param(500, CartErrorCode.NOT_ENOUGH_STOCK, id="above-stock"),
    ],
)
def test_update_item_refuses_bad_quantities_and_changes_nothing(jane_cart, jane, qty, code):
    item = item_of(jane_cart, "SA-BAG-001")
    before = commerce_snapshot()

    with pytest.raises(DomainError) as error:
        services.update_item(cart=jane_cart, item_id=item.pk, qty=qty, actor=Actor(customer=jane))

    assert error.value.code == code
    assert commerce_snapshot() == before


@pytest.mark.parametrize("item_id", [0, 999_999, "abc", None, ""])
def test_update_and_remove_refuse_unknown_items(jane_cart, jane, item_id):
    before = commerce_snapshot()

    with pytest.raises(DomainError) as error:
        services.update_item(cart=jane_cart, item_id=item_id, qty=1, actor=Actor(customer=jane))
    assert error.value.code == CartErrorCode.UNKNOWN_ITEM
    with pytest.raises(DomainError) as error:
        services.remove_item(cart=jane_cart, item_id=item_id, actor=Actor(customer=jane))
    assert error.value.code == CartErrorCode.UNKNOWN_ITEM

    assert commerce_snapshot() == before


def test_update_and_remove_refuse_another_customers_item(jane_cart, marie):
    marie_cart = fill_cart(marie, {"SA-APP-002": 1})
    janes_item = item_of(jane_cart, "SA-BAG-001")
    before = commerce_snapshot()

    with pytest.raises(DomainError) as error:
        services.update_item(
            cart=marie_cart, item_id=janes_item.pk, qty=3, actor=Actor(customer=marie)
        )
    assert error.value.code == CartErrorCode.UNKNOWN_ITEM
    with pytest.raises(DomainError) as error:
        services.remove_item(cart=marie_cart, item_id=janes_item.pk, actor=Actor(customer=marie))
    assert error.value.code == CartErrorCode.UNKNOWN_ITEM

    assert commerce_snapshot() == before


def test_remove_item_deletes_it(jane_cart, jane):
    item = item_of(jane_cart, "SA-BAG-001")

    services.remove_item(cart=jane_cart, item_id=item.pk, actor=Actor(customer=jane))

    assert cart_lines(jane_cart) == {}


# --- the cart_changed extension point ----------------------------------------------------------


def test_cart_changed_is_sent_inside_the_transaction_with_action_sku_and_qty(jane_cart, jane):
    recorder = SignalRecorder()
    actor = Actor(customer=jane)
    outside = atomic_depth()

    with connected(cart_changed, recorder):
        services.add_item(cart=jane_cart, sku="SA-APP-002", qty=2, actor=actor)
        item = item_of(jane_cart, "SA-APP-002")
        services.update_item(cart=jane_cart, item_id=item.pk, qty=3, actor=actor)
        services.remove_item(cart=jane_cart, item_id=item.pk, actor=actor)

    assert [(c["action"], c["sku"], c["qty"], c["previous_qty"]) for c in recorder.calls] == [
        ("add", "SA-APP-002", 2, 0),
        ("update", "SA-APP-002", 3, 2),
        ("remove", "SA-APP-002", 0, 3),
    ]
    assert all(c["cart"] == jane_cart and c["actor"] is actor for c in recorder.calls)
    assert all(c["atomic_depth"] > outside for c in recorder.calls)


@pytest.mark.parametrize("action", ["add", "update", "remove"])
def test_a_cart_changed_receiver_that_raises_rolls_the_change_back(jane_cart, jane, action):
    item = item_of(jane_cart, "SA-BAG-001")
    actor = Actor(customer=jane)
    change = {
        "add": lambda: services.add_item(cart=jane_cart, sku="SA-BAG-001", qty=1, actor=actor),
        "update": lambda: services.update_item(cart=jane_cart, item_id=item.pk, qty=7, actor=actor),
        "remove": lambda: services.remove_item(cart=jane_cart, item_id=item.pk, actor=actor),
    }[action]
    before = commerce_snapshot()

    failing = SignalRecorder(raises=RuntimeError("audit failed"))
    with connected(cart_changed, failing), pytest.raises(RuntimeError, match="audit failed"):
        change()

    assert commerce_snapshot() == before
    assert cart_lines(jane_cart) == {"SA-BAG-001": 1}


# --- storefront --------------------------------------------------------------------------------


def test_storefront_add_update_remove(jane_client, jane):
    response = jane_client.post(ADD_URL, {"sku": "SA-BAG-001", "qty": "2"}, follow=True)
    assert response.redirect_chain == [(CART_URL, 302)]
    assert "You added the product to your shopping cart." in messages_of(response)
    cart = customer_cart(jane, jane.created_in)
    assert cart_lines(cart) == {"SA-BAG-001": 2}
    assert b"Canvas Weekender Bag" in response.content

    item = item_of(cart, "SA-BAG-001")
    response = jane_client.post(UPDATE_URL, {"item_id": item.pk, "qty": "5"}, follow=True)
    assert "You updated your shopping cart." in messages_of(response)
    assert cart_lines(cart) == {"SA-BAG-001": 5}

    response = jane_client.post(REMOVE_URL, {"item_id": item.pk}, follow=True)
    assert "You removed the item from your shopping cart." in messages_of(response)
    assert cart_lines(cart) == {}
    assert b"You have no items in your shopping cart." in response.content


def test_storefront_add_returns_to_a_safe_next_url_only(jane_client):
    response = jane_client.post(
        ADD_URL, {"sku": "SA-BAG-001", "qty": "1", "next": "/en/product/SA-BAG-001/"}
    )
    assert response["Location"] == "/en/product/SA-BAG-001/"

    response = jane_client.post(
        ADD_URL, {"sku": "SA-BAG-001", "qty": "1", "next": "https://evil.example/"}
    )
    assert response["Location"] == CART_URL


@pytest.mark.parametrize(("sku", "qty", "code"), BAD_ADDS)
def test_storefront_add_refuses_bad_input_and_changes_nothing(
    jane_cart, jane_client, sku, qty, code
):
    before = commerce_snapshot()

    response = jane_client.post(ADD_URL, {"sku": sku, "qty": str(qty)}, follow=True)

    assert response.redirect_chain == [(CART_URL, 302)]
    [message] = messages_of(response)
    assert message != "You added the product to your shopping cart."
    assert commerce_snapshot() == before


def test_storefront_add_shows_clear_messages(jane_cart, jane_client):
    def message(sku, qty):
        return messages_of(jane_client.post(ADD_URL, {"sku": sku, "qty": qty}, follow=True))

    assert message("SA-BAG-001", "-1") == [INVALID_QTY_MESSAGE]
    assert message("NO-SUCH-SKU", "1") == ["The product does not exist."]
    assert message(DISABLED_SKU, "1") == ["The product is not available."]
    assert message(SOLD_OUT_SKU, "1") == ["The product is out of stock."]
    assert message(LAST_UNIT_SKU, "2") == [
        "The requested quantity is not available. Only 1 left in stock."
    ]


def test_storefront_add_for_a_guest_refuses_bad_input_without_items(db, demo):
    client = Client()
    before = commerce_snapshot()

    response = client.post(ADD_URL, {"sku": SOLD_OUT_SKU, "qty": "1"}, follow=True)

    assert messages_of(response) == ["The product is out of stock."]
    after = commerce_snapshot()
    assert after["cart_items"] == before["cart_items"]
    assert after["stock"] == before["stock"]


@pytest.mark.parametrize(
    ("qty", "message"),
    [
        ("0", INVALID_QTY_MESSAGE),
        ("-3", INVALID_QTY_MESSAGE),
        (str(10**30), INVALID_QTY_MESSAGE),
        ("lots", INVALID_QTY_MESSAGE),
        ("500", "The requested quantity is not available. Only 24 left in stock."),
    ],
)
def test_storefront_update_refuses_bad_quantities_and_changes_nothing(
    jane_cart, jane_client, qty, message
):
    item = item_of(jane_cart, "SA-BAG-001")
    before = commerce_snapshot()

    response = jane_client.post(UPDATE_URL, {"item_id": item.pk, "qty": qty}, follow=True)

    assert messages_of(response) == [message]
    assert commerce_snapshot() == before


@pytest.mark.parametrize("url", [ADD_URL, UPDATE_URL, REMOVE_URL])
def test_storefront_cart_changes_are_post_only(jane_cart, jane_client, url):
    item = item_of(jane_cart, "SA-BAG-001")
    before = commerce_snapshot()

    response = jane_client.get(url, {"sku": "SA-BAG-001", "qty": "1", "item_id": item.pk})

    assert response.status_code == 405
    assert commerce_snapshot() == before


def test_storefront_refuses_another_customers_cart_item(jane_cart, marie):
    fill_cart(marie, {"SA-APP-002": 1})
    marie_client = login_customer_client(Client(), marie, store_code="fr")
    janes_item = item_of(jane_cart, "SA-BAG-001")
    before = commerce_snapshot()

    response = marie_client.post(
        "/en/checkout/cart/update/", {"item_id": janes_item.pk, "qty": "9"}, follow=True
    )
    assert messages_of(response) == ["The item is not in your cart."]
    response = marie_client.post(
        "/en/checkout/cart/remove/", {"item_id": janes_item.pk}, follow=True
    )
    assert messages_of(response) == ["The item is not in your cart."]

    assert commerce_snapshot() == before
    assert cart_lines(jane_cart) == {"SA-BAG-001": 1}


def test_storefront_update_without_a_cart_is_refused(db, demo):
    before = commerce_snapshot()

    response = Client().post(UPDATE_URL, {"item_id": "1", "qty": "2"}, follow=True)

    assert messages_of(response) == ["Your shopping cart is empty."]
    assert commerce_snapshot() == before


def test_mini_cart_count_in_the_header(jane_client, jane):
    assert minicart_count(jane_client.get("/en/")) == 0

    jane_client.post(ADD_URL, {"sku": "SA-BAG-001", "qty": "2"})
    jane_client.post(ADD_URL, {"sku": "SA-APP-002", "qty": "1"})

    assert minicart_count(jane_client.get("/en/")) == 3
    assert minicart_count(jane_client.get("/fr/product/SA-BAG-001/")) == 3
    assert minicart_count(Client().get("/en/")) == 0  # another visitor's cart is their own


# --- guest cart merge ------------------------------------------------------------------------


def test_guest_cart_merges_into_the_customers_cart_on_login(jane):
    fill_cart(jane, {"SA-BAG-001": 1})
    client = Client()
    client.post(ADD_URL, {"sku": "SA-BAG-001", "qty": "2"})
    client.post(ADD_URL, {"sku": "SA-APP-002", "qty": "1"})
    guest_cart_id = storefront_session(client)[GUEST_CART_SESSION_KEY]
    assert minicart_count(client.get("/en/")) == 3

    response = client.post(
        "/en/customer/account/login/",
        {"email": jane.email, "password": "demo-customer"},
    )

    assert response.status_code == 302
    assert cart_lines(customer_cart(jane, jane.created_in)) == {"SA-BAG-001": 3, "SA-APP-002": 1}
    guest_cart = Cart.objects.get(pk=guest_cart_id)
    assert not guest_cart.is_active
    assert cart_lines(guest_cart) == {}
    assert GUEST_CART_SESSION_KEY not in storefront_session(client)
    assert minicart_count(client.get("/en/")) == 4


def test_guest_cart_merge_sends_cart_changed_with_the_customer_as_actor(jane):
    client = Client()
    client.post(ADD_URL, {"sku": "SA-APP-002", "qty": "2"})
    recorder = SignalRecorder()

    with connected(cart_changed, recorder):
        login_customer_client(client, jane)

    [call] = recorder.calls
    assert (call["action"], call["sku"], call["qty"], call["previous_qty"]) == (
        "merge",
        "SA-APP-002",
        2,
        0,
    )
    assert call["actor"].customer == jane
    assert call["actor"].staff_user is None


def test_login_without_a_guest_cart_leaves_the_customers_cart_alone(jane):
    cart = fill_cart(jane, {"SA-BAG-001": 1})
    before = commerce_snapshot()

    login_customer_client(Client(), jane)

    assert commerce_snapshot() == before
    assert cart_lines(cart) == {"SA-BAG-001": 1}
