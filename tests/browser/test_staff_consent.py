"""Staff ticking "Allow remote shopping assistance" for a customer: the admin form says who did it,
and so does the customer's Assisted sessions page (issue 11, point 10)."""

import pytest

from tests.browser.conftest import admin_login, storefront_login

pytestmark = pytest.mark.browser

CHEN = "chen.wei@example.com"


def test_support_ticks_the_box_and_both_sides_see_who_did(site, context, page):
    from shopassist.customers.models import Customer

    chen = Customer.objects.get(email=CHEN)
    admin_login(page, site, "support")
    page.goto(f"{site}/admin/customers/customer/{chen.pk}/change/")
    page.check("#id_allow_remote_shopping_assistance")
    page.click("input[name=_continue]")
    page.wait_for_load_state()

    assert page.is_checked("#id_allow_remote_shopping_assistance")
    assert "Granted by support on" in page.inner_text("#content")

    customer = context.new_page()
    storefront_login(customer, site, CHEN)
    customer.goto(f"{site}/en/customer/assisted-sessions/")
    note = customer.inner_text("[data-testid=consent-set-by]")
    # "Show administrator names to customers" is No in the demo: the role, not the name.
    assert "remote shopping assistance was allowed for you by a store administrator" in note
