"""API tokens die with what they stand for (issue 11, points 1 and 11): an administrator's
password change ends the assisted tokens they minted; logging out an administrator token
revokes the assisted tokens it minted and ends their sessions; introspection of a dead token
answers 200 ``{"active": false}`` (RFC 7662)."""

import pytest
import time_machine
from django.utils import timezone

from login_as_customer.models import AssistedSession, EndReason
from shopassist.api.models import ApiToken, TokenKind
from shopassist.audit.models import ActionLogEntry
from tests.api.conftest import (
    ApiClient,
    admin_token_for,
    assisted_token_for,
    customer_token_for,
)
from tests.conftest import use_own_cache_namespace

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Brand-New-Secret-7391"


@pytest.fixture(autouse=True)
def _own_cache_namespace(settings):
    """Start rate limits, lockouts and token throttles count in the shared cache."""
    use_own_cache_namespace(settings, "token-revocation")


@pytest.fixture
def api():
    return ApiClient()


@pytest.fixture
def support_token(api, support_agent):
    return admin_token_for(api, "support")


def token_row(raw) -> ApiToken:
    from login_as_customer.tokens import hash_token

    return ApiToken.objects.get(token_hash=hash_token(raw))


def end_entries(session) -> list[ActionLogEntry]:
    return list(ActionLogEntry.objects.filter(assisted_session_id=session.pk, action="end"))


def assert_ended_once(session, reason) -> None:
    session.refresh_from_db()
    assert session.ended_at is not None and session.end_reason == reason
    entries = end_entries(session)
    assert len(entries) == 1, entries
    assert entries[0].details["reason"] == reason


def assert_live(session) -> None:
    session.refresh_from_db()
    assert session.ended_at is None
    assert end_entries(session) == []


def assert_session_ended_answer(response) -> None:
    assert response.status_code == 401, response.content
    assert response.json()["code"] in ("login_as_customer.session_ended", "auth.token_invalid")


# --- Point 1: the administrator's password change ---------------------------------------------


def test_the_admins_password_change_ends_their_assisted_tokens_session(
    api, support_agent, support_token, jane
):
    assisted = assisted_token_for(api, support_token, jane)
    assert api.get("/customers/me", token=assisted).status_code == 200
    session = AssistedSession.objects.get()

    support_agent.set_password(NEW_PASSWORD)
    support_agent.save()

    assert_ended_once(session, EndReason.ADMIN_PASSWORD_CHANGED)
    response = api.get("/customers/me", token=assisted)
    assert response.status_code == 401
    assert response.json()["code"] == "login_as_customer.session_ended"
    # The admin's own token died with the old password (its credential hash).
    response = api.post("/login-as-customer/token", {"customer_id": jane.pk}, token=support_token)
    assert response.status_code == 401 and response.json()["code"] == "auth.token_invalid"
    assert_ended_once(session, EndReason.ADMIN_PASSWORD_CHANGED)  # still one end entry


