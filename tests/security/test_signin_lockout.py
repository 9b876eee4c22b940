"""Sign-in lockout (django-axes) shared by the storefront, the admin login and the API token
endpoints; per-address throttles on sign-in and "forgot password" (django-ratelimit)."""

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from shopassist.api.models import ApiToken
from shopassist.core import signin_guard, throttles
from shopassist.customers.auth import SESSION_CUSTOMER_ID
from shopassist.demo.data import CUSTOMER_PASSWORD
from tests.api.conftest import ApiClient
from tests.conftest import use_own_cache_namespace
from tests.login_as_customer.assisted import session_of

pytestmark = pytest.mark.django_db

LOGIN = "/{store}/customer/account/login/"
FORGOT = "/{store}/customer/account/forgotpassword/"
ACCOUNT = "/en/customer/account/"
ADMIN_LOGIN = "/admin/login/"
LOCKED = "Too many failed sign-in attempts. Try again in 15 minutes."
LOCKED_FR = "Trop de tentatives de connexion échouées. Réessayez dans 15 minutes."
THROTTLED = "Too many requests. Try later."
INVALID = "Invalid login or password."


@pytest.fixture(autouse=True)
def _own_cache_namespace(settings):
    """The API's per-address throttle counts in the shared cache."""
    use_own_cache_namespace(settings, "signin")


def sign_in(client, email, password, store="en", address="127.0.0.1"):
    return client.post(
        LOGIN.format(store=store), {"email": email, "password": password}, REMOTE_ADDR=address
    )


def fail_five_times(client, email, **kwargs):
    return [sign_in(client, email, "wrong-password", **kwargs) for _attempt in range(5)]


def signed_in(client) -> bool:
    return SESSION_CUSTOMER_ID in session_of(client)


def api_customer_token(api, email, password, address="127.0.0.1"):
    return api.post(
        "/auth/customer-token",
        {"email": email, "password": password, "store_view": "en"},
        REMOTE_ADDR=address,
    )


def api_admin_token(api, username, password):
    return api.post("/auth/admin-token", {"username": username, "password": password})


def admin_sign_in(client, username, password):
    return client.post(ADMIN_LOGIN, {"username": username, "password": password})


def admin_signed_in(client) -> bool:
    response = client.get("/admin/")
    return response.status_code == 200


# --- Storefront ------------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_storefront_account_even_for_the_right_one(jane):
    browser = Client()
    answers = fail_five_times(browser, jane.email)

    assert [a.status_code for a in answers] == [200, 200, 200, 200, 429]
    assert all(INVALID in a.content.decode() for a in answers[:4])
    assert LOCKED in answers[4].content.decode()
    right = sign_in(browser, jane.email, CUSTOMER_PASSWORD)
    assert right.status_code == 429
    assert LOCKED in right.content.decode()
    assert not signed_in(browser)
    assert browser.get(ACCOUNT).status_code == 302  # My Account still asks to sign in
    jane.refresh_from_db()
    assert jane.last_login is None


def test_the_lockout_message_is_translated(jane):
    browser = Client()
    fail_five_times(browser, jane.email, store="fr")

    response = sign_in(browser, jane.email, CUSTOMER_PASSWORD, store="fr")

    assert response.status_code == 429
    assert LOCKED_FR in response.content.decode()
    assert not signed_in(browser)


def test_the_lock_is_on_the_account_whatever_the_address(jane):
    for number in range(5):
        sign_in(Client(), jane.email, "wrong-password", address=f"198.51.100.{number}")

    browser = Client()
    response = sign_in(browser, jane.email, CUSTOMER_PASSWORD, address="203.0.113.9")

    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert not signed_in(browser)


def test_other_accounts_are_not_locked_by_someone_elses_failures(jane, marie):
    fail_five_times(Client(), jane.email)

    browser = Client()
    assert sign_in(browser, marie.email, CUSTOMER_PASSWORD).status_code == 302
    assert signed_in(browser)


def test_unknown_emails_lock_the_same_way_so_the_answer_tells_nothing(demo):
    answers = fail_five_times(Client(), "nobody@example.com")

    assert [a.status_code for a in answers] == [200, 200, 200, 200, 429]
    assert LOCKED in answers[4].content.decode()


def test_a_successful_sign_in_clears_the_failures(jane):
    for _attempt in range(4):
        sign_in(Client(), jane.email, "wrong-password")
    assert sign_in(Client(), jane.email, CUSTOMER_PASSWORD).status_code == 302

    for _attempt in range(4):
        sign_in(Client(), jane.email, "wrong-password")
    browser = Client()
    assert sign_in(browser, jane.email, CUSTOMER_PASSWORD).status_code == 302
    assert signed_in(browser)


