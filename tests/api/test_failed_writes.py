"""A state-changing call of an assisted token that an error of ours ends (a 500) is recorded:
its write rolled back, its "request" entry failed with status 500 — before, the log said
nothing of it, although every other call the administrator made is there."""

import pytest
from django.db import DatabaseError

from shopassist.api.endpoints import customers as customer_endpoints
from shopassist.audit.models import ActionLogEntry
from shopassist.customers.models import Customer

pytestmark = pytest.mark.django_db


def _requests():
    return list(ActionLogEntry.objects.filter(action="request").order_by("chain", "seq"))


@pytest.fixture
def failing_update(monkeypatch):
    """The account's update saves the name, then fails as a bug of ours would."""
    update = customer_endpoints._update_account

    def update_then_fail(caller, body):
        update(caller, body)
        raise RuntimeError("a bug after the save")

    monkeypatch.setattr(customer_endpoints, "_update_account", update_then_fail)


def test_a_failed_write_of_an_assisted_token_is_recorded_and_rolled_back(
    api, jane, assisted_jane_token, failing_update
):
    api.client.raise_request_exception = False
    before = len(_requests())

    response = api.patch("/customers/me", {"first_name": "Janet"}, token=assisted_jane_token)

    assert response.status_code == 500
    assert Customer.objects.get(pk=jane.pk).first_name == "Jane"  # rolled back
    entries = _requests()
    assert len(entries) == before + 1
    entry = entries[-1]
    assert (entry.channel, entry.outcome) == ("api", "failed")
    assert entry.details["status"] == 500 and entry.details["method"] == "PATCH"


def test_the_customers_own_failed_write_writes_no_session_entry(
    api, jane, jane_token, failing_update
):
    api.client.raise_request_exception = False
    before = len(_requests())

    assert api.patch("/customers/me", {"first_name": "Janet"}, token=jane_token).status_code == 500

    assert len(_requests()) == before


def test_an_entry_that_cannot_be_written_does_not_hide_the_error(
    api, jane, assisted_jane_token, failing_update, monkeypatch
):
    """With the database failing, the original error reaches Django's handler, not the
    entry's."""
    from shopassist.api import recording

    def unwritable(*args, **kwargs):
        raise DatabaseError("the database went away")

    monkeypatch.setattr(recording, "_record_unrecorded", unwritable)

    with pytest.raises(RuntimeError, match="a bug after the save"):
        api.patch("/customers/me", {"first_name": "Janet"}, token=assisted_jane_token)
