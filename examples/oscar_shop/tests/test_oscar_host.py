"""Login as Customer in a stock django-oscar shop, through the test client: the dashboard's
buttons, the consent on Oscar's profile page, the refusals, the anonymous basket, the order
note. (test_oscar_browser.py clicks the same in Chromium.)"""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from oscar.core.loading import get_model

from login_as_customer.contrib.oscar.host import OscarHost
from login_as_customer.host import host
from login_as_customer.models import (
    AssistanceConsent,
    AssistanceNotice,
    AssistedAction,
    AssistedSession,
)
from tests.assisted import redeem, start, view_only_viewer

Order = get_model("order", "Order")
Product = get_model("catalogue", "Product")
Basket = get_model("basket", "Basket")
pytestmark = pytest.mark.django_db


def test_the_package_is_the_installed_wheel_not_the_checkout():
    import json
    from importlib.metadata import distribution

    import login_as_customer

    assert "site-packages" in login_as_customer.__file__
    dist = distribution("django-login-as-customer")
    direct_url = dist.read_text("direct_url.json")
    assert direct_url is not None and json.loads(direct_url)["url"].endswith(".whl")
    shipped = {str(path) for path in dist.files}
    for part in (
        "login_as_customer/locale/fr/LC_MESSAGES/django.mo",
        "login_as_customer/locale/ko/LC_MESSAGES/django.mo",
        "login_as_customer/locale/zh_Hant/LC_MESSAGES/django.mo",
        "login_as_customer/static/login_as_customer/lac_admin.js",
        "login_as_customer/templates/login_as_customer/admin/button.html",
        "login_as_customer/migrations/0009_assisted_action.py",
        "login_as_customer/contrib/oscar/templates/oscar/dashboard/users/detail.html",
    ):
        assert part in shipped, part


def test_the_host_is_oscars():
    assert type(host()) is OscarHost
    assert host().customer_model() is get_user_model()


def test_the_button_is_on_the_dashboards_customer_and_order_pages(support_browser, customer):
    jane = customer("Jane")
    order = Order.objects.get(user=jane)
    for url in (f"/dashboard/users/{jane.pk}/", f"/dashboard/orders/{order.number}/"):
        html = support_browser.get(url).content.decode()
        assert 'data-testid="lac-button"' in html, url
        assert f'id="lac-dialog-{jane.pk}"' in html, url
        assert "You are about to Login as Customer." in html, url


def test_no_button_and_no_start_for_staff_without_the_permission(shop, customer):
    jane = customer("Jane")
    clerk = get_user_model().objects.create_user(
        "clerk", "clerk@example.com", "demo-clerk", is_staff=True
    )
    support = get_user_model().objects.get(username="support")  # Oscar's, not ours
    clerk.user_permissions.add(
        *support.user_permissions.exclude(content_type__app_label="login_as_customer")
    )
    browser = Client()
    browser.post("/dashboard/login/", {"username": "clerk@example.com", "password": "demo-clerk"})
    page = browser.get(f"/dashboard/users/{jane.pk}/")
    assert page.status_code == 200 and "Jane Doe" in page.content.decode()
    assert 'data-testid="lac-button"' not in page.content.decode()
    url = f"/admin/login_as_customer/assistedsession/customer/{jane.pk}/start/"
    assert browser.post(url, {"reason": ""}).status_code == 403
    assert not AssistedSession.objects.exists()
    assert AssistedAction.objects.get(action="start_denied").admin_id == clerk.pk


def test_a_customer_who_has_not_allowed_it_cannot_be_logged_in_as(support_browser, customer):
    chen = customer("Chen")
    url = f"/admin/login_as_customer/assistedsession/customer/{chen.pk}/start/"
    response = support_browser.post(url, {"reason": ""})
    assert response.status_code == 403
    assert "login_as_customer/redeem" not in response.content.decode()
    assert not AssistedSession.objects.filter(started_at__isnull=False).exists()
    assert AssistedAction.objects.filter(action="start_denied", customer_id=chen.pk).exists()


def test_the_customer_allows_and_withdraws_it_on_oscars_profile_page(customer_browser, customer):
    chen = customer("Chen")
    browser = customer_browser("chen.wei@example.com")
    page = browser.get("/accounts/profile/edit/").content.decode()
    assert "Allow remote shopping assistance" in page
    assert 'action="/customer/assistance-consent/"' in page

    back = browser.post(
        "/customer/assistance-consent/",
        {"assistance-allow": "on", "assistance-duration": "7", "next": "/accounts/profile/edit/"},
    )
    assert (back.status_code, back["Location"]) == (302, "/accounts/profile/edit/")
    consent = AssistanceConsent.objects.get(customer=chen)
    assert consent.is_valid() and consent.expires_at is not None

    browser.post("/customer/assistance-consent/", {"next": "/accounts/profile/edit/"})
    consent.refresh_from_db()
    assert not consent.is_valid()


