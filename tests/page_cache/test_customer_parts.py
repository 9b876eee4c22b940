"""A logged-in customer's parts come from a per-process memo keyed by what they show (the
account's columns, the cart count, store view, language, configuration version), with the
CSRF token put in per request; and the customer's cached page reads its session, customer and
cart count in statements written once, never through the ORM's query building."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.db.models.sql.query import Query
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.test.utils import CaptureQueriesContext

from shopassist.cart.models import CartItem
from shopassist.customers.models import Customer
from shopassist.storefront import page_cache, visitor_parts
from tests.conftest import login_customer_client
from tests.page_cache.test_leaks import add_to_cart, csrf_tokens, minicart_count

pytestmark = pytest.mark.django_db

URL = "/en/product/SA-BAG-001/"


def greeting(body: str) -> str | None:
    match = re.search(r'<span class="sf-greeting">([^<]*)</span>', body)
    return match.group(1).strip() if match else None


def hit(client: Client) -> str:
    """The page from the cache (the parts are filled on a hit), read after its messages."""
    return page(client, expect=(page_cache.HIT,))


def page(client: Client, expect=(page_cache.HIT, page_cache.MISS)) -> str:
    """The page, parts filled, read after its messages (a visitor whose price context changed
    gets the copy of another key: a miss, then hits)."""
    client.get("/en/checkout/cart/")  # shows and so clears any pending message
    response = client.get(URL)
    assert response.status_code == 200
    assert response[page_cache.HEADER] in expect
    return response.content.decode()


def secret_of(client: Client) -> str:
    return client.cookies[settings.STOREFRONT_CSRF_COOKIE_NAME].value


@pytest.fixture
def jane_browser(jane):
    client = login_customer_client(Client(), jane)
    client.get(URL)  # fills the page cache
    return client


def test_the_mini_cart_follows_every_cart_change(jane_browser, jane):
    assert minicart_count(hit(jane_browser)) == 0

    add_to_cart(jane_browser, "SA-BAG-001", 2)
    assert minicart_count(hit(jane_browser)) == 2

    item = CartItem.objects.get(
        cart__customer=jane, cart__is_active=True, product__sku="SA-BAG-001"
    )
    jane_browser.post("/en/checkout/cart/update/", {"item_id": item.pk, "qty": "5"})
    assert minicart_count(hit(jane_browser)) == 5

    # Changed behind the memo's back (no signal, no service): the count is read every time.
    CartItem.objects.filter(pk=item.pk).update(qty=7)
    assert minicart_count(hit(jane_browser)) == 7

    jane_browser.post("/en/checkout/cart/remove/", {"item_id": item.pk})
    assert minicart_count(hit(jane_browser)) == 0


def test_the_greeting_follows_a_name_change(jane_browser, jane):
    assert greeting(hit(jane_browser)) == "Welcome, Jane Doe!"

    response = jane_browser.post(
        "/en/customer/account/edit/",
        {"first_name": "Janet", "last_name": "Doe-Smith", "email": jane.email},
    )
    assert response.status_code == 302
    assert greeting(hit(jane_browser)) == "Welcome, Janet Doe-Smith!"

    # Changed behind the memo's back: the account's columns are read every time.
    Customer.objects.filter(pk=jane.pk).update(first_name="J. <b>")
    body = hit(jane_browser)
    assert greeting(body) == "Welcome, J. &lt;b&gt; Doe-Smith!"
    assert "J. <b>" not in body


def test_after_sign_out_the_page_shows_no_customer(jane_browser):
    assert greeting(hit(jane_browser)) == "Welcome, Jane Doe!"
    token = csrf_tokens(hit(jane_browser)).pop()

    response = jane_browser.post("/en/customer/account/logout/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    body = page(jane_browser)

    assert greeting(body) is None and "Jane Doe" not in body
    assert "customer/account/login/" in body
    assert minicart_count(body) == 0


def test_a_deactivated_account_is_signed_out_on_its_next_page(jane_browser, jane):
    assert greeting(hit(jane_browser)) == "Welcome, Jane Doe!"

    Customer.objects.filter(pk=jane.pk).update(is_active=False)
    body = page(jane_browser)

    assert greeting(body) is None and "Jane Doe" not in body


@pytest.mark.parametrize("order", ["jane-first", "marie-first"])
def test_customers_in_one_process_each_get_their_own_parts_and_token(jane, marie, order):
    """Same store view, language and cart count: only the account tells the memo's entries
    apart, and each visitor's token is their own, in every order."""
    jane_client = login_customer_client(Client(), jane)
    marie_client = login_customer_client(Client(), marie)
    jane_again = login_customer_client(Client(), jane)  # Jane in a second browser
    people = [
        (jane_client, "Welcome, Jane Doe!"),
        (marie_client, "Welcome, Marie Dupont!"),
        (jane_again, "Welcome, Jane Doe!"),
    ]
    if order == "marie-first":
        people.reverse()
    jane_client.get(URL)  # fills the page cache

    for _round in range(2):
        for client, expected in people:
            body = hit(client)
            assert greeting(body) == expected
            assert minicart_count(body) == 0
            tokens = csrf_tokens(body)
            assert tokens
            assert {_unmask_cipher_token(token) for token in tokens} == {secret_of(client)}
    assert len({secret_of(client) for client, _name in people}) == 3


def test_the_memo_holds_no_token_and_no_password_hash(jane_browser, jane):
    visitor_parts._customer_parts.clear()
    hit(jane_browser)

    entries = [
        (key, html)
        for key, parts in visitor_parts._customer_parts.items()
        for html in parts
        if jane.pk in key[4]
    ]
    assert entries, "the customer's parts were not remembered: the test would prove nothing"
    secret = secret_of(jane_browser)
    for key, html in entries:
        assert jane.password not in key[4]
        assert secret not in html
        assert not csrf_tokens(html) - {visitor_parts.csrf_marker()}


def test_a_customers_cached_page_reads_in_statements_written_once(jane_browser, monkeypatch):
    """Session (unless Redis holds its copy), then the customer with their cart count in one
    statement (a GET changes no cart): none built by the ORM on the request."""
    hit(jane_browser)
    built = []
    get_compiler = Query.get_compiler

    def spy(query, *args, **kwargs):
        built.append(query.model)
        return get_compiler(query, *args, **kwargs)

    monkeypatch.setattr(Query, "get_compiler", spy)
    with CaptureQueriesContext(connection) as captured:
        response = jane_browser.get(URL)

    assert response[page_cache.HEADER] == page_cache.HIT
    assert "Welcome, Jane Doe!" in response.content.decode()
    assert built == []
    tables = [re.findall(r'FROM "(\w+)"', query["sql"]) for query in captured]
    session_in_database = settings.SESSION_ENGINE == "shopassist.core.database_sessions"
    expected = [["django_session"]] if session_in_database else []
    assert tables == [*expected, ["cart_cartitem", "customers_customer"]]


def test_direction_controls_in_a_name_stay_inside_the_greeting(jane_browser, jane):
    """An RLO the customer typed in their name would reverse "Doe!" after it: the name is held
    in an isolate of its own, its stray PDI given the FSI it closes (``lac_isolated``)."""
    Customer.objects.filter(pk=jane.pk).update(first_name="\u202eJane\u2069")

    body = hit(jane_browser)

    shown = re.search(r'<span class="sf-greeting">(.*?)</span>', body, re.S).group(1).strip()
    assert shown == "Welcome, <bdi>\u2068\u202eJane\u2069 Doe</bdi>!"
