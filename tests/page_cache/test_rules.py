"""What the shared page cache stores, for whom, and what every response says about caching."""

import html
import re

import pytest
from django.test import Client

from shopassist.cart.models import Cart, CartItem
from shopassist.customers.models import NOT_LOGGED_IN, CustomerGroup
from shopassist.storefront import page_cache, visitor_parts
from tests.commerce import minicart_count
from tests.conftest import login_customer_client
from tests.page_cache.conftest import CACHED_PAGES, page_cache_keys
from tests.pages import csrf_token_of

PRODUCT_URL = "/en/product/SA-BAG-001/"
CATEGORY_URL = "/en/category/bags/"
HIT, MISS, BYPASS, OFF = page_cache.HIT, page_cache.MISS, page_cache.BYPASS, page_cache.OFF


def outcome(response) -> str | None:
    return response.get(page_cache.HEADER)


def visit(url, client=None):
    """GET ``url`` as ``client`` (a fresh anonymous visitor by default)."""
    return (client or Client()).get(url)


def without_csrf(page: bytes) -> bytes:
    """The page with its CSRF tokens blanked: they are the only per-visitor difference."""
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b'name="csrfmiddlewaretoken"', page)


def skus_listed(page: bytes) -> list[str]:
    return re.findall(r'class="sf-product-name" href="/en/product/([^/]+)/"', page.decode())


def greeting(page: bytes) -> str | None:
    match = re.search(r'<span class="sf-greeting">([^<]*)</span>', page.decode())
    return html.unescape(match[1]) if match else None


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def vary(response) -> set[str]:
    return {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}


def no_marker_in(page: bytes) -> None:
    body = page.decode()
    assert visitor_parts.csrf_marker() not in body
    for name in visitor_parts.PARTS:
        assert visitor_parts.marker(name) not in body, name


def cart_rows() -> list[tuple]:
    return list(CartItem.objects.order_by("pk").values_list("pk", "cart_id", "product_id", "qty"))


# --- What is stored, and what is not -------------------------------------------------------------


@pytest.mark.parametrize("url", CACHED_PAGES)
def test_page_built_for_one_visitor_is_served_to_the_next(demo, url):
    first = visit(url)
    assert (first.status_code, outcome(first)) == (200, MISS)
    assert len(page_cache_keys()) == 1

    second = visit(url)

    assert (second.status_code, outcome(second)) == (200, HIT)
    assert without_csrf(second.content) == without_csrf(first.content)
    assert len(page_cache_keys()) == 1


@pytest.mark.parametrize(
    ("cached_url", "extra"),
    [
        (PRODUCT_URL, "?utm_source=x"),
        (CATEGORY_URL, "?foo=1"),
        ("/en/", "?utm_source=x"),
        ("/en/catalogsearch/?q=bag", "&foo=1"),
    ],
)
def test_unknown_query_parameter_bypasses_the_cache(demo, cached_url, extra):
    visit(cached_url)
    keys = page_cache_keys()
    assert len(keys) == 1

    for _visitor in range(2):
        response = visit(cached_url + extra)
        assert (response.status_code, outcome(response)) == (200, BYPASS)

    assert page_cache_keys() == keys


def test_category_is_cached_per_sort_order(demo):
    urls = [CATEGORY_URL, f"{CATEGORY_URL}?sort=price", f"{CATEGORY_URL}?sort=name"]
    for url in urls:
        assert outcome(visit(url)) == MISS, url
    assert len(page_cache_keys()) == 3

    by_position, by_price, by_name = (visit(url) for url in urls)

    assert [outcome(r) for r in (by_position, by_price, by_name)] == [HIT, HIT, HIT]
    assert skus_listed(by_position.content)[0] == "SA-BAG-001"
    assert skus_listed(by_price.content)[0] == "SA-BAG-008"  # Insulated Lunch Bag, $24.00
    assert skus_listed(by_name.content)[0] == "SA-BAG-009"  # Camera Shoulder Bag
    assert len(page_cache_keys()) == 3


def test_category_with_both_known_parameters_is_cached(demo):
    url = f"{CATEGORY_URL}?sort=price&page=1"
    assert outcome(visit(url)) == MISS

    response = visit(url)

    assert outcome(response) == HIT
    assert skus_listed(response.content)[0] == "SA-BAG-008"
    assert len(page_cache_keys()) == 1


