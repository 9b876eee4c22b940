"""Security review of the default host (a shop that follows the package's README): what it got
by default that it should not have — each test failed before its fix.

* The redemption kept the browser's CSRF secret: a token the browser held before (or one
  planted in it) was still valid in the assisted session.
* The administrator could change the customer's e-mail address or password from any page of
  the shop that saves the account (then reset the password to the new address: the account
  taken over), where the django-oscar host refused it.
* Signing out of the storefront (django.contrib.auth's logout) in an assisted session left its
  record live: "in progress" for the customer and on Active sessions, ended later as idle.
* ``LOGIN_AS_CUSTOMER`` values outside what an option declares (a login link living a day, a
  misspelt consent mode that silently meant the standing opt-in, ``"False"`` that enabled the
  feature) were taken as they were, and a misspelt key was ignored in silence.
"""

import pytest
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.signals import user_login_failed
from django.core import checks
from django.http import HttpResponse, HttpResponseRedirect
from django.test import Client
from django.urls import path
from django.views.decorators.http import require_POST

from login_as_customer import binding_cookie, tokens
from login_as_customer.flows.start import StartRequest, start_assisted_session
from login_as_customer.host import host
from login_as_customer.middleware import AssistedSessionMiddleware
from login_as_customer.models import AssistedAction, AssistedSession, EndReason
from tests_minimal import urls as minimal_urls
from tests_minimal.test_default_host import _signed_in_admin, _signed_in_customer

pytestmark = pytest.mark.django_db
User = get_user_model()
PLANTED_CSRF = "p" * 32  # a CSRF secret the browser held before the redemption


# -- the shop's own pages, as a shop following the README has them ------------------------------


@require_POST
def change_email(request):
    """The shop's account page: the signed-in customer changes their e-mail address (no
    password asked, as on most shops)."""
    request.user.email = request.POST["email"]
    request.user.save()
    return HttpResponseRedirect("/account/")


@require_POST
def change_password(request):
    """A page that sets the password without asking the old one (e.g. a forked form)."""
    request.user.set_password(request.POST["password"])
    request.user.save()
    return HttpResponseRedirect("/account/")


@require_POST
def delete_account(request):
    """The shop's "Delete my account" page."""
    request.user.delete()
    return HttpResponseRedirect("/")


@require_POST
def sign_out(request):
    """The storefront's Sign Out, through django.contrib.auth (as Django's LogoutView)."""
    logout(request)
    return HttpResponse("signed out")


urlpatterns = [
    path("account/email/", change_email, name="change_email"),
    path("account/password/", change_password, name="change_password"),
    path("account/sign-out/", sign_out, name="sign_out"),
    path("account/delete/", delete_account, name="delete_account"),
    *minimal_urls.urlpatterns,
]


@pytest.fixture
def shop_pages(settings):
    settings.ROOT_URLCONF = __name__


def _assisted(support, customer, browser=None):
    """A browser in an assisted session as ``customer``, redeemed as the start page does."""
    browser = browser or Client()
    binding = tokens.new_binding()
    session, raw_token = start_assisted_session(
        staff=support,
        customer_id=customer.pk,
        origin=StartRequest(ip_address="10.0.0.5"),
        browser_binding=binding,
    )
    browser.cookies[binding_cookie.cookie_name(session)] = binding
    assert browser.post("/login_as_customer/redeem/", {"token": raw_token}).status_code == 302
    return browser, session


# -- 1. A new CSRF secret with the assisted session ---------------------------------------------


def test_the_redemption_gives_the_browser_a_new_csrf_secret(support, jane):
    browser = Client(enforce_csrf_checks=True)
    browser.cookies["csrftoken"] = PLANTED_CSRF

    browser, session = _assisted(support, jane, browser)

    assert browser.cookies["csrftoken"].value not in ("", PLANTED_CSRF)
    # The token the browser held before (or someone planted) closes nothing…
    refused = browser.post("/login_as_customer/close/", {"csrfmiddlewaretoken": PLANTED_CSRF})
    assert refused.status_code == 403
    assert AssistedSession.objects.get(pk=session.pk).ended_at is None
    # …the new one does.
    new_secret = browser.cookies["csrftoken"].value
    closed = browser.post("/login_as_customer/close/", {"csrfmiddlewaretoken": new_secret})
    assert closed.status_code == 200
    assert AssistedSession.objects.get(pk=session.pk).end_reason == EndReason.CLOSED_BY_ADMIN


# -- 2. The customer's credentials never change in an assisted session --------------------------


