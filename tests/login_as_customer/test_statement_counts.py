"""How many SQL statements (and commits) a start and a redemption cost, pinned per engine so
the count cannot creep back (issue 15, point 3).

Transactional tests: each request runs as in production, with its own transactions, so the
statements listed are those a server sends, BEGIN and COMMIT included. The second start and
redemption of the test are measured: the first one fills the per-process memos (configuration,
store views, content types) as a server's first requests do.
"""

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from login_as_customer.flows.live_check import SESSION_ID_KEY
from login_as_customer.models import AssistedSession, LoginToken
from shopassist.audit.models import CHAINS, ActionLogEntry, ChainHead
from shopassist.core.config import config
from shopassist.customers.acl import ALL_CUSTOMERS
from shopassist.lac_host.acl import ALLOW
from shopassist.staff import roles
from shopassist.staff.models import Role
from tests.conftest import login_admin_client
from tests.login_as_customer.assisted import redeem, session_of, start

_TABLE = r'"?(\w+)"?'
LOG_TABLE = ActionLogEntry._meta.db_table


def statement_kinds(queries) -> list[str]:
    """Each statement as "VERB table" of its outermost statement ("SELECT auth_user",
    "INSERT django_session"), or "log entry"; what a WITH clause does inside a statement is
    left to the comments."""
    kinds = []
    for query in queries.captured_queries:
        sql = " ".join(query["sql"].split())
        if sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")):
            kinds.append(sql.rsplit(" ", 1)[0])
            continue
        if sql.startswith("BEGIN") or sql == "COMMIT":
            kinds.append(sql)
            continue
        if LOG_TABLE in sql or "audit_append_entry" in sql:
            # The audit writer's one statement, whatever its form: an INSERT … SELECT (SQLite,
            # a trigger moves the chain head) or the PostgreSQL function that links and inserts.
            kinds.append("log entry")
            continue
        outer = sql
        while re.search(r"\([^()]*\)", outer):  # subqueries, WITH bodies, column lists
            outer = re.sub(r"\([^()]*\)", "", outer)
        main = re.search(r"\b(SELECT|INSERT INTO|UPDATE|DELETE FROM) ", outer)
        rest = outer[main.end() :]
        table = re.search(rf"\bFROM {_TABLE}" if main[1] == "SELECT" else rf"^{_TABLE}", rest)
        kinds.append(f"{main[1].split()[0]} {table[1]}")
    return kinds


@pytest.fixture
def chain_heads(transactional_db):
    """The heads of the log's hash chains, as migrate leaves them (an earlier transactional
    test's flush removed them; the first entry of a chain would then create its head)."""
    for chain in range(CHAINS):
        ChainHead.objects.get_or_create(chain=chain)


def _sessions_in_redis() -> bool:
    return settings.SESSION_ENGINE == "shopassist.core.sessions"


def _capture(request):
    """(statement kinds, response) of one request."""
    with CaptureQueriesContext(connection) as queries:
        response = request()
    return statement_kinds(queries), response


def _start_and_redeem(support_client, customer):
    started = start(support_client, customer)
    browser = Client()
    landed = redeem(browser, started)
    assert landed.status_code == 302, landed.content[:500]
    return browser


def test_a_start_is_the_listed_statements_and_one_commit(chain_heads, support_agent, jane):
    support_client = login_admin_client(Client(), support_agent)
    _start_and_redeem(support_client, jane)  # the process's first: memos filled

    kinds, response = _capture(lambda: start(support_client, jane))

    assert response.status_code == 200
    sqlite = connection.vendor == "sqlite"
    assert kinds == [
        # The admin session (in Redis with PostgreSQL + Redis, read there).
        *([] if _sessions_in_redis() else ["SELECT django_session"]),
        "SELECT auth_user",  # the administrator (Django's authentication middleware)
        # Their roles' Allow: from the process's memo of grants (core/acl_grants.py), no
        # statement until a role or permission changes.
        # The customer, their website, consent and whether a staff account has the e-mail.
        "SELECT customers_customer",
        "BEGIN IMMEDIATE" if sqlite else "BEGIN",
        "SELECT login_as_customer_assistedsession",  # this admin's links left unused, to close
        "INSERT login_as_customer_assistedsession",  # the session
        "log entry",  # its "start" entry, linked to its hash chain in the same statement
        "INSERT login_as_customer_logintoken",  # its one-time token (hashes only)
        "COMMIT",  # the only one
    ]


