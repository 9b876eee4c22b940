"""Two buyers and the last unit: exactly one order, the other a clear error, stock never
negative. The concurrent version needs PostgreSQL (row locks across real connections); the
sequential version runs on every database."""

import threading
import time

import pytest
from django.db import connection

from shopassist.cart.models import Cart
from shopassist.catalog.models import Product
from shopassist.checkout.errors import CheckoutErrorCode
from shopassist.checkout.services import place_order
from shopassist.core.actor import Actor
from shopassist.core.errors import DomainError
from shopassist.customers.models import Customer
from shopassist.demo.loader import load_demo
from shopassist.sales.models import Order
from shopassist.sales.signals import order_placed
from tests.commerce import address_of, commerce_snapshot, connected, fill_cart, stock_of

LAST_UNIT_SKU = "SA-ELE-010"  # stock 1 in the demo catalog
ROUNDS = 3


def checkout(customer, cart):
    return place_order(
        cart=cart,
        email=customer.email,
        address=address_of(customer),
        actor=Actor(customer=customer),
    )


def test_second_checkout_of_the_last_unit_fails_cleanly(jane, marie):
    assert stock_of(LAST_UNIT_SKU) == 1
    jane_cart = fill_cart(jane, {LAST_UNIT_SKU: 1})
    marie_cart = fill_cart(marie, {LAST_UNIT_SKU: 1})
    order = checkout(jane, jane_cart)
    before = commerce_snapshot()

    with pytest.raises(DomainError) as error:
        checkout(marie, marie_cart)

    assert error.value.code == CheckoutErrorCode.OUT_OF_STOCK
    assert "out of stock" in error.value.message
    assert commerce_snapshot() == before
    assert stock_of(LAST_UNIT_SKU) == 0
    assert list(order.items.values_list("sku", "qty_ordered")) == [(LAST_UNIT_SKU, 1)]
    marie_cart.refresh_from_db()
    assert marie_cart.is_active


def race(buyers: list[tuple[Customer, Cart]]) -> dict[str, dict]:
    """Run one checkout per buyer, each in its own thread and database connection, released
    together by a barrier. Returns per e-mail: the order or the error, start and end times."""
    barrier = threading.Barrier(len(buyers))
    results: dict[str, dict] = {}

    def buy(customer, cart):
        outcome = {}
        try:
            barrier.wait(timeout=10)
            outcome["started"] = time.monotonic()
            outcome["order"] = checkout(customer, cart)
        except Exception as exc:  # reported to the test thread
            outcome["error"] = exc
        finally:
            outcome["ended"] = time.monotonic()
            results[customer.email] = outcome
            connection.close()

    threads = [threading.Thread(target=buy, args=buyer) for buyer in buyers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a checkout never finished"
    return results


def hold_the_lock(sender, order, **kwargs):
    """Keep the winner's transaction (and its product row lock) open a moment, so the other
    checkout is certainly waiting on the lock rather than arriving after the commit."""
    time.sleep(0.3)


@pytest.mark.postgres
def test_two_buyers_racing_for_the_last_unit_get_exactly_one_order(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip(
            f"needs PostgreSQL row locks across concurrent connections; the database is "
            f"{connection.vendor} (CI runs this on PostgreSQL)"
        )
    load_demo()
    jane = Customer.objects.get(email="jane.doe@example.com")
    marie = Customer.objects.get(email="marie.dupont@example.com")

    for _round in range(ROUNDS):
        Product.objects.filter(sku=LAST_UNIT_SKU).update(stock_qty=1)
        buyers = [
            (jane, fill_cart(jane, {LAST_UNIT_SKU: 1})),
            (marie, fill_cart(marie, {LAST_UNIT_SKU: 1})),
        ]
        orders_before = Order.objects.count()

        with connected(order_placed, hold_the_lock):
            results = race(buyers)

        winners = [r for r in results.values() if "order" in r]
        losers = [r for r in results.values() if "error" in r]
        assert len(winners) == 1, results
        assert len(losers) == 1, results
        [winner], [loser] = winners, losers
        assert isinstance(loser["error"], DomainError), loser["error"]
        assert loser["error"].code == CheckoutErrorCode.OUT_OF_STOCK
        # Both were in flight together: the loser started before the winner committed.
        assert loser["started"] < winner["ended"]
        assert Order.objects.count() == orders_before + 1
        assert Order.objects.latest("pk") == winner["order"]
        assert stock_of(LAST_UNIT_SKU) == 0
        carts = {customer.email: cart for customer, cart in buyers}
        winner_email = winner["order"].customer_email
        for email, cart in carts.items():
            cart.refresh_from_db()
            assert cart.is_active == (email != winner_email)
        # The loser's cart is closed before the next round, as a customer would empty it.
        Cart.objects.filter(pk__in=[cart.pk for cart in carts.values()]).update(is_active=False)
