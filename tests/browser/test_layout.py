"""Layout of the guide's pages on a desktop (1366 × 900) and a phone (390 × 844): no page is wider
than the screen, and the assisted-session banner takes at most two lines, in every language
(issue 13, point 7)."""

import pytest

from login_as_customer.models import AssistedSession
from shopassist.customers.models import Customer
from shopassist.sales.models import Order
from shopassist.staff.models import Role
from tests.browser.conftest import admin_login, confirm_in_new_tab, open_dialog
from tests.browser.test_accessibility import jane_documents

pytestmark = pytest.mark.browser

JANE = "jane.doe@example.com"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
LANGUAGES = ("en", "fr", "ko", "zh-hant")

# A phone (is_mobile) zooms out to fit a page wider than the screen, so innerWidth grows with it:
# the screen's own width is the limit too.
_OVERFLOW = """(screenWidth) => {
  const width = Math.min(window.innerWidth, screenWidth);
  if (document.documentElement.scrollWidth <= width) return null;
  const widest = [...document.body.querySelectorAll("*")]
    .filter(el => el.getBoundingClientRect().right > width + 1)
    .slice(-3).map(el => el.tagName.toLowerCase() + (el.className ? "." + el.className : ""));
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: width, widest};
}"""

# Two lines of the banner's text, plus the padding around it.
_BANNER = """() => {
  const banner = document.querySelector("[data-testid=lac-banner]");
  const inner = getComputedStyle(banner.querySelector(".lac-banner-inner"));
  const status = getComputedStyle(banner.querySelector(".lac-banner-status"));
  const lineHeight = parseFloat(status.lineHeight);
  const padding = parseFloat(inner.paddingTop) + parseFloat(inner.paddingBottom);
  return {height: banner.getBoundingClientRect().height, limit: 2 * lineHeight + padding};
}"""


def right_edge(page, selector) -> float:
    box = page.locator(selector).first.bounding_box()
    return box["x"] + box["width"]


def test_the_guide_pages_fit_a_desktop_and_a_phone_screen(site, browser):
    jane = Customer.objects.get(email=JANE)
    documents = jane_documents(jane)
    order = Order.objects.filter(customer=jane).first()
    support_role = Role.objects.get(name="Customer Support")
    problems = {}

    def check(page, name, *, banner=False):
        too_wide = page.evaluate(_OVERFLOW, page.viewport_size["width"])
        if too_wide:
            problems[name] = too_wide
        if banner:
            size = page.evaluate(_BANNER)
            if size["height"] > size["limit"] + 0.5:
                problems[f"{name}: banner"] = size

    desktop = browser.new_context(viewport=DESKTOP)
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        # The admin pages of the guide, on a desktop.
        admin = desktop.new_page()
        admin_login(admin, site, "admin")
        for name, path in (
            ("configuration", "config/login_as_customer/"),
            ("user roles", "staff/role/"),
            ("role resources", f"staff/role/{support_role.pk}/change/"),
            ("all customers", "customers/customer/"),
            ("customer form", f"customers/customer/{jane.pk}/change/"),
            *((name, f"{path}/change/") for name, path in documents.items()),
        ):
            admin.goto(f"{site}/admin/{path}")
            check(admin, f"desktop {name}")
        admin.goto(f"{site}/admin/config/login_as_customer/")
        if right_edge(admin, "button[name=save]") > DESKTOP["width"]:
            problems["desktop configuration: Save Config"] = "off-screen"

        # An assisted session with a product in the cart: the storefront on a desktop...
        store = confirm_in_new_tab(desktop, open_dialog(admin, site, jane), site)
        store.set_viewport_size(DESKTOP)
        check(store, "desktop banner landing page", banner=True)
        store.goto(f"{site}/en/product/SA-BAG-001/")
        with store.expect_navigation():
            store.click(".sf-add-to-cart button[type=submit]")
        storefront = (
            ("home", ""),
            ("category", "category/bags/"),
            ("product", "product/SA-BAG-001/"),
            ("cart", "checkout/cart/"),
            ("checkout", "checkout/"),
            ("account information", "customer/account/edit/"),
            ("my orders", "sales/order/history/"),
            ("an order", f"sales/order/view/{order.pk}/"),
            ("assisted sessions", "customer/assisted-sessions/"),
        )
        for name, path in storefront:
            store.goto(f"{site}/en/{path}")
            check(store, f"desktop {name}")

        # ... and on a phone, in the same session: the banner and the cart in every language.
        phone.add_cookies(desktop.cookies())
        mobile = phone.new_page()
        for code in LANGUAGES:
            mobile.goto(f"{site}/{code}/customer/account/")
            check(mobile, f"phone banner landing page ({code})", banner=True)
            mobile.goto(f"{site}/{code}/checkout/cart/")
            check(mobile, f"phone cart ({code})", banner=True)
        for name, path in storefront:
            mobile.goto(f"{site}/en/{path}")
            check(mobile, f"phone {name}")

        # The log pages, now with the session's entries in them, on the desktop.
        session = AssistedSession.objects.get(customer=jane)
        for name, path in (
            ("login as customer log", "login_as_customer/log/"),
            ("log: a session's actions", f"login_as_customer/log/{session.pk}/"),
            ("active sessions", "login_as_customer/active/"),
            ("action report", "action-log/report/?action_group=login_as_customer"),
        ):
            admin.goto(f"{site}/admin/{path}")
            check(admin, f"desktop {name}")
        assert admin.locator("#result_list tbody tr").count() >= 4
        if right_edge(admin, "#result_list thead th:last-child") > DESKTOP["width"]:
            problems["desktop action report: Details column"] = "off-screen"
    finally:
        phone.close()
        desktop.close()

    assert not problems, "\n".join(f"{name}: {problem}" for name, problem in problems.items())
