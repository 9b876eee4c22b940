"""One way of recording an assisted write, web and API (flows/assisted_write.py): the change and
its "request" entry commit together; a refused write is recorded with its status after its
rollback; another error leaves neither; refusals come after the write's own entry; a write whose
session ended after its request was checked is rolled back (the API's:
tests/api/test_login_as_customer.py), also when the ending commits during the write
(PostgreSQL, two connections), and a view-only refusal then signs the tab out."""

import threading
from contextlib import nullcontext

import pytest
from django.db import connection

from login_as_customer.flows.assisted_write import SessionEnded, Write, recorded_write
from login_as_customer.flows.consent import set_consent
from login_as_customer.flows.end import end_session
from login_as_customer.host import host
from login_as_customer.journal import journal
from login_as_customer.models import AssistedSession, EndReason
from shopassist.audit.models import ActionGroup, ActionLogEntry
from shopassist.audit.writer import record, record_refusal
from shopassist.core.actor import Actor
from shopassist.customers.models import Customer
from tests.login_as_customer.assisted import start_assisted, terminate_after_the_check

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
def trainee_client(trainee, admin_client_for):
    return admin_client_for(trainee)


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
    terminate_after_the_check(monkeypatch)


def test_a_write_of_an_ended_session_does_not_run(session, jane, last_id):
    end_session(session, EndReason.TERMINATED)

    with pytest.raises(SessionEnded), recorded_write(session, Write(view_name="x", method="POST")):
        change_name(jane, "Janet")

    assert Customer.objects.get(pk=jane.pk).first_name == "Jane"
    assert [entry.action for entry in entries_after(last_id)] == ["end"]


def test_on_a_host_whose_writes_mail_or_pay_the_write_commits(session, jane, monkeypatch):
    """Rolled back after a payment or a confirmation mail, it would leave them without an
    order (django-oscar): such a host keeps the race instead (Host.writes_are_transactional)."""
    monkeypatch.setattr(host(), "writes_are_transactional", False)
    end_session(session, EndReason.TERMINATED)

    with recorded_write(session, Write(view_name="x", method="POST")):
        change_name(jane, "Janet")

    assert Customer.objects.get(pk=jane.pk).first_name == "Janet"


@pytest.mark.parametrize(
    ("staff_client", "entries"),
    [
        ("support_client", ["end"]),
        # A refusal outlives the rollback of what it refused (audit/writer.record_refusal).
        ("trainee_client", ["end", "view_only_refused"]),
    ],
)
def test_a_storefront_write_after_the_session_ended_does_not_run(
    request, staff_client, entries, jane, ended_after_the_check
):
    """A full session's write is rolled back; a view-only session's refusal is not shown as
    one of a live session (no banner): both tabs are signed out."""
    browser, session = start_assisted(request.getfixturevalue(staff_client), jane)
    last_id = ActionLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first()

    response = browser.post(
        "/en/customer/account/edit/",
        {"first_name": "Janet", "last_name": "Doe", "email": jane.email},
        follow=True,
    )

    assert "The assisted session has ended." in response.content.decode()
    assert b'data-testid="lac-banner"' not in response.content
    assert Customer.objects.get(pk=jane.pk).first_name == "Jane"
    assert [entry.action for entry in entries_after(last_id)] == entries
    assert AssistedSession.objects.get(pk=session.pk).end_reason == EndReason.TERMINATED


# Two transactions at once, on two connections.
racing_on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two transactions at once on two connections: the SQLite test database serialises "
    "writers on one file lock, so the ending would wait instead of racing the write",
)


def meanwhile(action):
    """Run ``action`` on another connection once the write has begun (``writing.set()``);
    returns the thread (started), ``writing``, ``done`` (set when ``action`` returned) and the
    errors it raised."""
    writing, done, errors = threading.Event(), threading.Event(), []

    def run():
        try:
            writing.wait(5)
            action()
            done.set()
        except Exception as error:  # noqa: BLE001 - the test's assertion names it
            errors.append(error)
        finally:
            connection.close()

    other = threading.Thread(target=run)
    other.start()
    return other, writing, done, errors


@racing_on_postgresql
@pytest.mark.django_db(transaction=True)
def test_an_ending_committed_during_a_write_rolls_it_back(support_client, jane):
    _browser, session = start_assisted(support_client, jane)
    other, writing, ended, errors = meanwhile(
        lambda: end_session(AssistedSession.objects.get(pk=session.pk), EndReason.TERMINATED)
    )
    with (
        pytest.raises(SessionEnded),
        recorded_write(session, Write(view_name="customers:account_edit", method="POST")),
    ):
        change_name(jane, "Janet")
        writing.set()
        assert ended.wait(5), "the ending waited for the write: the locks of the two crossed"
    other.join(5)

    assert errors == []
    assert Customer.objects.get(pk=jane.pk).first_name == "Jane"
    ended_session = AssistedSession.objects.get(pk=session.pk)
    assert ended_session.end_reason == EndReason.TERMINATED
    assert ended_session.action_count == journal().event_count(session.pk)
    assert not ActionLogEntry.objects.filter(
        assisted_session_id=session.pk, action="request"
    ).exists()


@racing_on_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_customer_withdrawing_consent_during_a_write_deadlocks_nothing(support_client, jane):
    """The withdrawal locks the consent row and writes its entry before it ends the session; a
    write that held the session's row from its start deadlocked it (found by review)."""
    _browser, session = start_assisted(support_client, jane)
    other, writing, _withdrawn, errors = meanwhile(
        lambda: set_consent(customer=jane, allowed=False, actor=Actor(customer=jane))
    )
    try:
        with recorded_write(session, Write(view_name="customers:account_edit", method="POST")):
            change_name(jane, "Janet")
            writing.set()
            other.join(2)
            # An entry on the customer's chain of the log, which the withdrawal's own entry
            # holds by now (a session's chain may be the same one: ids modulo 16).
            record(action_group=ActionGroup.LOGIN_AS_CUSTOMER, action="probe.write", customer=jane)
        rolled_back = False
    except SessionEnded:
        rolled_back = True
    other.join(5)

    assert errors == []
    ended = AssistedSession.objects.get(pk=session.pk)
    assert ended.end_reason == EndReason.CONSENT_REVOKED
    # Ended first, the write was rolled back; else it committed before the ending.
    name = Customer.objects.get(pk=jane.pk).first_name
    assert name == ("Jane" if rolled_back else "Janet")
    assert ended.action_count == journal().event_count(session.pk)
