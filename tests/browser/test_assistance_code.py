"""Assistance codes (issue 16, point 1), in Chromium: with Customer consent set to "Assistance
code for each session", Chen — who never allowed remote shopping assistance — presses "Get an
assistance code" in My Account and reads it out; the support agent types it into the
confirmation and lands in Chen's account with the banner; Chen, who changed his mind, presses
"End the assisted session" in My Account and the agent's next page is signed out."""

import re

import pytest

from login_as_customer import config as lac_config
from shopassist.core.config import Scope
from shopassist.core.config.services import save_config_values
from shopassist.customers.models import Customer
from tests.browser.axe import axe_violations, blocking
from tests.browser.conftest import (
    admin_login,
    confirm_in_new_tab,
    open_dialog,
    save_screenshot,
    storefront_login,
)

pytestmark = pytest.mark.browser
CHEN = "chen.wei@example.com"


def test_chen_reads_out_a_code_and_support_types_it(site, context, browser):
    save_config_values(
        scope=Scope.DEFAULT,
        scope_id=0,
        values={lac_config.CUSTOMER_CONSENT: lac_config.ASSISTANCE_CODE},
        actor=None,
    )
    own = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-TW")
    try:
        page = own.new_page()
        storefront_login(page, site, CHEN, store="zh-hant")
        page.goto(f"{site}/zh-hant/customer/assisted-sessions/")
        with page.expect_navigation():
            page.click("[data-testid=get-assistance-code]")
        shown = page.locator("[data-testid=assistance-code-value]").inner_text()
        assert re.fullmatch(r"\d{3} \d{3}", shown), shown
        save_screenshot(page, "lac-assistance-code")
        assert blocking(axe_violations(page)) == []

        admin_tab = context.new_page()
        admin_login(admin_tab, site, "support")
        dialog = open_dialog(admin_tab, site, Customer.objects.get(email=CHEN))
        assert dialog.locator(".lac-notice").count() == 0  # no opt-in needed: a code will do
        dialog.locator("input[name=assistance_code]").fill(shown)
        save_screenshot(dialog, "lac-assistance-code-dialog")
        store_tab = confirm_in_new_tab(context, dialog, site, "zh-hant")

        assert "Chen Wei" in store_tab.locator("[data-testid=lac-banner]").inner_text()

        # Chen changes his mind: no permission of his to withdraw, the session's own button.
        page.goto(f"{site}/zh-hant/customer/assisted-sessions/")
        end = page.locator("[data-testid=end-assisted-session]")
        assert end.is_visible()
        save_screenshot(page, "lac-end-assisted-session")
        assert blocking(axe_violations(page)) == []
        with page.expect_navigation():
            end.click()
        assert page.locator("[data-testid=end-assisted-session]").count() == 0
        store_tab.reload()
        assert store_tab.locator("[data-testid=lac-banner]").count() == 0
    finally:
        own.close()
