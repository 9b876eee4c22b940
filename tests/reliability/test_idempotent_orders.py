"""An order is placed once per key (issue 12, point 6): ``Idempotency-Key`` on ``POST
/api/v1/orders`` and the one-time key of the storefront's checkout page. A retry after a lost
answer, or a double submit, gets the first order — also while the first request is still
running (PostgreSQL, real threads) — and never a second; a key is its customer's (a guest's:
its cart's) for 24 h; the same key with other details is refused and changes nothing."""

import re
import threading
import time
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.db.models.signals import pre_save
from django.test import Client
from django.utils import timezone

from shopassist.cart.selectors import customer_cart
from shopassist.checkout.idempotency import KEY_LIFETIME
from shopassist.checkout.services import place_order
from shopassist.core.actor import Actor
from shopassist.customers.models import Customer
from shopassist.demo.loader import load_demo
from shopassist.sales.models import Order, OrderPlacementKey
from shopassist.sales.signals import order_placed
from tests.api.conftest import (
    JANE_ADDRESS,
    ApiClient,
    admin_token_for,
    assisted_token_for,
    customer_token_for,
)
from tests.commerce import address_of, cart_lines, commerce_snapshot, connected, fill_cart
from tests.conftest import login_customer_client, use_own_cache_namespace
from tests.login_as_customer.assisted import start_assisted

KEY = "3f1c2b8e-2d4a-4f5e-9c61-0d7b8a9e1f20"
LINES = {"SA-BAG-001": 1, "SA-APP-002": 2}
CHECKOUT = "/en/checkout/"
SUCCESS = "/en/checkout/onepage/success/"
CART = "/en/checkout/cart/"
GUEST = {
    "email": "gina.guest@example.com",
    "first_name": "Gina",
    "last_name": "Guest",
    "street": "5 Market Square",
    "city": "Springfield",
    "postcode": "12345",
    "country": "US",
    "shipping_method": "flatrate_flatrate",
    "payment_method": "checkmo",
}


@pytest.fixture(autouse=True)
def _own_cache_namespace(settings):
    use_own_cache_namespace(settings, "idempotent-orders")


@pytest.fixture
def api():
    return ApiClient()


@pytest.fixture
def jane_token(api, jane):
    return customer_token_for(api, jane)


def place(api, token, key=KEY, address=JANE_ADDRESS):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return api.post("/orders", {"shipping_address": address}, token=token, **headers)


def newest_order_pk() -> int:
    return Order.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def orders_of(customer, *, after: int) -> list[str]:
    """The customer's orders placed after ``after`` (the demo data has some)."""
    orders = Order.objects.filter(customer=customer, pk__gt=after).order_by("pk")
    return list(orders.values_list("increment_id", flat=True))


# --- API: Idempotency-Key ----------------------------------------------------------------------


def test_a_retry_with_the_key_gets_the_first_order_even_after_the_cart_was_filled_again(
    api, jane, jane_token
):
    mark = newest_order_pk()
    fill_cart(jane, LINES)
    first = place(api, jane_token)
    assert first.status_code == 200, first.content
    # The client never heard back, so it filled the cart again and retries with the same key.
    refilled = fill_cart(jane, LINES)
    before = commerce_snapshot()

    retry = place(api, jane_token)

    assert retry.status_code == 200
    assert retry.json() == first.json()
    assert orders_of(jane, after=mark) == [first.json()["increment_id"]]
    assert commerce_snapshot() == before  # no stock taken, the new cart left alone
    assert cart_lines(customer_cart(jane, None)) == cart_lines(refilled) == LINES
    (stored,) = OrderPlacementKey.objects.all()
    assert (stored.key, stored.customer, stored.order.increment_id) == (
        KEY,
        jane,
        first.json()["increment_id"],
    )


def test_without_a_key_a_second_request_places_a_second_order(api, jane, jane_token):
    mark = newest_order_pk()
    fill_cart(jane, LINES)
    place(api, jane_token, key=None)
    fill_cart(jane, LINES)

    assert place(api, jane_token, key=None).status_code == 200

    assert len(orders_of(jane, after=mark)) == 2
    assert not OrderPlacementKey.objects.exists()


