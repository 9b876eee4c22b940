"""On a request that changes nothing (GET, HEAD), the mini cart's count comes with the
customer's row — in the customer's own statement, and in an assisted session in the live
check's — so the page reads no cart statement of its own; a request that may change the cart
reads the count when its page is rendered. Either way the count is the cart's. Such a request
also reads only the assisted session's columns it uses."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from login_as_customer.models import AssistedSession, EndReason
from shopassist.audit.models import ActionLogEntry
from shopassist.cart.models import CartItem
from tests.conftest import login_customer_client
from tests.login_as_customer.assisted import start_assisted
from tests.page_cache.test_leaks import add_to_cart, minicart_count

pytestmark = pytest.mark.django_db

PAGE = "/en/customer/account/"
CART_ITEMS = CartItem._meta.db_table
SESSIONS = AssistedSession._meta.db_table


def statements_reading(captured, table: str) -> list[str]:
    return [query["sql"] for query in captured if re.search(rf'\b"?{table}"?\b', query["sql"])]


def get(client: Client):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(PAGE)
    assert response.status_code == 200
    return response.content.decode(), captured


def test_a_customers_page_reads_the_count_with_the_customer(jane):
    browser = login_customer_client(Client(), jane)
    add_to_cart(browser, "SA-BAG-001", 2)

    body, captured = get(browser)

    assert minicart_count(body) == 2
    [count_read] = statements_reading(captured, CART_ITEMS)
    assert "customers_customer" in count_read


def test_an_assisted_page_reads_the_count_in_the_live_check(support_client, jane):
    browser, _session = start_assisted(support_client, jane)
    add_to_cart(browser, "SA-BAG-001", 3)  # a POST of the assisted session

    body, captured = get(browser)

    assert "You are connected as Jane Doe" in body
    assert minicart_count(body) == 3
    [count_read] = statements_reading(captured, CART_ITEMS)
    assert SESSIONS in count_read
    assert len(statements_reading(captured, SESSIONS)) == 1


def test_an_assisted_page_shows_a_change_made_behind_its_back(support_client, jane):
    browser, _session = start_assisted(support_client, jane)
    add_to_cart(browser, "SA-BAG-001", 1)
    CartItem.objects.filter(cart__customer=jane).update(qty=9)  # no signal, no service

    body, _captured = get(browser)

    assert minicart_count(body) == 9


def test_a_post_reads_the_customer_without_the_count(jane):
    """A request that may change the cart reads the customer alone; its count, if a page shows
    one, is read when the page is rendered, after the change."""
    browser = login_customer_client(Client(), jane)
    browser.get(PAGE)

    with CaptureQueriesContext(connection) as captured:
        response = browser.post("/en/checkout/cart/add/", {"sku": "SA-BAG-001", "qty": 4})

    assert response.status_code == 302
    customer_reads = [
        sql for sql in statements_reading(captured, "customers_customer") if "SELECT" in sql
    ]
    assert customer_reads, "the POST read no customer: the test would prove nothing"
    assert not any(CART_ITEMS in sql and "SUM" in sql for sql in customer_reads)
    assert minicart_count(get(browser)[0]) == 4


def test_a_reading_request_leaves_unused_columns_and_an_ending_records_them(support_client, jane):
    """A GET reads only the session's columns it uses; when that GET finds the session past its
    time, the ending loads the rest first, so the record and its log entry are whole."""
    browser, session = start_assisted(support_client, jane, reason="Ticket 4711")
    assert session.ip_address and session.user_agent

    with CaptureQueriesContext(connection) as captured:
        body, _captured = get(browser)
    [live_read] = [sql for sql in statements_reading(captured, SESSIONS) if "SELECT" in sql]
    assert '"user_agent"' not in live_read and '"reason"' not in live_read
    assert "You are connected as Jane Doe" in body

    AssistedSession.objects.filter(pk=session.pk).update(
        started_at=timezone.now() - timedelta(days=1)
    )
    response = browser.get(PAGE)

    assert response.status_code == 302
    ended = AssistedSession.objects.get(pk=session.pk)
    assert ended.end_reason == EndReason.MAX_DURATION
    assert (ended.reason, ended.ip_address, ended.user_agent) == (
        "Ticket 4711",
        session.ip_address,
        session.user_agent,
    )
    entry = ActionLogEntry.objects.filter(assisted_session_id=session.pk, action="end").get()
    assert (entry.admin_username, entry.store_view_code) == ("support", "en")
    assert entry.details["reason"] == EndReason.MAX_DURATION
