"""What the administrator's tab is told when the assisted session has ended (found by the
screen review): the same "The assisted session has ended." whether the idle limit passed, the
customer withdrew their consent or another administrator terminated it. The reason now follows,
as the Log names it: the one this request found, or the one recorded by whoever ended it."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.messages import get_messages

from login_as_customer.flows.consent import set_consent
from login_as_customer.flows.end import terminate
from login_as_customer.models import EndReason
from shopassist.core.actor import Actor
from tests.login_as_customer.assisted import assert_ended, session_of, start_assisted

pytestmark = pytest.mark.django_db

IDLE = timedelta(minutes=15)  # the default idle timeout


def told(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_the_idle_limit_is_named(support_client, jane):
    tab, session = start_assisted(support_client, jane)

    with time_machine.travel(session.started_at + IDLE + timedelta(seconds=30), tick=False):
        response = tab.get("/en/customer/account/")

    assert response.status_code == 302
    assert_ended(session, EndReason.IDLE_TIMEOUT)
    assert "The assisted session has ended. Reason: Idle timeout." in told(response)


def test_the_customers_withdrawal_is_named(support_client, jane):
    tab, session = start_assisted(support_client, jane)
    set_consent(customer=jane, allowed=False, actor=Actor(customer=jane))  # ends it at once

    response = tab.get("/en/customer/account/")

    assert response.status_code == 302 and session_of(tab) == {}
    assert_ended(session, EndReason.CONSENT_REVOKED)
    assert "The assisted session has ended. Reason: Consent revoked or expired." in told(response)


def test_a_termination_is_named(support_client, administrator, jane):
    tab, session = start_assisted(support_client, jane)
    terminate(session, by=administrator, ip_address="127.0.0.1")

    response = tab.get("/en/customer/account/")

    assert_ended(session, EndReason.TERMINATED)
    assert "The assisted session has ended. Reason: Terminated by an administrator." in told(
        response
    )
