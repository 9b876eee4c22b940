"""Issue 13 point 3: an assisted session ends the moment its idle or absolute limit passes.

Every list shows it ended from that moment, and the record (reason, the time the limit passed)
is written without waiting for a request of it: ``manage.py end_overdue_sessions`` (the
scheduler) and the sweep of the pages that list sessions. The idle clock lives in the database
(``AssistedSession.last_seen_at``), moved by web and API requests alike at most every 10 s.
Frozen clock throughout (time-machine).
"""

import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format

from login_as_customer import config as lac_config
from login_as_customer.decisions import limit_passed
from login_as_customer.flows.end import end_session
from login_as_customer.models import AssistedSession, EndReason, LoginToken
from shopassist.audit.models import ActionLogEntry
from tests.api.conftest import ApiClient, admin_token_for, assisted_token_for
from tests.audit.helpers import log_snapshot, table
from tests.conftest import login_customer_client, use_own_cache_namespace
from tests.login_as_customer.assisted import assert_ended, start, start_assisted

pytestmark = pytest.mark.django_db

MINUTE = timedelta(minutes=1)
IDLE = 15 * MINUTE  # the configured defaults
ABSOLUTE = 60 * MINUTE
ACTIVE = "/admin/login_as_customer/active/"
LOG = "/admin/login_as_customer/log/"
HISTORY = "/en/customer/assisted-sessions/"


@pytest.fixture(autouse=True)
def _own_cache_namespace(settings):
    """Start rate limits and API throttles count in the shared cache."""
    use_own_cache_namespace(settings, "overdue")


def shown(moment) -> str:
    return date_format(timezone.localtime(moment), "Y-m-d H:i:s")


def frozen(moment):
    return time_machine.travel(moment, tick=False)


def sweep() -> str:
    """The scheduler's sweep, its ends' commit hooks run as they are in production (the
    count each ended session keeps)."""
    out = io.StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("end_overdue_sessions", stdout=out)
    return out.getvalue()


def end_entries(session) -> list[dict]:
    return list(
        ActionLogEntry.objects.filter(assisted_session_id=session.pk, action="end").values_list(
            "details", flat=True
        )
    )


T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("last_seen", "now", "expected"),
    [
        (T0 + 50 * MINUTE, T0 + 59 * MINUTE, None),
        (T0 + 50 * MINUTE, T0 + 60 * MINUTE, (EndReason.MAX_DURATION, T0 + ABSOLUTE)),
        (T0 + 50 * MINUTE, T0 + 90 * MINUTE, (EndReason.MAX_DURATION, T0 + ABSOLUTE)),
        (T0 + 5 * MINUTE, T0 + 20 * MINUTE, (EndReason.IDLE_TIMEOUT, T0 + 20 * MINUTE)),
        # Both passed: the first one is the reason, and its time the end time.
        (T0 + 5 * MINUTE, T0 + 90 * MINUTE, (EndReason.IDLE_TIMEOUT, T0 + 20 * MINUTE)),
        (T0 + 45 * MINUTE, T0 + 90 * MINUTE, (EndReason.MAX_DURATION, T0 + ABSOLUTE)),
        (None, T0 + IDLE, (EndReason.IDLE_TIMEOUT, T0 + IDLE)),  # no request since the start
        (None, T0 + IDLE - timedelta(seconds=1), None),
    ],
)
def test_limit_passed_names_the_first_limit_to_pass_and_when(last_seen, now, expected):
    passed = limit_passed(
        started_at=T0, last_seen_at=last_seen, max_duration=ABSOLUTE, idle_timeout=IDLE, now=now
    )
    assert (passed and (passed.reason, passed.at)) == expected


def test_the_command_ends_an_idle_session_at_the_time_its_idle_limit_passed(
    support_client, administrator, admin_client_for, jane, marie
):
    tab, idle = start_assisted(support_client, jane)
    started = idle.started_at
    with frozen(started + 5 * MINUTE):
        assert tab.get("/en/checkout/cart/").status_code == 200  # moves the idle clock
    idle.refresh_from_db()
    assert idle.last_seen_at == started + 5 * MINUTE
    with frozen(started + 30 * MINUTE):
        _tab, busy = start_assisted(admin_client_for(administrator), marie)
    before = log_snapshot()

    with frozen(started + 40 * MINUTE):
        output = sweep()

    assert output == "Ended 1 overdue assisted sessions.\n"
    idle = assert_ended(idle, EndReason.IDLE_TIMEOUT)
    limit = started + 5 * MINUTE + IDLE
    assert idle.ended_at == limit  # not the time the sweep ran
    new = [entry for entry in log_snapshot() if entry not in before]
    assert [(e["action"], e["assisted_session_id"], e["details"]) for e in new] == [
        ("end", idle.pk, {"reason": "idle_timeout", "ended_at": limit.isoformat()})
    ]
    busy.refresh_from_db()
    assert busy.ended_at is None and busy.end_reason == ""
    # Its browser's next request finds it ended: signed out, the end written once.
    with frozen(started + 41 * MINUTE):
        response = tab.get("/en/checkout/cart/")
    assert (response.status_code, response["Location"]) == (302, "/en/")
    assert len(end_entries(idle)) == 1
    assert assert_ended(idle, EndReason.IDLE_TIMEOUT).ended_at == limit
    with frozen(started + 42 * MINUTE):
        assert sweep() == "Ended 0 overdue assisted sessions.\n"


