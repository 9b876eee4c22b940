"""Point 8: a login link works only in the browser that started it, and never from another site.

The start response gives the admin's browser a binding cookie (SameSite=Strict, HttpOnly) whose
hash is stored with the token; the storefront redemption refuses a browser without it, and a
POST whose Origin is "null" or another site's. Every refusal is logged and changes nothing else:
no storefront session, the token still unused (so the right browser can still use it).
"""

import hashlib

import pytest
from django.conf import settings
from django.test import Client

from login_as_customer import binding_cookie, tokens
from login_as_customer import config as lac_config
from login_as_customer.errors import DenialCode, LoginAsCustomerDenied, message_for
from login_as_customer.flows.live_check import SESSION_ID_KEY
from login_as_customer.flows.redeem import start_api_session
from login_as_customer.flows.start import StartRequest, start_assisted_session
from login_as_customer.models import AssistedSession, LoginToken
from shopassist.audit.models import ActionLogEntry
from tests.audit.helpers import log_snapshot
from tests.conftest import use_own_cache_namespace
from tests.login_as_customer.assisted import (
    assisted_storefront_sessions,
    banner_of,
    carry_binding,
    lac_snapshot,
    redeem,
    redeem_form,
    session_of,
    start,
)
from tests.test_deploy import manage, random_secret_key

pytestmark = pytest.mark.django_db

PREFIX = settings.LOGIN_AS_CUSTOMER_BINDING_COOKIE_PREFIX


@pytest.fixture(autouse=True)
def _own_cache_namespace(settings):
    """The start rate limit counts per administrator and minute in the shared cache."""
    use_own_cache_namespace(settings, "binding")


def binding_cookies(response) -> dict:
    return {name: morsel for name, morsel in response.cookies.items() if name.startswith(PREFIX)}


def new_entries(before) -> list[dict]:
    return [entry for entry in log_snapshot() if entry not in before]


def assert_refused(response, code, status=403):
    assert response.status_code == status, response.content[:500]
    assert message_for(code) in response.content.decode()
    assert {"private", "no-store"} <= {
        part.strip() for part in response["Cache-Control"].split(",")
    }


def assert_one_denial(before, action, code, *, admin="support", customer=None):
    (entry,) = new_entries(before)
    assert (entry["action_group"], entry["action"], entry["outcome"]) == (
        "login_as_customer",
        action,
        "denied",
    )
    assert entry["details"]["code"] == code.value
    assert entry["admin_username"] == admin
    if customer is not None:
        assert entry["details"]["customer_id"] == customer.pk
    return entry


# --- The cookie the start response sets --------------------------------------------------------


def test_the_start_response_binds_the_token_to_a_strict_httponly_cookie(support_client, jane):
    response = start(support_client, jane)

    session = AssistedSession.objects.get()
    ((name, cookie),) = binding_cookies(response).items()
    assert name == binding_cookie.cookie_name(session)
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Strict"
    assert cookie["path"] == "/"  # the admin sets it, the storefront reads it
    assert not cookie["domain"]
    assert int(cookie["max-age"]) == lac_config.setting(lac_config.LINK_LIFETIME)
    assert tokens.looks_like_token(cookie.value)
    # Only its hash is stored, with the token; the page itself never shows it.
    token = LoginToken.objects.get()
    assert token.binding_hash == hashlib.sha256(cookie.value.encode()).hexdigest()
    assert cookie.value not in response.content.decode()
    assert cookie.value not in repr(list(LoginToken.objects.values()))
    assert cookie.value not in repr(list(AssistedSession.objects.values()))


def test_the_binding_cookie_can_only_be_set_by_this_host_in_production(tmp_path):
    script = (
        "from types import SimpleNamespace\n"
        "from django.http import HttpResponse\n"
        "from login_as_customer.binding_cookie import set_binding_cookie\n"
        "response = HttpResponse()\n"
        "set_binding_cookie(response, session=SimpleNamespace(pk=7), binding='b', max_age=60)\n"
        "(c,) = response.cookies.values()\n"
        "print(c.key, c['secure'], c['path'], c['domain'] or '-', c['httponly'], c['samesite'])\n"
    )
    own = {"SHOPASSIST_VAR_DIR": str(tmp_path), "DATABASE_URL": None, "REDIS_URL": None}

    result = manage("shell", "-c", script, SECRET_KEY=random_secret_key(), **own)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-6:] == [
        "__Host-sa_lac_bind_7",
        "True",
        "/",
        "-",
        "True",
        "Strict",
    ]


# --- The real flow ----------------------------------------------------------------------------


def test_the_browser_that_started_redeems_and_forgets_the_cookie(support_client, jane):
    started = start(support_client, jane)
    (name,) = binding_cookies(started)

    landed = redeem(Client(), started)

    assert landed.status_code == 302
    assert landed["Location"] == "/en/customer/account/"
    spent = landed.cookies[name]
    assert spent.value == "" and int(spent["max-age"]) == 0  # deleted
    assert LoginToken.objects.get().used_at is not None
    assert len(assisted_storefront_sessions()) == 1


def test_two_links_opened_at_once_in_one_browser_each_work(support_client, jane, marie):
    """One cookie per link: the second start does not overwrite the first one's binding."""
    first, second = start(support_client, jane), start(support_client, marie)

    # The admin's client is the browser here: one cookie jar, as the two tabs share.
    for response in (second, first):
        action, token = redeem_form(response)
        assert support_client.post(action, {"token": token}).status_code == 302
    assert AssistedSession.objects.filter(started_at__isnull=False).count() == 2


# --- Another browser ----------------------------------------------------------------------------


