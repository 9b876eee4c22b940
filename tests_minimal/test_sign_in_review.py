"""Signing in in the browser of an assisted session, on the default host (a shop whose customers
are Django's users and sign in with django.contrib.auth's ``LoginView``): refused before the view
runs — as another customer, as the customer herself, as the administrator's own account — with
its message and a ``sign_in.blocked`` entry naming the administrator; the session goes on and no
account changes.

Before: Django's ``login()`` flushed the storefront session that carried the assisted session;
the browser was signed in as the other account outside the feature's attribution, the record
stayed live ("in progress") until its idle timeout, and the only entry was a successful
"request". Signed in as the customer herself, the session went on, but her ``last_login`` was
written and her earlier assisted sessions were marked told: she would never see that notice.

A sign-in page the host cannot recognise (a shop's own view calling ``login()``, a registration
that signs the new account in) is caught when Django's login sends ``user_logged_in``: by then
the session has been flushed, so the refusal signs the browser out and ends the record at once;
the refused request's writes (``last_login``, the new account) roll back."""

import pytest
from django.contrib.auth import authenticate, get_user_model, login
from django.contrib.auth.views import LoginView
from django.contrib.sessions.models import Session
from django.http import HttpResponseRedirect
from django.test import Client
from django.urls import include, path

from login_as_customer import binding_cookie, tokens
from login_as_customer.flows.live_check import SESSION_ID_KEY
from login_as_customer.flows.start import StartRequest, start_assisted_session
from login_as_customer.models import (
    AssistanceNotice,
    AssistedAction,
    AssistedSession,
    EndReason,
    SessionMode,
)
from tests_minimal import urls as minimal_urls
from tests_minimal.test_default_host import _signed_in_customer
from tests_minimal.test_security_review import _assisted

pytestmark = pytest.mark.django_db
User = get_user_model()

REFUSED = "Signing in or creating an account is not possible during an assisted session."
CLOSE_FIRST = "Close the assisted session first."
BANNER = "You are connected as Jane Doe"


def shop_sign_in(request):
    """A sign-in page of the shop's own (a function view calling ``login()``)."""
    user = authenticate(
        request, username=request.POST["username"], password=request.POST["password"]
    )
    login(request, user)
    return HttpResponseRedirect("/account/")


def shop_sign_up(request):
    """A registration page of the shop's own: the new account is signed in at once."""
    user = User.objects.create_user(request.POST["username"], password=request.POST["password"])
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return HttpResponseRedirect("/account/")


urlpatterns = [
    # django.contrib.auth's views as a shop routes them: "login" is LoginView.
    path("accounts/", include("django.contrib.auth.urls")),
    path("shop/sign-in/", LoginView.as_view(), name="shop_sign_in"),  # by another name
    path("shop/own-sign-in/", shop_sign_in, name="own_sign_in"),
    path("shop/sign-up/", shop_sign_up, name="sign_up"),
    *minimal_urls.urlpatterns,
]


@pytest.fixture
def shop_pages(settings):
    settings.ROOT_URLCONF = __name__


@pytest.fixture
def bob():
    return User.objects.create_user(
        "bob", "bob@example.com", "demo-bob", first_name="Bob", last_name="Roe"
    )


def credentials(who, support, jane, bob) -> dict:
    account, password = {
        "another-customer": (bob, "demo-bob"),
        "the-customer": (jane, "demo-customer"),
        "the-administrator": (support, "demo-support"),
    }[who]
    return {"username": account.username, "password": password}


