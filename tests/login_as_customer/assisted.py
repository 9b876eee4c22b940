"""Start and redeem assisted sessions as the administrator's browser does, and read what the
database and the session store hold afterwards."""

import html
import re

from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client

from login_as_customer.flows import live_check
from login_as_customer.flows.end import end_session
from login_as_customer.flows.live_check import SESSION_ID_KEY
from login_as_customer.models import AssistanceConsent, AssistedSession, EndReason, LoginToken
from shopassist.customers.auth import SESSION_CUSTOMER_ID
from shopassist.customers.models import Customer

ADMIN_COOKIE = settings.ADMIN_SESSION_COOKIE_NAME
STORE_COOKIE = settings.STOREFRONT_SESSION_COOKIE_NAME
XSS = "<script>alert(1)</script>"
ESCAPED_XSS = "&lt;script&gt;alert(1)&lt;/script&gt;"
ADMIN_AGENT = "Mozilla/5.0 (X11; Linux x86_64) SupportDesk/1.0"

_REDEEM_FORM = re.compile(
    r'<form method="post" action="(?P<action>[^"]*)" id="lac-redeem-form">\s*'
    r'<input type="hidden" name="token" value="(?P<token>[^"]*)">'
)


def start_url(customer_id) -> str:
    return f"/admin/login_as_customer/{customer_id}/start/"


def confirm_url(customer_id) -> str:
    return f"/admin/login_as_customer/{customer_id}/confirm/"


def redeem_url(store_code="en") -> str:
    return f"/{store_code}/login_as_customer/redeem/"


def close_url(store_code="en") -> str:
    return f"/{store_code}/login_as_customer/close/"


def start(admin_client, customer, **data):
    """Confirm the dialog: POST to start (customer: a Customer or an id)."""
    customer_id = getattr(customer, "pk", customer)
    return admin_client.post(start_url(customer_id), data, HTTP_USER_AGENT=ADMIN_AGENT)


def redeem_form(response) -> tuple[str, str]:
    """(action, raw token) of the auto-submitting form the start page answers with."""
    assert response.status_code == 200, response.content[:800]
    match = _REDEEM_FORM.search(response.content.decode())
    assert match, "no auto-submitting redeem form in the start page"
    return html.unescape(match["action"]), match["token"]


def carry_binding(browser: Client, start_response) -> Client:
    """Give ``browser`` the binding cookie the start response set.

    In a real browser the admin tab and the storefront tab share one cookie jar; in tests the
    storefront tab is often a client of its own, which must hold the cookie as that jar would.
    """
    prefix = settings.LOGIN_AS_CUSTOMER_BINDING_COOKIE_PREFIX
    for name, morsel in start_response.cookies.items():
        if name.startswith(prefix) and morsel.value:
            browser.cookies[name] = morsel.value
    return browser


def redeem(browser: Client, start_response, **extra):
    """What the auto-submitting form does in the new tab (of the browser that started)."""
    action, token = redeem_form(start_response)
    return carry_binding(browser, start_response).post(action, {"token": token}, **extra)


def start_assisted(admin_client, customer, *, browser: Client | None = None, **data):
    """Start and redeem an assisted session; returns (the storefront browser, the session).

    Without ``browser`` the storefront tab is a fresh client holding only the storefront
    cookie, so every later request is one of the assisted session alone."""
    browser = browser or Client()
    response = redeem(browser, start(admin_client, customer, **data))
    assert response.status_code == 302, response.content[:800]
    return browser, AssistedSession.objects.get(pk=session_of(browser)[SESSION_ID_KEY])


def store_key(client: Client) -> str | None:
    morsel = client.cookies.get(STORE_COOKIE)
    return morsel.value if morsel and morsel.value else None


def stored_session(key: str | None) -> dict:
    row = Session.objects.filter(session_key=key).first() if key else None
    return row.get_decoded() if row else {}


def session_of(client: Client) -> dict:
    """The storefront session data the client's cookie points at ({} if none)."""
    return stored_session(store_key(client))


def assisted_storefront_sessions() -> list[dict]:
    """Every stored storefront session that is an assisted session."""
    decoded = (row.get_decoded() for row in Session.objects.order_by("session_key"))
    return [data for data in decoded if SESSION_ID_KEY in data]


def sessions_of_customer(customer) -> list[str]:
    """Keys of the stored storefront sessions signed in as this customer."""
    return [
        row.session_key
        for row in Session.objects.order_by("session_key")
        if row.get_decoded().get(SESSION_CUSTOMER_ID) == customer.pk
    ]


def lac_snapshot() -> dict:
    """Everything a start or a redemption could change, to show a refusal changed nothing."""
    return {
        "assisted_sessions": list(AssistedSession.objects.order_by("pk").values()),
        "tokens": list(LoginToken.objects.order_by("pk").values()),
        "consents": list(AssistanceConsent.objects.order_by("pk").values()),
        "customers": list(Customer.objects.order_by("pk").values()),
        "assisted_storefront_sessions": assisted_storefront_sessions(),
    }


def assert_ended(session: AssistedSession, reason) -> AssistedSession:
    session.refresh_from_db()
    assert session.ended_at is not None
    assert session.end_reason == reason
    return session


def banner_of(response) -> str:
    match = re.search(
        r'<strong class="lac-banner-text"[^>]*>(.*?)</strong>', response.content.decode(), re.S
    )
    return match.group(1) if match else ""


def takeover_password_form(customer) -> dict:
    """Account Information as posted to change the customer's password (refused in an
    assisted session)."""
    from shopassist.demo.data import CUSTOMER_PASSWORD

    return {
        "first_name": customer.first_name,
        "last_name": customer.last_name,
        "email": customer.email,
        "change_password": "on",
        "current_password": CUSTOMER_PASSWORD,
        "new_password": "Taken-Over-4242",
        "new_password_confirmation": "Taken-Over-4242",
    }


def terminate_after_the_check(monkeypatch) -> None:
    """Every session is terminated right after its request's live check passed (another
    administrator's Terminate, committed while that request goes on to its write)."""
    touch = live_check.touch

    def check_passed_then_terminated(session, **kwargs):
        touch(session, **kwargs)
        end_session(AssistedSession.objects.get(pk=session.pk), EndReason.TERMINATED)

    monkeypatch.setattr(live_check, "touch", check_passed_then_terminated)


# -- assistance codes, as the customer gets them in My Account › Assisted sessions -------------

CODE_URL = "/{store}/customer/assisted-sessions/code/"
STORE_OF = {"jane.doe@example.com": "en", "chen.wei@example.com": "zh-hant"}
_CODE_SHOWN = re.compile(r'data-testid="assistance-code-value"[^>]*>(\d{3}) (\d{3})</p>')


def code_shown(browser: Client, customer) -> str:
    """The customer presses Get an assistance code in their own ``browser``: the code the page
    shows (a page no browser, proxy or CDN keeps)."""
    page = browser.post(CODE_URL.format(store=STORE_OF[customer.email]))
    assert page.status_code == 200, page.content[:400]
    assert {"private", "no-store"} <= set(page["Cache-Control"].replace(" ", "").split(","))
    match = _CODE_SHOWN.search(page.text)
    assert match, "no code on the page"
    return match[1] + match[2]
