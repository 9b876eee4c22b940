"""A review of Customers › Login as Customer › Active sessions: a session whose login link is
not yet opened in the storefront can still be used, so the page lists it beside the sessions in
progress, says which is which, and Terminate ends it there — its link then starts nothing. The
page costs the same statements for one row or many; without *Manage active sessions* nobody
sees or ends anything."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import escape

from login_as_customer.errors import DenialCode, message_for
from login_as_customer.flows.end import UNUSED_LINK_GRACE
from login_as_customer.flows.live_check import SESSION_ID_KEY
from login_as_customer.models import AssistedSession, EndReason, LoginToken, SessionMode
from shopassist.audit.models import ActionLogEntry, Outcome
from shopassist.customers.models import Customer
from shopassist.stores.models import StoreView
from tests.audit.helpers import actions_of, log_snapshot, table
from tests.conftest import login_admin_client
from tests.login_as_customer.assisted import (
    assisted_storefront_sessions,
    lac_snapshot,
    redeem,
    session_of,
    start,
    start_assisted,
)

pytestmark = pytest.mark.django_db

ACTIVE = reverse("admin:login_as_customer_active")
HEADER = [
    "ID",
    "Started",
    "Admin username",
    "Customer e-mail",
    "Store View",
    "Reason",
    "Access",
    "State",
    "Actions",
]
WAITING = "Waiting for the link to be opened"
IN_PROGRESS = "In progress"


def terminate_url(session) -> str:
    return reverse("admin:login_as_customer_terminate", args=[session.pk])


def csrf_of(response) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())
    assert match, "no CSRF token in the page"
    return match.group(1)


def active_rows(response) -> dict[int, list[str]]:
    """{session id: the row's cells} of Active sessions, in the page's order."""
    assert response.status_code == 200, response.content[:500]
    header, *rows = table(response, id="result_list")
    assert header == HEADER
    if rows == [["No assisted session is active."]]:
        return {}
    return {int(row[0]): row for row in rows}


def until(moment) -> str:
    return date_format(timezone.localtime(moment), "H:i:s")


@pytest.fixture
def administrator_client(administrator):
    """The administrator's admin panel, with CSRF checks as a browser meets them."""
    return login_admin_client(Client(enforce_csrf_checks=True), administrator)


@pytest.fixture
def waiting_link(support_client, jane):
    """Support confirmed Login as Customer for Jane; the new tab has not opened the link yet:
    (the start response, with the link and its browser binding; the session)."""
    started = start(support_client, jane, reason="Ticket #77")
    assert started.status_code == 200, started.content[:500]
    session = AssistedSession.objects.get(customer=jane)
    assert session.started_at is None and session.ended_at is None
    return started, session


@pytest.fixture
def in_progress(support_client, marie):
    """Support's session as Marie, its link opened: (the assisted tab, the session)."""
    return start_assisted(support_client, marie, reason="Lost parcel")


def test_a_link_waiting_to_be_opened_is_listed_with_its_state(
    administrator_client, waiting_link, in_progress
):
    _started, waiting = waiting_link
    _tab, live = in_progress

    response = administrator_client.get(ACTIVE)

    rows = active_rows(response)
    # Both, the link waiting first (the newest, and the one that may still start).
    assert list(rows) == [waiting.pk, live.pk]
    expires_at = LoginToken.objects.get(assisted_session=waiting).expires_at
    assert rows[waiting.pk][1:] == [
        "—",  # not started
        "support",
        "jane.doe@example.com",
        "English",
        "Ticket #77",
        "Full access",
        f"{WAITING} (valid until {until(expires_at)})",
        "Terminate",
    ]
    assert rows[live.pk][1] == date_format(timezone.localtime(live.started_at), "Y-m-d H:i:s")
    assert rows[live.pk][7] == IN_PROGRESS
    page = response.content.decode()
    for session in (waiting, live):
        assert f'action="{terminate_url(session)}"' in page
        assert f'data-testid="terminate-{session.pk}"' in page


def test_every_cell_of_a_waiting_link_is_labelled_for_the_phone_layout(
    administrator_client, waiting_link
):
    """At 390 px each row is a block of label / value pairs (``data-label``): the new State
    cell has its label like the others, and holds one element, so the grid keeps two columns."""
    _started, waiting = waiting_link
    page = administrator_client.get(ACTIVE).content.decode()

    row = re.search(rf"<tr[^>]*>\s*<td[^>]*>{waiting.pk}</td>.*?</tr>", page, re.S).group(0)
    labels = re.findall(r'<td[^>]*data-label="([^"]*)"', row)
    assert labels == HEADER[:-1]
    state = re.search(r'<td[^>]*data-label="State"[^>]*>(.*?)</td>', row, re.S).group(1)
    assert re.fullmatch(r"<span[^>]*>[^<]*</span>", state.strip()), state


def test_terminate_from_the_page_makes_the_waiting_link_unusable(
    administrator, administrator_client, waiting_link
):
    started, session = waiting_link
    page = administrator_client.get(ACTIVE)
    assert f'action="{terminate_url(session)}"' in page.content.decode()

    response = administrator_client.post(
        terminate_url(session), {"csrfmiddlewaretoken": csrf_of(page)}
    )

    assert response.status_code == 302
    assert response["Location"] == ACTIVE
    session.refresh_from_db()
    assert session.end_reason == EndReason.TERMINATED and session.ended_at is not None
    assert session.started_at is None
    assert actions_of(session)[-2:] == ["end", "terminate"]
    terminated = ActionLogEntry.objects.get(assisted_session_id=session.pk, action="terminate")
    assert terminated.details == {
        "terminated_by_id": administrator.pk,
        "terminated_by": "admin",
        "session_admin_id": session.admin_id,
        "session_admin": session.admin_username,
    }
    assert terminated.admin_id == administrator.pk  # who terminated it
    after = administrator_client.get(ACTIVE)
    assert session.pk not in active_rows(after)
    assert (
        "The login link of support as jane.doe@example.com was terminated before it was opened: "
        "it can no longer be used." in after.content.decode()
    )

    # The new tab opens the link now: refused, nothing starts.
    before, entries = lac_snapshot(), log_snapshot()
    tab = Client()
    landed = redeem(tab, started)

    assert landed.status_code == 403
    assert escape(message_for(DenialCode.TOKEN_EXPIRED)) in landed.content.decode()
    assert lac_snapshot() == before
    assert LoginToken.objects.get(assisted_session=session).used_at is None
    session.refresh_from_db()
    assert session.started_at is None and session.end_reason == EndReason.TERMINATED
    assert SESSION_ID_KEY not in session_of(tab)
    assert assisted_storefront_sessions() == []
    assert tab.get("/en/customer/account/").status_code == 302  # nobody signed in
    seen = {entry["id"] for entry in entries}
    [refusal] = ActionLogEntry.objects.exclude(id__in=seen)
    assert (refusal.action, refusal.outcome) == ("redeem_expired", Outcome.DENIED)
    assert refusal.details["customer_id"] == session.customer_id


@pytest.mark.parametrize("staff", ["support_agent", "auditor", "clerk"])
def test_without_manage_sessions_a_waiting_link_is_neither_shown_nor_ended(
    request, staff, admin_client_for, waiting_link
):
    """Support may start sessions and read the log, the auditor read it, the clerk neither:
    none holds *Manage active sessions*."""
    client = admin_client_for(request.getfixturevalue(staff))
    started, session = waiting_link
    before = (lac_snapshot(), log_snapshot())

    listed = client.get(ACTIVE)
    forged = client.post(terminate_url(session))

    assert listed.status_code == 403
    assert f"terminate-{session.pk}" not in listed.content.decode()
    assert forged.status_code == 403
    assert (lac_snapshot(), log_snapshot()) == before
    # The link still opens: nothing was ended.
    tab = Client()
    assert redeem(tab, started).status_code == 302
    assert session_of(tab)[SESSION_ID_KEY] == session.pk


def test_a_link_past_its_lifetime_is_not_listed(administrator_client, waiting_link):
    """It can no longer be used (the redemption refuses it), so it is not active; a minute
    later the sweep records it as never used."""
    _started, session = waiting_link
    expires_at = LoginToken.objects.get(assisted_session=session).expires_at

    with time_machine.travel(expires_at + timedelta(seconds=1), tick=False):
        assert session.pk not in active_rows(administrator_client.get(ACTIVE))
    session.refresh_from_db()
    assert session.ended_at is None  # within the grace the sweep leaves it

    with time_machine.travel(expires_at + UNUSED_LINK_GRACE + timedelta(seconds=1), tick=False):
        assert active_rows(administrator_client.get(ACTIVE)) == {}
    session.refresh_from_db()
    assert session.end_reason == EndReason.NEVER_REDEEMED


def test_an_opened_link_is_one_row_in_progress(administrator_client, support_client, jane):
    _tab, session = start_assisted(support_client, jane)

    rows = active_rows(administrator_client.get(ACTIVE))

    assert list(rows) == [session.pk]
    assert rows[session.pk][7] == IN_PROGRESS


# --- The page's statements do not grow with its rows --------------------------------------------


def _sessions(support_agent, count: int, *, waiting: bool):
    """``count`` sessions of the demo customers in turn, as start and redemption record them:
    their links waiting to be opened, or opened (in progress)."""
    view = StoreView.objects.get(code="en")
    customers = list(Customer.objects.order_by("pk"))
    now = timezone.now()
    for number in range(count):
        customer = customers[number % len(customers)]
        session = AssistedSession.objects.create(
            admin=support_agent,
            admin_username=support_agent.username,
            customer=customer,
            customer_email=customer.email,
            customer_name=customer.full_name,
            store_view=view,
            store_view_code=view.code,
            website_name="Main Website",
            reason="ticket",
            mode=SessionMode.FULL,
            created_at=now,
            started_at=None if waiting else now,
            last_seen_at=None if waiting else now,
        )
        LoginToken.objects.create(
            token_hash=f"{session.pk:064x}",
            assisted_session=session,
            admin=support_agent,
            customer=customer,
            store_view=view,
            created_at=now,
            expires_at=now + timedelta(minutes=1),
            used_at=None if waiting else now,
        )


def _statements(client) -> tuple[int, int]:
    """(statements, rows) of one request of the page."""
    with CaptureQueriesContext(connection) as queries:
        rows = active_rows(client.get(ACTIVE))
    return len(queries.captured_queries), len(rows)


def test_the_page_costs_the_same_statements_for_two_rows_or_ten(
    administrator_client, support_agent
):
    _sessions(support_agent, 1, waiting=True)
    _sessions(support_agent, 1, waiting=False)
    administrator_client.get(ACTIVE)  # the per-process memos (store views, grants) filled
    few = _statements(administrator_client)

    _sessions(support_agent, 4, waiting=True)
    _sessions(support_agent, 4, waiting=False)
    many = _statements(administrator_client)

    assert (few[1], many[1]) == (2, 10)
    assert many[0] == few[0]
