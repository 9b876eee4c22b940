"""The assisted-session banner and the customer's pages, as Chromium shows them in French,
Korean and Traditional Chinese: every word translated, French colons on a no-break space,
Korean times with the period first."""

import re

import pytest

from login_as_customer.flows.consent import set_consent
from shopassist.core.actor import Actor
from shopassist.customers.models import Customer
from shopassist.sales.models import Order
from tests.browser.conftest import admin_login, confirm_in_new_tab, open_dialog

pytestmark = pytest.mark.browser

BANNER = "[data-testid=lac-banner]"
NB = "\u00a0"
# store view → (customer, banner text, time left label, button, product SKU label)
EXPECTED = {
    "fr": (
        "marie.dupont@example.com",
        "Vous êtes connecté en tant que Marie Dupont sur Main Website",
        f"Temps restant{NB}:",
        "Fermer la session",
        f"SKU{NB}: SA-BAG-001",
    ),
    "ko": (
        "kim.minji@example.com",
        "Main Website에 Kim Minji(으)로 연결되어 있습니다",
        "남은 시간:",
        "세션 종료",
        "상품코드: SA-BAG-001",
    ),
    "zh-hant": (
        "chen.wei@example.com",
        "您目前以 Chen Wei 的身分連線至 Main Website",
        "剩餘時間：",
        "結束工作階段",
        "商品編號：SA-BAG-001",
    ),
}


@pytest.mark.parametrize("store_code", EXPECTED)
def test_the_banner_and_the_customers_pages_are_in_the_store_views_language(
    site, browser, store_code
):
    email, connected, time_left, close, sku = EXPECTED[store_code]
    customer = Customer.objects.get(email=email)
    # Chen has not allowed remote shopping assistance in the demo: he does now.
    set_consent(customer=customer, allowed=True, actor=Actor(customer=customer))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    try:
        admin_tab = context.new_page()
        admin_login(admin_tab, site, "support")
        store_tab = confirm_in_new_tab(
            context, open_dialog(admin_tab, site, customer), site, store_code
        )
        banner = store_tab.locator(BANNER)
        assert banner.locator(".lac-banner-text").inner_text() == connected
        label = banner.locator(".lac-banner-time").inner_text()
        assert re.fullmatch(re.escape(time_left) + r" \d+:\d\d", label), label
        assert banner.locator(".lac-banner-close").inner_text() == close

        store_tab.goto(f"{site}/{store_code}/product/SA-BAG-001/")
        assert store_tab.locator(".sf-sku").inner_text() == sku

        order = Order.objects.filter(customer=customer).order_by("pk").first()
        store_tab.goto(f"{site}/{store_code}/sales/order/view/{order.pk}/")
        placed = store_tab.locator(".sf-account-main > p").first.inner_text()
        if store_code == "ko":  # "2026년 12월 1일 오후 5:40", never "5:40 오후"
            assert re.fullmatch(r"\d{4}년 \d{1,2}월 \d{1,2}일 (오전|오후) \d{1,2}:\d\d", placed)
    finally:
        context.close()
