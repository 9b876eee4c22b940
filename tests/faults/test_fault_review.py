"""Login as Customer under faults, on servers of its own (the fixtures of test_faults.py: our own
PostgreSQL cluster, Redis and gunicorn with production settings).

A connection cut in the middle of a request is made exact: a connection of the test holds a SHARE
lock on the table the request is about to write (its reads go on, its INSERT waits), and once the
request waits there every connection of the application is terminated, as a PostgreSQL restart
or failover terminates them. Nothing the request had committed before may be left half done.
"""

from __future__ import annotations

import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest

from tests.faults import test_faults as faults
from tests.faults.client import ApiClient, Response, TransportError, csrf_token, form_fields
from tests.faults.servers import run
from tests.faults.test_faults import (
    BANNER,
    DATABASE,
    STORE,
    Stack,
    _admin_login,
    _api_token,
    _customer_login,
    _start_assisted,
)

# The servers of test_faults.py (a set of this module's own) and its check that each test
# starts with every server up.
stack = faults.stack
_servers_up = faults._servers_up

pytestmark = pytest.mark.faults

POOL_TIMEOUT = 10  # DB_POOL_TIMEOUT's default: how long a request waits for a connection
ERROR_PAGE = "Something went wrong"


def _configure(stack: Stack, **values: str) -> None:
    """Save Login as Customer settings (``login_as_customer.config`` names) as Stores ›
    Configuration does: every worker reads them on its next request."""
    code = (
        "from login_as_customer import config as lac\n"
        "from shopassist.core.config.services import save_config_values\n"
        "save_config_values(scope='default', scope_id=0, actor=None, values={\n"
        + "".join(f"    lac.{name}: {value!r},\n" for name, value in values.items())
        + "})\n"
    )
    run([sys.executable, "manage.py", "shell", "-c", code], env=stack.setup_env, what="configure")


def _cut_while_writing(stack: Stack, table: str, send) -> Response:
    """``send()`` (in a thread) while ``table`` is locked against writes; once the request's
    INSERT into it waits for the lock, every connection of the application is terminated and
    the lock let go. Returns the request's answer."""
    with (
        psycopg.connect(stack.pg.url(DATABASE), connect_timeout=5) as lock,
        ThreadPoolExecutor(max_workers=1) as pool,
    ):
        lock.execute(f'LOCK TABLE "{table}" IN SHARE MODE')  # held until the end of the block
        answer = pool.submit(send)
        deadline = time.monotonic() + 30
        while not (
            waiting := stack.sql(
                "SELECT query FROM pg_stat_activity WHERE datname = %s AND wait_event_type = "
                "'Lock'",
                [DATABASE],
            )
        ):
            assert not answer.done(), f"the request never wrote to {table}: {answer.result()}"
            assert time.monotonic() < deadline, f"the request never waited for {table}"
            time.sleep(0.05)
        assert all(query.startswith(f'INSERT INTO "{table}"') for (query,) in waiting), waiting
        stack.sql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s "
            "AND pid <> pg_backend_pid() AND pid <> %s",
            [DATABASE, lock.info.backend_pid],
        )
        lock.rollback()
        return answer.result(timeout=60)


def _last_session_id(stack: Stack) -> int:
    ((last,),) = stack.sql("SELECT coalesce(max(id), 0) FROM login_as_customer_assistedsession")
    return last


def test_a_connection_cut_before_the_api_token_starts_no_session(stack):
    """POST /login-as-customer/token: the connection is cut after the redemption and before the
    assisted token is stored. The client is told it failed (500): the session must not have
    started (a live session nobody holds, the customer told an administrator is assisting
    them, listed in progress until its idle limit). Its retry gets a working token."""
    marie = stack.seed["customers"]["marie.dupont@example.com"]
    body = {"username": "support", "password": "demo-support"}
    admin = ApiClient(stack.port, stack.stats, _api_token(stack, "/auth/admin-token", body))
    # Its last use written now (a call, not an introspection, which is no use of the token):
    # the exchange below writes to api_apitoken only its new token.
    assert admin.call("GET", "/login-as-customer/dashboard").status == 200
    since = _last_session_id(stack)

    cut = _cut_while_writing(
        stack,
        "api_apitoken",
        lambda: admin.call("POST", "/login-as-customer/token", {"customer_id": marie}),
    )

    assert cut.status == 500 and cut.is_json, (cut.status, cut.body)
    started = stack.sql(
        "SELECT id FROM login_as_customer_assistedsession WHERE id > %s AND started_at IS NOT NULL",
        [since],
    )
    assert started == [], f"sessions started without a token: {started}"
    redeemed = stack.sql(
        "SELECT assisted_session_id FROM audit_actionlogentry WHERE assisted_session_id > %s "
        "AND action = 'redeem'",
        [since],
    )
    assert redeemed == [], f"redemptions logged without a token: {redeemed}"
    retried = admin.call("POST", "/login-as-customer/token", {"customer_id": marie})
    assert retried.status == 200, retried.body
    assisted = ApiClient(stack.port, stack.stats, retried.json()["access_token"])
    assert assisted.call("GET", "/cart").status == 200
    assert assisted.call("POST", "/auth/logout").status == 204


