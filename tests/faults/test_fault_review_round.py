"""Login as Customer under faults, one more round (the servers of test_faults.py).

A connection cut right *after* a commit, before the work the commit schedules (``on_commit``)
has run: made exact with two locks on the action log. A connection of the test holds a SHARE
lock (the request's first entry waits); a second one asks for an ACCESS EXCLUSIVE lock, queued
behind that entry; the first lets go: the request writes its entries and commits, and its next
read of the log waits behind the second lock. Every connection of the application is then
terminated, as a PostgreSQL restart or failover terminates them.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest

from tests.faults import test_faults as faults
from tests.faults.client import ApiClient, Response
from tests.faults.test_faults import DATABASE, Stack, _api_token

stack = faults.stack
_servers_up = faults._servers_up

pytestmark = pytest.mark.faults

LOG = "audit_actionlogentry"


def _waiting(stack: Stack, *, besides: int) -> list[str]:
    rows = stack.sql(
        "SELECT query FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock' "
        "AND pid <> %s",
        [DATABASE, besides],
    )
    return [query for (query,) in rows]


def _until(condition, what: str, timeout=30):
    deadline = time.monotonic() + timeout
    while not (found := condition()):
        assert time.monotonic() < deadline, f"never: {what}"
        time.sleep(0.02)
    return found


def _cut_after_commit(stack: Stack, send) -> tuple[Response, list[str]]:
    """``send()`` (in a thread); its connection is cut once it has committed its action log
    entries and reads the log again. Returns the answer and the statement that was cut."""
    url = stack.pg.url(DATABASE)
    with (
        psycopg.connect(url, connect_timeout=5) as first,
        psycopg.connect(url, connect_timeout=5) as second,
        ThreadPoolExecutor(max_workers=2) as pool,
    ):
        first.execute(f'LOCK TABLE "{LOG}" IN SHARE MODE')
        answer = pool.submit(send)
        pid = second.info.backend_pid
        _until(lambda: _waiting(stack, besides=pid), "the request wrote to the log")
        queued = pool.submit(second.execute, f'LOCK TABLE "{LOG}" IN ACCESS EXCLUSIVE MODE')
        _until(
            lambda: stack.sql(
                "SELECT 1 FROM pg_stat_activity WHERE pid = %s AND wait_event_type = 'Lock'",
                [pid],
            ),
            "the second lock queued",
        )
        first.rollback()
        queued.result(timeout=30)
        cut = _until(lambda: _waiting(stack, besides=pid), "the request read the log again")
        assert not answer.done(), answer.result()
        stack.sql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s "
            "AND pid <> pg_backend_pid() AND pid <> %s",
            [DATABASE, pid],
        )
        second.rollback()
        return answer.result(timeout=60), cut


def test_an_ended_session_is_answered_as_ended_when_the_connection_drops_after_its_commit(
    stack,
):
    """POST /auth/logout of an assisted token: the session's end and its entries commit, then
    the connection is cut while the ended session's action count is kept (``on_commit``). The
    client used to be answered 500 for a logout that had happened (its retry: 401), and the
    commit's other hooks (the audit stream's lines of those entries) were skipped. The kept
    count is a convenience (the Log and the dashboard count the log without it): the answer
    must be the logout's, 204, with its entries exactly once."""
    marie = stack.seed["customers"]["marie.dupont@example.com"]
    body = {"username": "support", "password": "demo-support"}
    admin = _api_token(stack, "/auth/admin-token", body)
    exchanged = _api_token(stack, "/login-as-customer/token", {"customer_id": marie}, admin)
    assisted = ApiClient(stack.port, stack.stats, exchanged)
    assert assisted.call("GET", "/cart").status == 200
    ((since,),) = stack.sql("SELECT coalesce(max(id), 0) FROM audit_actionlogentry")

    answer, cut = _cut_after_commit(stack, lambda: assisted.call("POST", "/auth/logout"))

    assert all("count" in query.lower() for query in cut), cut
    ((session_id, reason),) = stack.sql(
        "SELECT id, end_reason FROM login_as_customer_assistedsession WHERE id = "
        "(SELECT max(assisted_session_id) FROM audit_actionlogentry WHERE id > %s)",
        [since],
    )
    assert reason == "closed_by_admin"
    entries = stack.sql(
        "SELECT action, outcome FROM audit_actionlogentry WHERE id > %s "
        "AND assisted_session_id = %s ORDER BY id",
        [since, session_id],
    )
    assert entries == [("end", "success"), ("request", "success")], entries
    assert answer.status == 204, (answer.status, answer.body)
    assert assisted.call("GET", "/token/introspect").json() == {"active": False}


def test_a_refused_write_is_answered_as_refused_when_the_connection_drops_after_its_commit(
    stack,
):
    """POST /cart/items of a view-only assisted token: its denied "request" entry commits, then
    the connection is cut while the "view_only_refused" entry queued during the write is written
    (``writer.flush_refusals``, run by ``on_commit``). The refusal must still be answered as
    one, 403; its entry stays queued on the worker's connection and is written once, by a later
    request of that worker. Before: 500 (``server.error``) for a change that was refused."""
    marie = stack.seed["customers"]["marie.dupont@example.com"]
    body = {"username": "support", "password": "demo-support"}
    admin = _api_token(stack, "/auth/admin-token", body)
    body = {"customer_id": marie, "mode": "view_only"}
    exchanged = _api_token(stack, "/login-as-customer/token", body, admin)
    assisted = ApiClient(stack.port, stack.stats, exchanged)
    assert assisted.call("GET", "/cart").status == 200
    ((since,),) = stack.sql("SELECT coalesce(max(id), 0) FROM audit_actionlogentry")

    item = {"sku": faults.ORDER_SKU, "qty": 1}
    answer, cut = _cut_after_commit(stack, lambda: assisted.call("POST", "/cart/items", item))

    assert all("audit_append_entry" in query for query in cut), cut
    ((session_id,),) = stack.sql(
        "SELECT max(assisted_session_id) FROM audit_actionlogentry WHERE id > %s", [since]
    )

    def entries():
        return stack.sql(
            "SELECT action, outcome FROM audit_actionlogentry WHERE id > %s "
            "AND assisted_session_id = %s ORDER BY id",
            [since, session_id],
        )

    assert entries() == [("request", "denied")], entries()
    assert answer.status == 403, (answer.status, answer.body)
    # Any request of the worker that holds it writes the queued entry (the request middleware).
    anyone = ApiClient(stack.port, stack.stats)
    written = [("request", "denied"), ("view_only_refused", "denied")]
    _until(lambda: anyone.call("GET", "/cart") and entries() == written, "the refusal written")
    for _ in range(3 * faults.WORKERS):
        assert anyone.call("GET", "/cart").status == 401
    assert entries() == written, entries()
