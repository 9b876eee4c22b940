"""Asking about a token is not using it: introspection moved an assisted session's idle clock
(a client polling it kept the session from its idle timeout) and a token's last use."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from login_as_customer import config as lac_config
from login_as_customer.models import AssistedSession, EndReason
from shopassist.api.auth import LAST_USED_GRANULARITY
from shopassist.api.models import ApiToken, TokenKind

pytestmark = pytest.mark.django_db


def test_polling_introspection_does_not_keep_an_assisted_session_alive(
    api, jane, assisted_jane_token
):
    idle = timedelta(minutes=lac_config.setting(lac_config.IDLE_TIMEOUT))
    started = timezone.now()
    seen = AssistedSession.objects.get().last_seen_at

    # Asked about every third of the idle timeout, the session is never used meanwhile.
    for step in (1, 2):
        with time_machine.travel(started + step * idle / 3):
            body = api.get("/token/introspect", token=assisted_jane_token).json()
            assert body["active"] is True
    assert AssistedSession.objects.get().last_seen_at == seen

    with time_machine.travel(started + idle + timedelta(seconds=5)):
        response = api.get("/customers/me", token=assisted_jane_token)
        introspected = api.get("/token/introspect", token=assisted_jane_token).json()
    assert response.status_code == 401
    assert introspected == {"active": False}
    assert AssistedSession.objects.get().end_reason == EndReason.IDLE_TIMEOUT


def test_a_call_still_moves_the_idle_clock(api, jane, assisted_jane_token):
    idle = timedelta(minutes=lac_config.setting(lac_config.IDLE_TIMEOUT))
    started = timezone.now()

    with time_machine.travel(started + idle * 2 / 3):
        assert api.get("/customers/me", token=assisted_jane_token).status_code == 200
    with time_machine.travel(started + idle + timedelta(seconds=5)):
        assert api.get("/customers/me", token=assisted_jane_token).status_code == 200
    assert AssistedSession.objects.get().ended_at is None


def test_introspection_is_not_a_customer_tokens_last_use(api, jane, jane_token):
    token = ApiToken.objects.get(kind=TokenKind.CUSTOMER)
    used = token.last_used_at

    later = timezone.now() + LAST_USED_GRANULARITY + timedelta(minutes=1)
    with time_machine.travel(later):
        assert api.get("/token/introspect", token=jane_token).json()["active"] is True
    assert ApiToken.objects.get(pk=token.pk).last_used_at == used

    with time_machine.travel(later):
        assert api.get("/customers/me", token=jane_token).status_code == 200
    assert ApiToken.objects.get(pk=token.pk).last_used_at != used  # a call is its use
