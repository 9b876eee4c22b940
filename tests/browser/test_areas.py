"""Admin panel and storefront sessions coexist in one browser context."""

import pytest

from tests.browser.conftest import admin_login, storefront_login

pytestmark = pytest.mark.browser


def test_admin_and_customer_sessions_coexist_and_log_out_independently(site, context):
    admin_tab = context.new_page()
    store_tab = context.new_page()
    admin_login(admin_tab, site, "admin")
    storefront_login(store_tab, site, "jane.doe@example.com")

    # Both stay logged in: each area reads its own cookie.
    admin_tab.goto(f"{site}/admin/")
    assert admin_tab.locator("#user-tools").is_visible()
    store_tab.goto(f"{site}/en/customer/account/")
    assert "Jane Doe" in store_tab.locator(".sf-greeting").inner_text()

    # Logging out of the storefront leaves the admin logged in.
    store_tab.click("text=Sign Out")
    store_tab.wait_for_url(f"{site}/en/")
    assert store_tab.locator("text=Sign In").first.is_visible()
    admin_tab.goto(f"{site}/admin/")
    assert admin_tab.url == f"{site}/admin/"
    assert admin_tab.locator("#user-tools").is_visible()

    # Log the customer back in, then log out of the admin: the customer stays.
    storefront_login(store_tab, site, "jane.doe@example.com")
    admin_tab.click("#logout-form button")
    admin_tab.goto(f"{site}/admin/")
    assert "/admin/login/" in admin_tab.url
    store_tab.goto(f"{site}/en/customer/account/")
    assert store_tab.url == f"{site}/en/customer/account/"
    assert "Jane Doe" in store_tab.locator(".sf-greeting").inner_text()


def test_store_view_switch_changes_storefront_language(site, page):
    page.goto(f"{site}/en/customer/account/login/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Customer Login"
    page.click("a.sf-switch[lang=fr]")
    page.wait_for_url(f"{site}/fr/customer/account/login/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").inner_text() == "Connexion client"
    page.click("a.sf-switch[lang=ko]")
    page.wait_for_url(f"{site}/ko/customer/account/login/")
    assert page.locator("h1").inner_text() == "고객 로그인"