def test_the_key_with_another_body_is_refused_and_changes_nothing(api, jane, jane_token):
    mark = newest_order_pk()
    fill_cart(jane, LINES)
    first = place(api, jane_token)
    fill_cart(jane, LINES)
    before = commerce_snapshot()

    response = place(api, jane_token, address={**JANE_ADDRESS, "street": "7 Other Road"})

    assert response.status_code == 422
    assert response.json() == {
        "code": "checkout.idempotency_key_reused",
        "message": "This order was already placed with other details.",
    }
    assert commerce_snapshot() == before
    assert orders_of(jane, after=mark) == [first.json()["increment_id"]]


def test_a_key_is_its_customers_own(api, jane, marie, jane_token):
    mark = newest_order_pk()
    fill_cart(jane, LINES)
    fill_cart(marie, LINES)
    janes = place(api, jane_token).json()

    maries = place(api, customer_token_for(api, marie), address={**JANE_ADDRESS, "city": "Paris"})
    maries = maries.json()

    assert maries["increment_id"] != janes["increment_id"]
    assert orders_of(marie, after=mark) == [maries["increment_id"]]
    assert OrderPlacementKey.objects.filter(key=KEY).count() == 2


def test_after_24_hours_the_key_places_a_new_order(api, jane, jane_token):
    assert timedelta(hours=24) == KEY_LIFETIME
    mark = newest_order_pk()
    fill_cart(jane, LINES)
    first = place(api, jane_token).json()
    fill_cart(jane, LINES)

    # Customer tokens last an hour: the client signs in again, as it would.
    with time_machine.travel(timezone.now() + timedelta(hours=23, minutes=59)):
        assert place(api, customer_token_for(api, jane)).json() == first
    with time_machine.travel(timezone.now() + KEY_LIFETIME + timedelta(seconds=1)):
        second = place(api, customer_token_for(api, jane))

    assert second.status_code == 200, second.content
    assert second.json()["increment_id"] != first["increment_id"]
    assert sorted(orders_of(jane, after=mark)) == sorted(
        [first["increment_id"], second.json()["increment_id"]]
    )
    (stored,) = OrderPlacementKey.objects.filter(key=KEY)  # the stale use gave way
    assert stored.order.increment_id == second.json()["increment_id"]


@pytest.mark.parametrize("key", ["", "a" * 256, "two words", "clé"])
def test_a_malformed_key_is_refused_and_changes_nothing(api, jane, jane_token, key):
    fill_cart(jane, LINES)
    before = commerce_snapshot()

    response = place(api, jane_token, key=key)

    assert response.status_code == 400
    assert response.json()["code"] == "request.invalid"
    assert "Idempotency-Key" in response.json()["message"]
    assert commerce_snapshot() == before


def test_an_assisted_retry_gets_the_order_the_administrator_placed(api, support_agent, jane):
    token = assisted_token_for(api, admin_token_for(api, "support"), jane)
    api.post("/cart/items", {"sku": "SA-BAG-001", "qty": 1}, token=token)
    first = place(api, token)

    retry = place(api, token)

    assert retry.status_code == 200 and retry.json() == first.json()
    (order,) = Order.objects.filter(customer=jane, increment_id=first.json()["increment_id"])
    assert (order.placed_by, order.placed_by_username) == (support_agent, "support")
    assert retry.json()["placed_by_store_administrator"] is True
    assert Order.objects.filter(placed_by=support_agent).count() == 1


# --- Storefront: the checkout page's one-time key ------------------------------------------------


def placement_key_of(page) -> str:
    match = re.search(r'<input type="hidden" name="placement_key" value="([\w-]{32})"', page.text)
    assert match, "no one-time key in the checkout page"
    return match.group(1)


