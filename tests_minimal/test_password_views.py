"""django.contrib.auth's password views in the browser of an assisted session, on the default
host: refused before the view runs, under whatever name they are routed, with their message and
an ``account.blocked`` entry; no password changes and the session goes on.

Before: the guard on the account's save (``integrations/account_guard``) protected the
session's customer only. A password-reset link of another account, opened in the assisted
browser, set that account's password there, outside any refusal — the SPEC's "changing the
password" is blocked during an assisted session, whoever's it is."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from login_as_customer.models import AssistedAction, AssistedSession
from tests_minimal.test_security_review import _assisted
from tests_minimal.test_sign_in_review import BANNER

pytestmark = pytest.mark.django_db
User = get_user_model()

REFUSED = "The password cannot be changed during an assisted session."


@pytest.fixture
def shop_pages(settings):
    # django.contrib.auth.urls under /accounts/, as test_sign_in_review routes them.
    settings.ROOT_URLCONF = "tests_minimal.test_sign_in_review"


@pytest.fixture
def bob():
    return User.objects.create_user("bob", "bob@example.com", "demo-bob")


def passwords() -> dict[int, str]:
    return dict(User.objects.values_list("pk", "password"))


def assert_refused(response, browser, session, *, view):
    assert response.status_code == 403
    assert REFUSED in response.content.decode()
    blocked = AssistedAction.objects.get(action="account.blocked")
    assert (blocked.outcome, blocked.assisted_session_id) == ("denied", session.pk)
    assert blocked.details == {"fields": ["password"], "view": view}
    assert AssistedSession.objects.get(pk=session.pk).ended_at is None
    assert BANNER in browser.get("/account/").content.decode()


def test_another_accounts_reset_link_sets_no_password_in_an_assisted_browser(
    shop_pages, support, jane, bob
):
    browser, session = _assisted(support, jane)
    before = passwords()
    uid, token = urlsafe_base64_encode(force_bytes(bob.pk)), default_token_generator.make_token(bob)
    form = browser.get(f"/accounts/reset/{uid}/{token}/")  # keeps the token, shows the form
    assert form.status_code == 302

    refused = browser.post(
        form["Location"], {"new_password1": "Another-pass-77", "new_password2": "Another-pass-77"}
    )

    assert_refused(refused, browser, session, view="password_reset_confirm")
    assert passwords() == before
    assert not User.objects.get(pk=bob.pk).check_password("Another-pass-77")


def test_the_password_change_page_is_refused_before_its_view_runs(shop_pages, support, jane):
    browser, session = _assisted(support, jane)
    before = passwords()

    refused = browser.post(
        "/accounts/password_change/",
        {
            "old_password": "demo-customer",
            "new_password1": "Another-pass-77",
            "new_password2": "Another-pass-77",
        },
    )

    assert_refused(refused, browser, session, view="password_change")
    assert passwords() == before


def test_outside_an_assisted_session_a_reset_link_still_works(shop_pages, bob):
    """Guard (passes before and after): the refusal is for assisted browsers only."""
    from django.test import Client

    browser = Client()
    uid, token = urlsafe_base64_encode(force_bytes(bob.pk)), default_token_generator.make_token(bob)
    form = browser.get(f"/accounts/reset/{uid}/{token}/")
    done = browser.post(
        form["Location"], {"new_password1": "Another-pass-77", "new_password2": "Another-pass-77"}
    )
    assert done.status_code == 302
    assert User.objects.get(pk=bob.pk).check_password("Another-pass-77")
