"""One way of recording an assisted write, web and API (flows/assisted_write.py): the change and
its "request" entry commit together; a refused write is recorded with its status after its
rollback; another error leaves neither; refusals come after the write's own entry."""

from contextlib import nullcontext

import pytest

from login_as_customer.flows.assisted_write import Write, recorded_write
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
