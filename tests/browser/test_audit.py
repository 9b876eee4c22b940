"""The audit trail in a real browser: who sees the log and the report, finding an assisted
session's cart action in the report, the customer's own history, and terminating a session from
another browser."""

import pytest

from login_as_customer.models import AssistedSession, EndReason
from shopassist.customers.models import Customer
from tests.browser.conftest import admin_login, storefront_login
from tests.browser.test_login_as_customer import BANNER, BUTTON, confirm_in_new_tab, open_dialog

pytestmark = pytest.mark.browser

JANE = "jane.doe@example.com"
LOG = "/admin/login_as_customer/log/"
REPORT = "/admin/action-log/report/"
ACTIVE = "/admin/login_as_customer/active/"


def jane() -> Customer:
    return Customer.objects.get(email=JANE)


def menu_links(page) -> set[str]:
    return set(page.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))"))


def start_as_jane(context, base_url, username="support"):
    """Log in to the admin as ``username`` and open Jane's storefront in a new tab."""
    admin_tab = context.new_page()
    admin_login(admin_tab, base_url, username)
    store_tab = confirm_in_new_tab(context, open_dialog(admin_tab, base_url, jane()), base_url)
    return admin_tab, store_tab


def add_bag_to_cart(store_tab, base_url):
    store_tab.goto(f"{base_url}/en/product/SA-BAG-001/")
    with store_tab.expect_navigation():
        store_tab.click(".sf-add-to-cart button[type=submit]")
    assert store_tab.locator("[data-testid=minicart-count]").inner_text() == "1"


def test_the_auditor_sees_the_log_and_the_report_but_no_button(site, page):
    admin_login(page, site, "auditor")

    assert {LOG, REPORT} <= menu_links(page)
    assert ACTIVE not in menu_links(page)
    assert page.goto(f"{site}{LOG}").status == 200
    assert page.locator("h1").inner_text() == "Login as Customer Log"
    assert page.locator("#result_list").is_visible()
    assert page.goto(f"{site}{REPORT}").status == 200
    assert page.locator("[data-testid=report-filters]").is_visible()
    response = page.goto(f"{site}/admin/customers/customer/{jane().pk}/change/")
    assert response.status == 403
    assert page.locator(BUTTON).count() == 0


def test_support_sees_the_log_the_report_and_the_button(site, page):
    admin_login(page, site, "support")

    assert {LOG, REPORT} <= menu_links(page)
    assert page.goto(f"{site}{LOG}").status == 200
    assert page.goto(f"{site}{REPORT}").status == 200
    page.goto(f"{site}/admin/customers/customer/{jane().pk}/change/")
    assert page.locator(BUTTON).count() == 1


def test_the_clerk_sees_neither_and_gets_403_by_url(site, page):
    admin_login(page, site, "clerk")

    assert not {LOG, REPORT, ACTIVE} & menu_links(page)
    for path in (LOG, REPORT, f"{REPORT}?export=csv", ACTIVE):
        assert page.goto(f"{site}{path}").status == 403, path
        assert page.locator("#result_list").count() == 0


def test_the_report_finds_the_cart_action_of_an_assisted_session(site, context):
    admin_tab, store_tab = start_as_jane(context, site)
    add_bag_to_cart(store_tab, site)
    session = AssistedSession.objects.get()

    admin_tab.goto(f"{site}{REPORT}")
    admin_tab.select_option("#id_action_group", label="Login As Customer")
    with admin_tab.expect_navigation():
        admin_tab.click("[data-testid=report-filters] button[type=submit]")

    assert "action_group=login_as_customer" in admin_tab.url
    row = admin_tab.locator("#result_list tr[data-action='cart.add']")
    assert row.count() == 1
    cells = row.locator("td").all_inner_texts()
    assert cells[1:6] == ["Login As Customer", "cart.add", "Success", "support", JANE]
    assert "SA-BAG-001" in cells[-1]
    groups = set(admin_tab.locator("#result_list tbody tr td:nth-child(2)").all_inner_texts())
    assert groups == {"Login As Customer"}
    # The session's own row in the log opens its actions, the cart action among them.
    admin_tab.goto(f"{site}{LOG}")
    with admin_tab.expect_navigation():
        admin_tab.click(f"#result_list a:text-is('{session.pk}')")
    actions = admin_tab.locator("tr[data-action]").evaluate_all(
        "rows => rows.map(r => r.dataset.action)"
    )
    assert actions[:3] == ["start", "redeem", "cart.add"]


def test_the_customer_sees_the_session_in_my_account(site, context, browser):
    _admin_tab, store_tab = start_as_jane(context, site)
    add_bag_to_cart(store_tab, site)

    own_context = browser.new_context()
    try:
        own_tab = own_context.new_page()
        storefront_login(own_tab, site, JANE)
        own_tab.click("a:text-is('Assisted sessions')")
        own_tab.wait_for_url(f"{site}/en/customer/assisted-sessions/")

        table = own_tab.locator("[data-testid=assisted-sessions]")
        rows = table.locator("tbody tr")
        assert rows.count() == 1
        cells = rows.first.locator("td").all_inner_texts()
        assert cells[1:4] == ["English", "in progress", "a store administrator"]
        assert cells[5] == "Added to the cart: SA-BAG-001 × 1"
        assert own_tab.locator(BANNER).count() == 0
    finally:
        own_context.close()


def test_terminating_a_session_ends_it_in_the_other_browser_context(site, context, browser):
    _support_tab, store_tab = start_as_jane(context, site)
    session = AssistedSession.objects.get()
    assert store_tab.locator(BANNER).is_visible()

    admin_context = browser.new_context()
    try:
        admin_tab = admin_context.new_page()
        admin_login(admin_tab, site, "admin")
        admin_tab.goto(f"{site}{ACTIVE}")
        assert JANE in admin_tab.locator("#result_list").inner_text()
        with admin_tab.expect_navigation():
            admin_tab.click(f"[data-testid=terminate-{session.pk}]")
        assert "was terminated" in admin_tab.inner_text("body")
        assert "No assisted session is active." in admin_tab.inner_text("#result_list")
    finally:
        admin_context.close()

    session.refresh_from_db()
    assert session.end_reason == EndReason.TERMINATED
    store_tab.goto(f"{site}/en/checkout/cart/")
    store_tab.wait_for_url(f"{site}/en/")
    assert "The assisted session has ended." in store_tab.inner_text("body")
    assert store_tab.locator(BANNER).count() == 0
    store_tab.goto(f"{site}/en/customer/account/")
    assert "/en/customer/account/login/" in store_tab.url
