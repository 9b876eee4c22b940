"""Signing in — as another customer, as the customer herself, as the administrator's own
account — or creating an account (Oscar signs it in) in the browser of an assisted session, on a
stock Oscar shop: refused before Oscar's view runs (403, its message, a ``sign_in.blocked``
entry naming the administrator); the session goes on and neither account changes.

Before: Oscar's login flushed the storefront session that carried the assisted session, the
browser was signed in as the other account outside the feature's attribution, the record stayed
"in progress" until its idle timeout, and no entry said what happened (the sign-in was one
successful "request"); a registration also created the account and mailed it. Signed in as
Jane herself, her ``last_login`` was written and her earlier assisted sessions marked told (the
notice she would have seen at her own next sign-in)."""

import pytest
from django.contrib.auth import authenticate, get_user_model, login
from django.contrib.sessions.models import Session
from django.core import mail
from django.http import HttpResponseRedirect
from django.urls import path
from oscar.core.loading import get_model

from login_as_customer.flows.live_check import SESSION_ID_KEY
from login_as_customer.models import AssistanceNotice, AssistedAction, AssistedSession, EndReason
from oscar_shop import demo
from oscar_shop.urls import urlpatterns as shop_urlpatterns

Email = get_model("communication", "Email")
Product = get_model("catalogue", "Product")
pytestmark = pytest.mark.django_db
User = get_user_model()

REFUSED = "Signing in or creating an account is not possible during an assisted session."
CLOSE_FIRST = "Close the assisted session first."
BANNER = "You are connected as Jane Doe"

# Who the administrator signs in as: another customer, the customer of the session, their own.
ACCOUNTS = {
    "another-customer": ("marie.dupont@example.com", demo.CUSTOMER_PASSWORD),
    "the-customer": ("jane.doe@example.com", demo.CUSTOMER_PASSWORD),
    "the-administrator": ("support@example.com", demo.SUPPORT[1]),
}


def shop_sign_in(request):
    """A sign-in page of the shop's own, which the host does not name (a fork of Oscar's
    customer app might have one): only the guard on django.contrib.auth's login sees it."""
    user = authenticate(request, username=request.POST["email"], password=request.POST["password"])
    login(request, user)
    return HttpResponseRedirect("/accounts/profile/")


urlpatterns = [path("accounts/quick-sign-in/", shop_sign_in), *shop_urlpatterns]
SHOP_SIGN_IN = f"{__name__}.shop_sign_in"  # the view name of a path without a name


def entries(action):
    return AssistedAction.objects.filter(action=action)


def accounts_and_notices():
    """What a sign-in or a registration would change: every account, its last sign-in, and the
    customer's notice of assisted sessions (which the customer's own sign-in marks told)."""
    return {
        "accounts": list(
            User.objects.order_by("pk").values("pk", "email", "password", "last_login")
        ),
        "notices": list(AssistanceNotice.objects.order_by("pk").values()),
    }


def sessions_carrying_an_assisted_session() -> list[dict]:
    return [
        row.get_decoded() for row in Session.objects.all() if SESSION_ID_KEY in row.get_decoded()
    ]


def signed_in_sessions() -> dict[str, str]:
    """Stored session key -> the account it is signed in as."""
    decoded = ((row.session_key, row.get_decoded()) for row in Session.objects.all())
    return {key: data["_auth_user_id"] for key, data in decoded if "_auth_user_id" in data}


def assert_refused_and_the_session_goes_on(response, browser, *, view):
    assert response.status_code == 403
    html = response.content.decode()
    assert REFUSED in html and CLOSE_FIRST in html
    session = AssistedSession.objects.get()
    blocked = entries("sign_in.blocked").get()
    assert (blocked.outcome, blocked.assisted_session_id) == ("denied", session.pk)
    assert (blocked.admin_id, blocked.customer_id) == (session.admin_id, session.customer_id)
    assert blocked.details == {"view": view, "method": "POST"}
    request = entries("request").get(details__view=view)
    assert (request.outcome, request.details["status"]) == ("denied", 403)
    assert session.ended_at is None
    profile = browser.get("/accounts/profile/")
    assert profile.status_code == 200 and BANNER in profile.content.decode()


@pytest.mark.parametrize("who", ACCOUNTS)
def test_signing_in_on_oscars_login_page_is_refused(assisting, jane, who):
    email, password = ACCOUNTS[who]
    before, sessions_before = accounts_and_notices(), signed_in_sessions()

    refused = assisting.post(
        "/accounts/login/",
        {"login-username": email, "login-password": password, "login_submit": "1"},
    )

    assert_refused_and_the_session_goes_on(refused, assisting, view="customer:login")
    assert accounts_and_notices() == before  # no last_login written, of anyone
    assert signed_in_sessions() == sessions_before  # no session of the other account


