"""Changes to products, categories, prices or stock refresh the affected pages at once.

Each test warms the pages (an anonymous ``miss``, then another visitor's ``hit``), changes the
data the way the product does it — the admin forms, checkout, a credit memo, the configuration
page — with its commit, and checks the next visitor gets a fresh page (``miss``) showing the
change. Then the tag versions themselves (``shopassist.core.cache_tags``): the race rule,
eviction, and a bump reaching another cache client and another server process.
"""

import html
import json
import os
import re
import subprocess
import sys
import textwrap
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.db import connection, transaction
from django.db.models.fields.files import FieldFile
from django.test import Client

from shopassist.catalog.models import Category, Product
from shopassist.core import cache_tags
from shopassist.core.actor import Actor
from shopassist.sales import services as sales
from shopassist.storefront import page_cache
from tests.commerce import order_for, stock_of
from tests.test_config import read_line, shares_database_between_processes

PRODUCT = "SA-BAG-001"  # "Canvas Weekender Bag", $89.00, in "bags", among the home page's eight
PRODUCT_NAME = "Canvas Weekender Bag"
PRODUCT_URL = f"/en/product/{PRODUCT}/"
CATEGORY_URL = "/en/category/bags/"
SEARCH_URL = "/en/catalogsearch/?q=Canvas"
HOME_URL = "/en/"
LISTINGS = (CATEGORY_URL, SEARCH_URL, HOME_URL)
STORE_NAME = "general/store_information/name"


# --- Reading the pages --------------------------------------------------------------------------


def outcome(response) -> str | None:
    return response.get(page_cache.HEADER)


def cached(url) -> str:
    """Warm ``url``: one anonymous visitor builds it (miss), the next is served it (hit)."""
    first, second = Client().get(url), Client().get(url)
    assert (first.status_code, outcome(first)) == (200, page_cache.MISS), url
    assert (second.status_code, outcome(second)) == (200, page_cache.HIT), url
    return second.content.decode()


def refreshed(url) -> str:
    """The page the next visitor gets: built afresh, not the stale copy."""
    response = Client().get(url)
    assert (response.status_code, outcome(response)) == (200, page_cache.MISS), url
    return response.content.decode()


def still_cached(url) -> str:
    response = Client().get(url)
    assert (response.status_code, outcome(response)) == (200, page_cache.HIT), url
    return response.content.decode()


def without_csrf(page: str) -> str:
    """The page with its CSRF tokens blanked: they are the only per-visitor difference."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken"', page)


def card(page: str, sku: str) -> dict | None:
    """The product card of ``sku`` in a product grid (None when the grid does not list it)."""
    for chunk in page.split('<li class="sf-product-card">')[1:]:
        chunk = chunk.split("</li>")[0]
        if f'href="/en/product/{sku}/"' in chunk:
            name = re.search(r'class="sf-product-name"[^>]*>([^<]*)<', chunk)[1]
            price = re.search(r'<span class="sf-price">([^<]*)<', chunk)[1]
            return {
                "name": html.unescape(name),
                "price": price,
                "in_stock": "Add to Cart" in chunk,
                "out_of_stock": "Out of stock" in chunk,
            }
    return None


def product_page(page: str) -> dict:
    return {
        "name": html.unescape(re.search(r"<h1>([^<]*)</h1>", page)[1]),
        "price": re.search(r'sf-price-large">([^<]*)<', page)[1],
        "stock": re.search(r'<p class="sf-stock-(?:in|out)">([^<]*)</p>', page)[1],
    }


def category_menu(page: str) -> list[str]:
    nav = re.search(r'<nav class="sf-categories".*?</nav>', page, re.S)[0]
    return [html.unescape(name) for name in re.findall(r"<a [^>]*>([^<]*)</a>", nav)]


# --- Changing the data as the admin does ----------------------------------------------------------


def admin_form_data(response) -> dict:
    """The fields of an admin change page, as the browser would send them unchanged."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False or isinstance(value, FieldFile):
                continue
            if value is True:
                value = "on"
            elif isinstance(value, list | tuple):
                value = [str(getattr(item, "pk", item)) for item in value]
            else:
                value = str(value)
            data[form.add_prefix(name)] = value
    return data