def test_the_lock_ends_fifteen_minutes_after_the_fifth_failure(jane):
    fail_five_times(Client(), jane.email)
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=14)):
        # An attempt during the lock does not prolong it.
        assert sign_in(Client(), jane.email, CUSTOMER_PASSWORD).status_code == 429

    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=16)):
        browser = Client()
        assert sign_in(browser, jane.email, CUSTOMER_PASSWORD).status_code == 302
        assert signed_in(browser)


# --- Storefront and API share a customer's lock ----------------------------------------------


def test_a_lock_made_through_the_api_customer_token_applies_on_the_storefront(jane):
    api = ApiClient()
    statuses = [
        api_customer_token(api, jane.email, "wrong-password").status_code for _i in range(5)
    ]
    assert statuses == [401, 401, 401, 401, 429]

    browser = Client()
    response = sign_in(browser, jane.email, CUSTOMER_PASSWORD)

    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert not signed_in(browser)


def test_a_lock_made_on_the_storefront_applies_to_the_api_customer_token(jane):
    fail_five_times(Client(), jane.email)

    response = api_customer_token(ApiClient(), jane.email, CUSTOMER_PASSWORD)

    assert response.status_code == 429
    assert response.json() == {"code": "auth.locked_out", "message": LOCKED}
    assert not ApiToken.objects.exists()


def test_failures_on_both_channels_add_up(jane):
    api = ApiClient()
    for _attempt in range(3):
        sign_in(Client(), jane.email, "wrong-password")
    assert api_customer_token(api, jane.email, "wrong-password").status_code == 401
    assert api_customer_token(api, jane.email, "wrong-password").status_code == 429

    assert api_customer_token(api, jane.email, CUSTOMER_PASSWORD).status_code == 429
    assert not ApiToken.objects.exists()


# --- Admin login and API admin-token share an administrator's lock ----------------------------


def test_five_wrong_admin_passwords_show_the_lockout_page_even_for_the_right_one(support_agent):
    browser = Client()
    answers = [admin_sign_in(browser, "support", "wrong-password") for _i in range(5)]

    assert [a.status_code for a in answers] == [200, 200, 200, 200, 429]
    right = admin_sign_in(browser, "support", "demo-support")
    assert right.status_code == 429
    body = right.content.decode()
    assert LOCKED in body
    assert 'data-testid="admin-lockout"' in body and "ShopAssist Admin" in body  # admin look
    assert not admin_signed_in(browser)
    support_agent.refresh_from_db()
    assert support_agent.last_login is None


def test_the_admin_login_still_works_and_clears_the_failures(support_agent):
    for _attempt in range(4):
        admin_sign_in(Client(), "support", "wrong-password")
    browser = Client()
    response = admin_sign_in(browser, "support", "demo-support")
    assert response.status_code == 302
    assert admin_signed_in(browser)

    for _attempt in range(4):
        admin_sign_in(Client(), "support", "wrong-password")
    assert admin_sign_in(Client(), "support", "demo-support").status_code == 302


def test_a_lock_made_through_the_api_admin_token_applies_to_the_admin_login(support_agent):
    api = ApiClient()
    for _attempt in range(5):
        api_admin_token(api, "support", "wrong-password")

    browser = Client()
    response = admin_sign_in(browser, "support", "demo-support")

    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert not admin_signed_in(browser)


def test_a_lock_made_on_the_admin_login_applies_to_the_api_admin_token(support_agent):
    for _attempt in range(5):
        admin_sign_in(Client(), "support", "wrong-password")

    response = api_admin_token(ApiClient(), "support", "demo-support")

    assert response.status_code == 429
    assert response.json()["code"] == "auth.locked_out"
    assert not ApiToken.objects.exists()


def test_the_admin_login_cannot_lock_a_customer_out(jane):
    # The admin login knows only usernames: it must not reach a customer's identity.
    customer_identity = signin_guard.customer_credentials(jane.website_id, jane.email)
    for _attempt in range(5):
        admin_sign_in(Client(), customer_identity[signin_guard.IDENTITY_KEY], "wrong-password")
        admin_sign_in(Client(), jane.email, "wrong-password")

    browser = Client()
    assert sign_in(browser, jane.email, CUSTOMER_PASSWORD).status_code == 302
    assert signed_in(browser)


def test_a_customer_lock_does_not_lock_a_staff_account_of_the_same_name(jane):
    User.objects.create_user(jane.email, password="demo-staff-password", is_staff=True)
    fail_five_times(Client(), jane.email)

    browser = Client()
    assert admin_sign_in(browser, jane.email, "demo-staff-password").status_code == 302
    assert admin_signed_in(browser)