def test_search_is_cached_per_query_and_page(demo):
    urls = [
        "/en/catalogsearch/?q=bag",
        "/en/catalogsearch/?q=bag&page=1",
        "/en/catalogsearch/?q=leather",
    ]
    for url in urls:
        assert outcome(visit(url)) == MISS, url
    assert len(page_cache_keys()) == 3

    bag, bag_page_one, leather = (visit(url) for url in urls)

    assert [outcome(r) for r in (bag, bag_page_one, leather)] == [HIT, HIT, HIT]
    assert b"Search results for: 'bag'" in bag.content
    assert b"Search results for: 'leather'" in leather.content
    assert skus_listed(bag.content) == skus_listed(bag_page_one.content)
    assert skus_listed(bag.content) != skus_listed(leather.content)
    assert "SA-BAG-002" in skus_listed(leather.content)  # Leather Laptop Backpack


def test_url_longer_than_the_limit_bypasses_the_cache(demo):
    url = "/en/catalogsearch/?q=" + "a" * page_cache.MAX_URL_LENGTH
    assert len(url) > page_cache.MAX_URL_LENGTH

    for _visitor in range(2):
        response = visit(url)
        assert (response.status_code, outcome(response)) == (200, BYPASS)

    assert page_cache_keys() == set()


def test_longest_search_worth_a_copy_is_cached_and_a_longer_one_is_not(demo):
    """The search box takes 100 characters and the page shows no more: a longer query would
    only be another copy of the same page."""
    longest = "/en/catalogsearch/?q=" + "a" * 100
    assert outcome(visit(longest)) == MISS
    assert outcome(visit(longest)) == HIT

    before = page_cache_keys()
    assert outcome(visit(longest + "a")) == BYPASS
    assert page_cache_keys() == before


@pytest.mark.parametrize(
    "query",
    [
        "page=x1",
        "page=0",
        "page=01",
        "page=1000",
        "page=%C2%B2",
        "sort=anything",
        "sort=-price",
        "page=1&page=2",
        "sort=name&sort=price",
    ],
)
def test_values_not_worth_a_copy_bypass_the_cache(demo, query):
    """Parameter values the page would show as another one (a junk page number, an unknown
    sort order, a repeated parameter) never get a copy of their own."""
    response = visit(f"/en/category/bags/?{query}")

    assert (response.status_code, outcome(response)) == (200, BYPASS)
    assert page_cache_keys() == set()


def test_the_port_in_the_host_header_makes_no_copy_of_its_own(demo):
    url = "/en/product/SA-BAG-001/"
    assert outcome(Client().get(url, HTTP_HOST="localhost")) == MISS
    for port in ("8001", "65535"):
        response = Client().get(url, HTTP_HOST=f"LOCALHOST:{port}")
        assert outcome(response) == HIT
        assert f":{port}" not in response.content.decode()
    assert len(page_cache_keys()) == 1


def test_head_requests_are_answered_but_never_stored(demo):
    url = "/en/product/SA-BAG-001/"
    assert outcome(Client().head(url)) == MISS
    assert page_cache_keys() == set()
    assert outcome(Client().get(url)) == MISS
    assert outcome(Client().head(url)) == HIT


@pytest.mark.parametrize("url", ["/en/product/SA-NOPE-404/", "/en/category/no-such-category/"])
def test_not_found_pages_are_not_stored(demo, url):
    visit(PRODUCT_URL)
    keys = page_cache_keys()

    for _visitor in range(2):
        response = visit(url)
        assert response.status_code == 404
        # The storefront's own 404 page (issue 13, point 9), not a stored copy of another page.
        assert b'data-testid="error-page" data-status="404"' in response.content
        assert outcome(response) != HIT

    assert page_cache_keys() == keys


def test_cache_turned_off_answers_off_and_stores_nothing(demo, settings):
    settings.PAGE_CACHE_ENABLED = False

    for _visitor in range(2):
        response = visit(PRODUCT_URL)
        assert (response.status_code, outcome(response)) == (200, OFF)

    assert page_cache_keys() == set()


def test_header_turned_off_is_not_sent_while_the_cache_works(demo, settings):
    settings.PAGE_CACHE_HEADER = False

    first, second = visit(PRODUCT_URL), visit(PRODUCT_URL)

    assert page_cache.HEADER not in first and page_cache.HEADER not in second
    assert first.status_code == second.status_code == 200
    assert len(page_cache_keys()) == 1


# --- Price context -------------------------------------------------------------------------------


