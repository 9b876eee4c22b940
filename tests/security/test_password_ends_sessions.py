"""A password change ends the assisted sessions it concerns (issue 11, points 1 and 2): the
administrator's own change, a password set by another administrator, the customer's change in
My Account and a password reset. The record ends with its reason, the end is logged once, the
storefront tab is signed out at its next request; a refused change ends nothing."""

import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from login_as_customer.flows.live_check import SESSION_ID_KEY
from login_as_customer.models import AssistedSession, EndReason, LoginToken
from login_as_customer.selectors import consent_is_valid
from shopassist.audit.models import ActionLogEntry
from shopassist.demo.data import CUSTOMER_PASSWORD
from tests.conftest import login_customer_client, use_own_cache_namespace
from tests.login_as_customer.assisted import (
    assert_ended,
    banner_of,
    redeem,
    session_of,
    start,
    start_assisted,
    takeover_password_form,
)
from tests.pages import change_form_data

pytestmark = pytest.mark.django_db

ACCOUNT = "/en/customer/account/"
ACCOUNT_EDIT = "/en/customer/account/edit/"
HISTORY = "/en/customer/assisted-sessions/"
ACTIVE_SESSIONS = "/admin/login_as_customer/active/"
ADMIN_PASSWORD_CHANGE = "/admin/password_change/"
NEW_PASSWORD = "Brand-New-Secret-7391"
CONSENT_KEPT = "assistance-allow"  # the consent checkbox of Account Information, left ticked


@pytest.fixture(autouse=True)
def _own_cache_namespace(settings):
    """The start rate limit counts per administrator and minute in the shared cache."""
    use_own_cache_namespace(settings, "password-ends")


def staff_password_url(user) -> str:
    return f"/admin/staff/staffuser/{user.pk}/password/"


def end_entries(session) -> list[ActionLogEntry]:
    return list(ActionLogEntry.objects.filter(assisted_session_id=session.pk, action="end"))


def assert_ended_once(session, reason) -> None:
    assert_ended(session, reason)
    entries = end_entries(session)
    assert len(entries) == 1, entries
    assert entries[0].details["reason"] == reason


def assert_live(session) -> None:
    session.refresh_from_db()
    assert session.ended_at is None and session.end_reason == ""
    assert end_entries(session) == []


def assert_signed_out(browser) -> None:
    """The storefront tab's next request has no banner and no customer."""
    response = browser.get(ACCOUNT)
    assert response.status_code == 302
    assert banner_of(browser.get("/en/")) == ""
    assert SESSION_ID_KEY not in session_of(browser)
    assert browser.get(ACCOUNT).status_code == 302  # to the login page: signed out


def change_own_password(admin_client, old_password, new_password=NEW_PASSWORD):
    return admin_client.post(
        ADMIN_PASSWORD_CHANGE,
        {
            "old_password": old_password,
            "new_password1": new_password,
            "new_password2": new_password,
        },
    )


def account_password_form(customer, current_password=CUSTOMER_PASSWORD) -> dict:
    """Account Information as the customer posts it to change the password (consent kept)."""
    return {
        **takeover_password_form(customer),
        CONSENT_KEPT: "on",
        "current_password": current_password,
        "new_password": NEW_PASSWORD,
        "new_password_confirmation": NEW_PASSWORD,
    }


def active_session_ids(admin_client) -> list[int]:
    response = admin_client.get(ACTIVE_SESSIONS)
    assert response.status_code == 200
    return [s.pk for s in response.context["sessions"]]


# --- Point 1: the administrator's password -----------------------------------------------------


def test_the_admins_own_password_change_ends_their_assisted_session(support_client, jane):
    browser, session = start_assisted(support_client, jane)
    assert "You are connected as Jane Doe" in banner_of(browser.get(ACCOUNT))

    response = change_own_password(support_client, "demo-support")

    assert response.status_code == 302, response.content[:800]
    assert_ended_once(session, EndReason.ADMIN_PASSWORD_CHANGED)
    assert_signed_out(browser)
    # The admin stays signed in to the admin panel (Django keeps the changing session).
    assert support_client.get("/admin/").status_code == 200