def test_a_view_only_session_is_refused_the_sign_in_with_its_message(viewing):
    before = accounts_and_notices()

    refused = viewing.post(
        "/accounts/login/",
        {
            "login-username": "marie.dupont@example.com",
            "login-password": demo.CUSTOMER_PASSWORD,
            "login_submit": "1",
        },
    )

    assert_refused_and_the_session_goes_on(refused, viewing, view="customer:login")
    assert accounts_and_notices() == before
    assert not entries("view_only_refused").exists()


@pytest.mark.parametrize(
    ("url", "form", "view"),
    [
        (
            "/accounts/login/",
            {
                "registration-email": "new.customer@example.com",
                "registration-password1": "a-new-password-1234",
                "registration-password2": "a-new-password-1234",
                "registration_submit": "1",
            },
            "customer:login",
        ),
        (
            "/accounts/register/",
            {
                "email": "new.customer@example.com",
                "password1": "a-new-password-1234",
                "password2": "a-new-password-1234",
            },
            "customer:register",
        ),
    ],
    ids=["login-page", "register-page"],
)
def test_creating_an_account_is_refused(assisting, url, form, view):
    before, emails_before = accounts_and_notices(), Email.objects.count()

    refused = assisting.post(url, form)

    assert_refused_and_the_session_goes_on(refused, assisting, view=view)
    assert accounts_and_notices() == before
    assert not User.objects.filter(email="new.customer@example.com").exists()
    assert mail.outbox == [] and Email.objects.count() == emails_before


def test_signing_in_at_the_checkout_gateway_is_refused(assisting):
    """Oscar's checkout gateway signs an existing account in on its POST."""
    beanie = Product.objects.get(upc="SA-HAT-001")
    assisting.post(f"/basket/add/{beanie.pk}/", {"quantity": 1})
    before = accounts_and_notices()

    refused = assisting.post(
        "/checkout/",
        {
            "username": "marie.dupont@example.com",
            "options": "existing",
            "password": demo.CUSTOMER_PASSWORD,
        },
    )

    assert_refused_and_the_session_goes_on(refused, assisting, view="checkout:index")
    assert accounts_and_notices() == before


@pytest.mark.urls(__name__)
def test_a_sign_in_the_host_does_not_name_signs_the_browser_out_and_ends_the_session(
    assisting, customer
):
    """The guard on django.contrib.auth's login: by then Django has flushed the session that
    carried the assisted session. Nothing of the sign-in is kept: the browser is signed out,
    the record ends at once (not at its idle timeout), the refusal is in the journal."""
    marie = customer("Marie")
    before = accounts_and_notices()

    refused = assisting.post(
        "/accounts/quick-sign-in/",
        {"email": "marie.dupont@example.com", "password": demo.CUSTOMER_PASSWORD},
    )

    assert refused.status_code == 403
    assert "the assisted session has ended" in refused.content.decode()
    assert (
        accounts_and_notices() == before
    )  # Marie's last_login rolled back with the refused request
    assert str(marie.pk) not in signed_in_sessions().values()
    assert not sessions_carrying_an_assisted_session()  # destroyed on the server too
    session = AssistedSession.objects.get()
    assert session.end_reason == EndReason.CLOSED_BY_ADMIN and session.ended_at is not None
    blocked = entries("sign_in.blocked").get()
    assert (blocked.outcome, blocked.admin_id) == ("denied", session.admin_id)
    end = entries("end").get()
    assert end.assisted_session_id == session.pk
    assert end.details == {"reason": "closed_by_admin", "storefront_session": "replaced"}
    # Signed out: Oscar sends the browser to its login page.
    assert assisting.get("/accounts/profile/").status_code == 302


@pytest.mark.urls(__name__)
def test_the_same_customer_signed_in_by_such_a_page_keeps_the_session(assisting, jane):
    before = accounts_and_notices()

    refused = assisting.post(
        "/accounts/quick-sign-in/",
        {"email": "jane.doe@example.com", "password": demo.CUSTOMER_PASSWORD},
    )

    assert_refused_and_the_session_goes_on(refused, assisting, view=SHOP_SIGN_IN)
    assert accounts_and_notices() == before


def test_the_customers_own_sign_in_still_works(assisting, customer_browser, jane):
    """An assisted session elsewhere does not refuse Jane's own sign-in in her browser."""
    browser = customer_browser("jane.doe@example.com")  # asserts the 302

    assert browser.get("/accounts/profile/").status_code == 200
    assert not entries("sign_in.blocked").exists()
    assert AssistedSession.objects.get().ended_at is None
