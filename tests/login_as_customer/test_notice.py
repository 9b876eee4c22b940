"""The customer is told (issue 16, point 3): at their next own sign-in after assisted sessions,
a notice names who was connected (as the store names administrators to customers), when and for
how long, links to what was done, and goes away when dismissed; a later sign-in does not tell
the same sessions again."""

import html
import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from login_as_customer import config as lac_config
from login_as_customer.flows.notice import NOTICE_KEY
from login_as_customer.models import AssistanceNotice
from shopassist.demo.data import CUSTOMER_PASSWORD
from tests.api.conftest import ApiClient
from tests.conftest import login_customer_client
from tests.login_as_customer.assisted import session_of, start_assisted

pytestmark = pytest.mark.django_db
ACCOUNT = "/en/customer/account/"
NOTICE = 'data-testid="lac-notice"'


def notice_text(page: str) -> str:
    match = re.search(r'<section class="lac-notice".*?</section>', page, re.S)
    if match is None:
        return ""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0))))


def assisted_and_closed(support_client, customer):
    browser, session = start_assisted(support_client, customer)
    browser.post("/en/checkout/cart/add/", {"sku": "SA-BAG-001", "qty": "1"})
    assert browser.post("/en/login_as_customer/close/").status_code == 200
    session.refresh_from_db()
    return session


@pytest.mark.parametrize("told_before", [False, True])
def test_a_session_past_its_limit_but_not_yet_swept_is_told(support_client, jane, told_before):
    """Its end is the time its idle limit passed, before this sign-in: ended afterwards (by
    the sweep), it would have been older than what the sign-in marked told, and never told."""
    if told_before:
        login_customer_client(Client(), jane)  # an earlier sign-in: the customer was told
    _browser, session = start_assisted(support_client, jane)
    with time_machine.travel(timezone.now() + timedelta(minutes=20)):
        own = login_customer_client(Client(), jane)
        page = own.get(ACCOUNT).content.decode()

    session.refresh_from_db()
    assert session.end_reason == "idle_timeout"
    assert "A store administrator was connected to your account on" in notice_text(page)
    assert AssistanceNotice.objects.get(customer=jane).told_until >= session.ended_at


def test_the_next_sign_in_tells_the_customer_once(support_client, jane):
    session = assisted_and_closed(support_client, jane)

    own = login_customer_client(Client(), jane)
    page = own.get(ACCOUNT)

    text = notice_text(page.content.decode())
    assert "Assisted sessions on your account" in text
    # "Show administrator names to customers" is No in the demo: the role, not the name.
    assert "A store administrator was connected to your account on" in text
    assert "for less than a minute." in text
    assert 'href="/en/customer/assisted-sessions/"' in page.content.decode()
    assert "private" in page["Cache-Control"]
    assert AssistanceNotice.objects.get(customer=jane).told_until >= session.ended_at

    # On every page until dismissed; Dismiss goes back to the page.
    assert NOTICE in own.get("/en/").content.decode()
    back = own.post("/en/login_as_customer/notice/dismiss/", {"next": ACCOUNT})
    assert (back.status_code, back["Location"]) == (302, ACCOUNT)
    assert NOTICE not in own.get(ACCOUNT).content.decode()
    assert NOTICE_KEY not in session_of(own)

    # Told once: the next sign-in says nothing of the same session.
    again = login_customer_client(Client(), jane)
    assert NOTICE not in again.get(ACCOUNT).content.decode()


def test_names_the_administrator_when_the_store_shows_names(
    support_client, support_agent, jane, set_config
):
    set_config({lac_config.SHOW_ADMIN_NAMES: "1"})
    assisted_and_closed(support_client, jane)

    text = notice_text(login_customer_client(Client(), jane).get(ACCOUNT).content.decode())

    name = support_agent.get_full_name() or support_agent.get_username()
    assert f"{name} was connected to your account on" in text


