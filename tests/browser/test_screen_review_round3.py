"""The third screen review, as a person sees the pages: on a phone, My Account › Assisted
sessions keeps what was done on ("SA-BAG-001 × 1") whole — it broke the SKU at its hyphen."""

import pytest

from shopassist.customers.models import Customer
from tests.browser.conftest import admin_login, confirm_in_new_tab, open_dialog, storefront_login
from tests.browser.test_screen_review import DESKTOP, PHONE, browsing, lines, too_wide

pytestmark = pytest.mark.browser

JANE = "jane.doe@example.com"


def test_what_was_done_keeps_the_sku_whole_on_a_phone(site, browser):
    jane = Customer.objects.get(email=JANE)
    with browsing(browser, DESKTOP) as desktop:
        page = desktop.new_page()
        admin_login(page, site, "support")
        tab = confirm_in_new_tab(desktop, open_dialog(page, site, jane), site)
        tab.goto(f"{site}/en/product/SA-BAG-001/")
        with tab.expect_navigation():
            tab.click(".sf-add-to-cart button[type=submit]")
        tab.click("[data-testid=lac-banner] button[type=submit]")  # Close session

    with browsing(browser, PHONE) as phone:
        page = phone.new_page()
        storefront_login(page, site, JANE)
        page.goto(f"{site}/en/customer/assisted-sessions/")
        done = page.locator("[data-testid=assisted-sessions] td li")
        assert done.inner_text() == "Added to the cart: SA-BAG-001 × 1"
        assert lines(done.locator(".lac-nowrap")) == 1  # before: "SA-" and "BAG-001 × 1"
        assert too_wide(page) is None
