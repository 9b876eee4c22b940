"""An assisted tab that wanders to a store view of another website (here "Outlet Website",
where Jane's account is not) is sent back to the session's store view with a message, in
Chromium: the banner stays true — it is never shown over a page the customer is not signed in
on."""

import pytest

from shopassist.customers.models import Customer
from tests.browser.axe import axe_violations, blocking
from tests.browser.conftest import admin_login, confirm_in_new_tab, open_dialog
from tests.conftest import add_outlet_website

pytestmark = pytest.mark.browser


def test_another_websites_store_view_sends_the_tab_back(site, context, tmp_path):
    add_outlet_website()  # a live server's transactions commit
    admin_tab = context.new_page()
    admin_login(admin_tab, site, "support")
    jane = Customer.objects.get(email="jane.doe@example.com")
    store_tab = confirm_in_new_tab(context, open_dialog(admin_tab, site, jane), site)

    store_tab.goto(f"{site}/outlet/")

    assert store_tab.url == f"{site}/en/"
    banner = store_tab.locator("[data-testid=lac-banner]")
    assert "You are connected as Jane Doe on Main Website" in banner.inner_text()
    body = store_tab.locator("body").inner_text()
    assert "Jane Doe's account cannot be used on that store view" in body
    store_tab.screenshot(path=str(tmp_path / "sent-back.png"))
    assert blocking(axe_violations(store_tab)) == []
