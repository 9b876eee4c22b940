"""A start closes the administrator's own login links that expired unused (a minute's grace
after their lifetime), found by one statement written once; other administrators' links and
links still within their grace stay as they are."""

from datetime import timedelta

import pytest
import time_machine

from login_as_customer.models import AssistedSession, EndReason, LoginToken
from tests.login_as_customer.assisted import start

pytestmark = pytest.mark.django_db


def _link(admin_client, customer) -> tuple[AssistedSession, LoginToken]:
    assert start(admin_client, customer).status_code == 200
    session = AssistedSession.objects.latest("pk")
    return session, LoginToken.objects.get(assisted_session=session)


def test_a_start_closes_the_admins_own_links_that_expired_unused(
    support_client, administrator, admin_client_for, jane, marie
):
    own, own_token = _link(support_client, jane)
    others, _token = _link(admin_client_for(administrator), marie)

    with time_machine.travel(own_token.expires_at + timedelta(seconds=59), tick=False):
        _link(support_client, marie)  # within the grace: the first link stays open
    own.refresh_from_db()
    assert own.ended_at is None

    with time_machine.travel(own_token.expires_at + timedelta(minutes=2), tick=False):
        _link(support_client, marie)

    own.refresh_from_db()
    others.refresh_from_db()
    assert own.end_reason == EndReason.NEVER_REDEEMED
    assert own.ended_at == own_token.expires_at and own.started_at is None
    assert others.ended_at is None  # another administrator's link: not this start's to close
