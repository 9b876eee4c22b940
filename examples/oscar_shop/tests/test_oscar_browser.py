"""Login as Customer in the stock django-oscar shop, clicked in Chromium: the dashboard's
buttons and dialog, the banner on Oscar's pages, Close session with the dashboard still signed
in, the basket that is not merged, an order that names the administrator, the consent on the
profile page, the log in Django's admin, and the banner in French from the wheel's catalogue."""

import re

import pytest
from django.contrib.auth import get_user_model
from oscar.core.loading import get_model
from playwright.sync_api import expect

from login_as_customer.models import AssistanceConsent, AssistedAction, AssistedSession
from tests.conftest import dashboard_login, storefront_login

Order = get_model("order", "Order")
Product = get_model("catalogue", "Product")
BANNER = "[data-testid=lac-banner]"
pytestmark = pytest.mark.django_db(transaction=True)


def user(first_name):
    return get_user_model().objects.get(first_name=first_name)


def confirm_dialog(page, context):
    """Open the dialog of the page's Login as Customer button and confirm it; the storefront
    tab the confirmation opens."""
    page.click("[data-testid=lac-button]")
    dialog = page.locator("dialog[open]")
    expect(dialog).to_contain_text("You are about to Login as Customer.")
    with context.expect_page() as opened:
        dialog.locator("button[type=submit]").click()
    storefront = opened.value
    storefront.wait_for_load_state()
    return storefront


def test_start_from_the_customer_page_banner_on_oscar_pages_and_close(site, page, context):
    dashboard_login(page, site)
    page.goto(f"{site}/dashboard/users/{user('Jane').pk}/")
    storefront = confirm_dialog(page, context)

    assert storefront.url == f"{site}/accounts/profile/"
    product = Product.objects.get(upc="SA-BAG-001")
    for path in ("/accounts/profile/", "/catalogue/", product.get_absolute_url(), "/basket/"):
        storefront.goto(f"{site}{path}")
        expect(storefront.locator(BANNER)).to_contain_text(
            "You are connected as Jane Doe on Oscar Demo Shop"
        )
    storefront.click(f"{BANNER} button:has-text('Close session')")
    expect(storefront.locator("body")).to_contain_text("You are no longer connected as Jane Doe")
    storefront.goto(f"{site}/accounts/profile/")
    assert "/accounts/login/" in storefront.url  # the storefront session is gone
    expect(storefront.locator(BANNER)).to_have_count(0)

    page.goto(f"{site}/dashboard/")  # the dashboard session survived start, use and close
    assert page.url == f"{site}/dashboard/"
    expect(page.locator("body")).to_contain_text("Sam Support")
    session = AssistedSession.objects.get()
    assert session.ended_at is not None and session.end_reason == "closed_by_admin"


def test_start_from_the_order_page(site, page, context):
    order = Order.objects.get(user=user("Marie"))
    dashboard_login(page, site)
    page.goto(f"{site}/dashboard/orders/{order.number}/")
    storefront = confirm_dialog(page, context)
    expect(storefront.locator(BANNER)).to_contain_text("You are connected as Marie Dupont")


