"""Insider review (2026-12): the customer stays in control of the assisted sessions on their
account, and staff of a limited role reach nothing of Login as Customer beyond their resources.
Each finding's test failed on the code as it was before its fix. The guards pass before and
after: what was found sound, held."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext

from login_as_customer import config as lac_config
from login_as_customer.errors import DenialCode, message_for
from login_as_customer.models import (
    AssistanceCode,
    AssistanceConsent,
    AssistedSession,
    EndReason,
)
from shopassist.audit.acl import ACTION_LOG_REPORT
from shopassist.audit.models import ActionLogEntry
from shopassist.staff import roles
from shopassist.staff.models import Role
from tests.api.conftest import ApiClient, admin_token_for, assisted_token_for, customer_token_for
from tests.audit.helpers import table
from tests.conftest import login_customer_client
from tests.login_as_customer.assisted import (
    CODE_URL,
    STORE_OF,
    code_shown,
    lac_snapshot,
    redeem,
    start,
    start_assisted,
)
from tests.security.test_staff_consent import set_by_note, set_in_admin_form

pytestmark = pytest.mark.django_db

HISTORY = "/{store}/customer/assisted-sessions/"
REVOKE_URL = "/{store}/customer/assisted-sessions/revoke/"
END_URL = "/{store}/customer/assisted-sessions/end/"


@pytest.fixture
def administrator_client(administrator, admin_client_for):
    return admin_client_for(administrator)


def own_browser(customer) -> Client:
    return login_customer_client(Client(), customer, store_code=STORE_OF[customer.email])


def history_rows(response) -> list[list[str]]:
    assert response.status_code == 200, response.content[:400]
    _header, *rows = table(response, **{"data-testid": "assisted-sessions"})
    return rows


def open_codes(customer):
    return AssistanceCode.objects.filter(
        customer=customer, used_at__isnull=True, voided_at__isnull=True
    )


# --- A1. Withdrawing consent voids the assistance code the customer read out ------------------


@pytest.mark.parametrize("how", ["withdraw-button", "account-information", "api"])
def test_withdrawing_the_permission_voids_an_open_assistance_code(
    codes_or_opt_in, support_client, jane, how
):
    """Jane allows assistance and, on the phone, also reads out a code; she then withdraws her
    permission. Before: the code stayed valid for its 10 minutes, and support started a session
    with it after she had withdrawn — a session the live check keeps on, since a code's session
    stands on the code."""
    browser = own_browser(jane)
    code = code_shown(browser, jane)

    if how == "withdraw-button":
        assert browser.post(REVOKE_URL.format(store="en")).status_code == 302
    elif how == "account-information":
        response = browser.post(
            "/en/customer/account/edit/",
            {"first_name": jane.first_name, "last_name": jane.last_name, "email": jane.email},
        )
        assert response.status_code == 302, response.content[:400]
    else:
        api = ApiClient()
        patched = api.patch(
            "/customers/me",
            {"allow_remote_shopping_assistance": False},
            token=customer_token_for(api, jane),
        )
        assert patched.status_code == 200, patched.content
    assert not open_codes(jane).exists()
    before = lac_snapshot()

    refused = start(support_client, jane, assistance_code=code)

    assert refused.status_code == 403
    assert message_for(DenialCode.CODE_EXPIRED) in refused.text
    assert lac_snapshot() == before  # no session, no link
    assert not AssistanceCode.objects.filter(customer=jane, used_at__isnull=False).exists()


def test_ending_the_session_in_progress_voids_the_code_read_out_for_the_next_one(
    codes_only, support_client, chen
):
    """Chen reads out a code, support starts a session with it; on the phone Chen is asked for
    a second code "in case the line drops". He then ends the session from his account. Before:
    the second code stayed valid, and support opened a new session with it."""
    browser = own_browser(chen)
    first = code_shown(browser, chen)
    start_assisted(support_client, chen, assistance_code=first)
    second = code_shown(browser, chen)

    ended = browser.post(END_URL.format(store="zh-hant"))

    assert ended.status_code == 302
    assert not open_codes(chen).exists()
    before = lac_snapshot()
    refused = start(support_client, chen, assistance_code=second)
    assert refused.status_code == 403
    assert lac_snapshot() == before


def test_a_customer_with_an_open_code_and_no_standing_permission_can_withdraw_it(
    codes_only, support_client, chen
):
    """Chen (codes only, no standing permission) changes his mind after reading out a code.
    Before: Assisted sessions offered nothing to take it back (Withdraw permission shows only
    for a standing permission, End the assisted session only while one is in progress), so the
    code stayed good for ten minutes whatever he did."""
    browser = own_browser(chen)
    code = code_shown(browser, chen)

    page = browser.get(HISTORY.format(store="zh-hant")).text
    assert 'data-testid="revoke-consent"' in page
    # Named for what it does here: there is no standing permission to withdraw.
    with translation.override("zh-hant"):
        assert f">{gettext('Cancel the code')}</button>" in page
    assert browser.post(REVOKE_URL.format(store="zh-hant")).status_code == 302

    before = lac_snapshot()
    refused = start(support_client, chen, assistance_code=code)
    assert refused.status_code == 403
    assert lac_snapshot() == before


# --- Guards of what was found sound (pass before and after) ----------------------------------


def test_withdrawing_through_the_api_ends_tabs_tokens_and_links_at_once(
    support_client, administrator_client, jane
):
    """Jane's own API client withdraws: the support agent's web tab, the administrator's
    assisted API token and a login link not yet opened all end in that one request."""
    tab, web_session = start_assisted(support_client, jane)
    api = ApiClient()
    assisted = assisted_token_for(api, admin_token_for(api, "admin"), jane)
    waiting = start(administrator_client, jane)

    withdrawn = api.patch(
        "/customers/me",
        {"allow_remote_shopping_assistance": False},
        token=customer_token_for(api, jane),
    )

    assert withdrawn.status_code == 200
    assert not AssistedSession.objects.filter(customer=jane, ended_at__isnull=True).exists()
    assert set(AssistedSession.objects.values_list("end_reason", flat=True)) == {
        EndReason.CONSENT_REVOKED
    }
    assert api.get("/customers/me", token=assisted).status_code == 401
    assert tab.get("/en/customer/account/").status_code == 302
    assert redeem(Client(), waiting).status_code == 403
    assert web_session.pk in AssistedSession.objects.values_list("pk", flat=True)


def test_a_permission_that_runs_out_ends_the_tab_and_the_token_at_their_next_request(
    support_client, administrator_client, jane
):
    """Jane allows assistance for one day; sessions started ten minutes before its end (well
    within their own limits) end at their first request after it."""
    browser = own_browser(jane)
    browser.post(
        "/en/customer/account/edit/",
        {
            "first_name": jane.first_name,
            "last_name": jane.last_name,
            "email": jane.email,
            "assistance-allow": "on",
            "assistance-duration": "1",
        },
    )
    ends = AssistanceConsent.objects.get(customer=jane).expires_at
    with time_machine.travel(ends - timedelta(minutes=10)):
        tab, _web = start_assisted(support_client, jane, password="demo-support")  # step-up
        api = ApiClient()
        assisted = assisted_token_for(api, admin_token_for(api, "admin"), jane)
        assert api.get("/customers/me", token=assisted).status_code == 200

    with time_machine.travel(ends + timedelta(seconds=5)):
        assert api.get("/customers/me", token=assisted).status_code == 401
        assert tab.get("/en/customer/account/")["Location"] == "/en/"

    assert set(AssistedSession.objects.values_list("end_reason", flat=True)) == {
        EndReason.CONSENT_REVOKED
    }


# --- A2. The customer sees every session on their account ------------------------------------


def all_history_rows(browser: Client, store="en") -> list[list[str]]:
    """Every row of My Account › Assisted sessions, following its "Older sessions" link."""
    page = HISTORY.format(store=store)
    rows, url = [], page
    for _page in range(10):
        response = browser.get(url)
        rows += history_rows(response)
        match = re.search(r'<a [^>]*href="([^"]*)"[^>]*data-testid="older-sessions"', response.text)
        if not match:
            return rows
        url = page + match[1].replace("&amp;", "&")  # a link relative to the page
    raise AssertionError("more pages than expected")


def test_fifty_empty_sessions_do_not_push_the_one_that_mattered_off_the_customers_page(
    support_client, jane, set_config
):
    """An agent changes Jane's cart, closes, then opens and closes fifty empty sessions (a few
    minutes with a raised start limit). Before: My Account › Assisted sessions showed the newest
    fifty and nothing else — the session that changed her cart was gone from her sight, with
    no way to page back to it."""
    set_config({lac_config.START_RATE_LIMIT: "1000"})
    tab, that_one = start_assisted(support_client, jane, reason="the one that mattered")
    tab.post("/en/checkout/cart/add/", {"sku": "SA-BAG-001", "qty": "1"})
    tab.post("/en/login_as_customer/close/")
    for _n in range(50):
        tab, _session = start_assisted(support_client, jane, reason="nothing")
        tab.post("/en/login_as_customer/close/")

    rows = all_history_rows(own_browser(jane))

    assert len(rows) == 51
    assert [row[4] for row in rows].count("the one that mattered") == 1
    assert rows[-1][4] == "the one that mattered"
    assert rows[-1][5] == "Added to the cart: SA-BAG-001 × 1"


def test_the_older_sessions_link_names_only_this_customers_sessions(support_client, jane, marie):
    """Guard of the paging above (passes before and after): ``before`` is a session id, and it
    never reaches another customer's sessions; a value that is no id is the newest page."""
    _tab, maries = start_assisted(support_client, marie, reason="Marie's ticket")
    browser = own_browser(jane)

    response = browser.get(HISTORY.format(store="en") + f"?before={maries.pk + 1}")

    assert history_rows(response) == [["No store administrator has logged in to your account."]]
    assert "Marie's ticket" not in response.text
    for bad in ("abc", "-1", "9" * 40, "1.5"):
        assert browser.get(HISTORY.format(store="en") + f"?before={bad}").status_code == 200


