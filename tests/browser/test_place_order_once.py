"""Place Order is sent once (issue 12, point 6): a double click sends one request, the button
is disabled while the order is on its way, and one order is placed. (The server answers a
second submit of the page with the first order anyway: tests/reliability/test_idempotent_orders.)"""

import pytest

from shopassist.customers.models import Customer
from shopassist.sales.models import Order
from tests.browser.conftest import storefront_login
from tests.commerce import fill_cart

pytestmark = pytest.mark.browser

# While the order is on its way the page cannot be asked anything (a navigation is pending):
# it reports through the console what a script sees then, and tries to submit a third time.
PROBE = """() => {
  const form = document.querySelector("form.sf-checkout");
  const button = form.querySelector("button[type=submit]");
  form.addEventListener("submit", () => {
    if (window.probed) { return; }
    window.probed = true;
    setTimeout(() => {
      console.log("disabled: " + button.disabled);
      form.requestSubmit();
      console.log("tried a third time");
    }, 100);
  });
}"""


def test_a_double_click_on_place_order_sends_one_request_and_places_one_order(site, context):
    page = context.new_page()
    storefront_login(page, site, "jane.doe@example.com")
    jane = Customer.objects.get(email="jane.doe@example.com")
    fill_cart(jane, {"SA-BAG-001": 1})
    orders_before = Order.objects.filter(customer=jane).count()
    page.goto(f"{site}/en/checkout/")
    page.evaluate(PROBE)
    console = []
    page.on("console", lambda message: console.append(message.text))
    held = []  # the POSTs that reached the network, held until released

    def hold_posts(route):
        if route.request.method == "POST":
            held.append(route)
        else:
            route.continue_()

    page.route("**/en/checkout/", hold_posts)
    page.get_by_role("button", name="Place Order").dblclick()
    for _ in range(50):
        if "tried a third time" in console:
            break
        page.wait_for_timeout(100)
    page.wait_for_timeout(300)  # a second POST would have reached the route by now

    assert console == ["disabled: true", "tried a third time"]
    assert len(held) == 1
    held[0].continue_()
    page.wait_for_url(f"{site}/en/checkout/onepage/success/")
    assert Order.objects.filter(customer=jane).count() == orders_before + 1
