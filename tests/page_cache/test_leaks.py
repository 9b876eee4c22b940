"""No visitor ever sees another visitor's parts through the shared page cache.

Four visitors — anonymous, customer A (Jane), customer B (Marie) and an administrator in an
assisted session as Jane — open every cached page in every order (all 24), with the setting
"Disable Page Cache for Admin User" on and off, starting each order from a cold cache. Each
response must show its own visitor's greeting, cart and CSRF token and nobody else's, the
banner only in the assisted session, and the headers of its kind of visitor; what the cache
holds must contain nothing of any visitor.
"""

import itertools
import re
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.core.cache import caches
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client

from login_as_customer import config as lac_config
from shopassist.core.config import config
from shopassist.storefront import page_cache, visitor_parts
from tests.conftest import login_customer_client
from tests.login_as_customer.assisted import banner_of, start_assisted
from tests.page_cache.conftest import CACHED_PAGES, page_cache_keys

pytestmark = pytest.mark.django_db

NAMES = ("Jane Doe", "Marie Dupont")
BANNER = 'class="lac-banner'
MESSAGE = 'class="sf-messages"'


@dataclass
class Visitor:
    label: str
    client: Client
    name: str | None  # the greeting's name, None when anonymous
    cart_count: int
    assisted: bool = False
    pending_message: bool = False
    seen: list = field(default_factory=list)

    def csrf_secret(self) -> str | None:
        cookie = self.client.cookies.get(settings.STOREFRONT_CSRF_COOKIE_NAME)
        return cookie.value if cookie else None


def minicart_count(body: str) -> int:
    match = re.search(r'data-testid="minicart-count">\s*(\d+)\s*<', body)
    assert match, "no mini cart on the page"
    return int(match.group(1))


def csrf_tokens(body: str) -> set[str]:
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', body))


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


def add_to_cart(client: Client, sku: str, qty: int):
    response = client.post("/en/checkout/cart/add/", {"sku": sku, "qty": qty, "next": "/en/"})
    assert response.status_code == 302, response.content[:300]


@pytest.fixture
def visitors(demo, jane, marie, administrator, admin_client_for):
    anonymous = Client()
    anonymous.get("/en/customer/account/login/")  # a CSRF cookie of its own, as any browser has
    customer_a = login_customer_client(Client(), jane)
    add_to_cart(customer_a, "SA-BAG-001", 2)
    customer_b = login_customer_client(Client(), marie)
    add_to_cart(customer_b, "SA-BAG-002", 3)
    assisted, _session = start_assisted(admin_client_for(administrator), jane)
    people = [
        Visitor("anonymous", anonymous, None, 0),
        Visitor("customer A", customer_a, "Jane Doe", 2),
        Visitor("customer B", customer_b, "Marie Dupont", 3),
        Visitor("assisted as A", assisted, "Jane Doe", 2, assisted=True),
    ]
    for person in people:  # read every pending message ("You added…") before the orders run
        person.client.get("/en/checkout/cart/")
        assert person.csrf_secret(), f"{person.label} has no CSRF secret"
    return people


def give_message(visitor: Visitor) -> None:
    """A message waiting for the visitor's next page: an add to cart refused for quantity."""
    response = visitor.client.post(
        "/en/checkout/cart/add/", {"sku": "SA-BAG-001", "qty": 10000, "next": "/en/"}
    )
    assert response.status_code == 302
    visitor.pending_message = True


def assert_own_page(visitor: Visitor, response, *, setting_on: bool, secrets: dict) -> None:
    body = response.content.decode()
    label = visitor.label
    assert response.status_code == 200, label

    # Greeting: its own name or the sign-in links, nobody else's name.
    for name in NAMES:
        assert (name in body) == (name == visitor.name), f"{label}: {name!r} on the page"
    assert ("customer/account/login/" in body) == (visitor.name is None), label

    # Cart, banner, messages.
    assert minicart_count(body) == visitor.cart_count, label
    assert bool(banner_of(response)) == visitor.assisted, f"{label}: banner"
    assert (BANNER in body) == visitor.assisted, f"{label}: banner markup"
    assert (MESSAGE in body) == visitor.pending_message, f"{label}: messages"
    visitor.pending_message = False

    # Every CSRF token on the page is the visitor's own.
    tokens = csrf_tokens(body)
    assert tokens, f"{label}: no CSRF token on the page"
    for token in tokens:
        assert _unmask_cipher_token(token) == secrets[label], f"{label}: foreign CSRF token"

    # Nothing of the cache's inner workings reaches a browser.
    assert visitor_parts.csrf_marker() not in body
    assert "<!--sa-part:" not in body and "<!--sa-sep:" not in body

    # Headers of the kind of visitor, and what the cache did.
    outcome = response[page_cache.HEADER]
    if visitor.assisted:
        assert cache_control(response) == {"private", "no-store"}, label
        allowed = {page_cache.BYPASS} if setting_on else {page_cache.HIT, page_cache.MISS}
        assert outcome in allowed, label
    else:
        assert cache_control(response) == {"private", "no-cache"}, label
        assert outcome in (page_cache.HIT, page_cache.MISS), label