def test_an_older_page_says_so_and_leads_back_to_the_newest_sessions(
    support_client, jane, monkeypatch
):
    """Pages of two sessions (three sessions on Jane's account). Before: the older page had
    the same heading as the newest and no way back to it but the browser's Back button."""
    from login_as_customer.storefront import history_views

    monkeypatch.setattr(history_views, "SHOWN_SESSIONS", 2)
    for reason in ("first", "second", "third"):
        tab, _session = start_assisted(support_client, jane, reason=reason)
        tab.post("/en/login_as_customer/close/")
    browser = own_browser(jane)
    page = HISTORY.format(store="en")

    newest = browser.get(page)
    assert [row[4] for row in history_rows(newest)] == ["third", "second"]
    assert 'data-testid="older-sessions-heading"' not in newest.text
    assert 'data-testid="newest-sessions"' not in newest.text

    older_link = re.search(r'href="([^"]*)"[^>]*data-testid="older-sessions"', newest.text)[1]
    older = browser.get(page + older_link.replace("&amp;", "&"))
    assert [row[4] for row in history_rows(older)] == ["first"]
    heading = re.search(r'<h2 data-testid="older-sessions-heading">([^<]*)</h2>', older.text)
    assert heading[1] == "Older sessions"
    back = re.search(r'href="([^"]*)"[^>]*data-testid="newest-sessions"', older.text)[1]
    assert back == page
    assert 'data-testid="older-sessions"' not in older.text  # nothing older than "first"


