"""The token exchange: the web flow's checks, record, log entries and ending rules."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.utils import timezone

from login_as_customer import config as lac_config
from login_as_customer.flows.consent import set_consent
from login_as_customer.flows.end import end_session
from login_as_customer.models import AssistanceConsent, AssistedSession, EndReason
from login_as_customer.selectors import consent_is_valid
from shopassist.api.models import ApiToken, TokenKind
from shopassist.audit.models import ActionLogEntry
from shopassist.core.actor import Actor
from tests.api.conftest import admin_token_for, assisted_token_for
from tests.login_as_customer.assisted import lac_snapshot, terminate_after_the_check

pytestmark = pytest.mark.django_db

EXCHANGE = "/login-as-customer/token"


def _entries(**filters):
    return list(ActionLogEntry.objects.filter(**filters).order_by("chain", "seq"))


def test_the_exchange_answers_in_the_rfc_8693_shape(api, support_token, support_agent, jane):
    response = api.post(
        EXCHANGE, {"customer_id": jane.pk, "reason": "ticket 42"}, token=support_token
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["issued_token_type"] == "urn:ietf:params:oauth:token-type:access_token"
    assert body["token_type"] == "Bearer"
    max_minutes = lac_config.setting(lac_config.MAX_DURATION)
    assert max_minutes * 60 - 5 <= body["expires_in"] <= max_minutes * 60
    session = AssistedSession.objects.get()
    assert (session.admin, session.customer, session.reason) == (support_agent, jane, "ticket 42")
    assert session.started_at is not None and session.ended_at is None
    token = ApiToken.objects.get(kind=TokenKind.ASSISTED)
    assert token.assisted_session == session and token.expires_at == session.expires_at
    assert session.token.used_at is not None  # the one-time login token was consumed
    actions = [(e.action, e.channel) for e in _entries(assisted_session_id=session.pk)]
    assert ("start", "api") in actions and ("redeem", "api") in actions


def test_introspection_names_the_administrator_as_actor(
    api, support_agent, jane, assisted_jane_token
):
    body = api.get("/token/introspect", token=assisted_jane_token).json()
    assert body["active"] is True
    assert body["sub"] == str(jane.pk) and body["scope"] == "assisted"
    assert body["act"] == {"sub": str(support_agent.pk), "username": "support"}


def test_a_customer_can_be_chosen_by_email(api, support_token, jane):
    response = api.post(EXCHANGE, {"email": "JANE.DOE@example.com"}, token=support_token)
    assert response.status_code == 200
    assert AssistedSession.objects.get().customer == jane


def _assert_refused(api, token, body, status, code):
    before = lac_snapshot()
    tokens_before = ApiToken.objects.filter(kind=TokenKind.ASSISTED).count()
    response = api.post(EXCHANGE, body, token=token)
    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    assert lac_snapshot() == before
    assert ApiToken.objects.filter(kind=TokenKind.ASSISTED).count() == tokens_before
    return response


def test_no_consent_is_refused_and_logged(api, support_token, chen):
    _assert_refused(
        api, support_token, {"customer_id": chen.pk}, 403, "login_as_customer.consent_missing"
    )
    denial = _entries(action="start_denied")[-1]
    assert denial.channel == "api" and denial.details["customer_id"] == chen.pk


def test_staff_without_the_permission_are_refused(api, clerk, jane):
    token = admin_token_for(api, "clerk")
    _assert_refused(
        api, token, {"customer_id": jane.pk}, 403, "login_as_customer.permission_missing"
    )


def test_a_disabled_feature_refuses(api, support_token, jane, set_config):
    set_config({lac_config.ENABLED: "0"})
    _assert_refused(
        api, support_token, {"customer_id": jane.pk}, 403, "login_as_customer.feature_disabled"
    )


def test_staff_accounts_are_never_targets(api, support_token, jane):
    User.objects.create_user("jane-staff", email=jane.email, is_staff=True)
    _assert_refused(
        api, support_token, {"customer_id": jane.pk}, 403, "login_as_customer.target_is_staff"
    )


def test_a_required_reason_must_be_given(api, support_token, jane, set_config):
    set_config({lac_config.REQUIRE_REASON: "1"})
    _assert_refused(
        api, support_token, {"customer_id": jane.pk}, 400, "login_as_customer.reason_required"
    )


def test_an_unknown_customer_is_refused(api, support_token):
    _assert_refused(
        api, support_token, {"customer_id": 999999}, 404, "login_as_customer.customer_missing"
    )
    _assert_refused(api, support_token, {}, 400, "request.invalid")


def test_manual_selection_uses_the_chosen_store_view_and_checks_the_website(
    api, support_token, jane, set_config
):
    set_config({lac_config.STORE_VIEW_LOGIN: lac_config.MANUAL_SELECTION})
    _assert_refused(
        api,
        support_token,
        {"customer_id": jane.pk, "store_view": "nowhere"},
        400,
        "request.unknown_store_view",
    )
    response = api.post(EXCHANGE, {"customer_id": jane.pk, "store_view": "fr"}, token=support_token)
    assert response.status_code == 200
    assert AssistedSession.objects.get().store_view_code == "fr"


def test_the_start_rate_limit_applies(api, support_token, jane, set_config):
    set_config({lac_config.START_RATE_LIMIT: "1"})
    # The limit counts per clock minute: both starts inside one.
    minute = timezone.now().replace(second=0, microsecond=0) + timedelta(minutes=1)
    with time_machine.travel(minute + timedelta(seconds=5), tick=True):
        assisted_token_for(api, support_token, jane)
        _assert_refused(
            api, support_token, {"customer_id": jane.pk}, 429, "login_as_customer.rate_limited"
        )


def test_revoked_consent_kills_the_token_at_once(api, jane, assisted_jane_token):
    assert api.get("/cart", token=assisted_jane_token).status_code == 200
    set_consent(customer=jane, allowed=False, actor=Actor(customer=jane))
    response = api.get("/cart", token=assisted_jane_token)
    assert response.status_code == 401
    assert response.json()["code"] == "login_as_customer.session_ended"
    assert AssistedSession.objects.get().end_reason == EndReason.CONSENT_REVOKED


def test_the_token_dies_with_the_sessions_maximum_duration(api, jane, assisted_jane_token):
    minutes = lac_config.setting(lac_config.MAX_DURATION)
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=minutes + 1)):
        response = api.get("/customers/me", token=assisted_jane_token)
    assert response.status_code == 401
    assert AssistedSession.objects.get().ended_at is not None


def test_the_token_dies_when_the_session_is_terminated(api, jane, assisted_jane_token):
    session = AssistedSession.objects.get()
    end_session(session, EndReason.TERMINATED)
    response = api.get("/customers/me", token=assisted_jane_token)
    assert response.status_code == 401
    assert response.json()["code"] == "login_as_customer.session_ended"


def test_the_token_dies_when_the_admin_loses_the_permission(
    api, support_agent, jane, assisted_jane_token
):
    support_agent.is_active = False
    support_agent.save()
    assert api.get("/customers/me", token=assisted_jane_token).status_code == 401
    assert AssistedSession.objects.get().ended_at is not None


def test_consent_cannot_be_changed_with_an_assisted_token(api, jane, assisted_jane_token):
    consent_before = list(AssistanceConsent.objects.filter(customer=jane).values())
    response = api.patch(
        "/customers/me", {"allow_remote_shopping_assistance": False}, token=assisted_jane_token
    )
    assert response.status_code == 403
    assert response.json()["code"] == "login_as_customer.consent_change_blocked"
    assert list(AssistanceConsent.objects.filter(customer=jane).values()) == consent_before
    blocked = _entries(action="consent.blocked")[-1]
    assert blocked.outcome == "denied" and blocked.channel == "api"
    assert AssistedSession.objects.get().ended_at is None


def test_a_write_of_a_session_that_ended_after_the_token_was_checked_does_not_run(
    api, jane, assisted_jane_token, monkeypatch
):
    """Another administrator's Terminate commits between the token's live check and the write
    (flows/assisted_write: the write is rolled back)."""
    terminate_after_the_check(monkeypatch)
    response = api.patch("/customers/me", {"first_name": "Janet"}, token=assisted_jane_token)

    assert response.status_code == 401
    assert response.json()["code"] == "login_as_customer.session_ended"
    jane.refresh_from_db()
    assert jane.first_name == "Jane"
    assert not _entries(action="account.update")
    assert AssistedSession.objects.get().end_reason == EndReason.TERMINATED


def test_a_name_change_with_an_assisted_token_is_logged(api, jane, assisted_jane_token):
    response = api.patch("/customers/me", {"first_name": "Janet"}, token=assisted_jane_token)
    assert response.status_code == 200 and response.json()["first_name"] == "Janet"
    jane.refresh_from_db()
    assert jane.first_name == "Janet"
    update = _entries(action="account.update")[-1]
    assert update.channel == "api" and update.details["changed"] == ["first_name"]


def test_the_customer_decides_consent_with_their_own_token(
    api, jane, jane_token, assisted_jane_token
):
    response = api.patch(
        "/customers/me", {"allow_remote_shopping_assistance": False}, token=jane_token
    )
    assert response.status_code == 200
    assert response.json()["allow_remote_shopping_assistance"] is False
    assert not consent_is_valid(jane)
    assert api.get("/cart", token=assisted_jane_token).status_code == 401
    response = api.patch(
        "/customers/me",
        {"allow_remote_shopping_assistance": True, "consent_duration": "7"},
        token=jane_token,
    )
    assert response.json()["allow_remote_shopping_assistance"] is True


def test_logout_with_an_assisted_token_ends_the_session(api, jane, assisted_jane_token):
    assert api.post("/auth/logout", token=assisted_jane_token).status_code == 204
    assert AssistedSession.objects.get().end_reason == EndReason.CLOSED_BY_ADMIN
    assert api.get("/customers/me", token=assisted_jane_token).status_code == 401
