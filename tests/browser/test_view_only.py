"""View-only assistance (issue 16, point 2), in Chromium: the support agent picks "View only"
in the dialog; the banner says so; Add to Cart is refused with the message while the page and
the session stay; the log shows the mode. The trainee's dialog offers view only alone."""

import pytest

from shopassist.cart.models import CartItem
from shopassist.customers.models import Customer
from tests.browser.axe import axe_violations, blocking
from tests.browser.conftest import admin_login, confirm_in_new_tab, open_dialog, save_screenshot

pytestmark = pytest.mark.browser
MESSAGE = "This is a view-only session: nothing can be changed."


def jane() -> Customer:
    return Customer.objects.get(email="jane.doe@example.com")


def test_support_picks_view_only_and_a_change_is_refused(site, context):
    admin_tab = context.new_page()
    admin_login(admin_tab, site, "support")
    dialog = open_dialog(admin_tab, site, jane())
    modes = dialog.locator("[data-testid=lac-modes]")
    assert modes.get_by_label("Full access").is_checked()  # what Allow gave before modes
    modes.get_by_label("View only").check()
    save_screenshot(dialog, "lac-view-only-dialog")
    store_tab = confirm_in_new_tab(context, dialog, site)

    banner = store_tab.locator("[data-testid=lac-banner]")
    assert "You are connected as Jane Doe on Main Website" in banner.inner_text()
    assert store_tab.locator("[data-testid=lac-banner-mode]").inner_text() == "View only"

    cart_before = list(CartItem.objects.filter(cart__customer=jane()).values())
    store_tab.goto(f"{site}/en/product/SA-BAG-001/")
    with store_tab.expect_navigation():
        store_tab.click(".sf-add-to-cart button[type=submit]")
    refused = store_tab.locator("[data-testid=lac-refused]")
    assert MESSAGE in refused.inner_text()
    assert list(CartItem.objects.filter(cart__customer=jane()).values()) == cart_before
    assert banner.is_visible()
    save_screenshot(store_tab, "lac-view-only")
    assert blocking(axe_violations(store_tab)) == []
    with store_tab.expect_navigation():
        store_tab.get_by_role("link", name="Back").click()
    assert store_tab.url == f"{site}/en/product/SA-BAG-001/"

    admin_tab.goto(f"{site}/admin/login_as_customer/log/")
    first_row = admin_tab.locator("#result_list tbody tr").first
    assert "View only" in first_row.inner_text()


def test_the_trainee_may_only_look(site, context):
    admin_tab = context.new_page()
    admin_login(admin_tab, site, "trainee")
    dialog = open_dialog(admin_tab, site, jane())
    assert dialog.locator("input[type=radio]").count() == 0
    assert "This session will be view only" in dialog.inner_text()
    assert blocking(axe_violations(admin_tab)) == []

    store_tab = confirm_in_new_tab(context, dialog, site)

    assert store_tab.locator("[data-testid=lac-banner-mode]").inner_text() == "View only"