@pytest.mark.parametrize("consent", ["standing", "code"])
def test_a_session_whose_login_link_was_never_used_is_shown_to_the_customer(
    support_client, chen, set_config, consent
):
    """Support starts a session on Chen's account but the link is never opened (closed tab,
    or opened later than its 60 seconds). Before: the record existed (and, with a code, Chen's
    code was spent on it), yet Chen's Assisted sessions showed nothing of it."""
    browser = own_browser(chen)
    data = {"reason": "Ticket 77"}
    if consent == "code":
        set_config({lac_config.CUSTOMER_CONSENT: lac_config.ASSISTANCE_CODE})
        data["assistance_code"] = code_shown(browser, chen)
    else:
        browser.post(
            "/zh-hant/customer/account/edit/",
            {
                "first_name": chen.first_name,
                "last_name": chen.last_name,
                "email": chen.email,
                "assistance-allow": "on",
                "assistance-duration": "",
            },
        )
    assert start(support_client, chen, **data).status_code == 200

    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        rows = history_rows(browser.get(HISTORY.format(store="zh-hant")))

    session = AssistedSession.objects.get(customer=chen)
    assert (session.started_at, session.end_reason) == (None, EndReason.NEVER_REDEEMED)
    assert len(rows) == 1
    _date, _view, duration, by, reason, _done = rows[0]
    with translation.override("zh-hant"):
        assert (by, reason) == (gettext("a store administrator"), "Ticket 77")
        assert duration != gettext("in progress")


# --- A3. The administrator's attempt to get a code is recorded and shown to the customer -------


def test_an_assisted_token_asking_for_a_code_where_codes_are_off_is_recorded(support_agent, jane):
    api = ApiClient()
    token = assisted_token_for(api, admin_token_for(api, "support"), jane)
    session = AssistedSession.objects.get(customer=jane)

    refused = api.post("/customers/me/assistance-code", token=token)

    assert refused.status_code == 403
    assert refused.json()["code"] == DenialCode.CODE_BLOCKED
    assert not AssistanceCode.objects.exists()
    assert ActionLogEntry.objects.filter(
        assisted_session_id=session.pk, action="assistance_code.blocked", outcome="denied"
    ).exists()


def test_the_customer_sees_that_the_administrator_tried_to_get_a_code(
    codes_or_opt_in, support_client, jane
):
    """Before: "Refused: permission change" showed in the customer's list, but an attempt to
    create an assistance code — consent for a next session — did not."""
    tab, _session = start_assisted(support_client, jane)
    assert tab.post(CODE_URL.format(store="en")).status_code == 403
    tab.post("/en/login_as_customer/close/")

    rows = history_rows(own_browser(jane).get(HISTORY.format(store="en")))

    assert rows[0][5] == "Refused: getting an assistance code"