def test_each_customer_group_has_its_own_copy_and_each_visitor_sees_their_own_name(
    demo, jane, chen, marie
):
    jane.group = CustomerGroup.WHOLESALE
    jane.save(update_fields=["group"])
    assert chen.group == marie.group == CustomerGroup.GENERAL
    wholesale = login_customer_client(Client(), jane)
    general = login_customer_client(Client(), chen)
    anonymous = Client()

    for client in (anonymous, general, wholesale):
        assert outcome(visit(PRODUCT_URL, client)) == MISS
    keys = page_cache_keys()
    assert len(keys) == 3
    for context in (NOT_LOGGED_IN, CustomerGroup.GENERAL, CustomerGroup.WHOLESALE):
        assert len([key for key in keys if f":{context}:" in key]) == 1, context

    seen = {
        "anonymous": visit(PRODUCT_URL, anonymous),
        "chen": visit(PRODUCT_URL, general),
        "jane": visit(PRODUCT_URL, wholesale),
        "marie": visit(PRODUCT_URL, login_customer_client(Client(), marie)),  # general too
    }

    assert {who: outcome(r) for who, r in seen.items()} == dict.fromkeys(seen, HIT)
    assert {who: greeting(r.content) for who, r in seen.items()} == {
        "anonymous": None,
        "chen": "Welcome, Chen Wei!",
        "jane": "Welcome, Jane Doe!",
        "marie": "Welcome, Marie Dupont!",
    }
    assert b"Sign In" in seen["anonymous"].content
    assert page_cache_keys() == keys


# --- Markers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "<!--sa-part:0000:account_links-->",
        f"<!--sa-part:{'0' * 24}:minicart-->",
        "sa-csrf-0000",
    ],
)
def test_query_imitating_a_marker_is_shown_as_typed(demo, jane, query):
    url = f"/en/catalogsearch/?q={query}"
    pages = [visit(url), visit(url), visit(url, login_customer_client(Client(), jane))]

    assert [outcome(r) for r in pages] == [MISS, HIT, MISS]  # Jane: another price context
    heading = f"<h1>Search results for: '{html.escape(query)}'</h1>".encode()
    for response in pages:
        assert response.status_code == 200
        assert heading in response.content
        if "<" in query:
            assert query.encode() not in response.content
        assert response.content.count(b'data-testid="minicart-count"') == 1
        no_marker_in(response.content)
    assert [greeting(r.content) for r in pages] == [None, None, "Welcome, Jane Doe!"]
    assert pages[2].content.count(b'class="sf-greeting"') == 1


@pytest.mark.parametrize("url", CACHED_PAGES)
def test_no_response_ever_carries_a_real_marker(demo, jane, url):
    customer = login_customer_client(Client(), jane)
    for client in (Client(), Client(), customer, customer):
        response = visit(url, client)
        assert response.status_code == 200
        no_marker_in(response.content)


# --- Response headers ----------------------------------------------------------------------------


def test_cached_storefront_page_is_private_and_revalidated(demo):
    for expected in (MISS, HIT):
        response = visit(PRODUCT_URL)
        assert outcome(response) == expected
        assert cache_control(response) == {"private", "no-cache"}
        assert "cookie" in vary(response)  # its CSRF token lives in the visitor's session


@pytest.mark.parametrize("url", ["/en/checkout/cart/", "/en/customer/account/"])
def test_storefront_pages_outside_the_cache_are_private_and_revalidated(demo, jane, url):
    response = visit(url, login_customer_client(Client(), jane))

    assert response.status_code == 200
    assert outcome(response) is None
    assert {"private", "no-cache"} <= cache_control(response)
    assert "cookie" in vary(response)


@pytest.mark.parametrize("url", ["/admin/", "/admin/catalog/product/"])
def test_admin_pages_are_never_stored(demo, administrator, admin_client_for, url):
    response = admin_client_for(administrator).get(url)

    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_control(response)


def test_admin_login_page_is_never_stored(demo):
    response = Client().get("/admin/login/")

    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_control(response)


def test_api_answers_are_never_stored(demo):
    response = Client().get("/api/v1/openapi.json")

    assert response.status_code == 200
    assert "no-store" in cache_control(response)


# --- HEAD and CSRF -------------------------------------------------------------------------------


def test_head_request_is_served_from_the_cache(demo):
    assert outcome(visit(PRODUCT_URL)) == MISS
    keys = page_cache_keys()

    response = Client().head(PRODUCT_URL)

    assert (response.status_code, outcome(response)) == (200, HIT)
    assert response.content == b""
    assert page_cache_keys() == keys


def add_to_cart(client, token):
    return client.post(
        "/en/checkout/cart/add/",
        {"csrfmiddlewaretoken": token, "sku": "SA-BAG-001", "qty": "1", "next": PRODUCT_URL},
    )


