"""Accessibility of the guide's pages, both areas, checked by axe-core in Chromium, and the
banner's live region (issue 13, point 6).

The walk also saves the README's screenshots under `make screenshots` (SCREENSHOTS_DIR).
"""

import pytest

from login_as_customer.models import AssistedSession
from shopassist.core.actor import Actor
from shopassist.customers.models import Customer
from shopassist.lac_host.acl import ALLOW
from shopassist.sales import services as sales
from shopassist.sales.models import CreditMemo, Order
from shopassist.staff.models import Role
from tests.browser.axe import axe_violations, blocking, describe
from tests.browser.conftest import (
    admin_login,
    confirm_in_new_tab,
    open_dialog,
    save_screenshot,
    storefront_login,
)

pytestmark = pytest.mark.browser

JANE = "jane.doe@example.com"
DESKTOP = {"width": 1366, "height": 900}
BANNER = "[data-testid=lac-banner]"
LIVE_REGION = "[aria-live]:not([aria-live=off]), [role=alert], [role=status], [role=log]"


def jane_documents(jane):
    """Jane's shipped order with its invoice, shipment and a credit memo (made if missing)."""
    order = Order.objects.filter(customer=jane, shipments__isnull=False).distinct().first()
    memo = CreditMemo.objects.filter(order__customer=jane).first() or sales.refund_order(
        order=order, actor=Actor.system(), items={}, adjustment="5"
    )
    return {
        "order view": f"sales/order/{order.pk}",
        "invoice view": f"sales/invoice/{order.invoices.first().pk}",
        "shipment view": f"sales/shipment/{order.shipments.first().pk}",
        "credit memo view": f"sales/creditmemo/{memo.pk}",
    }


def test_the_guide_pages_have_no_serious_axe_violations(site, browser):
    jane = Customer.objects.get(email=JANE)
    documents = jane_documents(jane)
    support_role = Role.objects.get(name="Customer Support")
    found = {}

    def check(page, name):
        found[name] = axe_violations(page)

    context = browser.new_context(viewport=DESKTOP)
    own_context = browser.new_context(viewport=DESKTOP)
    try:
        admin = context.new_page()
        admin_login(admin, site, "admin")

        # Stores › Settings › Configuration › Customers › Login as Customer.
        admin.goto(f"{site}/admin/config/login_as_customer/")
        check(admin, "configuration")
        save_screenshot(admin, "lac-configuration")
        # System › Permissions › User Roles › Customer Support › Role Resources.
        admin.goto(f"{site}/admin/staff/role/")
        check(admin, "user roles")
        admin.goto(f"{site}/admin/staff/role/{support_role.pk}/change/")
        check(admin, "role resources")
        assert admin.locator(f".sa-role-tree input[value='{ALLOW}']").is_visible()
        save_screenshot(admin, "lac-role-resources")
        # Customers › All Customers › Jane (Customer Information › Account Information).
        admin.goto(f"{site}/admin/customers/customer/")
        check(admin, "all customers")
        admin.goto(f"{site}/admin/customers/customer/{jane.pk}/change/")
        check(admin, "customer form")
        save_screenshot(admin, "lac-customer-form")
        # The other pages with the button.
        for name, path in documents.items():
            admin.goto(f"{site}/admin/{path}/change/")
            check(admin, name)

        # The confirmation dialog, then the storefront in a new tab with the banner.
        dialog = open_dialog(admin, site, jane)
        check(admin, "confirmation dialog")
        save_screenshot(admin, "lac-dialog")
        store = confirm_in_new_tab(context, dialog, site)
        store.set_viewport_size(DESKTOP)
        check(store, "banner landing page")
        save_screenshot(store, "lac-banner")
        for code in ("fr", "ko", "zh-hant"):
            store.goto(f"{site}/{code}/customer/account/")
            check(store, f"banner landing page ({code})")
        for name, path in (
            ("home (assisted)", "/en/"),
            ("product (assisted)", "/en/product/SA-BAG-001/"),
        ):
            store.goto(f"{site}{path}")
            check(store, name)
        with store.expect_navigation():
            store.click(".sf-add-to-cart button[type=submit]")
        store.goto(f"{site}/en/checkout/cart/")
        check(store, "cart (assisted)")
        store.goto(f"{site}/en/customer/account/edit/")
        check(store, "account information (assisted)")
        store.click(f"{BANNER} .lac-banner-close")
        store.wait_for_url(f"{site}/en/login_as_customer/close/")
        check(store, "session closed")

        # Customers › Login as Customer Log, a session's actions; System › Action Log › Report.
        admin.goto(f"{site}/admin/login_as_customer/log/")
        check(admin, "login as customer log")
        save_screenshot(admin, "lac-log")
        session = AssistedSession.objects.get(customer=jane)
        admin.goto(f"{site}/admin/login_as_customer/log/{session.pk}/")
        check(admin, "log: a session's actions")
        admin.goto(f"{site}/admin/login_as_customer/active/")
        check(admin, "active sessions")
        admin.goto(f"{site}/admin/action-log/report/?action_group=login_as_customer")
        check(admin, "action report")
        save_screenshot(admin, "lac-action-report")

        # The customer's own pages: home, sign in, registration (with the opt-in), Account
        # Information (the opt-in) and Assisted sessions.
        own = own_context.new_page()
        own.goto(f"{site}/en/")
        check(own, "home")
        own.goto(f"{site}/en/customer/account/create/")
        check(own, "create an account")
        own.goto(f"{site}/en/customer/account/login/")
        check(own, "customer login")
        storefront_login(own, site, JANE)
        own.goto(f"{site}/en/customer/account/edit/")
        check(own, "account information")
        save_screenshot(own, "lac-account-information")
        own.goto(f"{site}/en/customer/assisted-sessions/")
        check(own, "assisted sessions")
    finally:
        own_context.close()
        context.close()

    failures = {name: blocking(violations) for name, violations in found.items()}
    failures = {name: violations for name, violations in failures.items() if violations}
    assert not failures, "axe-core found serious or critical violations:\n" + describe(failures)
    assert len(found) == 28  # every page above was checked


