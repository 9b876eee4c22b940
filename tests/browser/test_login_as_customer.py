"""Login as Customer in a real browser: the seed's flows, from the configuration page to the
banner in a new tab and back."""

import pytest

from login_as_customer import config as lac_config
from login_as_customer.models import AssistanceConsent, AssistedSession, EndReason
from shopassist.cart.selectors import customer_cart
from shopassist.core.actor import Actor
from shopassist.core.config import config
from shopassist.core.models import ConfigValue
from shopassist.customers.models import Customer
from shopassist.lac_host.acl import ALLOW, OPT_IN, VIEW_LOG
from shopassist.sales import services as sales
from shopassist.sales.models import Order
from shopassist.staff import roles
from shopassist.staff.models import Role
from shopassist.stores.models import StoreView
from tests.browser.conftest import admin_login, confirm_in_new_tab, open_dialog, storefront_login

pytestmark = pytest.mark.browser

JANE = "jane.doe@example.com"
ENABLED_FIELD = "login_as_customer__general__enabled"
BUTTON = "[data-testid=lac-button]"
BANNER = "[data-testid=lac-banner]"


def customer(email) -> Customer:
    return Customer.objects.get(email=email)


def test_the_seed_flow_from_configuration_to_close_session(site, context, browser):
    # The store starts without the feature and with a support role that lacks its resources.
    ConfigValue.objects.filter(path=lac_config.ENABLED).delete()
    support_role = Role.objects.get(name="Customer Support")
    roles.set_role_resources(
        support_role, access=roles.ACCESS_CUSTOM, resource_ids=["customers.manage"]
    )
    AssistanceConsent.objects.filter(customer__email=JANE).delete()
    config.invalidate()
    jane = customer(JANE)

    # 1. Stores › Configuration › Customers › Login as Customer: Enable = Yes.
    admin_tab = context.new_page()
    admin_login(admin_tab, site, "admin")
    admin_tab.goto(f"{site}/admin/config/login_as_customer/")
    admin_tab.uncheck(f"input[name=inherit__{ENABLED_FIELD}]")
    admin_tab.select_option(f"#id_{ENABLED_FIELD}", "1")
    admin_tab.click("button[name=save]")
    admin_tab.wait_for_load_state()
    assert admin_tab.locator(f"#id_{ENABLED_FIELD}").input_value() == "1"
    assert lac_config.feature_enabled()

    # 2. System › User Roles › Customer Support › Role Resources: tick the feature's resources.
    admin_tab.goto(f"{site}/admin/staff/role/{support_role.pk}/change/")
    for resource in (ALLOW, VIEW_LOG, OPT_IN):
        admin_tab.check(f".sa-role-tree input[value='{resource}']")
    admin_tab.click("input[name=_save]")
    admin_tab.wait_for_url(f"{site}/admin/staff/role/")
    _access, granted = roles.role_resources(support_role)
    assert {ALLOW, VIEW_LOG, OPT_IN} <= granted
    admin_tab.click("#logout-form button")

    # 3. Jane, in her own browser, ticks "Allow remote shopping assistance" and saves.
    own_context = browser.new_context()
    try:
        own_tab = own_context.new_page()
        storefront_login(own_tab, site, JANE)
        own_tab.goto(f"{site}/en/customer/account/edit/")
        own_tab.check("input[name=assistance-allow]")
        own_tab.click("form.sf-card button[type=submit]")
        own_tab.wait_for_url(f"{site}/en/customer/account/")
        assert AssistanceConsent.objects.get(customer=jane).is_valid()

        # 4. The support agent opens Jane → Login as Customer → confirms → a new tab.
        admin_login(admin_tab, site, "support")
        dialog = open_dialog(admin_tab, site, jane)
        assert "You are about to Login as Customer." in dialog.inner_text()
        store_tab = confirm_in_new_tab(context, dialog, site)
        banner = store_tab.locator(BANNER)
        assert banner.locator(".lac-banner-text").inner_text() == (
            "You are connected as Jane Doe on Main Website"
        )
        assert "You are logged in as customer: Jane Doe" in store_tab.inner_text("body")

        # 5. Add a product to the cart in the assisted tab.
        store_tab.goto(f"{site}/en/product/SA-BAG-001/")
        assert store_tab.locator(BANNER).is_visible()
        with store_tab.expect_navigation():
            store_tab.click(".sf-add-to-cart button[type=submit]")
        assert store_tab.locator("[data-testid=minicart-count]").inner_text() == "1"

        # 6. The administrator sees the item in the customer's cart. There is no admin cart
        # page yet, so the check reads the customer's cart in the database.
        admin_tab.goto(f"{site}/admin/customers/customer/{jane.pk}/change/")
        assert admin_tab.locator("#user-tools").is_visible()  # still in the admin panel
        cart = customer_cart(jane, None)
        assert dict(cart.items.values_list("product__sku", "qty")) == {"SA-BAG-001": 1}
        # Jane sees it too, in her own session, which stayed valid.
        own_tab.goto(f"{site}/en/checkout/cart/")
        assert own_tab.locator("[data-testid=minicart-count]").inner_text() == "1"
        assert own_tab.locator(BANNER).count() == 0

        # 7. Close session.
        store_tab.click(f"{BANNER} .lac-banner-close")
        store_tab.wait_for_url(f"{site}/en/login_as_customer/close/")
        assert "You are no longer connected as Jane Doe." in store_tab.inner_text("body")
        session = AssistedSession.objects.get()
        assert session.end_reason == EndReason.CLOSED_BY_ADMIN
        store_tab.goto(f"{site}/en/customer/account/")
        assert "/en/customer/account/login/" in store_tab.url
        admin_tab.goto(f"{site}/admin/")
        assert admin_tab.url == f"{site}/admin/"
        own_tab.goto(f"{site}/en/customer/account/")
        assert own_tab.url == f"{site}/en/customer/account/"
    finally:
        own_context.close()