def test_csrf_token_of_a_cached_page_works_for_its_visitor(demo):
    visit(PRODUCT_URL)
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(PRODUCT_URL)
    assert outcome(page) == HIT
    assert minicart_count(page) == 0

    response = add_to_cart(visitor, csrf_token_of(page))

    assert (response.status_code, response["Location"]) == (302, PRODUCT_URL)
    after = visitor.get(PRODUCT_URL)
    assert outcome(after) == HIT
    assert minicart_count(after) == 1
    assert b"You added the product to your shopping cart." in after.content


def test_csrf_token_of_a_cached_page_is_refused_to_another_visitor(demo):
    visit(PRODUCT_URL)
    owner, other = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    token = csrf_token_of(owner.get(PRODUCT_URL))
    assert outcome(other.get(PRODUCT_URL)) == HIT  # the other visitor has a session of its own
    carts, rows = Cart.objects.count(), cart_rows()

    response = add_to_cart(other, token)

    assert response.status_code == 403
    assert (Cart.objects.count(), cart_rows()) == (carts, rows)
    assert minicart_count(other.get(PRODUCT_URL)) == 0
    assert minicart_count(owner.get(PRODUCT_URL)) == 0


# --- Releases --------------------------------------------------------------------------------


def test_pages_of_another_release_are_never_served(demo, settings):
    url = "/en/product/SA-BAG-001/"
    page_cache.release.cache_clear()
    try:  # whatever fails, later tests of the worker get the release of their settings back
        settings.PAGE_CACHE_RELEASE = "release-a"
        assert Client().get(url)[page_cache.HEADER] == page_cache.MISS
        assert Client().get(url)[page_cache.HEADER] == page_cache.HIT

        settings.PAGE_CACHE_RELEASE = "release-b"
        page_cache.release.cache_clear()
        assert Client().get(url)[page_cache.HEADER] == page_cache.MISS
    finally:
        page_cache.release.cache_clear()


def test_release_fingerprint_follows_the_static_files_manifest(settings, tmp_path):
    settings.PAGE_CACHE_RELEASE = ""
    settings.STATIC_ROOT = tmp_path
    manifest = tmp_path / "staticfiles.json"
    fingerprints = []
    try:
        for content in ('{"paths": {"a.css": "a.1.css"}}', '{"paths": {"a.css": "a.2.css"}}'):
            manifest.write_text(content)
            page_cache.release.cache_clear()
            fingerprints.append(page_cache.release())
        page_cache.release.cache_clear()
        assert page_cache.release() == fingerprints[-1]  # stable for the same files
    finally:
        page_cache.release.cache_clear()
    assert fingerprints[0] != fingerprints[1]


# --- What the public render carries ----------------------------------------------------------


def test_public_request_carries_the_price_context_and_nothing_else_of_the_visitor(
    rf, jane, store_views
):
    jane.group = CustomerGroup.WHOLESALE
    request = rf.get("/en/product/SA-BAG-001/?x=1", HTTP_HOST="LocalHost:8000")
    request.area, request.store_view, request.resolver_match = "storefront", store_views["en"], None
    request.customer = jane
    request.COOKIES["sa_store_session"] = "secret-session-key"

    public = page_cache.public_request(request)

    assert page_cache.price_context(public) == CustomerGroup.WHOLESALE
    assert public.customer is None and not public.COOKIES
    assert not hasattr(public, "session")
    assert public.get_host() == "localhost"
    assert public.get_full_path() == "/en/product/SA-BAG-001/?x=1"


def test_pages_built_with_another_secret_key_are_never_served(demo, settings):
    url = "/en/product/SA-BAG-001/"
    assert outcome(visit(url)) == MISS
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40
    visitor_parts._nonce.cache_clear()
    try:
        response = visit(url)
        body = response.content.decode()
        assert outcome(response) == MISS
        assert "sa-csrf-" not in body and "<!--sa-part:" not in body
        assert re.search(r'name="csrfmiddlewaretoken" value="[A-Za-z0-9]{64}"', body)
    finally:
        visitor_parts._nonce.cache_clear()


def test_unencoded_utf8_query_renders_as_the_visitor_typed_it(demo):
    """Some clients send UTF-8 query strings without percent-encoding: the page built for the
    cache reads the query as Django decodes it, not as the server's Latin-1 string."""
    raw = "q=sac à dos".encode().decode("iso-8859-1")  # what a WSGI server hands over

    for expected in (MISS, HIT):
        response = Client().get("/en/catalogsearch/", QUERY_STRING=raw)
        assert outcome(response) == expected
        assert 'value="sac à dos"' in response.content.decode()