def admin_save(client, url, change) -> None:
    """Open an admin change page, apply ``change(data)`` to its fields, and save it."""
    page = client.get(url)
    assert page.status_code == 200
    data = admin_form_data(page)
    change(data)
    response = client.post(url, data)
    assert response.status_code == 302, response.context and [
        response.context["adminform"].form.errors,
        [f.formset.errors for f in response.context["inline_admin_formsets"]],
    ]


def field_holding(data: dict, value: str) -> str:
    return next(name for name, held in data.items() if held == value)


def product_change_url(sku) -> str:
    return f"/admin/catalog/product/{Product.objects.get(sku=sku).pk}/change/"


@pytest.fixture
def admin(administrator, admin_client_for):
    return admin_client_for(administrator)


@pytest.fixture
def committed(db, django_capture_on_commit_callbacks):
    """``with committed():`` — the block's on-commit callbacks (the tag bumps) run at its end,
    as they would when the request's transaction commits."""

    @contextmanager
    def block():
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            yield callbacks

    return block


# --- Price, stock, texts, categories, state -------------------------------------------------------


def test_price_changed_in_the_admin_shows_on_every_page_listing_the_product(demo, admin, committed):
    assert product_page(cached(PRODUCT_URL))["price"] == "$89.00"
    for url in LISTINGS:
        assert card(cached(url), PRODUCT)["price"] == "$89.00", url

    with committed():
        admin_save(admin, product_change_url(PRODUCT), lambda data: data.update(price="83.17"))

    assert Product.objects.get(sku=PRODUCT).price == Decimal("83.17")
    page = refreshed(PRODUCT_URL)
    assert product_page(page)["price"] == "$83.17"
    assert "$89.00" not in page
    for url in LISTINGS:
        assert card(refreshed(url), PRODUCT) == {
            "name": PRODUCT_NAME,
            "price": "$83.17",
            "in_stock": True,
            "out_of_stock": False,
        }, url


def test_price_saved_through_the_model_refreshes_the_product_page(demo, committed):
    cached(PRODUCT_URL)
    product = Product.objects.get(sku=PRODUCT)

    with committed():
        product.price = Decimal("91.50")
        product.save()

    assert product_page(refreshed(PRODUCT_URL))["price"] == "$91.50"


def test_last_units_sold_at_checkout_show_out_of_stock(demo, jane, committed):
    sku = "SA-ELE-010"
    url = f"/en/product/{sku}/"
    assert product_page(cached(url))["stock"] == "In stock"
    assert card(cached("/en/category/electronics/"), sku)["in_stock"]

    with committed():
        order_for(jane, {sku: stock_of(sku)})

    assert stock_of(sku) == 0
    page = refreshed(url)
    assert product_page(page)["stock"] == "Out of stock"
    assert "Add to Cart" not in page
    listed = card(refreshed("/en/category/electronics/"), sku)
    assert listed["out_of_stock"] and not listed["in_stock"]


def test_credit_memo_returning_the_units_to_stock_shows_in_stock_again(demo, jane, committed):
    sku = "SA-ELE-010"
    url = f"/en/product/{sku}/"
    stock = stock_of(sku)
    with committed():
        order = order_for(jane, {sku: stock})
        sales.invoice_order(order=order, actor=Actor.system())
    assert product_page(cached(url))["stock"] == "Out of stock"
    assert card(cached("/en/category/electronics/"), sku)["out_of_stock"]

    with committed():
        sales.refund_order(order=order, actor=Actor.system(), return_to_stock=True)

    assert stock_of(sku) == stock
    assert product_page(refreshed(url))["stock"] == "In stock"
    assert card(refreshed("/en/category/electronics/"), sku)["in_stock"]