def accounts_and_notices():
    """What a sign-in would change: every account, its last sign-in, and the
    customer's notice of assisted sessions (which the customer's own sign-in marks told)."""
    return {
        "accounts": list(User.objects.order_by("pk").values("pk", "password", "last_login")),
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


def entries(action):
    return AssistedAction.objects.filter(action=action)


def assert_refused_and_the_session_goes_on(response, browser, session, *, view):
    assert response.status_code == 403
    html = response.content.decode()
    assert REFUSED in html and CLOSE_FIRST in html
    blocked = entries("sign_in.blocked").get()
    assert (blocked.outcome, blocked.assisted_session_id) == ("denied", session.pk)
    assert (blocked.admin_id, blocked.admin_username) == (session.admin_id, "support")
    assert blocked.details == {"view": view, "method": "POST"}
    request = entries("request").get()
    assert (request.outcome, request.details["status"]) == ("denied", 403)
    assert AssistedSession.objects.get(pk=session.pk).ended_at is None
    page = browser.get("/account/").content.decode()
    assert BANNER in page and "<p id='who'>jane</p>" in page


@pytest.mark.parametrize("who", ["another-customer", "the-customer", "the-administrator"])
@pytest.mark.parametrize(
    ("url", "view"), [("/accounts/login/", "login"), ("/shop/sign-in/", "shop_sign_in")]
)
def test_signing_in_with_djangos_login_view_is_refused(
    shop_pages, support, jane, bob, who, url, view
):
    """``LoginView`` is refused under any URL name (the second one no host declares)."""
    browser, session = _assisted(support, jane)
    before, sessions_before = accounts_and_notices(), signed_in_sessions()

    refused = browser.post(url, credentials(who, support, jane, bob))

    assert_refused_and_the_session_goes_on(refused, browser, session, view=view)
    assert accounts_and_notices() == before  # no last_login written, of anyone
    assert signed_in_sessions() == sessions_before  # no session of the other account


def _view_only(support, customer):
    """A browser in a view-only assisted session as ``customer``."""
    browser = Client()
    binding = tokens.new_binding()
    session, raw_token = start_assisted_session(
        staff=support,
        customer_id=customer.pk,
        mode=SessionMode.VIEW_ONLY,
        origin=StartRequest(ip_address="10.0.0.5"),
        browser_binding=binding,
    )
    browser.cookies[binding_cookie.cookie_name(session)] = binding
    assert browser.post("/login_as_customer/redeem/", {"token": raw_token}).status_code == 302
    return browser, session


def test_a_view_only_session_is_refused_the_sign_in_with_its_message(
    shop_pages, support, jane, bob
):
    browser, session = _view_only(support, jane)
    before = accounts_and_notices()

    refused = browser.post("/accounts/login/", {"username": "bob", "password": "demo-bob"})

    assert_refused_and_the_session_goes_on(refused, browser, session, view="login")
    assert accounts_and_notices() == before
    assert not entries("view_only_refused").exists()


def test_a_sign_in_page_the_host_cannot_recognise_signs_the_browser_out(
    shop_pages, support, jane, bob
):
    browser, session = _assisted(support, jane)
    before = accounts_and_notices()

    refused = browser.post("/shop/own-sign-in/", {"username": "bob", "password": "demo-bob"})

    assert refused.status_code == 403
    assert "the assisted session has ended" in refused.content.decode()
    assert accounts_and_notices() == before  # bob's last_login rolled back with the refused request
    assert str(bob.pk) not in signed_in_sessions().values()
    assert not sessions_carrying_an_assisted_session()  # destroyed on the server too
    session.refresh_from_db()
    assert session.end_reason == EndReason.CLOSED_BY_ADMIN and session.ended_at is not None
    blocked = entries("sign_in.blocked").get()
    assert (blocked.outcome, blocked.admin_id) == ("denied", support.pk)
    assert blocked.details == {"view": "own_sign_in", "method": "POST"}
    end = entries("end").get()
    assert end.assisted_session_id == session.pk
    assert end.details == {"reason": "closed_by_admin", "storefront_session": "replaced"}
    assert "<p id='who'>guest</p>" in browser.get("/account/").content.decode()


def test_the_same_customer_signed_in_by_such_a_page_keeps_the_session(shop_pages, support, jane):
    browser, session = _assisted(support, jane)
    before = accounts_and_notices()

    refused = browser.post("/shop/own-sign-in/", {"username": "jane", "password": "demo-customer"})

    assert_refused_and_the_session_goes_on(refused, browser, session, view="own_sign_in")
    assert accounts_and_notices() == before


def test_a_registration_that_signs_the_new_account_in_creates_nothing(shop_pages, support, jane):
    browser, session = _assisted(support, jane)
    before = accounts_and_notices()

    refused = browser.post("/shop/sign-up/", {"username": "newbie", "password": "new-pass-1234"})

    assert refused.status_code == 403
    assert accounts_and_notices() == before  # the new account rolled back
    assert not User.objects.filter(username="newbie").exists()
    assert AssistedSession.objects.get(pk=session.pk).ended_at is not None
    assert entries("sign_in.blocked").get().details == {"view": "sign_up", "method": "POST"}


def test_the_customers_own_sign_in_still_works(shop_pages, support, jane):
    _browser, session = _assisted(support, jane)  # an assisted session elsewhere
    own = Client()

    signed_in = own.post("/accounts/login/", {"username": "jane", "password": "demo-customer"})

    assert signed_in.status_code == 302
    assert "<p id='who'>jane</p>" in own.get("/account/").content.decode()
    assert not entries("sign_in.blocked").exists()
    assert AssistedSession.objects.get(pk=session.pk).ended_at is None


def test_a_signed_in_customer_signs_in_again_without_a_refusal(shop_pages, support, jane, bob):
    """Outside an assisted session the guard is silent, also for a browser switching accounts."""
    own = _signed_in_customer(jane)

    assert (
        own.post("/accounts/login/", {"username": "bob", "password": "demo-bob"}).status_code == 302
    )

    assert "<p id='who'>bob</p>" in own.get("/account/").content.decode()
    assert not AssistedAction.objects.filter(action="sign_in.blocked").exists()
