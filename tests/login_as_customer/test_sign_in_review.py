"""Signing in — as another customer, as the customer, as the administrator's own customer
account — or registering an account in the browser of an assisted session (ShopAssist's
storefront): refused before the view runs (403, its message, a ``sign_in.blocked`` entry naming
the administrator); the session goes on; no account, session or notice changes.

Before: ShopAssist's sign-in and registration views answered a signed-in browser with a
redirect to My Account — nobody was signed in, but the attempt was recorded as one successful
"request" and nothing told the administrator why. A sign-in the host does not name (a page that
calls ``customers.auth.login_customer``) kept the assisted session's id in the cycled session
and put the other customer's id beside it: the next pages showed the other customer's account
under Jane's banner, their changes recorded as Jane's session's. The host's guard on
``customer_logged_in`` now refuses it, signs the browser out and ends the record."""

import pytest
from django.http import HttpResponseRedirect
from django.test import Client
from django.urls import path

from login_as_customer.flows.live_check import SESSION_ID_KEY
from login_as_customer.models import AssistanceNotice, AssistedSession, EndReason
from shopassist.audit.models import ActionLogEntry
from shopassist.customers import auth
from shopassist.customers.auth import SESSION_CUSTOMER_ID
from shopassist.customers.models import Customer
from shopassist.demo.data import CUSTOMER_PASSWORD
from shopassist.urls import handler400, handler403, handler404, handler500
from shopassist.urls import urlpatterns as shop_urlpatterns
from tests.conftest import login_customer_client
from tests.login_as_customer.assisted import (
    assisted_storefront_sessions,
    session_of,
    sessions_of_customer,
    start_assisted,
)

pytestmark = pytest.mark.django_db

REFUSED = "Signing in or creating an account is not possible during an assisted session."
CLOSE_FIRST = "Close the assisted session first."
BANNER = "You are connected as Jane Doe"


def shop_sign_in(request):
    """A sign-in page the host does not name: it signs the customer in with ShopAssist's own
    ``login_customer`` (whose ``customer_logged_in`` the host's guard hears)."""
    customer = Customer.objects.get(email=request.POST["email"])
    auth.login_customer(request, customer)
    return HttpResponseRedirect(f"/{request.store_view.code}/customer/account/")


urlpatterns = [path("<slug:store_code>/quick-sign-in/", shop_sign_in), *shop_urlpatterns]
SHOP_SIGN_IN = f"{__name__}.shop_sign_in"  # the view name of a path without a name
__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


@pytest.fixture
def trainee_client(trainee, admin_client_for):
    return admin_client_for(trainee)


@pytest.fixture
def own_customer_account(support_agent, en):
    """The support agent's own customer account (their staff e-mail, their own password)."""
    customer = Customer(
        website_id=en.store.website_id,
        created_in=en,
        first_name="Sam",
        last_name="Support",
        email=support_agent.email,
    )
    customer.set_password("Sams-Own-Password-7")
    customer.save()
    return customer


def credentials(who, jane, marie, own_customer_account) -> dict:
    customer, password = {
        "another-customer": (marie, CUSTOMER_PASSWORD),
        "the-customer": (jane, CUSTOMER_PASSWORD),
        "the-administrators-own-account": (own_customer_account, "Sams-Own-Password-7"),
    }[who]
    return {"email": customer.email, "password": password}


def customers_and_notices() -> dict:
    """What a sign-in or a registration would change: the accounts (their last sign-in), the
    notices of assisted sessions (which a customer's own sign-in marks told)."""
    return {
        "customers": list(Customer.objects.order_by("pk").values()),
        "notices": list(AssistanceNotice.objects.order_by("pk").values()),
    }


def entries_of(session, action):
    return ActionLogEntry.objects.filter(assisted_session_id=session.pk, action=action)


def assert_signed_out_and_ended(browser, session):
    """Neither Jane's assisted storefront session nor another is left to the browser or on
    the server; the record ended as the administrator left it, at once."""
    assert session_of(browser) == {}
    assert not [
        data for data in assisted_storefront_sessions() if data[SESSION_ID_KEY] == session.pk
    ]
    session.refresh_from_db()
    assert session.end_reason == EndReason.CLOSED_BY_ADMIN and session.ended_at is not None
    assert entries_of(session, "end").get().details["storefront_session"] == "replaced"


