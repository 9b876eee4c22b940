"""The default journal (journal.OwnJournal): a host without a log of its own gets the feature's
events in the feature's table, named as they were, refusals kept through a rollback."""

import pytest
from django.contrib.auth import get_user_model

from login_as_customer import events
from login_as_customer.errors import DenialCode
from login_as_customer.journal import Outcome, atomic_keeping_refusals
from login_as_customer.models import AssistedAction, AssistedSession, EndReason
from shopassist.audit.models import ActionLogEntry


@pytest.fixture
def own_journal(settings):
    settings.LOGIN_AS_CUSTOMER = {}  # the default host, and so the default journal


@pytest.fixture
def agent(db):
    return get_user_model().objects.create_user("agent", "agent@example.com", "x", is_staff=True)


def _deny(agent):
    events.denied(
        stage="start",
        staff=agent,
        customer_id=7,
        code=DenialCode.CONSENT_MISSING,
        channel="web",
        ip_address="10.0.0.1",
    )


def test_a_refusal_is_written_with_who_and_why(own_journal, agent):
    _deny(agent)
    action = AssistedAction.objects.get()
    assert (action.action, action.outcome, action.channel) == ("start_denied", "denied", "web")
    assert (action.admin_id, action.admin_username) == (agent.pk, "agent")
    assert action.details == {"code": "login_as_customer.consent_missing", "customer_id": 7}
    assert action.ip_address == "10.0.0.1"
    assert not ActionLogEntry.objects.exists()  # ShopAssist's log is not this host's


def test_a_refusal_survives_the_rollback_of_the_refused_work(own_journal, agent):
    with pytest.raises(RuntimeError), atomic_keeping_refusals():
        _deny(agent)
        assert not AssistedAction.objects.exists()  # queued until the transaction is over
        raise RuntimeError("the refused work rolls back")
    assert AssistedAction.objects.get().action == "start_denied"


def test_a_sessions_events_name_it_as_it_was(own_journal, agent):
    session = AssistedSession.objects.create(
        admin=agent,
        admin_username="agent-then",
        customer_email="jane@example.com",
        customer_name="Jane Doe",
        store_view_code="default",
        website_name="Main Website",
    )
    events.ended(session, reason=EndReason.CLOSED_BY_ADMIN)
    action = AssistedAction.objects.get()
    assert action.assisted_session == session
    assert (action.action, action.outcome) == ("end", Outcome.SUCCESS)
    assert action.admin_username == "agent-then"  # the session's record, not today's name
    assert (action.customer_id, action.customer_email) == (None, "jane@example.com")
    assert action.store_view_code == "default"
    assert (action.target_type, action.target_id) == (
        "login_as_customer.assistedsession",
        str(session.pk),
    )
    assert action.details == {"reason": "closed_by_admin"}
