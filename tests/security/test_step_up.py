"""Point 9: starting Login as Customer needs a password entered within "Re-authenticate after"
minutes (default 15; 0: every time). A stale administrator is asked for it, a wrong password
refuses (logged, counted toward the admin lockout), the right one starts."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.utils import timezone

from login_as_customer import config as lac_config
from login_as_customer import step_up
from login_as_customer.errors import DenialCode, message_for
from login_as_customer.models import AssistedSession
from shopassist.core import areas, signin_guard
from shopassist.core.config.services import ConfigValidationError
from tests.audit.helpers import log_snapshot
from tests.conftest import use_own_cache_namespace
from tests.login_as_customer.assisted import (
    ADMIN_COOKIE,
    confirm_url,
    lac_snapshot,
    redeem,
    redeem_form,
    start,
)

pytestmark = pytest.mark.django_db

PROMPT = "Enter your password to continue."
PASSWORD_FIELD = 'type="password" name="password"'
RIGHT, WRONG = "demo-support", "not-the-password"
LOCKED = str(signin_guard.LOCKED_MESSAGE)


@pytest.fixture(autouse=True)
def _own_cache_namespace(settings):
    """Start rate limits and sign-in throttles count in the shared cache."""
    use_own_cache_namespace(settings, "step-up")


def admin_session(client):
    engine = import_module(settings.SESSION_ENGINE)
    store = areas.area_session_store(engine.SessionStore, areas.ADMIN)
    return store(client.cookies[ADMIN_COOKIE].value)


def password_entered_minutes_ago(client, minutes) -> None:
    session = admin_session(client)
    step_up.record_password_entered(session, now=timezone.now() - timedelta(minutes=minutes))
    session.save()


@pytest.fixture
def stale_support(support_client):
    """Support's admin panel, the password last entered 16 minutes ago."""
    password_entered_minutes_ago(support_client, 16)
    return support_client


def lac_entries_since(before) -> list[dict]:
    return [
        entry
        for entry in log_snapshot()
        if entry not in before and entry["action_group"] == "login_as_customer"
    ]


def assert_asked(response, status=403):
    assert response.status_code == status, response.content[:500]
    body = response.content.decode()
    assert PROMPT in body and PASSWORD_FIELD in body
    assert 'data-testid="lac-reauth"' in body
    assert 'id="lac-redeem-form"' not in body  # no token handed out
    assert not [name for name in response.cookies if name.startswith("sa_lac_bind_")]
    assert {"private", "no-store"} <= {p.strip() for p in response["Cache-Control"].split(",")}
    return body


def support_locked() -> bool:
    request = RequestFactory().post("/admin/login/")
    return signin_guard.is_locked(request, signin_guard.admin_credentials("support"))


def admin_sign_in(client, password):
    return client.post("/admin/login/", {"username": "support", "password": password})


# --- Asked ---------------------------------------------------------------------------------------


def test_a_stale_administrator_is_asked_for_the_password_and_nothing_starts(stale_support, jane):
    before, log_before = lac_snapshot(), log_snapshot()

    response = start(stale_support, jane)

    assert_asked(response)
    assert lac_snapshot() == before  # no assisted session, no token
    assert lac_entries_since(log_before) == []  # a question, not a refusal


def test_the_dialog_of_a_stale_administrator_has_the_password_field(stale_support, jane):
    for page in (stale_support.get(confirm_url(jane.pk)), stale_support.get(jane_page(jane))):
        body = page.content.decode()
        assert PROMPT in body and PASSWORD_FIELD in body


def test_the_dialog_of_a_fresh_administrator_has_none(support_client, jane):
    for page in (support_client.get(confirm_url(jane.pk)), support_client.get(jane_page(jane))):
        assert page.status_code == 200
        assert PASSWORD_FIELD not in page.content.decode()


def jane_page(jane) -> str:
    return f"/admin/customers/customer/{jane.pk}/change/"


def test_the_question_keeps_what_the_administrator_chose(stale_support, jane, set_config):
    set_config({lac_config.REQUIRE_REASON: "1"})

    body = assert_asked(start(stale_support, jane, reason="Ticket <#42>"))

    assert 'value="Ticket &lt;#42&gt;"' in body
    assert 'target="_blank"' not in body  # already in the new tab: answer there


