"""The shared page cache in a real browser: visitors share the cached product page, each sees
their own greeting, cart and messages, and the forms of a cached page work for each of them."""

import pytest

from shopassist.audit.models import ActionLogEntry
from shopassist.customers.models import Customer
from tests.browser.conftest import admin_login, confirm_in_new_tab, open_dialog, storefront_login

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


# --- What an administrator clicks ------------------------------------------------------------

DISABLE_FIELD = "login_as_customer__general__disable_page_cache"


def set_disable_page_cache(admin_tab, site, value: str):
    """Stores › Configuration › Customers › Login as Customer: Disable Page Cache for Admin User."""
    admin_tab.goto(f"{site}/admin/config/login_as_customer/")
    admin_tab.uncheck(f"input[name=inherit__{DISABLE_FIELD}]")
    admin_tab.select_option(f"#id_{DISABLE_FIELD}", value)
    admin_tab.click("button[name=save]")
    admin_tab.wait_for_load_state()
    assert admin_tab.locator(f"#id_{DISABLE_FIELD}").input_value() == value


def test_disable_page_cache_setting_decides_what_the_assisting_admin_is_served(
    site, context, browser
):
    jane = Customer.objects.get(email="jane.doe@example.com")
    admin_tab = context.new_page()
    admin_login(admin_tab, site, "admin")  # Administrators: configuration and the button
    set_disable_page_cache(admin_tab, site, "0")  # (a saved setting also renews every key)

    own = browser.new_context().new_page()
    storefront_login(own, site, jane.email)
    open_product(own, site)
    assert open_product(own, site)[0] == "hit"  # Jane's copy is in the cache

    # No: the administrator is served Jane's cached page, with the banner on it.
    assisted = confirm_in_new_tab(context, open_dialog(admin_tab, site, jane), site)
    assert open_product(assisted, site) == ("hit", "private, no-store")
    assert "Jane Doe" in assisted.locator("[data-testid=lac-banner]").inner_text()
    assert "Jane Doe" in header_of(assisted)[0]

    # Yes: never from the cache, not even once Jane's copy is back in it.
    set_disable_page_cache(admin_tab, site, "1")
    open_product(own, site)
    assert open_product(own, site) == ("hit", "private, no-cache")
    assert own.locator("[data-testid=lac-banner]").count() == 0
    assert open_product(assisted, site) == ("bypass", "private, no-store")
    assert assisted.locator("[data-testid=lac-banner]").is_visible()


def test_flush_page_cache_from_the_system_menu(site, page, browser):
    guest = browser.new_context().new_page()
    open_product(guest, site)
    assert open_product(guest, site)[0] == "hit"

    admin_login(page, site, "admin")
    page.locator("#nav-sidebar a", has_text="Cache Management").click()
    page.wait_for_url(f"{site}/admin/cache/")
    assert page.locator("[data-testid=page-cache-status]").inner_text() == "Enabled"
    page.click("[data-testid=flush-page-cache]")
    page.wait_for_url(f"{site}/admin/cache/")

    assert "The page cache has been flushed." in page.locator(".messagelist").inner_text()
    assert open_product(guest, site)[0] == "miss"
    assert ActionLogEntry.objects.filter(action="page_cache.flush").count() == 1


def test_customer_group_chosen_in_the_admin_gives_the_customer_a_copy_of_its_group(
    site, page, browser
):
    jane = Customer.objects.get(email="jane.doe@example.com")
    own = browser.new_context().new_page()
    storefront_login(own, site, jane.email)
    open_product(own, site)
    assert open_product(own, site)[0] == "hit"

    admin_login(page, site, "admin")
    page.goto(f"{site}/admin/customers/customer/{jane.pk}/change/")
    page.select_option("#id_group", "wholesale")
    page.click("input[name=_save]")
    page.wait_for_url(f"{site}/admin/customers/customer/")

    jane.refresh_from_db()
    assert jane.group == "wholesale"
    assert open_product(own, site)[0] == "miss"  # the Wholesale copy is built on its first visit
    assert open_product(own, site)[0] == "hit"
