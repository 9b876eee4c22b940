"""The shared page cache in a real browser: visitors share the cached product page, each sees
their own greeting, cart and messages, and the forms of a cached page work for each of them."""

import pytest

from tests.browser.conftest import storefront_login

pytestmark = pytest.mark.browser

PRODUCT = "/en/product/SA-BAG-001/"


@pytest.fixture(autouse=True)
def _cache_header(settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_HEADER = True


def open_product(page, site):
    response = page.goto(site + PRODUCT)
    assert response.status == 200
    return response.headers["x-page-cache"], response.headers["cache-control"]


def header_of(page) -> tuple[str, str]:
    greeting = page.locator(".sf-account-links").inner_text()
    return greeting, page.locator("[data-testid=minicart-count]").inner_text()


def add_to_cart(page, site):
    page.get_by_role("button", name="Add to Cart").click()
    page.wait_for_url(site + PRODUCT)
    assert "You added the product" in page.locator(".sf-messages").inner_text()


def test_visitors_share_the_cached_page_and_keep_their_own_parts(site, browser):
    guest, jane, other_guest = (browser.new_context().new_page() for _ in range(3))

    assert open_product(guest, site) == ("miss", "private, no-cache")
    add_to_cart(guest, site)
    assert header_of(guest)[1] == "1"

    storefront_login(jane, site, "jane.doe@example.com")
    open_product(jane, site)  # Jane's customer group has a copy of its own
    assert open_product(jane, site) == ("hit", "private, no-cache")
    greeting, _count = header_of(jane)
    assert "Jane Doe" in greeting

    # The next guest is served the copy the first guest's visit stored, with their own parts.
    assert open_product(other_guest, site) == ("hit", "private, no-cache")
    greeting, count = header_of(other_guest)
    assert "Sign In" in greeting and "Jane" not in greeting
    assert count == "0"
    assert other_guest.locator(".sf-messages").count() == 0
    add_to_cart(other_guest, site)  # the CSRF token of a cached page is this browser's own
    assert header_of(other_guest)[1] == "1"
    assert open_product(guest, site)[0] == "hit"  # the first guest's cart is still theirs alone
    assert header_of(guest)[1] == "1"
