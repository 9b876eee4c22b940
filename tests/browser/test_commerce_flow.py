"""The commerce core end to end in a real browser: browse, add to cart, check out, find the
order in My Account and in Sales › Orders, then invoice, ship and refund it in the admin."""

import re

import pytest

from shopassist.catalog.models import Product
from shopassist.sales.models import Order, OrderStatus
from tests.browser.conftest import admin_login, storefront_login

pytestmark = pytest.mark.browser

SKU = "SA-BAG-001"
NAME = "Canvas Weekender Bag"


def test_browse_buy_and_process_an_order(site, context):
    store = context.new_page()
    storefront_login(store, site, "jane.doe@example.com")
    stock = Product.objects.get(sku=SKU).stock_qty

    # Browse: home → category → product → add to cart.
    store.goto(f"{site}/en/")
    store.locator("nav.sf-categories a", has_text="Bags").click()
    store.wait_for_url(f"{site}/en/category/bags/")
    store.locator("a.sf-product-name", has_text=NAME).click()
    store.wait_for_url(f"{site}/en/product/{SKU}/")
    assert store.locator("h1").inner_text() == NAME
    store.fill("#qty", "2")
    store.get_by_role("button", name="Add to Cart").click()
    store.wait_for_url(f"{site}/en/product/{SKU}/")
    assert (
        "You added the product to your shopping cart." in store.locator(".sf-messages").inner_text()
    )
    assert store.locator("[data-testid=minicart-count]").inner_text() == "2"

    # Cart → checkout with Jane's address book address → place the order.
    store.locator("a.sf-minicart").click()
    store.wait_for_url(f"{site}/en/checkout/cart/")
    assert store.locator(f"tr[data-sku='{SKU}'] input[name=qty]").input_value() == "2"
    store.get_by_role("link", name="Proceed to Checkout").click()
    store.wait_for_url(f"{site}/en/checkout/")
    assert store.locator("input[name=address_choice]:checked").count() == 1
    store.get_by_role("button", name="Place Order").click()
    store.wait_for_url(f"{site}/en/checkout/onepage/success/")
    number = store.locator("[data-testid=order-number]").inner_text().strip()
    assert re.fullmatch(r"\d{9}", number)
    order = Order.objects.get(increment_id=number)
    assert order.customer.email == "jane.doe@example.com"
    assert Product.objects.get(sku=SKU).stock_qty == stock - 2
    assert store.locator("[data-testid=minicart-count]").inner_text() == "0"

    # My Account › My Orders lists it, and its page opens.
    store.goto(f"{site}/en/sales/order/history/")
    row = store.locator("tr", has_text=number)
    assert row.count() == 1
    row.get_by_role("link", name="View Order").click()
    store.wait_for_url(f"{site}/en/sales/order/view/{order.pk}/")
    assert number in store.locator("h1").inner_text()
    assert NAME in store.locator("table.sf-table").inner_text()

    # The admin, in another tab of the same browser, finds it in Sales › Orders.
    admin = context.new_page()
    admin_login(admin, site, "admin")
    admin.goto(f"{site}/admin/sales/order/")
    admin.locator("#result_list a", has_text=number).click()
    admin.wait_for_url(f"{site}/admin/sales/order/{order.pk}/change/")
    status = admin.locator("[data-testid=order-status]")
    assert status.inner_text() == "Pending"

    # Invoice, ship and refund through the buttons on the order view.
    admin.locator("a[data-action=invoice]").click()
    admin.wait_for_url(f"{site}/admin/sales/order/{order.pk}/invoice/")
    admin.locator("input[type=submit][value='Submit Invoice']").click()
    admin.wait_for_url(f"{site}/admin/sales/order/{order.pk}/change/")
    assert "The invoice has been created." in admin.locator(".messagelist").inner_text()
    assert status.inner_text() == "Processing"

    admin.locator("a[data-action=ship]").click()
    admin.wait_for_url(f"{site}/admin/sales/order/{order.pk}/ship/")
    admin.fill("#id_carrier", "UPS")
    admin.fill("#id_tracking_number", "1ZBROWSER")
    admin.locator("input[type=submit][value='Submit Shipment']").click()
    admin.wait_for_url(f"{site}/admin/sales/order/{order.pk}/change/")
    assert "The shipment has been created." in admin.locator(".messagelist").inner_text()
    assert status.inner_text() == "Complete"

    admin.locator("a[data-action=creditmemo]").click()
    admin.wait_for_url(f"{site}/admin/sales/order/{order.pk}/creditmemo/")
    admin.locator("input[type=submit][value='Refund Offline']").click()
    admin.wait_for_url(f"{site}/admin/sales/order/{order.pk}/change/")
    assert "You created the credit memo." in admin.locator(".messagelist").inner_text()
    assert status.inner_text() == "Closed"

    order.refresh_from_db()
    assert order.status == OrderStatus.CLOSED
    assert Product.objects.get(sku=SKU).stock_qty == stock  # refunded back to stock
    documents = [
        ("Invoice", "invoice", order.invoices.get()),
        ("Shipment", "shipment", order.shipments.get()),
        ("Credit Memo", "creditmemo", order.creditmemos.get()),
    ]

    # Each document's view page opens from the order view and links back to the order.
    for label, model_name, document in documents:
        admin.goto(f"{site}/admin/sales/order/{order.pk}/change/")
        admin.get_by_role("link", name=f"{label} #{document.increment_id}").click()
        admin.wait_for_url(f"{site}/admin/sales/{model_name}/{document.pk}/change/")
        assert f"#{document.increment_id}" in admin.locator("#content").inner_text()
        assert admin.locator("[data-testid=order-link]").inner_text() == f"#{number}"
        assert admin.locator("[data-testid=customer-link]").inner_text() == "Jane Doe"
        if model_name == "shipment":
            assert "1ZBROWSER" in admin.locator("#content").inner_text()

    admin.locator("[data-testid=order-link]").click()
    admin.wait_for_url(f"{site}/admin/sales/order/{order.pk}/change/")

    # The customer sees the shipment in My Account.
    store.goto(f"{site}/en/sales/order/view/{order.pk}/")
    assert "1ZBROWSER" in store.locator(".sf-account-main").inner_text()