@pytest.mark.parametrize(
    ("url", "data", "field"),
    [
        ("/account/email/", {"email": "support-owned@example.com"}, "email"),
        ("/account/password/", {"password": "taken-over-1"}, "password"),
    ],
    ids=["email", "password"],
)
def test_the_administrator_cannot_change_the_customers_credentials(
    url, data, field, shop_pages, support, jane
):
    stored = User.objects.values("email", "password").get(pk=jane.pk)
    browser, session = _assisted(support, jane)

    response = browser.post(url, data)

    assert response.status_code == 403
    assert "cannot be changed during an assisted session" in response.content.decode()
    assert User.objects.values("email", "password").get(pk=jane.pk) == stored
    blocked = AssistedAction.objects.get(action="account.blocked")
    assert (blocked.outcome, blocked.assisted_session_id) == ("denied", session.pk)
    assert blocked.details == {"fields": [field]}
    request = AssistedAction.objects.get(action="request")
    assert (request.outcome, request.details["status"]) == ("denied", 403)
    assert AssistedSession.objects.get(pk=session.pk).ended_at is None  # the session goes on
    assert "You are connected as Jane Doe" in browser.get("/account/").content.decode()


def test_the_customer_still_changes_their_own_email(shop_pages, support, jane):
    _assisted(support, jane)  # an assisted session elsewhere changes nothing for her
    own = _signed_in_customer(jane)

    assert own.post("/account/email/", {"email": "jane@new.example"}).status_code == 302

    assert User.objects.get(pk=jane.pk).email == "jane@new.example"
    assert not AssistedAction.objects.filter(action="account.blocked").exists()


# -- 3. Signing out in an assisted session closes it ---------------------------------------------


def test_signing_out_in_an_assisted_session_ends_its_record(shop_pages, support, jane):
    browser, session = _assisted(support, jane)

    assert browser.post("/account/sign-out/").status_code == 200

    session.refresh_from_db()
    assert session.end_reason == EndReason.CLOSED_BY_ADMIN
    assert session.ended_at is not None
    assert "<p id='who'>guest</p>" in browser.get("/account/").content.decode()
    actions = list(
        AssistedAction.objects.filter(assisted_session=session).values_list("action", flat=True)
    )
    assert actions[-2:] == ["end", "request"]  # the end, then the sign-out's own entry


def test_the_customers_own_sign_out_ends_nothing(shop_pages, support, jane):
    _browser, session = _assisted(support, jane)
    own = _signed_in_customer(jane)

    assert own.post("/account/sign-out/").status_code == 200

    assert AssistedSession.objects.get(pk=session.pk).ended_at is None


# -- 4. The settings are checked --------------------------------------------------------------


def _setting_problems():
    return [
        message
        for message in checks.run_checks(tags=[checks.Tags.security])
        if message.id.startswith("login_as_customer.")
    ]


def test_the_minimal_projects_settings_pass_the_checks():
    assert _setting_problems() == []


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("ENABLED", "False"),  # a string from the environment: truthy, the feature on
        ("LINK_LIFETIME", 86400),  # a login link living a day (at most 3600 seconds)
        ("LINK_LIFETIME", "60"),
        ("MAX_DURATION", 100_000),
        ("REAUTH_AFTER", 100_000),  # the password asked again after ten weeks
        ("IDLE_TIMEOUT", True),
        ("CUSTOMER_CONSENT", "codes"),  # misspelt: the standing opt-in served instead
        ("STORE_VIEW_LOGIN", "manually"),
        ("OPT_IN_TITLE", 3),
    ],
)
def test_a_value_an_option_does_not_allow_is_an_error(key, value, settings):
    settings.LOGIN_AS_CUSTOMER = {**settings.LOGIN_AS_CUSTOMER, key: value}

    problems = _setting_problems()

    assert [(problem.id, problem.level) for problem in problems] == [
        ("login_as_customer.E001", checks.ERROR)
    ]
    assert f'LOGIN_AS_CUSTOMER["{key}"]' in problems[0].msg


def test_a_key_the_package_does_not_know_is_a_warning(settings):
    settings.LOGIN_AS_CUSTOMER = {**settings.LOGIN_AS_CUSTOMER, "MAX_DURATON": 30}

    problems = _setting_problems()

    assert [(problem.id, problem.level) for problem in problems] == [
        ("login_as_customer.W001", checks.WARNING)
    ]
    assert 'LOGIN_AS_CUSTOMER["MAX_DURATON"]' in problems[0].msg


def test_every_value_an_option_allows_passes(settings):
    settings.LOGIN_AS_CUSTOMER = {
        **settings.LOGIN_AS_CUSTOMER,
        "ENABLED": False,
        "LINK_LIFETIME": 3600,
        "MAX_DURATION": 1,
        "REAUTH_AFTER": 0,
        "CUSTOMER_CONSENT": "either",
        "OPT_IN_TITLE": "Let us help",
        "ADMIN_PREFIX": ("/dashboard/", "/admin/"),
        "DJANGO_ADMIN": True,
    }

    assert _setting_problems() == []


# -- 5. The account is not deleted in an assisted session ---------------------------------------


def test_the_administrator_cannot_delete_the_customers_account(shop_pages, support, jane):
    browser, session = _assisted(support, jane)

    response = browser.post("/account/delete/")

    assert response.status_code == 403
    assert "cannot be deleted during an assisted session" in response.content.decode()
    assert User.objects.filter(pk=jane.pk).exists()
    blocked = AssistedAction.objects.get(action="account_deletion.blocked")
    assert (blocked.outcome, blocked.assisted_session_id) == ("denied", session.pk)
    assert AssistedSession.objects.get(pk=session.pk).ended_at is None  # the session goes on
    assert "You are connected as Jane Doe" in browser.get("/account/").content.decode()