def test_a_connection_cut_during_a_start_does_not_spend_the_assistance_code(stack):
    """Customer consent "Either": Chen, who does not allow assistance, reads out a code; the
    administrator's start is cut before its session is stored. The code must still be the
    customer's (a code serves one session: spent, the retry would be refused and Chen asked
    for another one), and the retry with it starts the session."""
    chen_id = stack.seed["customers"]["chen.wei@example.com"]
    _configure(stack, CUSTOMER_CONSENT="either")
    try:
        chen = stack.client()
        assert _customer_login(chen, "chen.wei@example.com").status == 302
        history = chen.get(f"/{STORE}/customer/assisted-sessions/")
        issued = chen.post(
            f"/{STORE}/customer/assisted-sessions/code/",
            form={"csrfmiddlewaretoken": csrf_token(history)},
        )
        found = re.search(r'data-testid="assistance-code-value"[^>]*>([^<]+)<', issued.body)
        assert issued.status == 200 and found, f"no assistance code: HTTP {issued.status}"
        code = found.group(1).replace(" ", "")
        admin = stack.client()
        _admin_login(admin, "support")
        confirm = admin.get(f"/admin/login_as_customer/{chen_id}/confirm/")
        assert confirm.status == 200, f"confirm page: HTTP {confirm.status}"
        form = {"csrfmiddlewaretoken": csrf_token(confirm), "assistance_code": code}
        start = f"/admin/login_as_customer/{chen_id}/start/"

        cut = _cut_while_writing(
            stack, "login_as_customer_assistedsession", lambda: admin.post(start, form=form)
        )

        assert cut.status == 500, cut.status
        ((used_at, session_id),) = stack.sql(
            "SELECT used_at, assisted_session_id FROM login_as_customer_assistancecode "
            "WHERE customer_id = %s ORDER BY id DESC LIMIT 1",
            [chen_id],
        )
        assert used_at is None, f"the code was spent at {used_at} on no session ({session_id})"
        retried = admin.post(start, form=form)
        fields, action = form_fields(retried.body, "lac-redeem-form")
        assert retried.status == 200 and action, f"the retry: HTTP {retried.status}"
    finally:
        _configure(stack, CUSTOMER_CONSENT="standing")


def _timed(call) -> tuple[Response | None, float]:
    """The answer (None: none within the client's 30 s) and how long it took."""
    began = time.monotonic()
    try:
        response = call()
    except TransportError:
        response = None
    return response, time.monotonic() - began


def test_with_postgresql_down_a_page_fails_after_one_pool_timeout(stack):
    """docs/deploy.md: with PostgreSQL down a request waits up to DB_POOL_TIMEOUT (10 s) for a
    connection, then fails with its area's error page. Every wait of a request used to take the
    whole timeout — the look at pending cache invalidations, the view, the error page's menu —
    so an assisted page failed after 30 s, gunicorn's worker timeout. Once PostgreSQL is back
    the pages answer again, without a restart."""
    jane = stack.seed["customers"]["jane.doe@example.com"]
    assisted = stack.client()
    _admin_login(assisted, "support")
    _start_assisted(assisted, jane)
    admin = stack.client()
    _admin_login(admin, "admin")
    marie = stack.seed["customers"]["marie.dupont@example.com"]
    body = {"username": "support", "password": "demo-support"}
    token = _api_token(stack, "/auth/admin-token", body)
    exchanged = _api_token(stack, "/login-as-customer/token", {"customer_id": marie}, token)
    api = ApiClient(stack.port, stack.stats, exchanged)
    pages = {
        "assisted storefront page": lambda: assisted.get(f"/{STORE}/customer/account/"),
        "Login as Customer Log": lambda: admin.get("/admin/login_as_customer/log/"),
        "API call of the assisted token": lambda: api.call("GET", "/cart"),
    }
    stack.pg.stop("fast")
    try:
        answers = {what: _timed(call) for what, call in pages.items()}
    finally:
        stack.pg.start()
    slow = {
        what: f"HTTP {response.status if response else 'none'} after {seconds:.1f} s"
        for what, (response, seconds) in answers.items()
        if response is None or response.status != 500 or seconds > POOL_TIMEOUT * 1.5
    }
    assert not slow, f"with PostgreSQL down, not an error within {POOL_TIMEOUT} s: {slow}"
    for what, (response, _seconds) in answers.items():
        if response.is_json:
            assert response.json()["code"] == "server.error", (what, response.body)
        else:
            assert ERROR_PAGE in response.body, (what, response.body[:300])
    page = assisted.get(f"/{STORE}/customer/account/")
    assert page.status == 200 and BANNER in page.body, f"after: HTTP {page.status}"
    assert admin.get("/admin/login_as_customer/log/").status == 200
    assert api.call("GET", "/cart").status == 200