def assert_refused_and_the_session_goes_on(response, browser, session, *, view):
    assert response.status_code == 403
    html = response.content.decode()
    assert REFUSED in html and CLOSE_FIRST in html
    blocked = entries_of(session, "sign_in.blocked").get()
    assert blocked.outcome == "denied"
    assert (blocked.admin_id, blocked.customer_id) == (session.admin_id, session.customer_id)
    assert blocked.details == {"view": view, "method": "POST"}
    request = entries_of(session, "request").get()
    assert (request.outcome, request.details["status"]) == ("denied", 403)
    assert AssistedSession.objects.get(pk=session.pk).ended_at is None
    assert session_of(browser)[SESSION_CUSTOMER_ID] == session.customer_id
    account = browser.get("/en/customer/account/")
    assert account.status_code == 200 and BANNER in account.content.decode()


@pytest.mark.parametrize(
    "who", ["another-customer", "the-customer", "the-administrators-own-account"]
)
def test_signing_in_is_refused(support_client, jane, marie, own_customer_account, who):
    browser, session = start_assisted(support_client, jane)
    before = customers_and_notices()

    refused = browser.post(
        "/en/customer/account/login/", credentials(who, jane, marie, own_customer_account)
    )

    assert_refused_and_the_session_goes_on(refused, browser, session, view="customers:login")
    assert customers_and_notices() == before


def test_a_view_only_session_is_refused_the_sign_in_with_its_message(trainee_client, jane, marie):
    browser, session = start_assisted(trainee_client, jane)
    before = customers_and_notices()

    refused = browser.post(
        "/en/customer/account/login/", {"email": marie.email, "password": CUSTOMER_PASSWORD}
    )

    assert_refused_and_the_session_goes_on(refused, browser, session, view="customers:login")
    assert customers_and_notices() == before
    assert not entries_of(session, "view_only_refused").exists()


def test_registering_an_account_is_refused(support_client, jane):
    browser, session = start_assisted(support_client, jane)
    before = customers_and_notices()

    refused = browser.post(
        "/en/customer/account/create/",
        {
            "first_name": "New",
            "last_name": "Customer",
            "email": "new.customer@example.com",
            "password": "A-New-Password-4242",
            "password_confirmation": "A-New-Password-4242",
        },
    )

    assert_refused_and_the_session_goes_on(refused, browser, session, view="customers:register")
    assert customers_and_notices() == before
    assert not Customer.objects.filter(email="new.customer@example.com").exists()


@pytest.mark.urls(__name__)
def test_a_sign_in_the_host_does_not_name_signs_the_browser_out_and_ends_the_session(
    support_client, jane, marie
):
    browser, session = start_assisted(support_client, jane)
    before = customers_and_notices()

    refused = browser.post(
        "/en/quick-sign-in/", {"email": marie.email, "password": CUSTOMER_PASSWORD}
    )

    assert refused.status_code == 403
    assert "the assisted session has ended" in refused.content.decode()
    assert customers_and_notices() == before  # Marie's last_login rolled back
    assert_signed_out_and_ended(browser, session)
    assert sessions_of_customer(marie) == []
    blocked = entries_of(session, "sign_in.blocked").get()
    assert (blocked.outcome, blocked.admin_id) == ("denied", session.admin_id)
    assert blocked.details == {"view": SHOP_SIGN_IN, "method": "POST"}
    assert BANNER not in browser.get("/en/customer/account/", follow=True).content.decode()


@pytest.mark.urls(__name__)
def test_the_customer_signed_in_again_by_such_a_page_is_signed_out_too(support_client, jane):
    """ShopAssist's sign-in gives the browser a new session key, which the refusal's rollback
    leaves without its row: nothing of it is kept, Jane's sign-in included."""
    browser, session = start_assisted(support_client, jane)
    before = customers_and_notices()

    refused = browser.post("/en/quick-sign-in/", {"email": jane.email, "password": ""})

    assert refused.status_code == 403
    assert "the assisted session has ended" in refused.content.decode()
    assert customers_and_notices() == before  # no last_login, no session marked told
    assert_signed_out_and_ended(browser, session)
    assert entries_of(session, "sign_in.blocked").get().outcome == "denied"


def test_the_customers_own_sign_in_still_works(support_client, jane):
    _browser, session = start_assisted(support_client, jane)  # an assisted session elsewhere

    own = login_customer_client(Client(), jane)  # asserts the redirect

    assert own.get("/en/customer/account/").status_code == 200
    assert not entries_of(session, "sign_in.blocked").exists()
    assert AssistedSession.objects.get(pk=session.pk).ended_at is None


def test_the_customer_reads_the_refusal_in_their_list(support_client, jane, marie):
    """It was shown as its raw code to administrators, and not at all to the customer."""
    browser, _session = start_assisted(support_client, jane)
    browser.post("/en/customer/account/login/", {"email": marie.email, "password": "x"})

    own = login_customer_client(Client(), jane)
    html = own.get("/en/customer/assisted-sessions/").content.decode()

    assert "Refused: signing in" in html and "sign_in.blocked" not in html
