"""The audit stream for a SIEM: each action log entry, once committed, is one JSON line with
ECS field names through the logger ``login_as_customer.audit`` (login_as_customer/audit_stream.py,
fed by lac_host/audit_stream.py)."""

import json
import logging

import pytest
from django.db import transaction

from login_as_customer import audit_stream
from shopassist.audit import writer
from shopassist.audit.models import ActionGroup, ActionLogEntry, Outcome
from tests.login_as_customer.assisted import start_assisted

pytestmark = pytest.mark.django_db


@pytest.fixture
def stream(caplog):
    caplog.set_level(logging.INFO, logger=audit_stream.LOGGER_NAME)

    def lines():
        return [
            json.loads(r.getMessage()) for r in caplog.records if r.name == audit_stream.LOGGER_NAME
        ]

    return lines


def test_an_entry_goes_out_as_one_ecs_line_once_committed(
    stream, jane, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        entry = writer.record(
            action_group=ActionGroup.LOGIN_AS_CUSTOMER,
            action="start",
            admin_id=7,
            admin_username="support",
            customer=jane,
            assisted_session_id=42,
            ip_address="10.0.0.5",
            user_agent="Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0",
        )
        assert stream() == []  # nothing before the commit

    [document] = stream()
    assert document["@timestamp"] == entry.created_at.isoformat(timespec="microseconds")
    assert document["event"]["action"] == "start"
    assert document["event"]["outcome"] == "success"
    assert document["event"]["category"] == ["login_as_customer"]
    assert document["user"] == {"name": "support", "target": {"email": "jane.doe@example.com"}}
    assert document["client"] == {"ip": "10.0.0.5"}
    assert document["user_agent"]["original"].startswith("Mozilla/5.0")
    assert document["login_as_customer"]["session"] == {"id": 42}
    assert document["login_as_customer"]["chain"] == {"hash": entry.entry_hash}


def test_an_entry_of_a_transaction_that_rolls_back_never_goes_out(
    stream, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        writer.record(action_group=ActionGroup.ADMIN, action="test.rolled_back")
        raise RuntimeError

    assert not ActionLogEntry.objects.filter(action="test.rolled_back").exists()
    assert stream() == []


def test_a_refusal_goes_out_although_the_refused_work_rolls_back(
    stream, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        writer.atomic_keeping_refusals(),
    ):
        writer.record_refusal(
            action_group=ActionGroup.LOGIN_AS_CUSTOMER,
            action="start_denied",
            outcome=Outcome.DENIED,
            admin_username="clerk",
        )
        raise RuntimeError

    [document] = stream()
    assert document["event"]["outcome"] == "failure"
    assert document["login_as_customer"]["outcome"] == "denied"
    assert document["user"]["name"] == "clerk"


def test_a_whole_assisted_session_is_in_the_stream(
    stream, support_client, jane, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        browser, session = start_assisted(support_client, jane)
        browser.post("/en/checkout/cart/add/", {"sku": "SA-BAG-001", "qty": "1"})

    of_session = [
        d for d in stream() if d.get("login_as_customer", {}).get("session") == {"id": session.pk}
    ]
    actions = [d["event"]["action"] for d in of_session]
    assert actions[:2] == ["start", "redeem"] and "cart.add" in actions
    stored = dict(
        ActionLogEntry.objects.filter(assisted_session_id=session.pk).values_list(
            "seq", "entry_hash"
        )
    )
    assert {d["login_as_customer"]["chain"]["hash"] for d in of_session} == set(stored.values())


def test_nothing_is_built_when_nobody_listens(django_capture_on_commit_callbacks):
    assert not audit_stream.enabled()  # Django's default logging: INFO not enabled
    with django_capture_on_commit_callbacks() as callbacks:
        writer.record(action_group=ActionGroup.ADMIN, action="test.unheard")
    assert callbacks == []


def test_shopassist_audit_stream_writes_the_lines_to_a_file(tmp_path):
    """The deployment's switch (docs/deploy.md): SHOPASSIST_AUDIT_STREAM=<path>."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    stream_file = tmp_path / "audit.jsonl"
    script = (
        "import django; django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('migrate', verbosity=0)\n"
        "from shopassist.audit import writer\n"
        "writer.record(action_group='admin', action='test.to_file', admin_username='ops')\n"
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "LOG_LEVEL")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="shopassist.settings",
        SHOPASSIST_VAR_DIR=str(tmp_path),
        SHOPASSIST_AUDIT_STREAM=str(stream_file),
    )
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", script], cwd=root, env=env, check=True)  # noqa: S603

    [line] = stream_file.read_text().splitlines()
    document = json.loads(line)
    assert (document["event"]["action"], document["user"]["name"]) == ("test.to_file", "ops")
    assert len(document["login_as_customer"]["chain"]["hash"]) == 64
