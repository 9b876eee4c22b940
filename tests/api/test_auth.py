"""Admin and customer tokens: issued hashed, expiring, revocable; lockout and rate limit;
no session, no cookie, no CSRF in the API area."""

import hashlib

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from shopassist.api.models import ApiToken, TokenKind
from shopassist.core.areas import area_for_path
from shopassist.demo.data import CUSTOMER_PASSWORD
from tests.api.conftest import admin_token_for, customer_token_for
from tests.conftest import login_customer_client

pytestmark = pytest.mark.django_db


def _error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    assert body["message"]
    return body


def test_an_admin_token_is_opaque_expiring_and_stored_only_as_a_hash(api, support_agent):
    response = api.post("/auth/admin-token", {"username": "support", "password": "demo-support"})
    assert response.status_code == 200
    body = response.json()
    raw = body["access_token"]
    assert body["token_type"] == "Bearer"
    assert 4 * 3600 - 5 <= body["expires_in"] <= 4 * 3600
    token = ApiToken.objects.get()
    assert token.kind == TokenKind.ADMIN and token.user == support_agent
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert not ApiToken.objects.filter(token_hash=raw).exists()
    assert "Set-Cookie" not in response.headers


def test_a_wrong_password_gets_no_token(api, support_agent):
    response = api.post("/auth/admin-token", {"username": "support", "password": "nope"})
    _error(response, 401, "auth.invalid_credentials")
    assert not ApiToken.objects.exists()


def test_staff_only_get_admin_tokens(api, demo):
    User.objects.create_user("shopper", password="demo-shopper-pw", is_staff=False)
    response = api.post("/auth/admin-token", {"username": "shopper", "password": "demo-shopper-pw"})
    _error(response, 401, "auth.invalid_credentials")
    assert not ApiToken.objects.exists()


def test_five_failures_lock_the_username_out_even_with_the_right_password(api, support_agent):
    for _attempt in range(5):
        api.post("/auth/admin-token", {"username": "support", "password": "wrong"})
    response = api.post("/auth/admin-token", {"username": "support", "password": "demo-support"})
    _error(response, 429, "auth.locked_out")
    assert not ApiToken.objects.exists()
    # Another account is not locked by someone else's failures.
    assert admin_token_for(api, "admin")
    # Fifteen minutes later the lockout is over.
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=16)):
        assert admin_token_for(api, "support")


def test_token_requests_are_rate_limited_per_client(api, support_agent):
    statuses = [
        api.post("/auth/admin-token", {"username": f"user{i}", "password": "x"}).status_code
        for i in range(21)
    ]
    assert statuses[:20] == [401] * 20
    assert statuses[20] == 429


def test_a_customer_token_needs_the_customers_credentials_and_a_store_view(api, jane):
    token = customer_token_for(api, jane)
    assert ApiToken.objects.get(kind=TokenKind.CUSTOMER).customer == jane
    assert api.get("/customers/me", token=token).json()["email"] == jane.email
    wrong = api.post(
        "/auth/customer-token",
        {"email": jane.email, "password": "wrong", "store_view": "en"},
    )
    _error(wrong, 401, "auth.invalid_credentials")
    unknown_view = api.post(
        "/auth/customer-token",
        {"email": jane.email, "password": CUSTOMER_PASSWORD, "store_view": "nowhere"},
    )
    _error(unknown_view, 400, "request.unknown_store_view")
    assert ApiToken.objects.count() == 1


def test_logout_revokes_the_token(api, jane_token):
    assert api.post("/auth/logout", token=jane_token).status_code == 204
    assert ApiToken.objects.get().revoked_at is not None
    _error(api.get("/customers/me", token=jane_token), 401, "auth.token_invalid")


def test_a_customer_token_expires_after_an_hour(api, jane_token):
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=61)):
        _error(api.get("/customers/me", token=jane_token), 401, "auth.token_invalid")


def test_a_password_change_kills_the_customers_tokens(api, jane, jane_token):
    jane.set_password("another-long-password")
    jane.save()
    _error(api.get("/customers/me", token=jane_token), 401, "auth.token_invalid")


def test_a_deactivated_admin_token_stops_working(api, support_agent, support_token):
    support_agent.is_active = False
    support_agent.save()
    response = api.post("/login-as-customer/token", {"customer_id": 1}, token=support_token)
    _error(response, 401, "auth.token_invalid")
    # Introspection answers a dead token as inactive (RFC 7662), not with an error.
    response = api.get("/token/introspect", token=support_token)
    assert response.status_code == 200 and response.json() == {"active": False}


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Basic dXNlcjpwYXNz", "Bearer not-a-token", "Bearer " + "a" * 43],
)
def test_requests_without_a_valid_bearer_token_are_refused(api, jane, header):
    headers = {"HTTP_AUTHORIZATION": header} if header else {}
    response = api.get("/customers/me", **headers)
    assert response.status_code == 401
    assert response.json()["code"] in ("auth.token_missing", "auth.token_invalid")


def test_each_endpoint_takes_only_its_kind_of_token(api, jane_token, support_token):
    _error(api.get("/customers/me", token=support_token), 403, "auth.wrong_token_kind")
    response = api.post("/login-as-customer/token", {"customer_id": 1}, token=jane_token)
    _error(response, 403, "auth.wrong_token_kind")


def test_the_api_ignores_and_never_sets_session_cookies(api, jane):
    """A signed-in storefront session is no credential for the API (no cookie auth, no CSRF)."""
    browser = login_customer_client(Client(), jane)
    cookie = browser.cookies[settings.STOREFRONT_SESSION_COOKIE_NAME].value
    api.client.cookies[settings.STOREFRONT_SESSION_COOKIE_NAME] = cookie
    response = api.get("/customers/me")
    _error(response, 401, "auth.token_missing")
    token = customer_token_for(api, jane)
    response = api.post("/cart/items", {"sku": "SA-BAG-001", "qty": 1}, token=token)
    assert response.status_code == 200  # no CSRF token needed with a bearer token
    assert "Set-Cookie" not in response.headers


def test_introspection_of_customer_and_admin_tokens(api, jane, jane_token, support_agent):
    body = api.get("/token/introspect", token=jane_token).json()
    assert body["active"] is True and body["sub"] == str(jane.pk)
    assert body["scope"] == "customer" and body["act"] is None
    admin = api.get("/token/introspect", token=admin_token_for(api, "support")).json()
    assert admin["scope"] == "admin" and admin["sub"] == str(support_agent.pk)


@pytest.mark.parametrize(
    ("path", "area"),
    [
        ("/api/v1/cart", "api"),
        ("/api/", "api"),
        ("/admin/", "admin"),
        ("/admin/customers/", "admin"),
        ("/en/", "storefront"),
        ("/apiary/", "storefront"),
        ("/", "storefront"),
    ],
)
def test_the_api_is_an_area_of_its_own(path, area):
    assert area_for_path(path) == area