def test_an_empty_password_asks_again_and_is_not_a_failure(stale_support, jane):
    for _attempt in range(6):
        assert_asked(start(stale_support, jane, password=""))

    assert not support_locked()
    assert AssistedSession.objects.count() == 0


# --- Wrong password ------------------------------------------------------------------------------


def test_a_wrong_password_refuses_logs_and_starts_nothing(stale_support, support_agent, jane):
    before, log_before = lac_snapshot(), log_snapshot()

    response = start(stale_support, jane, password=WRONG)

    body = assert_asked(response)
    assert message_for(DenialCode.REAUTH_FAILED) in body
    assert lac_snapshot() == before
    (entry,) = lac_entries_since(log_before)
    assert (entry["action"], entry["outcome"]) == ("start_denied", "denied")
    assert entry["details"]["code"] == DenialCode.REAUTH_FAILED.value
    assert entry["details"]["customer_id"] == jane.pk
    assert entry["admin_username"] == "support"
    # Still stale: the right password is asked for again.
    assert_asked(start(stale_support, jane))


def test_wrong_passwords_count_toward_the_admin_lockout(stale_support, jane):
    for _attempt in range(4):
        start(stale_support, jane, password=WRONG)
    # The fifth failure, on the admin login page, locks the account: the counter is shared.
    assert admin_sign_in(Client(), WRONG).status_code == 429
    assert admin_sign_in(Client(), RIGHT).status_code == 429

    locked = start(stale_support, jane, password=RIGHT)

    assert LOCKED in assert_asked(locked, status=429)
    assert AssistedSession.objects.count() == 0


def test_the_fifth_wrong_password_locks_the_administrator_out(stale_support, jane):
    answers = [start(stale_support, jane, password=WRONG) for _attempt in range(5)]

    assert [a.status_code for a in answers] == [403, 403, 403, 403, 429]
    assert LOCKED in answers[4].content.decode()
    assert admin_sign_in(Client(), RIGHT).status_code == 429  # the admin login too
    before, log_before = lac_snapshot(), log_snapshot()
    assert LOCKED in assert_asked(start(stale_support, jane, password=RIGHT), status=429)
    assert lac_snapshot() == before
    (entry,) = lac_entries_since(log_before)
    assert entry["details"]["code"] == DenialCode.REAUTH_LOCKED.value


# --- Right password ------------------------------------------------------------------------------


def test_the_right_password_starts_and_opens_a_new_window(stale_support, jane):
    response = start(stale_support, jane, password=RIGHT)

    action, _token = redeem_form(response)
    assert AssistedSession.objects.count() == 1
    assert redeem(Client(), response).status_code == 302
    # Entered just now: the next start within the window asks nothing.
    assert redeem_form(start(stale_support, jane))[0] == action


def test_the_right_password_clears_earlier_failures(stale_support, jane):
    for _attempt in range(4):
        start(stale_support, jane, password=WRONG)
    redeem_form(start(stale_support, jane, password=RIGHT))
    password_entered_minutes_ago(stale_support, 16)

    for _attempt in range(4):
        start(stale_support, jane, password=WRONG)

    assert not support_locked()


# --- When the password counts as recent ---------------------------------------------------------


def test_signing_in_to_the_admin_panel_counts_as_entering_the_password(support_agent, jane):
    browser = Client()
    assert admin_sign_in(browser, RIGHT).status_code == 302

    response = start(browser, jane)

    redeem_form(response)
    assert AssistedSession.objects.count() == 1


@pytest.mark.parametrize(
    ("setting", "minutes_ago", "asked"),
    [
        (None, 14, False),  # default 15 minutes
        (None, 16, True),
        ("60", 30, False),
        ("60", 61, True),
        ("0", 0, True),  # 0: every time, even right after signing in
    ],
)
def test_the_configured_window_decides(
    setting, minutes_ago, asked, support_client, jane, set_config
):
    if setting is not None:
        set_config({lac_config.REAUTH_AFTER: setting})
    password_entered_minutes_ago(support_client, minutes_ago)

    response = start(support_client, jane)

    if asked:
        assert_asked(response)
        assert AssistedSession.objects.count() == 0
    else:
        redeem_form(response)


def test_the_window_is_validated(set_config):
    with pytest.raises(ConfigValidationError):
        set_config({lac_config.REAUTH_AFTER: "-1"})
    assert lac_config.setting(lac_config.REAUTH_AFTER) == 15