def test_product_renamed_in_the_admin_shows_the_new_name(demo, admin, committed):
    assert product_page(cached(PRODUCT_URL))["name"] == PRODUCT_NAME
    assert card(cached(SEARCH_URL), PRODUCT)["name"] == PRODUCT_NAME

    def rename(data):
        data[field_holding(data, PRODUCT_NAME)] = "Canvas Voyager Bag"

    with committed():
        admin_save(admin, product_change_url(PRODUCT), rename)

    page = refreshed(PRODUCT_URL)
    assert product_page(page)["name"] == "Canvas Voyager Bag"
    assert PRODUCT_NAME not in page
    results = refreshed(SEARCH_URL)
    assert card(results, PRODUCT)["name"] == "Canvas Voyager Bag"
    assert PRODUCT_NAME not in results


def test_category_renamed_in_the_admin_changes_the_menu_of_a_product_page(demo, admin, committed):
    menu = ["Bags", "Apparel", "Home & Kitchen", "Electronics"]
    assert category_menu(cached(PRODUCT_URL)) == menu
    bags = Category.objects.get(code="bags")

    def rename(data):
        data[field_holding(data, "Bags")] = "Luggage"

    with committed():
        admin_save(admin, f"/admin/catalog/category/{bags.pk}/change/", rename)

    page = refreshed(PRODUCT_URL)
    assert category_menu(page) == ["Luggage", *menu[1:]]
    assert product_page(page)["name"] == PRODUCT_NAME


def test_product_taken_out_of_its_category_in_the_admin_leaves_the_category_page(
    demo, admin, committed
):
    assert card(cached(CATEGORY_URL), PRODUCT) is not None

    with committed():
        admin_save(admin, product_change_url(PRODUCT), lambda data: data.update(categories=[]))

    assert not Product.objects.get(sku=PRODUCT).categories.exists()
    page = refreshed(CATEGORY_URL)
    assert card(page, PRODUCT) is None
    assert "9 items" in page


def test_product_removed_from_the_category_side_leaves_the_category_page(demo, committed):
    sku = "SA-BAG-002"
    assert card(cached(CATEGORY_URL), sku) is not None

    with committed():
        Category.objects.get(code="bags").products.remove(Product.objects.get(sku=sku))

    page = refreshed(CATEGORY_URL)
    assert card(page, sku) is None
    assert card(page, PRODUCT) is not None


def test_product_disabled_in_the_admin_disappears_from_every_page(demo, admin, committed):
    cached(PRODUCT_URL)
    for url in LISTINGS:
        assert card(cached(url), PRODUCT) is not None, url

    with committed():
        admin_save(admin, product_change_url(PRODUCT), lambda data: data.pop("is_active"))

    assert not Product.objects.get(sku=PRODUCT).is_active
    gone = Client().get(PRODUCT_URL)
    assert gone.status_code == 404
    assert outcome(gone) != page_cache.HIT
    for url in LISTINGS:
        page = refreshed(url)
        assert card(page, PRODUCT) is None, url
        assert PRODUCT_NAME not in page, url


def test_store_name_saved_in_the_configuration_shows_on_the_pages(demo, set_config):
    for url in (PRODUCT_URL, HOME_URL):
        assert 'class="sf-logo" href="/en/">ShopAssist</a>' in cached(url)

    set_config({STORE_NAME: "Corner Shop"})

    for url in (PRODUCT_URL, HOME_URL):
        page = refreshed(url)
        assert 'class="sf-logo" href="/en/">Corner Shop</a>' in page, url
        assert "ShopAssist" not in page, url


def test_change_to_another_product_leaves_the_product_page_cached(demo, committed):
    before = cached(PRODUCT_URL)
    category = cached(CATEGORY_URL)
    other_url = "/en/product/SA-APP-001/"
    cached(other_url)
    other = Product.objects.get(sku="SA-APP-001")

    with committed() as callbacks:
        other.price = Decimal("111.11")
        other.save()

    assert callbacks, "the change bumped its tags"
    assert product_page(refreshed(other_url))["price"] == "$111.11"
    assert without_csrf(still_cached(PRODUCT_URL)) == without_csrf(before)
    assert without_csrf(still_cached(CATEGORY_URL)) == without_csrf(category)


