"""Cart and orders over the API: the storefront's services, refusals that change nothing,
and calls of an assisted token logged like web actions (channel "api")."""

import pytest

from shopassist.audit.models import ActionLogEntry
from shopassist.cart.selectors import customer_cart
from shopassist.sales.models import Order
from tests.api.conftest import JANE_ADDRESS, customer_token_for
from tests.commerce import cart_lines, commerce_snapshot, stock_of

pytestmark = pytest.mark.django_db

BAG = "SA-BAG-001"


def test_add_update_and_remove_cart_items(api, jane, jane_token):
    response = api.post("/cart/items", {"sku": BAG, "qty": 2}, token=jane_token)
    assert response.status_code == 200
    line = response.json()["lines"][0]
    assert (line["sku"], line["qty"]) == (BAG, 2)
    assert cart_lines(customer_cart(jane, None)) == {BAG: 2}
    response = api.patch(f"/cart/items/{line['item_id']}", {"qty": 3}, token=jane_token)
    assert response.json()["item_count"] == 3
    response = api.delete(f"/cart/items/{line['item_id']}", token=jane_token)
    assert response.json()["lines"] == []
    assert api.get("/cart", token=jane_token).json()["item_count"] == 0


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"sku": "NO-SUCH-SKU", "qty": 1}, 404, "cart.unknown_product"),
        ({"sku": BAG, "qty": 0}, 400, "request.invalid"),
        ({"sku": BAG, "qty": 10_000}, 409, "cart.not_enough_stock"),
        ({"sku": BAG}, 400, "request.invalid"),
    ],
)
def test_refused_cart_changes_change_nothing(api, jane, jane_token, body, status, code):
    before = commerce_snapshot()
    response = api.post("/cart/items", body, token=jane_token)
    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    assert commerce_snapshot() == before


def test_another_customers_cart_item_is_not_found(api, jane, marie, jane_token):
    marie_token = customer_token_for(api, marie, store_view="fr")
    item_id = api.post("/cart/items", {"sku": BAG, "qty": 1}, token=marie_token).json()["lines"][0][
        "item_id"
    ]
    api.post("/cart/items", {"sku": BAG, "qty": 1}, token=jane_token)
    before = commerce_snapshot()
    for response in (
        api.patch(f"/cart/items/{item_id}", {"qty": 5}, token=jane_token),
        api.delete(f"/cart/items/{item_id}", token=jane_token),
    ):
        assert response.status_code == 404
        assert response.json()["code"] == "cart.unknown_item"
    assert commerce_snapshot() == before


def test_place_an_order_and_read_it_back(api, jane, jane_token):
    api.post("/cart/items", {"sku": BAG, "qty": 1}, token=jane_token)
    stock = stock_of(BAG)
    response = api.post("/orders", {"shipping_address": JANE_ADDRESS}, token=jane_token)
    assert response.status_code == 200, response.content
    order = Order.objects.get(increment_id=response.json()["increment_id"])
    assert order.customer == jane and order.placed_by is None
    assert stock_of(BAG) == stock - 1
    listed = api.get("/orders", token=jane_token).json()
    assert order.increment_id in [o["increment_id"] for o in listed]
    detail = api.get(f"/orders/{order.increment_id}", token=jane_token).json()
    assert detail["items"][0]["sku"] == BAG
    assert detail["placed_by_store_administrator"] is False


def test_an_empty_cart_or_an_incomplete_address_places_no_order(api, jane_token):
    before = commerce_snapshot()
    response = api.post("/orders", {"shipping_address": JANE_ADDRESS}, token=jane_token)
    assert (response.status_code, response.json()["code"]) == (409, "checkout.empty_cart")
    api.post("/cart/items", {"sku": BAG, "qty": 1}, token=jane_token)
    before = commerce_snapshot()
    response = api.post(
        "/orders", {"shipping_address": {**JANE_ADDRESS, "city": " "}}, token=jane_token
    )
    assert (response.status_code, response.json()["code"]) == (400, "checkout.invalid_address")
    assert commerce_snapshot() == before


def test_another_customers_order_is_not_found(api, jane, marie, jane_token):
    marie_token = customer_token_for(api, marie, store_view="fr")
    api.post("/cart/items", {"sku": BAG, "qty": 1}, token=marie_token)
    increment_id = api.post(
        "/orders", {"shipping_address": JANE_ADDRESS}, token=marie_token
    ).json()["increment_id"]
    response = api.get(f"/orders/{increment_id}", token=jane_token)
    assert (response.status_code, response.json()["code"]) == (404, "request.not_found")


def test_assisted_cart_calls_are_logged_with_channel_api(api, jane, assisted_jane_token):
    api.post("/cart/items", {"sku": BAG, "qty": 1}, token=assisted_jane_token)
    entries = ActionLogEntry.objects.filter(action__in=["cart.add", "request"], channel="api")
    actions = sorted(entries.values_list("action", flat=True))
    assert actions == ["cart.add", "request"]
    request_entry = entries.get(action="request")
    assert request_entry.details["view"] == "api:cart.add_item"
    assert request_entry.admin_username == "support"


def test_a_refused_assisted_call_is_logged_as_failed(api, jane, assisted_jane_token):
    response = api.post("/cart/items", {"sku": "NO-SUCH-SKU", "qty": 1}, token=assisted_jane_token)
    assert response.status_code == 404
    entry = ActionLogEntry.objects.get(action="request", channel="api")
    assert entry.outcome == "failed" and entry.details["status"] == 404
    assert not ActionLogEntry.objects.filter(action="cart.add").exists()