def test_a_foreign_next_is_not_followed(customer_browser):
    browser = customer_browser("chen.wei@example.com")
    back = browser.post(
        "/customer/assistance-consent/", {"assistance-allow": "on", "next": "https://evil.test/"}
    )
    assert back["Location"] == "/customer/assisted-sessions/"


def test_the_administrator_cannot_change_the_consent_in_an_assisted_session(
    support_browser, customer
):
    jane = customer("Jane")
    redeem(support_browser, start(support_browser, jane))
    page = support_browser.get("/accounts/profile/edit/").content.decode()
    assert "This setting cannot be changed during an assisted session." in page
    history = support_browser.get("/customer/assisted-sessions/").content.decode()
    assert 'data-testid="revoke-consent"' not in history
    before = AssistanceConsent.objects.get(customer=jane)

    support_browser.post(
        "/customer/assistance-consent/", {"next": "/accounts/profile/edit/"}
    )  # a forged withdrawal

    after = AssistanceConsent.objects.get(customer=jane)
    assert after.is_valid() and after.updated_at == before.updated_at
    assert AssistedAction.objects.filter(action="consent.blocked").exists()


def test_the_dashboard_session_survives_start_use_and_close(support_browser, customer):
    admin_cookie = support_browser.cookies["sessionid_admin"].value
    redeem(support_browser, start(support_browser, customer("Jane")))
    assert "You are connected as Jane Doe on Oscar Demo Shop" in (
        support_browser.get("/accounts/profile/").content.decode()
    )
    assert support_browser.post("/login_as_customer/close/").status_code == 200
    assert support_browser.get("/dashboard/").status_code == 200
    assert support_browser.cookies["sessionid_admin"].value == admin_cookie
    assert "Jane Doe" not in support_browser.get("/basket/").content.decode()


def test_the_administrators_anonymous_basket_is_not_merged_into_the_customers(
    support_browser, customer
):
    jane = customer("Jane")
    beanie = Product.objects.get(upc="SA-HAT-001")
    support_browser.post(f"/basket/add/{beanie.pk}/", {"quantity": 1})
    assert settings.OSCAR_BASKET_COOKIE_OPEN in support_browser.cookies
    anonymous = Basket.objects.get(owner=None, lines__product=beanie)

    redeem(support_browser, start(support_browser, jane))
    assert support_browser.cookies[settings.OSCAR_BASKET_COOKIE_OPEN].value == ""
    support_browser.get("/basket/")  # shows the messages left for the browser ("added …")
    basket = support_browser.get("/basket/").content.decode()
    assert "Wool Beanie" not in basket
    assert not Basket.objects.filter(owner=jane, lines__product=beanie).exists()
    anonymous.refresh_from_db()
    assert anonymous.status == Basket.OPEN and anonymous.lines.count() == 1  # untouched


def test_an_order_placed_in_an_assisted_session_names_the_administrator(support_browser, customer):
    jane = customer("Jane")
    redeem(support_browser, start(support_browser, jane))
    mug = Product.objects.get(upc="SA-MUG-001")
    support_browser.post(f"/basket/add/{mug.pk}/", {"quantity": 1})
    address = jane.addresses.get()
    support_browser.post(
        "/checkout/shipping-address/", {"action": "ship_to", "address_id": address.pk}
    )
    support_browser.get("/checkout/shipping-method/")
    placed = support_browser.post("/checkout/preview/", {"action": "place_order"})
    assert placed.status_code == 302, placed.content[:500]

    order = Order.objects.filter(user=jane).latest("date_placed")
    assert order.lines.get().product == mug
    session = AssistedSession.objects.get(customer=jane)
    note = order.notes.get(note_type="System")  # the dashboard's (the customer's: the audit)
    assert note.user.username == "support"
    assert f"assisted session #{session.pk}" in note.message and "support" in note.message
    entry = AssistedAction.objects.get(action="order.placed")
    assert entry.assisted_session_id == session.pk
    assert entry.details == {"order": order.number}
    history = support_browser.get("/customer/assisted-sessions/").content.decode()
    assert f"Placed an order: #{order.number}" in re.sub(r"<[^>]+>", "", history)


def test_an_order_the_customer_places_has_no_note(customer_browser, customer):
    jane = customer("Jane")
    browser = customer_browser("jane.doe@example.com")
    mug = Product.objects.get(upc="SA-MUG-001")
    browser.post(f"/basket/add/{mug.pk}/", {"quantity": 1})
    browser.post(
        "/checkout/shipping-address/",
        {"action": "ship_to", "address_id": jane.addresses.get().pk},
    )
    browser.get("/checkout/shipping-method/")  # the only method (free) is chosen
    assert browser.post("/checkout/preview/", {"action": "place_order"}).status_code == 302
    order = Order.objects.filter(user=jane).latest("date_placed")
    assert order.lines.get().product == mug
    assert not order.notes.exists()
    assert not AssistedAction.objects.filter(action="order.placed").exists()


