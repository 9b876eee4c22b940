"""Issue 13 points 4 and 9 in a real browser: the storefront looks like a shop (every demo
product has its picture), its 404 is its own page, and the Customer Support agent opens an
order, starts Login as Customer from it, and meets a refusal as a page of the admin shell."""

import pytest

from shopassist.customers.models import Customer
from shopassist.sales.models import Order
from tests.browser.conftest import admin_login, confirm_in_new_tab

pytestmark = pytest.mark.browser

BANNER = "[data-testid=lac-banner]"


def broken_images(page) -> list[str]:
    """The pictures that did not load, once every one had its turn (they load lazily)."""
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_function("() => [...document.images].every(i => i.complete)")
    page.evaluate("() => window.scrollTo(0, 0)")
    return page.evaluate(
        "() => [...document.images].filter(i => i.naturalWidth === 0).map(i => i.src)"
    )


def test_the_storefront_looks_like_a_shop(site, context, tmp_path):
    page = context.new_page()
    page.set_viewport_size({"width": 1366, "height": 900})

    page.goto(f"{site}/en/")
    cards = page.locator(".sf-product-card img")
    assert cards.count() == 8
    assert broken_images(page) == []
    first = cards.first
    assert first.get_attribute("alt") == page.locator(".sf-product-name").first.inner_text()
    box = first.bounding_box()
    assert box["width"] > 150 and box["height"] > 100
    page.screenshot(path=str(tmp_path / "home.png"), full_page=True)

    page.goto(f"{site}/fr/product/SA-HOM-007/")
    picture = page.locator(".sf-product-media img")
    assert picture.get_attribute("alt") == page.locator("h1").inner_text()
    assert broken_images(page) == []
    assert picture.bounding_box()["width"] > 300
    page.screenshot(path=str(tmp_path / "product.png"), full_page=True)

    page.goto(f"{site}/ko/category/electronics/")
    assert page.locator(".sf-product-card img").count() == 10
    assert broken_images(page) == []

    response = page.goto(f"{site}/fr/no-such-page/")
    assert response.status == 404
    assert page.locator("[data-testid=error-page] h1").is_visible()
    assert page.locator(".sf-categories a").count() == 4
    page.screenshot(path=str(tmp_path / "not_found.png"), full_page=True)
    page.click("[data-testid=error-page] a.sf-button")
    page.wait_for_url(f"{site}/fr/")


def test_support_agent_starts_from_an_order_and_meets_refusals_inside_the_shell(
    site, context, tmp_path
):
    marie = Customer.objects.get(email="marie.dupont@example.com")
    order = Order.objects.get(customer=marie)
    admin_tab = context.new_page()
    admin_login(admin_tab, site, "support")

    # Sales › Operations › Orders, from the menu, then Marie's order.
    admin_tab.click("#nav-sidebar a:text-is('Orders')")
    admin_tab.click(f"a:text-is('{order.increment_id}')")
    admin_tab.wait_for_url(f"**/admin/sales/order/{order.pk}/change/")
    assert admin_tab.locator("[data-action=invoice]").count() == 0
    admin_tab.click("[data-testid=lac-button]")
    dialog = admin_tab.locator(f"#lac-dialog-{marie.pk}")
    dialog.wait_for(state="visible")
    store_tab = confirm_in_new_tab(context, dialog, site, store_code="fr")
    assert "Marie Dupont" in store_tab.locator(f"{BANNER} .lac-banner-text").inner_text()

    # A page of a resource the role lacks: the shell, its menu, the sentence, a way back.
    response = admin_tab.goto(f"{site}/admin/sales/order/{order.pk}/invoice/")
    assert response.status == 403
    assert admin_tab.locator("#nav-sidebar a:text-is('Orders')").is_visible()
    reason = admin_tab.locator("[data-testid=refusal-reason]").inner_text()
    assert reason == (
        "Your role does not include the resource “Sales › Operations › Orders › Invoice”, "
        "which this page needs."
    )
    assert "Invoice" in admin_tab.locator(".breadcrumbs").inner_text()
    admin_tab.screenshot(path=str(tmp_path / "refusal.png"), full_page=True)
    admin_tab.click("a.button:text-is('Go to the Dashboard')")
    admin_tab.wait_for_url(f"{site}/admin/")