def test_the_administrators_anonymous_basket_stays_out_of_the_customers(site, page, context):
    beanie = Product.objects.get(upc="SA-HAT-001")
    page.goto(f"{site}{beanie.get_absolute_url()}")
    page.click("#add_to_basket_form button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("Wool Beanie")

    dashboard_login(page, site)
    page.goto(f"{site}/dashboard/users/{user('Jane').pk}/")
    storefront = confirm_dialog(page, context)
    storefront.goto(f"{site}/basket/")
    storefront.goto(f"{site}/basket/")  # past the messages the browser still had
    expect(storefront.locator("#content_inner")).to_contain_text("Your cart is empty")
    expect(storefront.locator("#content_inner")).not_to_contain_text("Wool Beanie")


def test_an_order_placed_for_the_customer_names_the_administrator(site, page, context):
    jane = user("Jane")
    dashboard_login(page, site)
    page.goto(f"{site}/dashboard/users/{jane.pk}/")
    storefront = confirm_dialog(page, context)

    mug = Product.objects.get(upc="SA-MUG-001")
    storefront.goto(f"{site}{mug.get_absolute_url()}")
    storefront.click("#add_to_basket_form button[type=submit]")
    expect(storefront.locator(".alert-success")).to_contain_text("Ceramic Mug")
    storefront.goto(f"{site}/checkout/")
    storefront.click("button.ship-address")  # Jane's default shipping address
    storefront.wait_for_url(re.compile(r".*/checkout/(payment-details|preview)/"))
    if "/payment-details/" in storefront.url:
        storefront.click("#view_preview")
    storefront.click("#place-order")
    storefront.wait_for_url(re.compile(r".*/checkout/thank-you/"))
    expect(storefront.locator(BANNER)).to_be_visible()

    order = Order.objects.filter(user=jane).latest("date_placed")
    page.goto(f"{site}/dashboard/orders/{order.number}/")
    page.click("a[href='#notes']")
    session = AssistedSession.objects.get()
    expect(page.locator("#notes")).to_contain_text(
        f"Placed by support on the customer's behalf (Login as Customer, assisted session "
        f"#{session.pk})."
    )
    assert AssistedAction.objects.get(action="order.placed").details == {"order": order.number}

    storefront.goto(f"{site}/customer/assisted-sessions/")
    expect(storefront.locator("[data-testid=assisted-sessions]")).to_contain_text(
        f"Placed an order: #{order.number}"
    )


def test_the_customer_allows_it_on_the_profile_page_and_support_can_start(site, page, context):
    chen = user("Chen")
    storefront_login(page, site, "chen.wei@example.com")
    page.goto(f"{site}/accounts/profile/edit/")
    form = page.locator("[data-testid=consent-form]")
    expect(form).to_contain_text("Allow remote shopping assistance")
    form.get_by_label("Allow remote shopping assistance").check()
    form.locator("[data-testid=save-consent]").click()
    expect(page.locator(".alert-success")).to_contain_text("You allow remote shopping assistance.")
    assert AssistanceConsent.objects.get(customer=chen).is_valid()

    admin = context.browser.new_context(viewport={"width": 1280, "height": 900})
    admin.route(lambda url: not url.startswith(site), lambda route: route.abort())
    try:
        dashboard = admin.new_page()
        dashboard_login(dashboard, site)
        dashboard.goto(f"{site}/dashboard/users/{chen.pk}/")
        storefront = confirm_dialog(dashboard, admin)
        expect(storefront.locator(BANNER)).to_contain_text("You are connected as Chen Wei")
    finally:
        admin.close()


def test_the_log_in_djangos_admin(site, page, context):
    dashboard_login(page, site)
    page.goto(f"{site}/dashboard/users/{user('Kim').pk}/")
    confirm_dialog(page, context).click(f"{BANNER} button:has-text('Close session')")
    page.goto(f"{site}/admin/login_as_customer/assistedsession/")
    expect(page.locator("#result_list")).to_contain_text("kim.minji@example.com")
    expect(page.locator("#result_list")).to_contain_text("support")


def test_the_banner_speaks_french_from_the_wheels_catalogue(browser, site):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    context.route(lambda url: not url.startswith(site), lambda route: route.abort())
    try:
        page = context.new_page()
        dashboard_login(page, site)
        page.goto(f"{site}/dashboard/users/{user('Marie').pk}/")
        page.click("[data-testid=lac-button]")
        expect(page.locator("dialog[open]")).to_contain_text("Se connecter en tant que client")
        with context.expect_page() as opened:
            page.locator("dialog[open] button[type=submit]").click()
        storefront = opened.value
        expect(storefront.locator(BANNER)).to_contain_text(
            "Vous êtes connecté en tant que Marie Dupont sur Oscar Demo Shop"
        )
    finally:
        context.close()