def test_the_log_is_in_djangos_admin(support_browser, customer):
    redeem(support_browser, start(support_browser, customer("Jane")))
    support_browser.post("/login_as_customer/close/")
    log = support_browser.get("/admin/login_as_customer/assistedsession/")
    assert log.status_code == 200
    html = log.content.decode()
    assert "jane.doe@example.com" in html and "support" in html
    assert "Full access" in html  # each session's mode

    dashboard = support_browser.get("/admin/login_as_customer/assistedsession/dashboard/")
    assert dashboard.status_code == 200
    page = dashboard.content.decode()
    assert "Sessions per day" in page and "<svg" in page
    assert 'data-testid="dashboard-filters"' in page


def test_the_customers_next_sign_in_tells_them_of_the_session(support_browser, customer):
    jane = customer("Jane")
    redeem(support_browser, start(support_browser, jane))
    support_browser.post("/login_as_customer/close/")

    own = Client()
    own.post(
        "/accounts/login/",
        {"login-username": jane.email, "login-password": "demo-customer", "login_submit": "1"},
    )
    page = own.get("/accounts/profile/").content.decode()

    assert 'data-testid="lac-notice"' in page
    assert "A store administrator was connected to your account on" in page
    assert 'href="/customer/assisted-sessions/"' in page
    own.post("/login_as_customer/notice/dismiss/", {"next": "/accounts/profile/"})
    assert 'data-testid="lac-notice"' not in own.get("/accounts/profile/").content.decode()
    # The dashboard sign-in of staff is no customer's: never told, nothing recorded for them.
    assert not AssistanceNotice.objects.filter(customer__username="support").exists()
    assert AssistanceNotice.objects.filter(customer=jane).exists()


def test_the_package_asks_oscar_for_no_migration_of_its_own(settings):
    """Oscar's projects use AutoField ids (DEFAULT_AUTO_FIELD); the package keeps its own."""
    from io import StringIO

    from django.core.management import call_command

    assert settings.DEFAULT_AUTO_FIELD == "django.db.models.AutoField"
    out = StringIO()
    call_command("makemigrations", "login_as_customer", check=True, dry_run=True, stdout=out)
    assert "No changes detected" in out.getvalue()


def test_a_view_only_session_adds_nothing_to_the_basket(shop, customer):
    """Staff with only "Login as Customer (view only)" start view-only sessions: Oscar's own
    basket form is refused with the message, the basket stays as it was, and it is logged."""
    jane = customer("Jane")
    browser = view_only_viewer()
    redeem(browser, start(browser, jane))
    session = AssistedSession.objects.get()
    assert session.mode == "view_only"
    assert ">View only</span>" in browser.get("/accounts/profile/").content.decode()
    beanie = Product.objects.get(upc="SA-HAT-001")
    lines_before = list(Basket.objects.filter(owner=jane).values_list("lines__product", flat=True))

    refused = browser.post(f"/basket/add/{beanie.pk}/", {"quantity": 1})

    assert refused.status_code == 403
    assert "This is a view-only session: nothing can be changed." in refused.content.decode()
    lines = list(Basket.objects.filter(owner=jane).values_list("lines__product", flat=True))
    assert lines == lines_before
    assert AssistedAction.objects.filter(
        assisted_session_id=session.pk, action="view_only_refused", outcome="denied"
    ).exists()


def test_chen_reads_out_an_assistance_code_and_support_helps_him(
    settings, support_browser, customer_browser, customer
):
    """With "Customer consent" set to assistance codes, Chen (no opt-in) gets a code on the
    package's Assisted sessions page and the support agent's start spends it."""
    settings.LOGIN_AS_CUSTOMER = {**settings.LOGIN_AS_CUSTOMER, "CUSTOMER_CONSENT": "code"}
    chen = customer("Chen")
    page = customer_browser("chen.wei@example.com").post("/customer/assisted-sessions/code/")
    assert page.status_code == 200
    code = page.content.decode().split('data-testid="assistance-code-value"')[1]
    code = code.split(">", 1)[1].split("<", 1)[0].replace(" ", "")
    assert len(code) == 6 and code.isdigit()

    url = f"/admin/login_as_customer/assistedsession/customer/{chen.pk}/start/"
    response = support_browser.post(url, {"reason": "", "assistance_code": code})

    assert response.status_code == 200
    session = AssistedSession.objects.get(customer=chen)
    assert session.consent_basis == "code"
    assert AssistedAction.objects.filter(action="assistance_code.use").exists()