# --- Per-address throttles -------------------------------------------------------------------


def _limit(throttle) -> int:
    return int(throttle.rate.split("/")[0])


@time_machine.travel("2030-01-01 12:00:10+00:00", tick=False)
def test_storefront_sign_in_is_throttled_per_address(jane, marie):
    limit = _limit(throttles.SIGN_IN)
    for number in range(limit):
        # Different e-mails: no account gets five failures, only the address is counted.
        assert sign_in(Client(), f"guess{number}@example.com", "x").status_code == 200

    browser = Client()
    response = sign_in(browser, jane.email, CUSTOMER_PASSWORD)

    assert response.status_code == 429
    assert THROTTLED in response.content.decode()
    assert not signed_in(browser)
    jane.refresh_from_db()
    assert jane.last_login is None
    # Another address is not throttled.
    other = Client()
    assert sign_in(other, marie.email, CUSTOMER_PASSWORD, address="203.0.113.5").status_code == 302
    assert signed_in(other)


@time_machine.travel("2030-01-01 12:00:10+00:00", tick=False)
def test_a_forged_forwarded_for_does_not_escape_the_storefront_throttle(jane):
    for number in range(_limit(throttles.SIGN_IN)):
        Client().post(
            LOGIN.format(store="en"),
            {"email": f"guess{number}@example.com", "password": "x"},
            HTTP_X_FORWARDED_FOR=f"192.0.2.{number}",
        )

    browser = Client()
    response = browser.post(
        LOGIN.format(store="en"),
        {"email": jane.email, "password": CUSTOMER_PASSWORD},
        HTTP_X_FORWARDED_FOR="192.0.2.250",
    )

    assert response.status_code == 429
    assert not signed_in(browser)


def forgot(client, email, address="127.0.0.1", store="en"):
    return client.post(FORGOT.format(store=store), {"email": email}, REMOTE_ADDR=address)


@time_machine.travel("2030-01-01 12:00:10+00:00", tick=False)
def test_forgot_password_is_throttled_per_address(jane, marie, chen, mailoutbox):
    limit = _limit(throttles.PASSWORD_RESET)
    emails = [jane.email, marie.email, chen.email, "kim.minji@example.com", "nobody@example.com"]
    assert len(emails) == limit
    for email in emails:
        assert forgot(Client(), email).status_code == 302
    assert len(mailoutbox) == 4  # the unknown address gets nothing

    response = forgot(Client(), jane.email)

    assert response.status_code == 429
    assert THROTTLED in response.content.decode()
    assert len(mailoutbox) == 4
    # Another address is not throttled.
    assert forgot(Client(), jane.email, address="203.0.113.5").status_code == 302
    assert len(mailoutbox) == 5


@time_machine.travel("2030-01-01 12:00:10+00:00", tick=False)
def test_ten_reset_requests_for_one_account_send_only_a_few_mails(jane, mailoutbox):
    limit = _limit(throttles.PASSWORD_RESET_PER_ACCOUNT)
    statuses = [
        forgot(Client(), jane.email, address=f"198.51.100.{number}").status_code
        for number in range(10)
    ]

    assert statuses == [302] * limit + [429] * (10 - limit)
    assert len(mailoutbox) == limit
    assert {mail.to[0] for mail in mailoutbox} == {jane.email}


@time_machine.travel("2030-01-01 12:00:10+00:00", tick=False)
def test_the_account_limit_on_reset_requests_says_the_same_for_unknown_emails(demo, mailoutbox):
    # Counted by the e-mail asked for, not by the account found: nothing to enumerate.
    limit = _limit(throttles.PASSWORD_RESET_PER_ACCOUNT)
    statuses = [
        forgot(Client(), "nobody@example.com", address=f"198.51.100.{number}").status_code
        for number in range(limit + 1)
    ]

    assert statuses == [302] * limit + [429]
    assert mailoutbox == []


@time_machine.travel("2030-01-01 12:00:10+00:00", tick=False)
def test_admin_login_is_throttled_per_address_with_the_storefront_sign_in(support_agent):
    # One count per address for every sign-in form: the storefront's attempts count here too.
    limit = _limit(throttles.SIGN_IN)
    for number in range(limit // 2):
        sign_in(Client(), f"guess{number}@example.com", "x")
    for number in range(limit - limit // 2):
        assert admin_sign_in(Client(), f"guess{number}", "x").status_code == 200

    browser = Client()
    response = admin_sign_in(browser, "support", "demo-support")

    assert response.status_code == 429
    assert THROTTLED in response.content.decode()
    assert not admin_signed_in(browser)