def test_the_admins_password_change_through_the_admin_panel_ends_assisted_tokens(
    api, support_token, support_client, jane
):
    assisted = assisted_token_for(api, support_token, jane)
    session = AssistedSession.objects.get()

    response = support_client.post(
        "/admin/password_change/",
        {
            "old_password": "demo-support",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302, response.content[:800]
    assert_session_ended_answer(api.get("/cart", token=assisted))
    assert_ended_once(session, EndReason.ADMIN_PASSWORD_CHANGED)


def test_another_admins_password_change_leaves_the_token_alive(
    api, administrator, support_token, jane
):
    assisted = assisted_token_for(api, support_token, jane)
    session = AssistedSession.objects.get()

    administrator.set_password(NEW_PASSWORD)
    administrator.save()

    assert api.get("/customers/me", token=assisted).status_code == 200
    assert_live(session)


# --- Point 11: administrator token logout -----------------------------------------------------


def test_an_assisted_token_records_the_admin_token_it_was_minted_with(api, support_token, jane):
    assisted = assisted_token_for(api, support_token, jane)

    assert token_row(assisted).minted_by == token_row(support_token)
    assert token_row(support_token).minted_by is None


def test_admin_token_logout_revokes_the_assisted_tokens_it_minted(api, support_token, jane, marie):
    jane_assisted = assisted_token_for(api, support_token, jane)
    marie_assisted = assisted_token_for(api, support_token, marie)
    sessions = list(AssistedSession.objects.order_by("pk"))
    assert len(sessions) == 2

    assert api.post("/auth/logout", token=support_token).status_code == 204

    for raw in (support_token, jane_assisted, marie_assisted):
        assert token_row(raw).revoked_at is not None
    for raw in (jane_assisted, marie_assisted):
        response = api.get("/customers/me", token=raw)
        assert response.status_code == 401 and response.json()["code"] == "auth.token_invalid"
    for session in sessions:
        assert_ended_once(session, EndReason.ADMIN_LOGGED_OUT)


def test_admin_token_logout_leaves_tokens_minted_by_another_admin_token(
    api, support_agent, jane, marie
):
    first, second = admin_token_for(api, "support"), admin_token_for(api, "support")
    kept = assisted_token_for(api, second, marie)
    dropped = assisted_token_for(api, first, jane)
    kept_session = AssistedSession.objects.get(customer=marie)

    assert api.post("/auth/logout", token=first).status_code == 204

    assert api.get("/customers/me", token=kept).status_code == 200
    assert api.get("/customers/me", token=dropped).status_code == 401
    assert token_row(kept).revoked_at is None and token_row(second).revoked_at is None
    assert_live(kept_session)


def test_assisted_token_logout_keeps_the_admin_token(api, support_token, jane, marie):
    jane_assisted = assisted_token_for(api, support_token, jane)
    marie_assisted = assisted_token_for(api, support_token, marie)
    jane_session = AssistedSession.objects.get(customer=jane)
    marie_session = AssistedSession.objects.get(customer=marie)

    assert api.post("/auth/logout", token=jane_assisted).status_code == 204

    assert_ended_once(jane_session, EndReason.CLOSED_BY_ADMIN)
    assert token_row(support_token).revoked_at is None
    assert api.get("/customers/me", token=marie_assisted).status_code == 200
    assert_live(marie_session)


def test_customer_token_logout_revokes_only_itself(api, support_token, jane):
    assisted = assisted_token_for(api, support_token, jane)
    own = customer_token_for(api, jane)
    session = AssistedSession.objects.get()

    assert api.post("/auth/logout", token=own).status_code == 204

    assert token_row(own).revoked_at is not None
    assert token_row(assisted).revoked_at is None
    assert api.get("/customers/me", token=assisted).status_code == 200
    assert_live(session)


def test_a_refused_logout_revokes_nothing(api, support_token, jane):
    assisted = assisted_token_for(api, support_token, jane)
    revoked_before = list(ApiToken.objects.values_list("revoked_at", flat=True))

    response = api.post("/auth/logout", token="x" * 43)

    assert response.status_code == 401
    assert list(ApiToken.objects.values_list("revoked_at", flat=True)) == revoked_before
    assert api.get("/customers/me", token=assisted).status_code == 200
    assert_live(AssistedSession.objects.get())


# --- Point 11: introspection of dead tokens ---------------------------------------------------


def test_introspection_of_a_revoked_token_is_inactive(api, support_token):
    assert api.post("/auth/logout", token=support_token).status_code == 204

    response = api.get("/token/introspect", token=support_token)

    assert response.status_code == 200
    assert response.json() == {"active": False}


def test_introspection_of_an_assisted_token_revoked_by_admin_logout_is_inactive(
    api, support_token, jane
):
    assisted = assisted_token_for(api, support_token, jane)
    assert api.post("/auth/logout", token=support_token).status_code == 204

    response = api.get("/token/introspect", token=assisted)

    assert response.status_code == 200 and response.json() == {"active": False}


@pytest.mark.parametrize("raw", ["a" * 43, "not-a-token"])
def test_introspection_of_an_unknown_token_is_inactive(api, demo, raw):
    response = api.get("/token/introspect", token=raw)

    assert response.status_code == 200
    assert response.json() == {"active": False}


def test_introspection_of_an_expired_token_is_inactive(api, jane):
    token = customer_token_for(api, jane)

    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=61)):
        response = api.get("/token/introspect", token=token)

    assert response.status_code == 200 and response.json() == {"active": False}


def test_introspection_of_a_token_whose_session_ended_is_inactive(
    api, support_agent, support_token, jane
):
    assisted = assisted_token_for(api, support_token, jane)
    support_agent.set_password(NEW_PASSWORD)
    support_agent.save()

    response = api.get("/token/introspect", token=assisted)

    assert response.status_code == 200 and response.json() == {"active": False}
    assert_ended_once(AssistedSession.objects.get(), EndReason.ADMIN_PASSWORD_CHANGED)


def test_introspection_of_a_live_token_is_unchanged(api, support_agent, support_token, jane):
    assisted = assisted_token_for(api, support_token, jane)

    body = api.get("/token/introspect", token=assisted).json()
    admin = api.get("/token/introspect", token=support_token).json()

    assert body["active"] is True and body["scope"] == TokenKind.ASSISTED
    assert body["act"] == {"sub": str(support_agent.pk), "username": "support"}
    assert set(admin) == {"active", "sub", "scope", "exp", "act"} and admin["act"] is None


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer ", "Basic dXNlcjpwYXNz"])
def test_introspection_without_a_bearer_token_is_refused(api, demo, header):
    headers = {"HTTP_AUTHORIZATION": header} if header is not None else {}

    response = api.get("/token/introspect", **headers)

    assert response.status_code == 401
    assert response.json()["code"] == "auth.token_missing"