def test_the_customer_still_deletes_their_own_account(shop_pages, support, jane):
    _assisted(support, jane)  # her assisted session elsewhere does not hold her own deletion

    assert _signed_in_customer(jane).post("/account/delete/").status_code == 302

    assert not User.objects.filter(pk=jane.pk).exists()
    assert not AssistedAction.objects.filter(action="account_deletion.blocked").exists()


# -- 6. The confirmation page shows no staff account --------------------------------------------


def test_the_confirmation_page_of_a_staff_account_is_refused_without_its_details(support):
    User.objects.create_user(
        "boss", "boss@example.com", "x", is_staff=True, first_name="Big", last_name="Boss"
    )
    boss = User.objects.get(username="boss")
    browser = _signed_in_admin()

    response = browser.get(f"/admin/login_as_customer/assistedsession/customer/{boss.pk}/confirm/")

    assert response.status_code == 403
    page = response.content.decode()
    assert "boss@example.com" not in page and "Big Boss" not in page


# -- 7. Re-entered passwords are counted --------------------------------------------------------


def _start_with_password(browser, customer, password):
    return browser.post(
        f"/admin/login_as_customer/assistedsession/customer/{customer.pk}/start/",
        {"reason": "", "password": password},
    )


def test_wrong_passwords_re_entered_to_start_lock_the_administrator_out(settings, support, jane):
    settings.LOGIN_AS_CUSTOMER = {**settings.LOGIN_AS_CUSTOMER, "REAUTH_AFTER": 0}  # ask always
    failed_sign_ins = []

    def on_failure(sender, credentials, request, **kwargs):
        failed_sign_ins.append(credentials)

    user_login_failed.connect(on_failure)
    try:
        browser = _signed_in_admin()
        allowed = host().reauth_failures_allowed
        for _attempt in range(allowed - 1):
            wrong = _start_with_password(browser, jane, "not-her-password")
            assert wrong.status_code == 403
            assert "The password is not correct." in wrong.content.decode()
        last = _start_with_password(browser, jane, "not-her-password")  # reaches the limit
        assert last.status_code == 429

        # Locked: even the right password is not checked now, and nothing starts.
        locked = _start_with_password(browser, jane, "demo-support")
    finally:
        user_login_failed.disconnect(on_failure)

    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()
    assert not AssistedSession.objects.exists()
    # Each wrong password went to the shop's own lockout (django-axes listens to this signal).
    assert failed_sign_ins == [{"username": "support"}] * allowed
    codes = list(
        AssistedAction.objects.filter(action="start_denied").values_list("details__code", flat=True)
    )
    assert codes == ["login_as_customer.reauth_failed"] * allowed + [
        "login_as_customer.reauth_locked"
    ]


def test_the_right_password_clears_the_count_of_wrong_ones(settings, support, jane):
    settings.LOGIN_AS_CUSTOMER = {**settings.LOGIN_AS_CUSTOMER, "REAUTH_AFTER": 0}
    browser = _signed_in_admin()
    for _attempt in range(host().reauth_failures_allowed - 1):
        assert _start_with_password(browser, jane, "wrong").status_code == 403

    assert _start_with_password(browser, jane, "demo-support").status_code == 200  # started
    assert _start_with_password(browser, jane, "wrong").status_code == 403  # counted from 1
    assert _start_with_password(browser, jane, "demo-support").status_code == 200


# -- 8. The middleware the README asks for -------------------------------------------------------


def _middleware_errors() -> set[str]:
    return {message.id for message in checks.run_checks() if message.id.startswith("login_as")}


def test_djangos_single_session_middleware_is_an_error(settings):
    assert _middleware_errors() == set()  # the minimal project, as the README sets it up
    settings.MIDDLEWARE = [
        "django.contrib.sessions.middleware.SessionMiddleware"
        if name == "login_as_customer.areas.AreaSessionMiddleware"
        else name
        for name in settings.MIDDLEWARE
    ]

    assert _middleware_errors() == {"login_as_customer.E002"}


def test_a_missing_assisted_session_middleware_is_an_error(settings):
    settings.MIDDLEWARE = [
        name
        for name in settings.MIDDLEWARE
        if name != "login_as_customer.middleware.AssistedSessionMiddleware"
    ]

    assert _middleware_errors() == {"login_as_customer.E003"}


class ShopAssistedSessionMiddleware(AssistedSessionMiddleware):
    """A shop's own subclass of the package's middleware."""


def test_a_subclass_of_the_assisted_session_middleware_is_enough(settings):
    settings.MIDDLEWARE = [
        f"{__name__}.ShopAssistedSessionMiddleware"
        if name == "login_as_customer.middleware.AssistedSessionMiddleware"
        else name
        for name in settings.MIDDLEWARE
    ]

    assert _middleware_errors() == set()