# --- A4. The customer's pages name the administrator as the notice and the mail do -----------


def test_with_names_shown_the_list_names_the_administrator_as_the_notice_does_not_by_login(
    support_client, support_agent, chen, set_config
):
    """With *Show administrator names to customers*, the notice after sign-in and the start
    mail name the administrator by their name ("Sam Support"). Before: My Account › Assisted
    sessions and its "allowed for you by" line named them by their admin-panel login
    ("support") — one person under two names, and half of a staff credential shown to every
    customer they helped."""
    set_config({lac_config.SHOW_ADMIN_NAMES: "1"})
    set_in_admin_form(support_client, chen, allowed=True)  # support holds the opt-in resource
    tab, _session = start_assisted(support_client, chen)
    tab.post("/zh-hant/login_as_customer/close/")

    page = own_browser(chen).get(HISTORY.format(store="zh-hant"))

    name = support_agent.get_full_name()
    assert name == "Sam Support"
    assert history_rows(page)[0][3] == name
    assert name in set_by_note(page)
    assert "support" not in set_by_note(page).replace(name, "")


def test_the_mail_of_a_permission_given_by_staff_names_them_as_the_list_does(
    support_client, support_agent, chen, set_config, mailoutbox, django_capture_on_commit_callbacks
):
    set_config({lac_config.SHOW_ADMIN_NAMES: "1", lac_config.NOTIFY_CUSTOMER: "1"})

    with django_capture_on_commit_callbacks(execute=True):
        set_in_admin_form(support_client, chen, allowed=True)

    (mail,) = mailoutbox
    assert f"({support_agent.get_full_name()})" in mail.body
    assert "(support)" not in mail.body


# --- B. Staff of a limited role ---------------------------------------------------------------


@pytest.fixture
def report_reader(demo):
    """Staff of a "Back Office Audit" role: System › Action Log › Report only — not View Login
    as Customer Log."""
    role = Role.objects.create(name="Back Office Audit")
    roles.set_role_resources(role, access=roles.ACCESS_CUSTOM, resource_ids=[ACTION_LOG_REPORT])
    user = User.objects.create_user("bo-audit", "bo@shopassist.example", is_staff=True)
    user.groups.set([role])
    return user


def test_a_role_refused_the_log_does_not_read_it_in_the_action_report(
    support_client, report_reader, admin_client_for, jane
):
    """Without View Login as Customer Log the session log, its CSV, a session's page and the
    dashboard (web and API) are refused — SPEC §3: that resource is what "may see the session
    log and the action report". Before: the Action Log Report (page and CSV) gave the same
    role every Login as Customer entry: who logged in as whom, the reason typed, each request
    of the session, the administrator's address and browser."""
    tab, session = start_assisted(support_client, jane, reason="Ticket #4242")
    tab.post("/en/checkout/cart/add/", {"sku": "SA-BAG-001", "qty": "1"})
    client = admin_client_for(report_reader)
    assert client.get("/admin/login_as_customer/log/").status_code == 403
    assert client.get("/admin/login_as_customer/log/?export=csv").status_code == 403
    assert client.get(f"/admin/login_as_customer/log/{session.pk}/").status_code == 403
    assert client.get("/admin/login_as_customer/dashboard/").status_code == 403

    page = client.get("/admin/action-log/report/?action_group=login_as_customer")
    export = client.get("/admin/action-log/report/?action_group=login_as_customer&export=csv")

    listed = page.content.decode() if page.status_code == 200 else ""
    exported = b"".join(export.streaming_content).decode() if export.status_code == 200 else ""
    assert "Ticket #4242" not in listed + exported
    assert jane.email not in listed + exported


def test_the_report_keeps_the_other_groups_for_that_role_and_every_group_for_the_log_reader(
    support_client, report_reader, auditor, admin_client_for, jane, set_config
):
    start_assisted(support_client, jane, reason="Ticket #4242")
    set_config({lac_config.SHOW_ADMIN_NAMES: "1"})  # an "admin" group entry (a configuration save)

    unfiltered = admin_client_for(report_reader).get("/admin/action-log/report/")
    html = unfiltered.content.decode()
    assert unfiltered.status_code == 200
    assert 'data-action="configuration.save"' in html  # the other groups stay
    assert 'data-action="start"' not in html and "Ticket #4242" not in html
    assert 'value="login_as_customer"' not in html  # no such Action Group to choose

    log_reader = admin_client_for(auditor).get("/admin/action-log/report/").content.decode()
    assert 'data-action="start"' in log_reader and 'value="login_as_customer"' in log_reader
