"""The customer is told (issue 16, point 3), in Chromium: support works in Jane's account and
closes the session; at Jane's next own sign-in the notice says who, when and how long, links to
what was done, passes axe, and goes away with Dismiss — for good."""

import pytest

from tests.browser.axe import axe_violations, blocking
from tests.browser.conftest import save_screenshot, storefront_login
from tests.browser.test_audit import add_bag_to_cart, start_as_jane

pytestmark = pytest.mark.browser
JANE = "jane.doe@example.com"
NOTICE = "[data-testid=lac-notice]"


def test_jane_is_told_at_her_next_sign_in_and_dismisses_it(site, context, browser):
    _admin_tab, store_tab = start_as_jane(context, site)
    add_bag_to_cart(store_tab, site)
    store_tab.click(".lac-banner-close")
    store_tab.wait_for_url(f"{site}/en/login_as_customer/close/")  # the session has ended

    own = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = own.new_page()
        storefront_login(page, site, JANE)
        notice = page.locator(NOTICE)
        notice.wait_for(state="visible")
        text = notice.inner_text()
        assert "Assisted sessions on your account" in text
        assert "A store administrator was connected to your account on" in text
        assert "for less than a minute." in text
        save_screenshot(page, "lac-notice")
        assert blocking(axe_violations(page)) == []

        page.click("[data-testid=lac-notice-history]")
        page.wait_for_url(f"{site}/en/customer/assisted-sessions/")
        assert "Added to the cart: SA-BAG-001" in page.inner_text("[data-testid=assisted-sessions]")
        with page.expect_navigation():
            page.click("[data-testid=lac-notice-dismiss]")
        assert page.url == f"{site}/en/customer/assisted-sessions/"
        assert page.locator(NOTICE).count() == 0
        page.goto(f"{site}/en/")
        assert page.locator(NOTICE).count() == 0
    finally:
        own.close()

    again = browser.new_context()
    try:
        page = again.new_page()
        storefront_login(page, site, JANE)
        assert page.locator(NOTICE).count() == 0  # told once
    finally:
        again.close()