def test_every_checkout_page_carries_a_key_of_its_own(jane):
    client = login_customer_client(Client(), jane)
    fill_cart(jane, LINES)

    keys = {placement_key_of(client.get(CHECKOUT)) for _ in range(3)}

    assert len(keys) == 3


def test_a_double_submit_of_place_order_shows_the_first_order_and_places_no_second(jane):
    client = login_customer_client(Client(), jane)
    fill_cart(jane, LINES)
    form = {
        "address_choice": str(jane.addresses.get().pk),
        "placement_key": placement_key_of(client.get(CHECKOUT)),
    }
    mark = newest_order_pk()
    first = client.post(CHECKOUT, form)
    (order,) = Order.objects.filter(customer=jane, pk__gt=mark)
    before = commerce_snapshot()

    second = client.post(CHECKOUT, form, follow=True)

    assert first["Location"] == SUCCESS
    assert second.redirect_chain == [(SUCCESS, 302)]
    assert f'data-testid="order-number">{order.increment_id}<' in second.text
    assert commerce_snapshot() == before


def test_a_guest_double_submit_shows_the_first_order_to_that_guest_only(demo):
    guest = Client()
    guest.post("/en/checkout/cart/add/", {"sku": "SA-BAG-001", "qty": "1"})
    form = {**GUEST, "placement_key": placement_key_of(guest.get(CHECKOUT))}
    guest.post(CHECKOUT, form)
    (order,) = Order.objects.filter(customer_email=GUEST["email"])
    before = commerce_snapshot()

    again = guest.post(CHECKOUT, form, follow=True)

    assert again.redirect_chain == [(SUCCESS, 302)]
    assert f'data-testid="order-number">{order.increment_id}<' in again.text
    assert commerce_snapshot() == before
    # Another browser sending that key has another cart: the key tells it nothing, and its
    # own order is placed.
    stranger = Client()
    stranger.post("/en/checkout/cart/add/", {"sku": "SA-APP-002", "qty": "1"})
    elsewhere = stranger.post(CHECKOUT, form, follow=True)
    assert elsewhere.redirect_chain == [(SUCCESS, 302)]
    assert order.increment_id not in elsewhere.text
    theirs = Order.objects.exclude(pk=order.pk).get(customer_email=GUEST["email"])
    assert list(theirs.items.values_list("sku", flat=True)) == ["SA-APP-002"]


def test_a_resubmitted_page_after_the_cart_was_emptied_otherwise_goes_to_the_cart(jane):
    client = login_customer_client(Client(), jane)
    fill_cart(jane, LINES)
    form = {"address_choice": str(jane.addresses.get().pk)}
    key = placement_key_of(client.get(CHECKOUT))
    customer_cart(jane, None).items.all().delete()
    before = commerce_snapshot()

    response = client.post(CHECKOUT, {**form, "placement_key": key})

    assert response["Location"] == CART
    assert commerce_snapshot() == before


def test_a_malformed_page_key_is_refused_and_changes_nothing(jane):
    client = login_customer_client(Client(), jane)
    fill_cart(jane, LINES)
    before = commerce_snapshot()

    response = client.post(
        CHECKOUT, {"address_choice": str(jane.addresses.get().pk), "placement_key": "x" * 40}
    )

    assert response.status_code == 200
    errors = list(response.context["form"].non_field_errors())
    assert errors == ["This page has expired. Reload it and place your order again."]
    assert "This page has expired." in response.text
    assert commerce_snapshot() == before
    # The page shown again carries a good key: submitting it places the order.
    key = placement_key_of(response)
    form = {"address_choice": str(jane.addresses.get().pk), "placement_key": key}
    assert client.post(CHECKOUT, form)["Location"] == SUCCESS


def test_an_assisted_double_submit_places_one_order_recorded_as_the_administrators(
    support_agent, support_client, jane
):
    browser, _session = start_assisted(support_client, jane)
    browser.post("/en/checkout/cart/add/", {"sku": "SA-BAG-001"})
    form = {
        "address_choice": str(jane.addresses.get().pk),
        "placement_key": placement_key_of(browser.get(CHECKOUT)),
    }

    responses = [browser.post(CHECKOUT, form) for _ in range(2)]

    assert [r["Location"] for r in responses] == [SUCCESS, SUCCESS]
    (order,) = Order.objects.filter(customer=jane, placed_by=support_agent)
    assert order.placed_by_username == "support"
    assert OrderPlacementKey.objects.get().order == order