def test_only_sessions_since_the_last_notice_and_only_the_customers_own(
    support_client, jane, marie
):
    assisted_and_closed(support_client, jane)
    login_customer_client(Client(), jane)  # told
    assisted_and_closed(support_client, jane)
    assisted_and_closed(support_client, jane)

    text = notice_text(login_customer_client(Client(), jane).get(ACCOUNT).content.decode())
    assert text.count("was connected to your account on") == 2
    # Marie had none: no notice, nothing stored in her session.
    marie_browser = login_customer_client(Client(), marie)
    assert NOTICE not in marie_browser.get(ACCOUNT).content.decode()
    assert NOTICE_KEY not in session_of(marie_browser)


def test_the_assisted_browser_and_a_live_session_tell_nothing(support_client, jane):
    browser, _session = start_assisted(support_client, jane)  # a redemption is no sign-in
    assert NOTICE not in browser.get(ACCOUNT).content.decode()
    # A session still live is told once it has ended, not before.
    own = login_customer_client(Client(), jane)
    assert NOTICE not in own.get(ACCOUNT).content.decode()


def test_dismiss_is_a_post_with_csrf_and_follows_no_foreign_next(support_client, jane):
    assisted_and_closed(support_client, jane)
    own = login_customer_client(Client(), jane)
    guarded = Client(enforce_csrf_checks=True)
    guarded.cookies = own.cookies  # the same browser, now checked for its CSRF token
    assert guarded.get("/en/login_as_customer/notice/dismiss/").status_code == 405
    assert guarded.post("/en/login_as_customer/notice/dismiss/").status_code == 403
    assert NOTICE in guarded.get(ACCOUNT).content.decode()  # nothing changed

    back = own.post("/en/login_as_customer/notice/dismiss/", {"next": "https://evil.test/"})
    assert back.status_code == 302 and "evil.test" not in back["Location"]
    assert NOTICE not in own.get(ACCOUNT).content.decode()


def test_the_start_mail_says_who_and_when(
    support_client, support_agent, jane, set_config, mailoutbox, django_capture_on_commit_callbacks
):
    set_config({lac_config.NOTIFY_CUSTOMER: "1", lac_config.SHOW_ADMIN_NAMES: "1"})
    with django_capture_on_commit_callbacks(execute=True):
        start_assisted(support_client, jane)

    [message] = mailoutbox
    name = support_agent.get_full_name() or support_agent.get_username()
    assert f"Who: {name}, from " in message.body
    assert "My Account › Assisted sessions" in message.body


def test_the_notice_speaks_the_store_views_language(support_client, marie):
    assisted_and_closed(support_client, marie)
    own = login_customer_client(Client(), marie, store_code="fr")

    text = notice_text(own.get("/fr/customer/account/").content.decode())

    assert "Sessions assistées sur votre compte" in text
    assert "Un administrateur du magasin était connecté à votre compte le" in text
    assert "pendant moins d'une minute." in text
    assert "Voir ce qui a été fait" in text and "Fermer l'avis" in text


def test_the_apis_customer_token_tells_the_customer_once(support_client, jane, set_config):
    """The API alike: the customer's token answer carries the notice, told once (web or API)."""
    set_config({lac_config.SHOW_ADMIN_NAMES: "1"})
    session = assisted_and_closed(support_client, jane)
    api = ApiClient()
    credentials = {"email": jane.email, "password": CUSTOMER_PASSWORD, "store_view": "en"}

    first = api.post("/auth/customer-token", credentials).json()

    told = first["assisted_sessions_notice"]
    assert told["more"] == 0
    [one] = told["sessions"]
    assert one["administrator"] == (session.admin.get_full_name() or session.admin_username)
    assert one["duration_seconds"] == int((session.ended_at - session.started_at).total_seconds())
    assert api.post("/auth/customer-token", credentials).json()["assisted_sessions_notice"] is None
    # Told through the API: the web sign-in does not tell it again.
    assert NOTICE not in login_customer_client(Client(), jane).get(ACCOUNT).content.decode()
