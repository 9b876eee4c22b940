"""Signing in to the admin panel as someone else in the browser of an administrator who did not
log out: the assisted sessions started from the replaced admin session end, as at a logout
(SPEC §7). Before, Django's ``login()`` flushed that admin session without ``user_logged_out``:
the storefront tab left open went on in the first administrator's name, whoever now sat at the
browser."""

import pytest
from django.contrib.auth.models import User

from login_as_customer.models import AssistedSession, EndReason
from tests.login_as_customer.assisted import start_assisted

pytestmark = pytest.mark.django_db
BANNER_TESTID = 'data-testid="lac-banner"'


def _admin_sign_in(client, username):
    response = client.post("/admin/login/", {"username": username, "password": f"demo-{username}"})
    assert response.status_code == 302, response.content[:400]


def test_another_administrator_signing_in_ends_the_sessions_of_the_replaced_admin_session(
    support_client, jane
):
    _admin_sign_in(support_client, "support")  # the support agent's admin session, by the form
    browser, session = start_assisted(support_client, jane)
    assert BANNER_TESTID in browser.get("/en/customer/account/").content.decode()

    _admin_sign_in(support_client, "admin")  # someone else, in the same browser

    session.refresh_from_db()
    assert session.end_reason == EndReason.ADMIN_LOGGED_OUT and session.ended_at is not None
    tab = browser.get("/en/customer/account/")
    assert tab.status_code == 302  # the storefront tab is no longer the support agent's
    assert BANNER_TESTID not in browser.get("/en/", follow=True).content.decode()


def test_the_same_administrator_signing_in_again_keeps_the_session(support_client, jane):
    _admin_sign_in(support_client, "support")
    browser, session = start_assisted(support_client, jane)

    _admin_sign_in(support_client, "support")

    assert AssistedSession.objects.get(pk=session.pk).ended_at is None
    assert BANNER_TESTID in browser.get("/en/customer/account/").content.decode()
    # ... and their logout still ends it.
    assert support_client.post("/admin/logout/").status_code == 200
    assert AssistedSession.objects.get(pk=session.pk).end_reason == EndReason.ADMIN_LOGGED_OUT


def test_another_administrators_sessions_are_left_alone(
    support_client, admin_client_for, jane, marie
):
    """Only the sessions started from the replaced admin session end."""
    other_browser, others = start_assisted(
        admin_client_for(User.objects.get(username="admin")), marie
    )
    _admin_sign_in(support_client, "support")
    _browser, session = start_assisted(support_client, jane)

    _admin_sign_in(support_client, "trainee")

    assert AssistedSession.objects.get(pk=session.pk).end_reason == EndReason.ADMIN_LOGGED_OUT
    assert AssistedSession.objects.get(pk=others.pk).ended_at is None
    assert BANNER_TESTID in other_browser.get("/fr/customer/account/").content.decode()