# --- At the same time, on PostgreSQL -----------------------------------------------------------


def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip(
            f"needs concurrent connections with row locks; the database is {connection.vendor} "
            "(CI runs this on PostgreSQL)"
        )


def hold_the_lock(sender, order, **kwargs):
    """Keep the first request's transaction (and its cart lock) open a moment, so the second
    is certainly waiting for it rather than arriving after the commit."""
    time.sleep(0.3)


def together(calls) -> list:
    """Run the calls in threads of their own (own connections), released together."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as exc:  # reported to the test thread
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a request never finished"
    return results


@pytest.mark.postgres
def test_two_api_requests_with_one_key_at_the_same_time_place_one_order(transactional_db):
    needs_postgresql()
    load_demo()
    jane = Customer.objects.get(email="jane.doe@example.com")
    token = customer_token_for(ApiClient(), jane)
    mark = newest_order_pk()
    fill_cart(jane, LINES)

    with connected(order_placed, hold_the_lock):
        first, second = together([lambda: place(ApiClient(), token)] * 2)

    assert first.status_code == second.status_code == 200, (first.content, second.content)
    assert first.json() == second.json()
    assert orders_of(jane, after=mark) == [first.json()["increment_id"]]
    assert OrderPlacementKey.objects.count() == 1


@pytest.mark.postgres
def test_a_double_submit_at_the_same_time_places_one_order(transactional_db):
    needs_postgresql()
    load_demo()
    jane = Customer.objects.get(email="jane.doe@example.com")
    browser = login_customer_client(Client(), jane)
    mark = newest_order_pk()
    fill_cart(jane, LINES)
    form = {
        "address_choice": str(jane.addresses.get().pk),
        "placement_key": placement_key_of(browser.get(CHECKOUT)),
    }

    def submit():  # one browser, two clicks: the same cookies
        tab = Client()
        for name, morsel in browser.cookies.items():
            tab.cookies[name] = morsel.value
        return tab.post(CHECKOUT, form)

    with connected(order_placed, hold_the_lock):
        responses = together([submit, submit])

    assert [r["Location"] for r in responses] == [SUCCESS, SUCCESS]
    assert len(orders_of(jane, after=mark)) == 1


@pytest.mark.postgres
def test_a_key_committed_by_a_competing_request_first_is_answered_with_its_order(
    transactional_db,
):
    """The unique constraint is the last line: a competitor that commits the key between this
    request's checks and its insert makes it roll back whole and answer with that order."""
    needs_postgresql()
    load_demo()
    jane = Customer.objects.get(email="jane.doe@example.com")
    earlier = Order.objects.filter(customer=jane).earliest("pk")
    cart = fill_cart(jane, LINES)
    before = commerce_snapshot()

    def competitor_commits_first(sender, instance, **kwargs):
        if sender is not OrderPlacementKey or instance.order_id == earlier.pk:
            return  # another row, or the competitor's own

        def commit_competing_key():
            OrderPlacementKey.objects.create(
                order=earlier,
                customer=jane,
                key=instance.key,
                request_hash=instance.request_hash,
                created_at=timezone.now(),
            )

        (outcome,) = together([commit_competing_key])
        assert outcome is None, outcome

    with connected(pre_save, competitor_commits_first):
        answered = place_order(
            cart=cart,
            email=jane.email,
            address=address_of(jane),
            actor=Actor(customer=jane),
            idempotency_key=KEY,
        )

    assert answered == earlier
    assert commerce_snapshot() == before  # this request's order, stock and cart rolled back
    cart.refresh_from_db()
    assert cart.is_active
    (stored,) = OrderPlacementKey.objects.all()
    assert stored.order == earlier