def test_the_admins_password_change_ends_a_login_link_not_yet_used(support_client, jane):
    pending = start(support_client, jane)
    session = AssistedSession.objects.get()

    assert change_own_password(support_client, "demo-support").status_code == 302

    assert_ended_once(session, EndReason.ADMIN_PASSWORD_CHANGED)
    browser = Client()
    response = redeem(browser, pending)
    assert response.status_code == 403  # the link died with the session
    assert SESSION_ID_KEY not in session_of(browser)
    session.refresh_from_db()
    assert session.started_at is None
    assert LoginToken.objects.get().used_at is None
    assert not ActionLogEntry.objects.filter(assisted_session_id=session.pk, action="redeem")


def test_the_admins_password_change_ends_only_their_own_sessions(
    support_client, administrator, admin_client_for, jane, marie
):
    _browser, support_session = start_assisted(support_client, jane)
    _other_browser, admin_session = start_assisted(admin_client_for(administrator), marie)

    assert change_own_password(support_client, "demo-support").status_code == 302

    assert_ended_once(support_session, EndReason.ADMIN_PASSWORD_CHANGED)
    assert_live(admin_session)


def test_a_wrong_old_password_ends_nothing(support_client, support_agent, jane):
    browser, session = start_assisted(support_client, jane)
    password_before = support_agent.password

    response = change_own_password(support_client, "not-my-password")

    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
    support_agent.refresh_from_db()
    assert support_agent.password == password_before
    assert_live(session)
    assert "You are connected as Jane Doe" in banner_of(browser.get(ACCOUNT))