def test_a_busy_session_ends_at_its_absolute_limit(support_client, jane):
    tab, session = start_assisted(support_client, jane)
    started = session.started_at
    for minutes in (10, 20, 30, 40, 50):
        with frozen(started + minutes * MINUTE):
            assert tab.get("/en/").status_code == 200
    with frozen(started + ABSOLUTE - timedelta(seconds=1)):
        assert sweep() == "Ended 0 overdue assisted sessions.\n"
    session.refresh_from_db()
    assert session.ended_at is None

    # Both limits have passed by now (idle at 65 minutes): the first one is the reason.
    with frozen(started + 75 * MINUTE):
        assert sweep() == "Ended 1 overdue assisted sessions.\n"

    session = assert_ended(session, EndReason.MAX_DURATION)
    assert session.ended_at == started + ABSOLUTE
    assert end_entries(session) == [
        {"reason": "max_duration", "ended_at": (started + ABSOLUTE).isoformat()}
    ]


def test_the_next_request_records_the_limits_time_too(support_client, jane):
    """Noticed by a request instead of the sweep: the same end time."""
    tab, session = start_assisted(support_client, jane)
    started = session.started_at

    with frozen(started + 50 * MINUTE):
        assert tab.get("/en/").status_code == 302

    session = assert_ended(session, EndReason.IDLE_TIMEOUT)
    assert session.ended_at == started + IDLE


def _active_rows(administrator_client, jane, session):
    response = administrator_client.get(ACTIVE)
    assert response.status_code == 200
    _header, *rows = table(response, id="result_list")
    return [row[0] for row in rows]


def _log_row(administrator_client, jane, session):
    response = administrator_client.get(LOG)
    assert response.status_code == 200
    _header, *rows = table(response, id="result_list")
    (row,) = [row for row in rows if row[0] == str(session.pk)]
    return row[-3:-1]  # end time, end reason


def _history_row(administrator_client, jane, session):
    response = login_customer_client(Client(), jane).get(HISTORY)
    assert response.status_code == 200
    _header, *rows = table(response, **{"data-testid": "assisted-sessions"})
    return rows[0][2]  # duration


@pytest.mark.parametrize(
    ("page", "live", "ended"),
    [
        (_active_rows, lambda s: [str(s.pk)], lambda s: ["No assisted session is active."]),
        (_log_row, lambda s: ["", ""], lambda s: [shown(s.ended_at), "Idle timeout"]),
        (_history_row, lambda s: "in progress", lambda s: "0:15:00"),
    ],
    ids=["active-sessions", "login-as-customer-log", "my-assisted-sessions"],
)
def test_each_list_shows_the_session_ended_the_moment_its_limit_passes(
    page, live, ended, administrator, admin_client_for, support_client, jane
):
    administrator_client = admin_client_for(administrator)
    _tab, session = start_assisted(support_client, jane)
    started = session.started_at

    with frozen(started + IDLE - timedelta(seconds=1)):
        assert page(administrator_client, jane, session) == live(session)
    session.refresh_from_db()
    assert session.ended_at is None

    with frozen(started + IDLE):  # no command ran: the page's own sweep
        shown = page(administrator_client, jane, session)

    session = assert_ended(session, EndReason.IDLE_TIMEOUT)
    assert session.ended_at == started + IDLE
    assert shown == ended(session)
    assert len(end_entries(session)) == 1