def test_a_browser_without_the_binding_cookie_is_refused_and_the_token_stays_unused(
    support_client, jane
):
    started = start(support_client, jane)
    action, token = redeem_form(started)
    before, log_before = lac_snapshot(), log_snapshot()

    refused = Client().post(action, {"token": token})

    assert_refused(refused, DenialCode.TOKEN_WRONG_BROWSER)
    assert_one_denial(
        log_before, "redeem_wrong_browser", DenialCode.TOKEN_WRONG_BROWSER, customer=jane
    )
    assert lac_snapshot() == before  # no session, token unused, the assisted session not ended
    assert LoginToken.objects.get().used_at is None
    assert AssistedSession.objects.get().ended_at is None
    # Not burnt: the administrator's own tab still opens the session.
    assert redeem(Client(), started).status_code == 302


@pytest.mark.parametrize("wrong", ["another-value", "another-link"])
def test_a_wrong_binding_value_is_refused(wrong, support_client, jane, marie):
    started = start(support_client, jane)
    action, token = redeem_form(started)
    (name,) = binding_cookies(started)
    browser = Client()
    if wrong == "another-value":
        browser.cookies[name] = tokens.new_binding()
    else:  # the cookie of a link this browser did start, for another customer
        carry_binding(browser, start(support_client, marie))
    before, log_before = lac_snapshot(), log_snapshot()

    refused = browser.post(action, {"token": token})

    assert_refused(refused, DenialCode.TOKEN_WRONG_BROWSER)
    assert_one_denial(log_before, "redeem_wrong_browser", DenialCode.TOKEN_WRONG_BROWSER)
    assert lac_snapshot() == before
    assert session_of(browser).get(SESSION_ID_KEY) is None


def test_the_wrong_browser_learns_nothing_about_a_spent_link(support_client, jane):
    started = start(support_client, jane)
    assert redeem(Client(), started).status_code == 302
    action, token = redeem_form(started)

    refused = Client().post(action, {"token": token})

    assert_refused(refused, DenialCode.TOKEN_WRONG_BROWSER)


# --- Another site -------------------------------------------------------------------------------


@pytest.mark.parametrize("origin", ["null", "https://evil.example", "http://testserver.evil"])
def test_a_redemption_sent_from_another_site_is_refused(origin, support_client, jane):
    started = start(support_client, jane)
    action, token = redeem_form(started)
    browser = carry_binding(Client(enforce_csrf_checks=True), started)  # even with the cookie
    before, log_before = lac_snapshot(), log_snapshot()

    refused = browser.post(action, {"token": token}, HTTP_ORIGIN=origin)

    assert_refused(refused, DenialCode.TOKEN_CROSS_SITE, status=400)
    (entry,) = new_entries(log_before)
    assert (entry["action"], entry["outcome"]) == ("redeem_cross_site", "denied")
    assert entry["details"]["code"] == DenialCode.TOKEN_CROSS_SITE.value
    assert lac_snapshot() == before
    assert session_of(browser).get(SESSION_ID_KEY) is None
    # The same browser, from the site's own page (as the auto-submitting form sends it), works.
    same = browser.post(action, {"token": token}, HTTP_ORIGIN="http://testserver")
    assert same.status_code == 302
    assert "You are connected as Jane Doe" in banner_of(browser.get("/en/customer/account/"))


def test_the_start_page_lets_the_browser_send_its_origin(support_client, jane):
    """With "no-referrer" a browser sends "Origin: null" with the auto-submitting form (why the
    redemption used to let "null" through); "same-origin" sends the real origin, and nothing
    to other sites."""
    response = start(support_client, jane)

    assert response["Referrer-Policy"] == "same-origin"
    assert '<meta name="referrer" content="same-origin">' in response.content.decode()


# --- Tokens minted without a browser ------------------------------------------------------------


def _api_minted(staff, customer):
    return start_assisted_session(
        staff=staff,
        customer_id=customer.pk,
        origin=StartRequest(ip_address="127.0.0.1", channel="api"),
    )


def test_an_api_minted_token_is_never_redeemable_in_a_browser(support_agent, support_client, jane):
    session, raw = _api_minted(support_agent, jane)
    assert LoginToken.objects.get().binding_hash == ""
    # Whatever binding cookie the browser holds (here: one of its own real links).
    browser = carry_binding(Client(), start(support_client, jane))
    before, log_before = lac_snapshot(), log_snapshot()

    refused = browser.post("/en/login_as_customer/redeem/", {"token": raw})

    assert_refused(refused, DenialCode.TOKEN_WRONG_BROWSER)
    assert_one_denial(log_before, "redeem_wrong_browser", DenialCode.TOKEN_WRONG_BROWSER)
    assert lac_snapshot() == before
    # The headless path still starts it.
    started = start_api_session(session=session, raw_token=raw, origin=StartRequest(channel="api"))
    assert started.started_at is not None


def test_a_browser_minted_token_is_never_redeemable_headless(support_client, jane):
    started = start(support_client, jane)
    _action, raw = redeem_form(started)
    session = AssistedSession.objects.get()
    before = lac_snapshot()

    with pytest.raises(LoginAsCustomerDenied) as denied:
        start_api_session(session=session, raw_token=raw, origin=StartRequest(channel="api"))

    assert denied.value.code == DenialCode.TOKEN_WRONG_BROWSER
    assert lac_snapshot() == before


def test_the_api_token_exchange_keeps_working(support_agent, jane):
    from tests.api.conftest import ApiClient, admin_token_for

    api = ApiClient()
    response = api.post(
        "/login-as-customer/token", {"customer_id": jane.pk}, token=admin_token_for(api, "support")
    )

    assert response.status_code == 200, response.content
    assert LoginToken.objects.get().used_at is not None
    assert ActionLogEntry.objects.filter(action="redeem", channel="api").count() == 1