def test_rolled_back_change_leaves_the_cached_page_as_it_was(demo, committed):
    before = cached(PRODUCT_URL)
    product = Product.objects.get(sku=PRODUCT)

    with committed() as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        product.price = Decimal("1.00")
        product.save()
        raise RuntimeError("the request failed after saving")

    assert callbacks == []
    assert Product.objects.get(sku=PRODUCT).price == Decimal("89.00")
    page = still_cached(PRODUCT_URL)
    assert without_csrf(page) == without_csrf(before)
    assert product_page(page)["price"] == "$89.00"


# --- Tag versions ---------------------------------------------------------------------------------


@contextmanager
def default_cache(client):
    """Make ``client`` this thread's ``caches["default"]`` for the block (what another server
    process, with its own connection to the shared cache, would use)."""
    previous = caches["default"]
    caches["default"] = client
    try:
        yield
    finally:
        caches["default"] = previous


@pytest.mark.parametrize("bumped", ["product:1", "product:2"], ids=["same-tag", "other-tag"])
def test_copy_built_while_any_tag_was_bumped_is_not_stored(bumped, committed):
    tags = {"product:1", "catalog"}
    generation = cache_tags.generation()
    assert cache_tags.versions_for_store(tags, generation) == cache_tags.versions(tags)

    with committed():
        cache_tags.bump(bumped)

    assert cache_tags.versions_for_store(tags, generation) is None
    assert cache_tags.versions_for_store(tags, cache_tags.generation()) == cache_tags.versions(tags)


def test_bump_waits_for_the_commit(db, django_capture_on_commit_callbacks):
    recorded = cache_tags.versions(["product:1"])

    with django_capture_on_commit_callbacks(execute=False) as held_back:
        cache_tags.bump("product:1")

    assert len(held_back) == 1
    assert cache_tags.is_current(recorded)
    held_back[0]()
    assert not cache_tags.is_current(recorded)


def test_recorded_versions_are_not_current_after_a_bump(committed):
    recorded = cache_tags.versions(["product:1", "catalog"])
    assert cache_tags.is_current(recorded)

    with committed():
        cache_tags.bump("catalog")

    assert not cache_tags.is_current(recorded)
    assert cache_tags.versions(["product:1"]) == {"product:1": recorded["product:1"]}


def test_recorded_versions_are_not_current_once_a_version_is_evicted():
    recorded = cache_tags.versions(["product:1", "catalog"])
    assert cache_tags.is_current(recorded)

    caches["default"].delete("tagv:product:1")

    assert not cache_tags.is_current(recorded)
    assert cache_tags.versions(["product:1"])["product:1"] != recorded["product:1"]
    assert not cache_tags.is_current(recorded)


def test_no_recorded_versions_is_never_current():
    assert cache_tags.is_current({}) is False


def test_bump_through_one_cache_client_is_seen_through_another(committed):
    client_a = caches.create_connection("default")
    client_b = caches.create_connection("default")
    assert client_a is not client_b and caches["default"] not in (client_a, client_b)

    with default_cache(client_a):
        recorded = cache_tags.versions(["product:1"])
    with default_cache(client_b):
        assert cache_tags.is_current(recorded)
        with committed():
            cache_tags.bump("product:1")

    with default_cache(client_a):
        assert not cache_tags.is_current(recorded)