def test_manual_selection_picks_the_french_store_view(site, context):
    ConfigValue.objects.update_or_create(
        scope="default",
        scope_id=0,
        path=lac_config.STORE_VIEW_LOGIN,
        defaults={"value": lac_config.MANUAL_SELECTION},
    )
    config.invalidate()
    admin_tab = context.new_page()
    admin_login(admin_tab, site, "support")

    dialog = open_dialog(admin_tab, site, customer(JANE))
    select = dialog.locator("select[name=store_view]")
    assert select.input_value() == str(StoreView.objects.get(code="en").pk)  # her own
    select.select_option(label="Français")
    store_tab = confirm_in_new_tab(context, dialog, site, "fr")

    assert store_tab.locator("html").get_attribute("lang") == "fr"
    assert store_tab.title() == "Mon compte"
    assert "Jane Doe" in store_tab.locator(f"{BANNER} .lac-banner-text").inner_text()
    assert AssistedSession.objects.get().store_view_code == "fr"


def test_the_clerk_sees_no_button(site, page):
    order = Order.objects.filter(customer__email=JANE).order_by("pk").first()
    admin_login(page, site, "clerk")

    page.goto(f"{site}/admin/sales/order/{order.pk}/change/")

    assert page.locator("h1, .sa-order").first.is_visible()
    assert page.locator(BUTTON).count() == 0
    page.goto(f"{site}/admin/customers/customer/{order.customer_id}/change/")
    assert page.locator(BUTTON).count() == 0


def test_the_button_for_chen_shows_the_notice(site, page):
    chen = customer("chen.wei@example.com")
    admin_login(page, site, "support")

    dialog = open_dialog(page, site, chen)

    notice = dialog.locator(".lac-notice")
    assert notice.is_visible()
    assert "The customer has not enabled Allow remote shopping assistance." in notice.inner_text()
    assert dialog.locator(".lac-confirm-form").count() == 0
    dialog.locator(".lac-cancel").click()
    assert not dialog.is_visible()
    assert AssistedSession.objects.count() == 0


def test_the_button_is_on_the_order_invoice_shipment_and_credit_memo_pages(site, context):
    jane = customer(JANE)
    shipped = Order.objects.filter(customer=jane, shipments__isnull=False).distinct().get()
    memo = sales.refund_order(order=shipped, actor=Actor.system(), items={}, adjustment="5")
    guest_order = Order.objects.get(customer__isnull=True)
    admin_tab = context.new_page()
    admin_login(admin_tab, site, "admin")  # Customer Support has no sales pages
    pages = {
        "order": f"sales/order/{shipped.pk}",
        "invoice": f"sales/invoice/{shipped.invoices.get().pk}",
        "shipment": f"sales/shipment/{shipped.shipments.get().pk}",
        "credit memo": f"sales/creditmemo/{memo.pk}",
    }

    for name, path in pages.items():
        admin_tab.goto(f"{site}/admin/{path}/change/")
        assert admin_tab.locator(BUTTON).count() == 1, name
        assert admin_tab.locator(BUTTON).get_attribute("data-dialog") == f"lac-dialog-{jane.pk}"
    admin_tab.goto(f"{site}/admin/sales/order/{guest_order.pk}/change/")
    assert admin_tab.locator(BUTTON).count() == 0  # a guest order has no customer

    # From the credit memo, all the way to the storefront.
    admin_tab.goto(f"{site}/admin/{pages['credit memo']}/change/")
    admin_tab.click(BUTTON)
    dialog = admin_tab.locator(f"#lac-dialog-{jane.pk}")
    store_tab = confirm_in_new_tab(context, dialog, site)
    assert "Jane Doe" in store_tab.locator(f"{BANNER} .lac-banner-text").inner_text()