def test_a_password_set_by_another_administrator_ends_the_sessions(
    support_client, support_agent, administrator, admin_client_for, jane
):
    browser, session = start_assisted(support_client, jane)
    admin_client = admin_client_for(administrator)

    response = admin_client.post(
        staff_password_url(support_agent),
        {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302, response.content[:800]
    assert_ended_once(session, EndReason.ADMIN_PASSWORD_CHANGED)
    assert_signed_out(browser)


def test_disabling_the_admins_password_ends_the_sessions(
    support_client, support_agent, administrator, admin_client_for, jane
):
    _browser, session = start_assisted(support_client, jane)

    response = admin_client_for(administrator).post(
        staff_password_url(support_agent), {"usable_password": "false", "unset-password": "1"}
    )

    assert response.status_code == 302, response.content[:800]
    assert_ended_once(session, EndReason.ADMIN_PASSWORD_CHANGED)


def test_mismatched_passwords_set_by_another_administrator_end_nothing(
    support_client, support_agent, administrator, admin_client_for, jane
):
    _browser, session = start_assisted(support_client, jane)
    password_before = support_agent.password

    response = admin_client_for(administrator).post(
        staff_password_url(support_agent),
        {"usable_password": "true", "password1": NEW_PASSWORD, "password2": "something-else-1"},
    )

    assert response.status_code == 200
    support_agent.refresh_from_db()
    assert support_agent.password == password_before
    assert_live(session)


def test_saving_the_admins_account_without_a_new_password_ends_nothing(
    support_client, support_agent, administrator, admin_client_for, jane
):
    """The All Users form shows the password read-only: saving a name keeps the sessions."""
    _browser, session = start_assisted(support_client, jane)
    admin_client = admin_client_for(administrator)
    url = f"/admin/staff/staffuser/{support_agent.pk}/change/"
    form = change_form_data(admin_client.get(url))

    response = admin_client.post(url, {**form, "first_name": "Sam"})

    assert response.status_code == 302, response.content[:800]
    support_agent.refresh_from_db()
    assert support_agent.first_name == "Sam"
    assert_live(session)


def test_manage_py_changepassword_ends_the_sessions(support_client, jane, monkeypatch):
    _browser, session = start_assisted(support_client, jane)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": NEW_PASSWORD)

    call_command("changepassword", "support", stdout=io.StringIO())

    assert_ended_once(session, EndReason.ADMIN_PASSWORD_CHANGED)


# --- Point 2: the customer's password ----------------------------------------------------------


def test_the_customers_password_change_ends_the_session_record(
    support_client, administrator, admin_client_for, jane
):
    browser, session = start_assisted(support_client, jane)
    own_browser = login_customer_client(Client(), jane)
    assert "in progress" in own_browser.get(HISTORY).content.decode()
    auditor_client = admin_client_for(administrator)
    assert active_session_ids(auditor_client) == [session.pk]

    response = own_browser.post(ACCOUNT_EDIT, account_password_form(jane))

    assert response.status_code == 302, response.content[:800]
    assert_ended_once(session, EndReason.CUSTOMER_PASSWORD_CHANGED)
    assert consent_is_valid(jane)  # ended by the password change, not by a consent change
    assert active_session_ids(auditor_client) == []
    history = own_browser.get(HISTORY)  # the customer's own session goes on
    assert history.status_code == 200
    assert "in progress" not in history.content.decode()
    assert_signed_out(browser)


def test_a_wrong_current_password_ends_nothing(support_client, jane):
    browser, session = start_assisted(support_client, jane)
    own_browser = login_customer_client(Client(), jane)
    password_before = jane.password

    response = own_browser.post(ACCOUNT_EDIT, account_password_form(jane, "not-my-password"))

    assert response.status_code == 200
    assert response.context["form"].errors["current_password"]
    jane.refresh_from_db()
    assert jane.password == password_before
    assert_live(session)
    assert "You are connected as Jane Doe" in banner_of(browser.get(ACCOUNT))


def test_a_name_change_by_the_customer_ends_nothing(support_client, jane):
    _browser, session = start_assisted(support_client, jane)
    own_browser = login_customer_client(Client(), jane)
    form = {"first_name": "Janet", "last_name": "Doe", "email": jane.email, CONSENT_KEPT: "on"}

    assert own_browser.post(ACCOUNT_EDIT, form).status_code == 302

    jane.refresh_from_db()
    assert jane.first_name == "Janet"
    assert_live(session)


def test_the_assisting_admin_still_cannot_change_the_password(support_client, jane):
    """Inside the assisted session the change is refused (as before): nothing ends."""
    browser, session = start_assisted(support_client, jane)
    password_before = jane.password

    response = browser.post(ACCOUNT_EDIT, takeover_password_form(jane))

    assert response.status_code == 200
    jane.refresh_from_db()
    assert jane.password == password_before
    assert_live(session)
    assert "You are connected as Jane Doe" in banner_of(browser.get(ACCOUNT))


def _reset_link(browser, customer) -> str:
    mail.outbox.clear()
    response = browser.post("/en/customer/account/forgotpassword/", {"email": customer.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    return re.search(r"https?://[^/\s]+(/\S+/resetpassword/\S+)", mail.outbox[0].body).group(1)


def test_a_password_reset_ends_the_session_record(
    support_client, administrator, admin_client_for, jane
):
    browser, session = start_assisted(support_client, jane)
    reset_browser = Client()
    form_page = reset_browser.get(_reset_link(reset_browser, jane), follow=True)
    assert form_page.status_code == 200

    response = reset_browser.post(
        form_page.redirect_chain[-1][0],
        {"new_password": NEW_PASSWORD, "new_password_confirmation": NEW_PASSWORD},
    )

    assert response.status_code == 302, response.content[:800]
    jane.refresh_from_db()
    assert jane.check_password(NEW_PASSWORD)
    assert_ended_once(session, EndReason.CUSTOMER_PASSWORD_CHANGED)
    assert active_session_ids(admin_client_for(administrator)) == []
    assert_signed_out(browser)


def test_a_refused_password_reset_ends_nothing(support_client, jane):
    _browser, session = start_assisted(support_client, jane)
    reset_browser = Client()
    form_page = reset_browser.get(_reset_link(reset_browser, jane), follow=True)
    password_before = jane.password

    response = reset_browser.post(
        form_page.redirect_chain[-1][0],
        {"new_password": NEW_PASSWORD, "new_password_confirmation": "does-not-match-1"},
    )

    assert response.status_code == 200
    jane.refresh_from_db()
    assert jane.password == password_before
    assert_live(session)


def test_the_customers_password_change_ends_only_their_sessions(support_client, jane, marie):
    _browser, jane_session = start_assisted(support_client, jane)
    _other, marie_session = start_assisted(support_client, marie)

    own_browser = login_customer_client(Client(), jane)
    assert own_browser.post(ACCOUNT_EDIT, account_password_form(jane)).status_code == 302

    assert_ended_once(jane_session, EndReason.CUSTOMER_PASSWORD_CHANGED)
    assert_live(marie_session)