def test_a_redemption_is_the_listed_statements_and_one_commit(chain_heads, support_agent, jane):
    support_client = login_admin_client(Client(), support_agent)
    _start_and_redeem(support_client, jane)
    started = start(support_client, jane)
    browser = Client()

    kinds, response = _capture(lambda: redeem(browser, started))

    assert response.status_code == 302
    session = AssistedSession.objects.get(pk=session_of(browser)[SESSION_ID_KEY])
    assert session.started_at is not None and session.ended_at is None
    assert LoginToken.objects.get(assisted_session=session).used_at == session.started_at
    sqlite = connection.vendor == "sqlite"
    assert kinds == [
        # The token with its session, administrator, customer, consent and staff e-mail.
        "SELECT login_as_customer_logintoken",
        # The administrator's Allow, checked again: from the memo of grants.
        "BEGIN IMMEDIATE" if sqlite else "BEGIN",
        # The token consumed (only if unused: one winner in a race) and the session started:
        # on PostgreSQL one statement (the token's UPDATE in its WITH clause), on SQLite two
        # (no UPDATE inside WITH there).
        *(["UPDATE login_as_customer_logintoken"] if sqlite else []),
        "UPDATE login_as_customer_assistedsession",
        "log entry",  # the "redeem" entry
        # The new storefront session, in the redemption's transaction (Django's session
        # save wraps its INSERT in a savepoint there).
        "SAVEPOINT",
        "INSERT django_session",
        "RELEASE SAVEPOINT",
        # The redemption, its entry and the storefront session: one commit (the session
        # middleware does not write the session again).
        "COMMIT",
    ]


def test_the_redeemed_browser_is_signed_in_as_the_customer_on_its_next_page(support_agent, jane):
    """The session saved inside the redemption's transaction reaches the browser: its cookie
    is set although the session middleware did not save it again."""
    support_client = login_admin_client(Client(), support_agent)
    browser = _start_and_redeem(support_client, jane)

    page = browser.get("/en/customer/account/")

    assert page.status_code == 200
    assert jane.email in page.content.decode()


def _take_allow_from_support():
    """The Customer Support role keeps Manage customers and loses Allow Login as Customer,
    committed (this test runs outside a test transaction), as the role page saves it."""
    role = Role.objects.get(name="Customer Support")
    roles.set_role_resources(role, access=roles.ACCESS_CUSTOM, resource_ids=[ALL_CUSTOMERS])


def test_allow_taken_from_the_role_refuses_the_next_start_and_redemption(
    chain_heads, support_agent, jane
):
    """The Allow check reads no statement (the memo of grants), yet a role that loses it
    refuses at once: the change publishes a new configuration version on commit."""
    support_client = login_admin_client(Client(), support_agent)
    _start_and_redeem(support_client, jane)  # the memo holds Customer Support's grants
    started = start(support_client, jane)  # a link minted while Allow was held
    version = config.current_version()

    _take_allow_from_support()

    assert config.current_version() != version  # published for every process
    browser = Client()
    assert redeem(browser, started).status_code != 302
    assert start(support_client, jane).status_code == 403
    assert SESSION_ID_KEY not in session_of(browser)
    unused = AssistedSession.objects.filter(admin=support_agent, started_at__isnull=True)
    assert unused.count() == 1 and unused.get().ended_at is not None  # the link died too


def test_allow_as_a_user_permission_counts_and_taking_it_away_refuses(
    chain_heads, desk_agent, jane
):
    """Allow held as the user's own permission (not through a role) is honoured as Django's
    ModelBackend honours it, and taking it away refuses the next start at once."""
    allow = Permission.objects.get(codename=ALLOW)
    desk_agent.user_permissions.add(allow)
    desk_client = login_admin_client(Client(), desk_agent)
    browser = _start_and_redeem(desk_client, jane)
    assert SESSION_ID_KEY in session_of(browser)

    desk_agent.user_permissions.remove(allow)

    sessions = AssistedSession.objects.count()
    assert start(desk_client, jane).status_code == 403
    assert AssistedSession.objects.count() == sessions