def assert_cache_holds_nothing_personal(secrets: dict) -> None:
    store = caches[page_cache.ALIAS]
    keys = page_cache_keys()
    assert keys, "the cache stored nothing: the test would prove nothing"
    for raw_key in keys:
        key = raw_key.split(":", 2)[2]  # stored as "<prefix>:<version>:<key>"
        entry = store.get(key)
        assert entry is not None, raw_key
        body = entry["body"]
        for name in NAMES:
            assert name not in body
        assert BANNER not in body and MESSAGE not in body and "sf-greeting" not in body
        assert not csrf_tokens(body) - {visitor_parts.csrf_marker()}
        for secret in secrets.values():
            assert secret not in body


@pytest.mark.parametrize("setting_on", [True, False], ids=["disable-for-admin-yes", "no"])
def test_no_visitor_sees_another_visitors_parts_in_any_order(visitors, set_config, setting_on):
    set_config({lac_config.DISABLE_PAGE_CACHE: "1" if setting_on else "0"})
    secrets = {visitor.label: visitor.csrf_secret() for visitor in visitors}
    assert len(set(secrets.values())) == len(visitors), "each visitor has a secret of its own"
    outcomes = set()

    for order in itertools.permutations(visitors):
        for url in CACHED_PAGES:
            config.invalidate()  # a cold cache for every order: the first visitor fills it
            give_message(order[-1])  # the last in line arrives with a message
            for visitor in order:
                before = page_cache_keys()
                response = visitor.client.get(url)
                assert_own_page(visitor, response, setting_on=setting_on, secrets=secrets)
                outcomes.add((visitor.assisted, response[page_cache.HEADER]))
                if visitor.assisted:  # stores nothing (a key may only vanish: Redis is shared)
                    added = page_cache_keys() - before
                    assert not added, f"an assisted request stored {added}"
    assert_cache_holds_nothing_personal(secrets)

    # Every path was taken: misses and hits for visitors, and the setting's path for admins.
    assert {(False, page_cache.MISS), (False, page_cache.HIT)} <= outcomes
    if setting_on:
        assert {o for a, o in outcomes if a} == {page_cache.BYPASS}
    else:
        assert {o for a, o in outcomes if a} == {page_cache.HIT, page_cache.MISS}


@pytest.mark.parametrize("setting_on", [True, False], ids=["disable-for-admin-yes", "no"])
def test_setting_decides_whether_the_administrator_reads_the_cached_page(
    demo, jane, administrator, admin_client_for, set_config, setting_on
):
    """Yes: the administrator sees the page as it is now, even while the cache holds an older
    copy; No: the administrator sees what the customer is served from the cache."""
    from shopassist.catalog.models import Product

    set_config({lac_config.DISABLE_PAGE_CACHE: "1" if setting_on else "0"})
    url = "/en/product/SA-BAG-001/"
    customer = login_customer_client(Client(), jane)
    assert customer.get(url)[page_cache.HEADER] == page_cache.MISS
    # Changed behind the cache's back (no invalidation): only a fresh render shows it.
    Product.objects.filter(sku="SA-BAG-001").update(price="777.00")
    assert "777.00" not in customer.get(url).content.decode()

    assisted, _session = start_assisted(admin_client_for(administrator), jane)
    before = page_cache_keys()
    response = assisted.get(url)
    assert not page_cache_keys() - before, "the assisted request stored a page"
    if setting_on:
        assert response[page_cache.HEADER] == page_cache.BYPASS
        assert "777.00" in response.content.decode()
    else:
        assert response[page_cache.HEADER] == page_cache.HIT
        assert "777.00" not in response.content.decode()
    assert "Jane Doe" in banner_of(response)


def test_parts_of_blank_visitors_are_shared_but_never_with_a_visitor_who_has_a_cart(demo):
    """Blank visitors (not logged in, no cart, no messages) get parts rendered once; a guest
    with a cart or a message is not blank and gets their own."""
    url = "/en/product/SA-BAG-001/"
    first, second, guest = Client(), Client(), Client()
    assert first.get(url)[page_cache.HEADER] == page_cache.MISS
    add_to_cart(guest, "SA-BAG-002", 2)  # leaves "You added…" for the guest's next page

    for visitor, count, message in ((second, 0, False), (guest, 2, True), (guest, 2, False)):
        response = visitor.get(url)
        body = response.content.decode()
        assert response[page_cache.HEADER] == page_cache.HIT
        assert minicart_count(body) == count
        assert (MESSAGE in body) == message
        assert "customer/account/login/" in body

    tokens = {visitor: csrf_tokens(visitor.get(url).content.decode()) for visitor in (first, guest)}
    secrets = {
        visitor: visitor.cookies[settings.STOREFRONT_CSRF_COOKIE_NAME].value
        for visitor in (first, guest)
    }
    for visitor, found in tokens.items():
        assert {_unmask_cipher_token(token) for token in found} == {secrets[visitor]}
    assert secrets[first] != secrets[guest]
