"""Who terminated an assisted session (found by review): administrator B ends support agent A's
session from Active sessions. The "terminate" entry's actor, which the Report filters on and
the SIEM stream sends as ``user.name``, was A, whose session it was; B was only in the entry's
details, which the stream leaves out. Now B is the actor and A is in the details."""

import json
import logging

import pytest
from django.urls import reverse

from login_as_customer import audit_stream
from shopassist.audit.models import ActionLogEntry
from tests.login_as_customer.assisted import start_assisted

pytestmark = pytest.mark.django_db


def test_a_termination_is_attributed_to_the_administrator_who_terminated(
    caplog, administrator, support_agent, admin_client_for, jane, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.INFO, logger=audit_stream.LOGGER_NAME)
    _browser, session = start_assisted(admin_client_for(support_agent), jane)
    boss = admin_client_for(administrator)
    with django_capture_on_commit_callbacks(execute=True):
        response = boss.post(reverse("admin:login_as_customer_terminate", args=[session.pk]))
    assert response.status_code == 302

    entry = ActionLogEntry.objects.get(action="terminate", assisted_session_id=session.pk)
    assert (entry.admin_id, entry.admin_username) == (administrator.pk, administrator.username)
    assert entry.details["session_admin_id"] == support_agent.pk
    assert entry.details["session_admin"] == support_agent.username
    assert entry.details["terminated_by"] == administrator.username
    streamed = [
        json.loads(record.getMessage())
        for record in caplog.records
        if record.name == audit_stream.LOGGER_NAME
    ]
    [terminate] = [line for line in streamed if line["event"]["action"] == "terminate"]
    assert terminate["user"]["name"] == administrator.username
    # The session's other entries stay the agent's.
    start = ActionLogEntry.objects.get(action="start", assisted_session_id=session.pk)
    assert start.admin_username == support_agent.username
    report = boss.get(reverse("admin:audit_report"), {"admin_username": administrator.username})
    assert b'data-action="terminate"' in report.content
