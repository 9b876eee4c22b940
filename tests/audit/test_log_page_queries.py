"""Issue 15 point 5: the first page of each audit list costs the same statements whether it
shows one row or fifty (no query per row: action counts, store view names, end reasons and
links come with the page, not with each row)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from login_as_customer.models import AssistedSession, EndReason
from login_as_customer.overdue import end_overdue_sessions
from shopassist.audit.models import ActionGroup, Channel
from shopassist.audit.writer import record
from tests.audit.helpers import table

pytestmark = pytest.mark.django_db

LOG = reverse("admin:login_as_customer_log")
REPORT = reverse("admin:audit_report")


def statements_and_rows(client, url) -> tuple[int, int]:
    client.get(url)  # per-process memos (store views, grants) filled before counting
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    _header, *rows = table(response, id="result_list")
    return len(queries), len(rows)


def ended_sessions(staff, count: int, *, store_view_code: str) -> None:
    """``count`` ended sessions with two action log entries each."""
    now = timezone.now()
    for number in range(count):
        session = AssistedSession.objects.create(
            admin=staff,
            admin_username=staff.username,
            customer_email=f"row{number}@example.com",
            customer_name="Row",
            store_view_code=store_view_code,
            website_name="Main Website",
            created_at=now,
            started_at=now - timedelta(minutes=5),
            ended_at=now,
            end_reason=EndReason.CLOSED_BY_ADMIN,
        )
        for action in ("start", "end"):
            record(
                action_group=ActionGroup.LOGIN_AS_CUSTOMER,
                action=action,
                admin=staff,
                store_view_code=store_view_code,
                assisted_session_id=session.pk,
            )


def test_the_log_page_costs_the_same_statements_for_one_row_and_fifty(
    auditor_client, support_agent, administrator
):
    ended_sessions(support_agent, 1, store_view_code="en")
    one = statements_and_rows(auditor_client, LOG)

    ended_sessions(administrator, 49, store_view_code="fr")
    fifty = statements_and_rows(auditor_client, LOG)

    assert (one[1], fifty[1]) == (1, 50)
    assert fifty[0] == one[0]
    page = auditor_client.get(LOG).content.decode()
    assert page.count("<td>Français</td>") == 49
    assert page.count("<td>Closed by the administrator</td><td>2</td></tr>") == 50


def test_the_report_page_costs_the_same_statements_for_one_row_and_fifty(auditor_client, demo):
    record(action_group=ActionGroup.SYSTEM, action="test.row0", channel=Channel.SYSTEM)
    one = statements_and_rows(auditor_client, f"{REPORT}?action_group=system")

    for number in range(1, 50):
        record(
            action_group=ActionGroup.SYSTEM,
            action=f"test.row{number}",
            channel=Channel.API,
            store_view_code="ko",
            details={"row": number},
        )
    fifty = statements_and_rows(auditor_client, f"{REPORT}?action_group=system")

    assert (one[1], fifty[1]) == (1, 50)
    assert fifty[0] == one[0]
    page = auditor_client.get(f"{REPORT}?action_group=system").content.decode()
    assert page.count("<td>System</td>") == 51  # the group of every row, the channel of one
    assert page.count("<td>한국어</td>") == 49


def test_the_log_pages_sweep_is_one_statement_when_nothing_is_due(support_agent):
    """The Log sweeps overdue sessions and unused links before it lists (issue 13); when
    nothing is due, one query on the live sessions says so (no transaction, no second look)."""
    ended_sessions(support_agent, 3, store_view_code="en")
    end_overdue_sessions()  # the configuration (the limits) read once per process

    with CaptureQueriesContext(connection) as queries:
        ended = end_overdue_sessions()

    assert ended == 0
    assert len(queries) == 1
    assert "ended_at" in queries[0]["sql"] and "expires_at" in queries[0]["sql"]