def test_the_countdown_is_outside_any_live_region_and_the_start_message_inside_one(site, context):
    jane = Customer.objects.get(email=JANE)
    admin = context.new_page()
    admin_login(admin, site, "admin")
    store = confirm_in_new_tab(context, open_dialog(admin, site, jane), site)

    # Record every change of the page for a while: the countdown ticks once a second.
    store.evaluate(
        """live => {
          window.lacChanges = {all: 0, live: []};
          new MutationObserver(records => {
            for (const r of records) {
              const node = r.target.nodeType === 1 ? r.target : r.target.parentElement;
              window.lacChanges.all += 1;
              if (node.closest(live)) window.lacChanges.live.push(node.outerHTML.slice(0, 120));
            }
          }).observe(document.body, {subtree: true, childList: true, characterData: true});
        }""",
        LIVE_REGION,
    )
    store.wait_for_function("() => window.lacChanges.all >= 2", timeout=5_000)
    changes = store.evaluate("() => window.lacChanges")

    assert changes["live"] == []  # nothing a screen reader would announce every second
    countdown = store.locator(f"{BANNER} .lac-countdown")
    assert countdown.evaluate("(el, live) => el.closest(live) === null", LIVE_REGION)
    assert countdown.get_attribute("role") == "timer"  # a timer is not announced as it ticks
    # The banner is a region named by its sentence, found by landmark navigation.
    banner = store.get_by_role("region", name="You are connected as Jane Doe on Main Website")
    assert banner.count() == 1
    # The start message is announced, once, as the page's status.
    message = store.get_by_text("You are logged in as customer: Jane Doe")
    assert message.evaluate("(el, live) => el.closest(live) !== null", LIVE_REGION)
    assert store.locator(LIVE_REGION).count() == 1