def test_an_api_session_keeps_the_same_idle_clock_and_is_swept_too(support_agent, jane):
    api = ApiClient()
    token = assisted_token_for(api, admin_token_for(api, "support"), jane)
    session = AssistedSession.objects.get()
    started = session.started_at
    assert session.last_seen_at == started

    with frozen(started + 8 * MINUTE), CaptureQueriesContext(connection) as queries:
        assert api.get("/customers/me", token=token).status_code == 200
    session.refresh_from_db()
    assert session.last_seen_at == started + 8 * MINUTE
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 1 and "last_seen_at" in updates[0]  # one write for the clock

    with frozen(started + 30 * MINUTE):
        assert sweep() == "Ended 1 overdue assisted sessions.\n"
    session = assert_ended(session, EndReason.IDLE_TIMEOUT)
    assert session.ended_at == started + 8 * MINUTE + IDLE

    with frozen(started + 31 * MINUTE):
        refused = api.get("/customers/me", token=token)
    assert refused.status_code == 401
    assert refused.json()["code"] == "login_as_customer.session_ended"
    assert len(end_entries(session)) == 1


def test_the_idle_clock_costs_one_update_at_most_every_ten_seconds(support_client, jane):
    """As cheap as the storefront-session write it replaces: no session write at all."""
    tab, session = start_assisted(support_client, jane)
    started = session.started_at

    def writes_at(seconds):
        with (
            frozen(started + timedelta(seconds=seconds)),
            CaptureQueriesContext(connection) as queries,
        ):
            assert tab.get("/en/").status_code == 200
        return [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]

    assert writes_at(3) == []
    assert writes_at(9) == []
    (update,) = writes_at(10)
    assert update.startswith('UPDATE "login_as_customer_assistedsession" SET "last_seen_at"')
    assert writes_at(15) == []
    assert len(writes_at(21)) == 1
    session.refresh_from_db()
    assert session.last_seen_at == started + timedelta(seconds=21)


def test_a_request_that_moved_the_idle_clock_meanwhile_keeps_the_session(support_client, jane):
    """The sweep ends an idle session only if its clock is still where the sweep read it."""
    tab, session = start_assisted(support_client, jane)
    read_by_the_sweep = session.last_seen_at
    with frozen(session.started_at + 14 * MINUTE):
        assert tab.get("/en/").status_code == 200  # just before the limit

    ended = end_session(
        session,
        EndReason.IDLE_TIMEOUT,
        at=read_by_the_sweep + IDLE,
        only_if=Q(last_seen_at=read_by_the_sweep),
    )

    assert ended is False
    session.refresh_from_db()
    assert session.ended_at is None and end_entries(session) == []


def test_a_login_link_never_used_is_closed_at_its_expiry(support_client, jane):
    response = start(support_client, jane)
    assert response.status_code == 200
    session = AssistedSession.objects.get()
    expires_at = LoginToken.objects.get().expires_at
    assert expires_at == session.created_at + timedelta(
        seconds=lac_config.setting(lac_config.LINK_LIFETIME)
    )

    # A minute's grace, for a redemption still running when the link expired.
    with frozen(expires_at + timedelta(seconds=59)):
        assert sweep() == "Ended 0 overdue assisted sessions.\n"
    with frozen(expires_at + timedelta(minutes=5)):
        assert sweep() == "Ended 1 overdue assisted sessions.\n"

    session = assert_ended(session, EndReason.NEVER_REDEEMED)
    assert session.ended_at == expires_at and session.started_at is None
    assert end_entries(session) == [{"reason": "never_redeemed"}]


def test_the_idle_clock_of_an_ended_session_is_frozen(support_client, jane):
    _tab, session = start_assisted(support_client, jane)
    with frozen(session.started_at + IDLE):
        sweep()
    before = list(AssistedSession.objects.filter(pk=session.pk).values())

    with pytest.raises(DatabaseError), transaction.atomic():
        AssistedSession.objects.filter(pk=session.pk).update(
            last_seen_at=session.started_at + MINUTE
        )

    assert list(AssistedSession.objects.filter(pk=session.pk).values()) == before


@pytest.mark.parametrize(
    ("length", "shown"),
    [
        (timedelta(hours=10, minutes=5, seconds=37), "10:05:37"),  # was cut to "10:05:3"
        (timedelta(hours=24), "24:00:00"),  # was "1 day, " in every language
        (timedelta(0), "0:00:00"),  # was "in progress"
    ],
)
def test_the_customers_history_shows_a_sessions_whole_length(
    support_client, jane, length, shown, set_config
):
    set_config({lac_config.MAX_DURATION: "1440"})
    _browser, session = start_assisted(support_client, jane)
    ended_at = timezone.now()
    AssistedSession.objects.filter(pk=session.pk).update(started_at=ended_at - length)
    end_session(AssistedSession.objects.get(pk=session.pk), EndReason.CLOSED_BY_ADMIN, at=ended_at)

    response = login_customer_client(Client(), jane).get(HISTORY)

    _header, *rows = table(response, **{"data-testid": "assisted-sessions"})
    assert rows[0][2] == shown
