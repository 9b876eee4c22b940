"""Login as Customer end to end through the test client: start, redeem, act on the customer's
behalf, end; and the consent that makes it possible."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from login_as_customer import config as lac_config
from login_as_customer.errors import DenialCode, LoginAsCustomerDenied, message_for
from login_as_customer.flows.consent import set_consent
from login_as_customer.flows.live_check import SESSION_ID_KEY
from login_as_customer.models import AssistanceConsent, AssistedSession, EndReason
from login_as_customer.selectors import consent_is_valid
from shopassist.audit.models import ActionLogEntry
from shopassist.cart.selectors import customer_cart
from shopassist.core.actor import Actor
from shopassist.core.config import Scope
from shopassist.customers.models import Customer
from shopassist.demo.data import CUSTOMER_PASSWORD
from shopassist.sales.models import Order
from tests.conftest import login_customer_client
from tests.login_as_customer.assisted import (
    ADMIN_AGENT,
    assert_ended,
    banner_of,
    close_url,
    lac_snapshot,
    redeem,
    redeem_form,
    session_of,
    start,
    start_assisted,
    takeover_password_form,
)
from tests.page_cache.test_leaks import csrf_tokens
from tests.pages import change_form_data

pytestmark = pytest.mark.django_db

CUSTOMER_GRID = "/admin/customers/customer/"
CUSTOMER_PAGE = "/admin/customers/customer/{}/change/"
CONSENT_FIELD = "allow_remote_shopping_assistance"
STOREFRONT_PAGES = [
    "/en/",
    "/en/category/bags/",
    "/en/product/SA-BAG-001/",
    "/en/checkout/cart/",
    "/en/customer/account/",
    "/en/customer/account/edit/",
    "/en/sales/order/history/",
]


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def manual_selection(set_config):
    set_config({lac_config.STORE_VIEW_LOGIN: lac_config.MANUAL_SELECTION})


# --- Start and redemption --------------------------------------------------------------------


def test_start_answers_with_a_form_that_posts_the_token_to_the_storefront(support_client, jane):
    response = start(support_client, jane)

    action, token = redeem_form(response)
    assert action == "/en/login_as_customer/redeem/"
    assert "Location" not in response
    assert token not in action
    assert "Opening the storefront as Jane Doe" in response.content.decode()
    session = AssistedSession.objects.get()
    assert session.started_at is None  # not before the storefront redeems it


def test_auto_detection_opens_the_customers_own_store_view(support_client, marie):
    action, _token = redeem_form(start(support_client, marie))

    assert action == "/fr/login_as_customer/redeem/"


def test_auto_detection_falls_back_to_the_websites_default_store_view(support_client, marie, fr):
    fr.is_active = False
    fr.save(update_fields=["is_active"])

    action, _token = redeem_form(start(support_client, marie))

    assert action == "/en/login_as_customer/redeem/"


def test_redemption_lands_on_my_account_as_the_customer(support_client, jane):
    last_login = Customer.objects.get(pk=jane.pk).last_login
    browser = Client()

    response = redeem(browser, start(support_client, jane))

    assert response.status_code == 302
    assert response["Location"] == "/en/customer/account/"
    account = browser.get(response["Location"])
    assert account.context["customer"] == jane
    assert "You are logged in as customer: Jane Doe" in messages_of(account)
    assert banner_of(account) == "You are connected as Jane Doe on Main Website"
    assert Customer.objects.get(pk=jane.pk).last_login == last_login


def test_the_banner_is_on_every_storefront_page(support_client, jane):
    browser, session = start_assisted(support_client, jane)

    for path in STOREFRONT_PAGES:
        response = browser.get(path)
        assert response.status_code == 200, path
        assert banner_of(response) == "You are connected as Jane Doe on Main Website", path
        content = response.content.decode()
        assert content.count('data-testid="lac-banner"') == 1, path
        assert 'action="/en/login_as_customer/close/"' in content, path
        assert "Time left:" in content, path
    session.refresh_from_db()
    assert session.ended_at is None


def test_the_banner_is_not_shown_to_the_customer_themselves(jane):
    own = login_customer_client(Client(), jane)

    for path in STOREFRONT_PAGES:
        assert banner_of(own.get(path)) == "", path


def test_manual_selection_lands_in_the_chosen_store_view(
    support_client, jane, fr, manual_selection
):
    response = start(support_client, jane, store_view=str(fr.pk))
    action, _token = redeem_form(response)
    assert action == "/fr/login_as_customer/redeem/"
    browser = Client()

    landed = redeem(browser, response)

    assert landed["Location"] == "/fr/customer/account/"
    account = browser.get(landed["Location"])
    content = account.content.decode()
    assert '<html lang="fr"' in content
    assert "<title>Mon compte</title>" in content
    assert "Se déconnecter" in content
    assert AssistedSession.objects.get().store_view_code == "fr"
    assert "Jane Doe" in banner_of(account)


def test_the_dialog_offers_the_store_views_with_the_customers_own_preselected(
    support_client, marie, fr, manual_selection
):
    page = support_client.get(f"/admin/login_as_customer/{marie.pk}/confirm/").content.decode()

    assert '<optgroup label="Main Website">' in page
    assert f'<option value="{fr.pk}" selected>' in page
    assert 'name="reason"' not in page


def test_auto_detection_ignores_a_posted_store_view(support_client, jane, fr):
    action, _token = redeem_form(start(support_client, jane, store_view=str(fr.pk)))

    assert action == "/en/login_as_customer/redeem/"


def test_a_required_reason_must_be_given_and_is_stored(support_client, jane, set_config):
    set_config({lac_config.REQUIRE_REASON: "1"})
    dialog = support_client.get(f"/admin/login_as_customer/{jane.pk}/confirm/").content.decode()
    assert 'name="reason"' in dialog
    before = lac_snapshot()

    for missing in ({}, {"reason": ""}, {"reason": "   "}):
        refused = start(support_client, jane, **missing)
        assert refused.status_code == 403
        assert message_for(DenialCode.REASON_REQUIRED) in refused.content.decode()
    assert lac_snapshot() == before

    start_assisted(support_client, jane, reason="  Ticket #4711: wrong size  ")
    assert AssistedSession.objects.get().reason == "Ticket #4711: wrong size"


def test_the_record_keeps_who_for_whom_where_why_and_when(support_agent, support_client, jane):
    before = timezone.now()
    browser, session = start_assisted(support_client, jane, reason="Order question")
    Customer.objects.filter(pk=jane.pk).update(email="jane.new@example.com", first_name="Janet")
    browser.post(close_url())

    session.refresh_from_db()
    assert (session.admin_id, session.admin_username) == (support_agent.pk, "support")
    assert (session.customer_id, session.customer_email) == (jane.pk, "jane.doe@example.com")
    assert session.customer_name == "Jane Doe"
    assert session.store_view.code == session.store_view_code == "en"
    assert session.website_name == "Main Website"
    assert session.reason == "Order question"
    assert before <= session.created_at <= session.started_at <= session.ended_at
    assert session.end_reason == EndReason.CLOSED_BY_ADMIN
    assert session.ip_address == "127.0.0.1"
    assert session.user_agent == ADMIN_AGENT


def test_notify_the_customer_sends_one_email_on_redemption(
    support_client, jane, set_config, mailoutbox, django_capture_on_commit_callbacks
):
    set_config({lac_config.NOTIFY_CUSTOMER: "1"})
    response = start(support_client, jane, reason="Size exchange")
    assert mailoutbox == []  # not when the link is made, only when it is used

    with django_capture_on_commit_callbacks(execute=True):
        redeem(Client(), response)

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["jane.doe@example.com"]
    assert "Main Website" in mail.body
    assert "Size exchange" in mail.body


def test_without_notify_no_email_is_sent(
    support_client, jane, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        start_assisted(support_client, jane)

    assert mailoutbox == []


# --- During the session ----------------------------------------------------------------------


def test_password_change_is_refused_and_changes_nothing(support_client, jane):
    browser, _session = start_assisted(support_client, jane)
    before = lac_snapshot()

    response = browser.post(
        "/en/customer/account/edit/",
        takeover_password_form(jane),
    )

    assert response.status_code == 200
    assert "cannot be changed while a store administrator is acting on your behalf" in (
        response.content.decode()
    )
    assert lac_snapshot() == before
    assert Customer.objects.get(pk=jane.pk).check_password(CUSTOMER_PASSWORD)


def test_email_change_is_refused_and_changes_nothing(support_client, jane):
    browser, _session = start_assisted(support_client, jane)
    before = lac_snapshot()

    response = browser.post(
        "/en/customer/account/edit/",
        {
            "first_name": "Jane",
            "last_name": "Doe",
            "change_email": "on",
            "email": "attacker@example.com",
            "current_password": CUSTOMER_PASSWORD,
        },
    )

    assert response.status_code == 200
    assert "cannot be changed while a store administrator is acting on your behalf" in (
        response.content.decode()
    )
    assert lac_snapshot() == before


def test_consent_cannot_be_changed_in_an_assisted_session(support_client, jane):
    browser, session = start_assisted(support_client, jane)
    page = browser.get("/en/customer/account/edit/").content.decode()
    assert "This setting cannot be changed during an assisted session." in page
    assert 'name="assistance-allow"' in page and "disabled" in page
    before = lac_snapshot()

    # Unticked (revoke) and a new duration: both ignored.
    browser.post(
        "/en/customer/account/edit/",
        {"first_name": "Jane", "last_name": "Doe", "email": jane.email, "assistance-duration": "1"},
    )

    assert lac_snapshot() == before
    assert consent_is_valid(jane)
    session.refresh_from_db()
    assert session.ended_at is None


def test_a_forged_consent_value_in_an_assisted_session_is_refused_and_logged(support_client, jane):
    browser, session = start_assisted(support_client, jane)
    before = lac_snapshot()

    # The box is disabled, so a browser never sends it: this value is forged.
    response = browser.post(
        "/en/customer/account/edit/",
        {"first_name": "Janet", "last_name": "Doe", "email": jane.email, "assistance-allow": "on"},
    )

    assert response.status_code == 200  # the form again, with the refusal
    assert "cannot be changed during an assisted session" in response.content.decode()
    assert Customer.objects.get(pk=jane.pk).first_name == "Jane"  # nothing of the form saved
    assert lac_snapshot() == before
    assert consent_is_valid(jane)
    assert ActionLogEntry.objects.filter(
        assisted_session_id=session.pk, action="consent.blocked", outcome="denied"
    ).exists()


def test_set_consent_refuses_an_actor_on_behalf_of_the_customer(support_agent, jane):
    before = lac_snapshot()

    with pytest.raises(LoginAsCustomerDenied) as denied:
        set_consent(
            customer=jane, allowed=False, actor=Actor(staff_user=support_agent, customer=jane)
        )

    assert denied.value.code == DenialCode.CONSENT_CHANGE_BLOCKED
    assert lac_snapshot() == before


def test_a_name_change_works_on_the_real_account(support_client, jane):
    browser, _session = start_assisted(support_client, jane)

    response = browser.post(
        "/en/customer/account/edit/",
        {"first_name": "Janet", "last_name": "Doe", "email": jane.email},
    )

    assert response.status_code == 302
    assert Customer.objects.get(pk=jane.pk).first_name == "Janet"


def test_cart_changes_apply_to_the_customers_real_cart(support_client, jane):
    own = login_customer_client(Client(), jane)
    browser, _session = start_assisted(support_client, jane)

    response = browser.post("/en/checkout/cart/add/", {"sku": "SA-BAG-001", "qty": "2"})

    assert response.status_code == 302
    cart = customer_cart(jane, None)
    assert dict(cart.items.values_list("product__sku", "qty")) == {"SA-BAG-001": 2}
    assert "SA-BAG-001" in own.get("/en/checkout/cart/").content.decode()


def test_an_order_placed_in_an_assisted_session_records_the_administrator(
    support_agent, support_client, jane
):
    browser, session = start_assisted(support_client, jane)
    browser.post("/en/checkout/cart/add/", {"sku": "SA-BAG-001"})
    address = jane.addresses.get()

    response = browser.post("/en/checkout/", {"address_choice": str(address.pk)})

    assert response.status_code == 302, response.content.decode()[-3000:]
    order = Order.objects.filter(customer=jane).order_by("-pk").first()
    assert order.placed_by == support_agent
    assert order.placed_by_username == "support"
    comments = dict(order.comments.values_list("comment", "is_visible_on_front"))
    assert comments == {
        "Order placed by store administrator": True,
        "Order placed by Sam Support using Login as Customer": False,
    }
    view = browser.get(f"/en/sales/order/view/{order.pk}/").content.decode()
    assert "Order placed by store administrator" in view
    assert "using Login as Customer" not in view
    # The customer sees the same, and never the admin-only comment.
    own = login_customer_client(Client(), jane)
    own_view = own.get(f"/en/sales/order/view/{order.pk}/").content.decode()
    assert "Order placed by store administrator" in own_view
    assert "using Login as Customer" not in own_view
    session.refresh_from_db()
    assert session.ended_at is None


def test_an_order_the_customer_places_themselves_has_no_administrator(jane):
    own = login_customer_client(Client(), jane)
    own.post("/en/checkout/cart/add/", {"sku": "SA-BAG-001"})

    own.post("/en/checkout/", {"address_choice": str(jane.addresses.get().pk)})

    order = Order.objects.filter(customer=jane).order_by("-pk").first()
    assert order.placed_by is None
    assert not order.comments.filter(comment__contains="Login as Customer").exists()


# --- Ending ----------------------------------------------------------------------------------


def test_close_session_ends_it_and_signs_the_tab_out(support_client, jane):
    browser, session = start_assisted(support_client, jane)
    csrf_secret = browser.cookies[settings.STOREFRONT_CSRF_COOKIE_NAME].value

    closed = browser.post(close_url())

    assert closed.status_code == 200
    assert "You are no longer connected as Jane Doe." in closed.content.decode()
    assert_ended(session, EndReason.CLOSED_BY_ADMIN)
    assert SESSION_ID_KEY not in session_of(browser)
    assert browser.cookies[settings.STOREFRONT_CSRF_COOKIE_NAME].value not in ("", csrf_secret)
    account = browser.get("/en/customer/account/")
    assert account.status_code == 302
    assert account["Location"].startswith("/en/customer/account/login/")
    # The admin panel is still logged in.
    assert support_client.get("/admin/").status_code == 200


def test_sign_out_in_an_assisted_session_ends_it(support_client, jane):
    browser, session = start_assisted(support_client, jane)

    response = browser.post("/en/customer/account/logout/")

    assert response.status_code == 302
    assert_ended(session, EndReason.CLOSED_BY_ADMIN)
    assert SESSION_ID_KEY not in session_of(browser)
    assert support_client.get("/admin/").status_code == 200


def test_close_without_an_assisted_session_goes_home(jane):
    own = login_customer_client(Client(), jane)

    response = own.post(close_url())

    assert response["Location"] == "/en/"
    assert own.get("/en/customer/account/").status_code == 200  # still signed in


# --- Consent ---------------------------------------------------------------------------------

REGISTRATION = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "email": "ada@example.com",
    "password": "Analytical-Engine-1843",
    "password_confirmation": "Analytical-Engine-1843",
}
FR_TITLE = "Autoriser l'assistance à distance"
FR_TOOLTIP = "Le marchand voit ce que vous voyez <et agit pour vous>."


@pytest.fixture
def french_consent_texts(fr, set_config):
    set_config(
        {lac_config.OPT_IN_TITLE: FR_TITLE, lac_config.OPT_IN_TOOLTIP: FR_TOOLTIP},
        scope=Scope.STORE_VIEW,
        scope_id=fr.pk,
    )


@pytest.mark.parametrize("page", ["customer/account/create/", "customer/account/edit/"])
def test_the_consent_checkbox_shows_the_configured_title_and_tooltip(
    page, jane, french_consent_texts
):
    english = login_customer_client(Client(), jane) if "edit" in page else Client()
    french = login_customer_client(Client(), jane, "fr") if "edit" in page else Client()

    en_page = english.get(f"/en/{page}").content.decode()
    fr_page = french.get(f"/fr/{page}").content.decode()

    assert escape(lac_config.DEFAULT_TITLE) in en_page
    assert escape(lac_config.DEFAULT_TOOLTIP) in en_page
    assert escape(FR_TITLE) in fr_page
    assert escape(FR_TOOLTIP) in fr_page
    assert FR_TOOLTIP not in fr_page  # escaped
    for content in (en_page, fr_page):
        assert 'name="assistance-allow"' in content
        assert 'name="assistance-duration"' in content


def test_registration_with_the_box_ticked_gives_consent(demo):
    response = Client().post(
        "/en/customer/account/create/", {**REGISTRATION, "assistance-allow": "on"}
    )

    assert response.status_code == 302
    consent = AssistanceConsent.objects.get(customer__email="ada@example.com")
    assert consent.allowed and consent.expires_at is None and consent.granted_at


def test_registration_without_the_box_gives_no_consent(demo):
    Client().post("/en/customer/account/create/", REGISTRATION)

    customer = Customer.objects.get(email="ada@example.com")
    assert not consent_is_valid(customer)


@pytest.mark.parametrize("days", ["1", "7", "30"])
def test_consent_for_a_limited_time_expires_by_itself(days, chen, support_agent, admin_client_for):
    own = login_customer_client(Client(), chen, "zh-hant")
    now = timezone.now().replace(microsecond=0)

    with time_machine.travel(now, tick=False):
        response = own.post(
            "/zh-hant/customer/account/edit/",
            {
                "first_name": "Chen",
                "last_name": "Wei",
                "email": chen.email,
                "assistance-allow": "on",
                "assistance-duration": days,
            },
        )
        assert response.status_code == 302
    consent = AssistanceConsent.objects.get(customer=chen)
    assert consent.allowed
    assert consent.expires_at == now + timedelta(days=int(days))

    with time_machine.travel(now + timedelta(days=int(days), seconds=-1), tick=False):
        assert consent_is_valid(chen)
        assert start(admin_client_for(support_agent), chen).status_code == 200
    with time_machine.travel(now + timedelta(days=int(days)), tick=False):
        assert not consent_is_valid(chen)
        support_client = admin_client_for(support_agent)
        grid = support_client.get(CUSTOMER_GRID, {"assistance": "yes"})
        assert chen.email not in grid.content.decode()
        assert start(support_client, chen).status_code == 403


def test_an_unknown_duration_is_refused(chen):
    own = login_customer_client(Client(), chen, "zh-hant")

    response = own.post(
        "/zh-hant/customer/account/edit/",
        {
            "first_name": "Chen",
            "last_name": "Wei",
            "email": chen.email,
            "assistance-allow": "on",
            "assistance-duration": "365",
        },
    )

    assert response.status_code == 200
    assert not consent_is_valid(chen)


def test_the_customer_revokes_consent_by_unticking_the_box(jane):
    own = login_customer_client(Client(), jane)
    page = own.get("/en/customer/account/edit/").content.decode()
    assert re.search(r'<input type="checkbox" name="assistance-allow"[^>]* checked>', page)

    own.post(
        "/en/customer/account/edit/",
        {"first_name": "Jane", "last_name": "Doe", "email": jane.email},
    )

    assert not consent_is_valid(jane)


def test_revoking_consent_ends_the_live_session_at_once(support_client, jane):
    """The record ends when the customer revokes, even before the next assisted request."""
    _browser, session = start_assisted(support_client, jane)

    set_consent(customer=jane, allowed=False, actor=Actor(customer=jane))

    assert_ended(session, EndReason.CONSENT_REVOKED)


# --- Consent in the admin panel --------------------------------------------------------------


def _customer_page(client, customer):
    response = client.get(CUSTOMER_PAGE.format(customer.pk))
    assert response.status_code == 200
    return response


def test_support_can_set_and_clear_consent_in_the_customer_form(support_client, chen, jane):
    page = _customer_page(support_client, chen)
    field = page.context["adminform"].form.fields[CONSENT_FIELD]
    assert not field.disabled
    data = change_form_data(page)
    data[CONSENT_FIELD] = "on"

    response = support_client.post(CUSTOMER_PAGE.format(chen.pk), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert consent_is_valid(chen)
    data = change_form_data(_customer_page(support_client, jane))
    data.pop(CONSENT_FIELD)
    support_client.post(CUSTOMER_PAGE.format(jane.pk), data)
    assert not consent_is_valid(jane)


def test_without_the_opt_in_resource_the_toggle_is_disabled_and_forged_posts_change_nothing(
    desk_agent, chen, jane, admin_client_for
):
    client = admin_client_for(desk_agent)
    page = _customer_page(client, chen)
    assert page.context["adminform"].form.fields[CONSENT_FIELD].disabled
    assert f'name="{CONSENT_FIELD}"' in page.content.decode()
    before = lac_snapshot()

    forged = {**change_form_data(page), CONSENT_FIELD: "on"}
    response = client.post(CUSTOMER_PAGE.format(chen.pk), forged)
    forged_off = change_form_data(_customer_page(client, jane))  # box absent: "off"
    client.post(CUSTOMER_PAGE.format(jane.pk), forged_off)

    assert response.status_code == 302
    assert lac_snapshot() == before
    assert not consent_is_valid(chen)
    assert consent_is_valid(jane)


def test_the_customer_grid_has_the_consent_column_and_filter(support_client, jane, chen):
    everyone = support_client.get(CUSTOMER_GRID)
    consenting = support_client.get(CUSTOMER_GRID, {"assistance": "yes"}).content.decode()
    refusing = support_client.get(CUSTOMER_GRID, {"assistance": "no"}).content.decode()

    assert "Allow remote shopping assistance" in everyone.content.decode()
    assert "column-assistance_allowed" in everyone.content.decode()
    assert jane.email in consenting and chen.email not in consenting
    assert chen.email in refusing and jane.email not in refusing
    assert "marie.dupont@example.com" in consenting
    assert "kim.minji@example.com" in consenting


@pytest.mark.parametrize("page_cache_read", [True, False], ids=["cache-read", "cache-bypassed"])
def test_the_banners_close_form_carries_its_store_views_address_and_a_token_of_the_browser(
    support_client, jane, set_config, page_cache_read
):
    """Read from the page cache, the page and its banner share one masked token (rendered
    afresh, the page's forms have the template's own mask); every token is the browser's."""
    set_config({lac_config.DISABLE_PAGE_CACHE: "0" if page_cache_read else "1"})
    login_customer_client(Client(), jane).get("/en/product/SA-BAG-001/")  # fills the cache
    login_customer_client(Client(), jane).get("/fr/product/SA-BAG-001/")
    browser = Client()
    redeem(browser, start(support_client, jane))
    secret = browser.cookies[settings.STOREFRONT_CSRF_COOKIE_NAME].value
    for store_code in ("en", "fr", "en"):
        body = browser.get(f"/{store_code}/product/SA-BAG-001/").content.decode()
        assert f'action="{close_url(store_code)}" class="lac-banner-form"' in body
        tokens = csrf_tokens(body)
        assert tokens and (len(tokens) == 1 or not page_cache_read)
        assert {_unmask_cipher_token(token) for token in tokens} == {secret}