# A second server process: reads URLs on stdin, answers [status, X-Page-Cache, price] as JSON.
# Arguments: database name, CACHES as JSON, optionally PAGE_CACHE_LOCAL_ENTRIES. Give it the
# release of this process (``server_environment``) to share this process's pages.
SERVER_SCRIPT = textwrap.dedent(
    """
    import json
    import re
    import sys

    import django
    from django.conf import settings

    settings.DATABASES["default"]["NAME"] = sys.argv[1]
    settings.CACHES = json.loads(sys.argv[2])
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_HEADER = True
    if len(sys.argv) > 3:  # pages each process keeps in front of Redis
        settings.PAGE_CACHE_LOCAL_ENTRIES = int(sys.argv[3])
    django.setup()

    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    print("ready", flush=True)
    for line in sys.stdin:
        url = line.strip()
        if not url:
            break
        response = Client().get(url)
        price = re.search(r'sf-price-large">([^<]*)<', response.content.decode())
        answer = [response.status_code, response.get("X-Page-Cache"), price and price[1]]
        print(json.dumps(answer), flush=True)
    """
)


def server_environment() -> dict[str, str]:
    """The environment of a second server process of this one's deploy: the same release.

    Without ``SHOPASSIST_RELEASE`` that process would fingerprint the files as they are when it
    serves its first page, and this one keeps the fingerprint it took at its own first page,
    maybe minutes earlier in the worker: a file saved in between (a checkout being edited, a
    catalogue compiled) keys their pages apart and the copy is never shared — two releases, as
    during a deploy. Servers of one deploy share a release; that is what is tested here."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "shopassist.settings",
        "SHOPASSIST_RELEASE": page_cache.release(),
    }


def test_price_saved_here_refreshes_the_page_another_server_process_serves(transactional_db, demo):
    if not shares_database_between_processes():
        pytest.skip("needs a database and cache shared between processes (PostgreSQL + Redis)")
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            SERVER_SCRIPT,
            connection.settings_dict["NAME"],
            json.dumps(django_settings.CACHES),  # this test's key namespace
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=server_environment(),
        cwd=django_settings.BASE_DIR,
    )

    def serve(url):
        server.stdin.write(url + "\n")
        server.stdin.flush()
        return json.loads(read_line(server))

    try:
        assert read_line(server, timeout=60) == "ready"
        assert serve(PRODUCT_URL) == [200, page_cache.MISS, "$89.00"]
        assert serve(PRODUCT_URL) == [200, page_cache.HIT, "$89.00"]
        assert outcome(Client().get(PRODUCT_URL)) == page_cache.HIT  # one shared cache

        product = Product.objects.get(sku=PRODUCT)
        product.price = Decimal("64.20")
        product.save()  # autocommit: the bump runs on this real commit

        assert serve(PRODUCT_URL) == [200, page_cache.MISS, "$64.20"]
        assert serve(PRODUCT_URL) == [200, page_cache.HIT, "$64.20"]
    finally:
        server.stdin.close()
        server.wait(timeout=20)
    assert server.returncode == 0


def test_copy_is_not_stored_when_a_bump_lands_while_a_new_tag_is_created(db, monkeypatch):
    """A tag never seen before is created while the copy's versions are read; a change that
    commits at that very moment must keep the copy from being stored."""
    generation = cache_tags.generation()
    cache = caches["default"]
    real_add = cache.add

    def add_after_a_commit(key, value, timeout=None, version=None):
        cache_tags._bump_now(["product:424242"])  # the change's on_commit bump wins the race
        return real_add(key, value, timeout=timeout, version=version)

    monkeypatch.setattr(cache, "add", add_after_a_commit)

    assert cache_tags.versions_for_store({"product:424242"}, generation) is None


def test_a_failed_bump_is_logged_and_undoes_nothing(
    demo, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    """The change is committed before the bump: a cache error must not turn it into an error
    page, nor keep the transaction's other on-commit work from running."""
    product = Product.objects.get(sku="SA-BAG-001")
    ran_after = []

    def cache_down(*args, **kwargs):
        raise ConnectionError("cache unreachable")

    with monkeypatch.context() as patched:
        patched.setattr(caches["default"], "set", cache_down)
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            product.price = "12.34"
            product.save()
            transaction.on_commit(lambda: ran_after.append(True))

    product.refresh_from_db()
    assert str(product.price) == "12.34"
    assert ran_after == [True]
    assert "cache unreachable" in caplog.text
