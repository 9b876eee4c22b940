"""One way of recording an assisted write, web and API (flows/assisted_write.py): the change and
its "request" entry commit together; a refused write is recorded with its status after its
rollback; another error leaves neither; refusals come after the write's own entry; a session
that ended after its request was checked runs no write (the API's:
tests/api/test_login_as_customer.py), and an ending that comes
during a write waits for it (PostgreSQL, two connections)."""

import threading
import time
from contextlib import nullcontext

import pytest
from django.db import connection

from login_as_customer.flows import live_check
from login_as_customer.flows.assisted_write import SessionEnded, Write, recorded_write
from login_as_customer.flows.end import end_session
from login_as_customer.journal import journal
from login_as_customer.models import AssistedSession, EndReason
from shopassist.audit.models import ActionGroup, ActionLogEntry
from shopassist.audit.writer import record_refusal
from shopassist.customers.models import Customer
from tests.login_as_customer.assisted import start_assisted

pytestmark = pytest.mark.django_db


class Refused(Exception):
    pass


def status_of_refusal(error):
    return 403 if isinstance(error, Refused) else None


def entries_after(last_id):
    return list(ActionLogEntry.objects.filter(pk__gt=last_id).order_by("pk"))


@pytest.fixture
def session(support_client, jane):
    _browser, session = start_assisted(support_client, jane)
    return session


@pytest.fixture
def last_id(session):
    return ActionLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def change_name(customer, name):
    Customer.objects.filter(pk=customer.pk).update(first_name=name)


def test_a_write_and_its_entry_commit_together(session, jane, last_id):
    write = Write(view_name="before", method="POST", ip_address="192.0.2.7")

    with recorded_write(session, write) as recorded:
        change_name(jane, "Janet")
        recorded.view_name, recorded.status_code = "customers:account_edit", 302

    [entry] = entries_after(last_id)
    assert (entry.action, entry.outcome, entry.ip_address) == ("request", "success", "192.0.2.7")
    assert entry.details["view"] == "customers:account_edit"
    assert entry.details["status"] == 302
    assert Customer.objects.get(pk=jane.pk).first_name == "Janet"


def test_a_refused_write_is_rolled_back_and_recorded_with_its_status(session, jane, last_id):
    with (
        pytest.raises(Refused),
        recorded_write(
            session,
            Write(view_name="api:cart", method="POST", channel="api"),
            status_of_refusal=status_of_refusal,
        ),
    ):
        change_name(jane, "Janet")
        raise Refused

    [entry] = entries_after(last_id)
    assert (entry.outcome, entry.channel, entry.details["status"]) == ("denied", "api", 403)
    assert Customer.objects.get(pk=jane.pk).first_name == "Jane"


def test_an_error_that_is_no_refusal_leaves_no_entry_and_no_change(session, jane, last_id):
    with (
        pytest.raises(ZeroDivisionError),
        recorded_write(
            session, Write(view_name="x", method="POST"), status_of_refusal=status_of_refusal
        ),
    ):
        change_name(jane, "Janet")
        1 / 0  # noqa: B018

    assert entries_after(last_id) == []
    assert Customer.objects.get(pk=jane.pk).first_name == "Jane"


@pytest.mark.parametrize("refused", [False, True])
def test_refusals_recorded_during_the_write_come_after_its_entry(session, jane, last_id, refused):
    with (
        pytest.raises(Refused) if refused else nullcontext(),
        recorded_write(
            session, Write(view_name="x", method="POST"), status_of_refusal=status_of_refusal
        ),
    ):
        record_refusal(action_group=ActionGroup.LOGIN_AS_CUSTOMER, action="probe.refused")
        if refused:
            raise Refused

    assert [entry.action for entry in entries_after(last_id)] == ["request", "probe.refused"]


# --- A session that ends between its request's check and the write ---------------------------


@pytest.fixture
def ended_after_the_check(monkeypatch):
    """The session is terminated right after a request's live check passed (another
    administrator's Terminate, committed while this request goes on to its write)."""
    touch = live_check.touch

    def check_passed_then_terminated(session, **kwargs):
        touch(session, **kwargs)
        end_session(AssistedSession.objects.get(pk=session.pk), EndReason.TERMINATED)

    monkeypatch.setattr(live_check, "touch", check_passed_then_terminated)


def test_a_write_of_an_ended_session_does_not_run(session, jane, last_id):
    end_session(session, EndReason.TERMINATED)

    with pytest.raises(SessionEnded), recorded_write(session, Write(view_name="x", method="POST")):
        change_name(jane, "Janet")

    assert Customer.objects.get(pk=jane.pk).first_name == "Jane"
    assert [entry.action for entry in entries_after(last_id)] == ["end"]


def test_a_storefront_write_after_the_session_ended_does_not_run(
    support_client, jane, ended_after_the_check
):
    browser, session = start_assisted(support_client, jane)
    last_id = ActionLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first()

    response = browser.post(
        "/en/customer/account/edit/",
        {"first_name": "Janet", "last_name": "Doe", "email": jane.email},
        follow=True,
    )

    assert "The assisted session has ended." in response.content.decode()
    assert b'data-testid="lac-banner"' not in response.content
    assert Customer.objects.get(pk=jane.pk).first_name == "Jane"
    assert [entry.action for entry in entries_after(last_id)] == ["end"]
    assert AssistedSession.objects.get(pk=session.pk).end_reason == EndReason.TERMINATED


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="two connections at once: PostgreSQL's row lock"
)
@pytest.mark.django_db(transaction=True)
def test_an_ending_during_a_write_waits_for_it_and_counts_its_entry(support_client, jane):
    _browser, session = start_assisted(support_client, jane)
    writing, ended = threading.Event(), threading.Event()

    def terminate_meanwhile():
        try:
            writing.wait(5)
            end_session(AssistedSession.objects.get(pk=session.pk), EndReason.TERMINATED)
            ended.set()
        finally:
            connection.close()

    other = threading.Thread(target=terminate_meanwhile)
    other.start()
    with recorded_write(session, Write(view_name="customers:account_edit", method="POST")):
        change_name(jane, "Janet")
        writing.set()
        time.sleep(0.5)
        ended_during_the_write = ended.is_set()
    other.join(10)

    assert not ended_during_the_write and ended.is_set()
    assert Customer.objects.get(pk=jane.pk).first_name == "Janet"
    ended_session = AssistedSession.objects.get(pk=session.pk)
    assert ended_session.end_reason == EndReason.TERMINATED
    # The count kept at the end is the journal's after the write: its entry is in it.
    assert ended_session.action_count == journal().event_count(session.pk)
    assert ActionLogEntry.objects.filter(assisted_session_id=session.pk, action="request").exists()
