"""Two areas, two sessions: the admin panel and the storefront never share a session."""

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client

from tests.conftest import login_customer_client
from tests.page_cache.test_leaks import csrf_tokens
from tests.pages import (
    ADMIN_COOKIE,
    STORE_COOKIE,
    admin_login,
    csrf_token_of,
    customer_sessions,
    customers_snapshot,
    is_admin_logged_in,
    session_data,
    storefront_customer,
)

LOGIN_URL = "/en/customer/account/login/"
LOGOUT_URL = "/en/customer/account/logout/"
REGISTER_URL = "/en/customer/account/create/"
EDIT_URL = "/en/customer/account/edit/"


def csrf_client_logged_in_as(customer) -> Client:
    """A client that enforces CSRF, signed in to the storefront the way a browser would."""
    client = Client(enforce_csrf_checks=True)
    token = csrf_token_of(client.get(LOGIN_URL))
    response = client.post(
        LOGIN_URL,
        {"email": customer.email, "password": "demo-customer", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    return client


# --- cookies ---------------------------------------------------------------------------------


def test_admin_login_sets_only_the_admin_cookie_scoped_to_admin_path(administrator):
    client = Client()
    response = admin_login(client)

    assert ADMIN_COOKIE in response.cookies
    assert STORE_COOKIE not in response.cookies
    cookie = response.cookies[ADMIN_COOKIE]
    assert cookie["path"] == "/admin/"
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert is_admin_logged_in(client)


def test_storefront_login_sets_only_the_storefront_cookie_on_root_path(jane):
    client = Client()
    response = client.post(LOGIN_URL, {"email": jane.email, "password": "demo-customer"})

    assert response.status_code == 302
    assert ADMIN_COOKIE not in response.cookies
    cookie = response.cookies[STORE_COOKIE]
    assert cookie["path"] == "/"
    assert cookie["httponly"] is True
    assert storefront_customer(client) == jane
    assert not is_admin_logged_in(client)


def test_admin_and_storefront_sessions_coexist_in_one_client(administrator, jane):
    client = Client()
    admin_login(client)
    login_customer_client(client, jane)

    assert is_admin_logged_in(client)
    assert storefront_customer(client) == jane
    assert client.cookies[ADMIN_COOKIE].value != client.cookies[STORE_COOKIE].value


def test_storefront_logout_leaves_the_admin_logged_in(administrator, jane):
    client = Client()
    admin_login(client)
    admin_session_key = client.cookies[ADMIN_COOKIE].value
    login_customer_client(client, jane)

    response = client.post(LOGOUT_URL)

    assert response.status_code == 302
    assert ADMIN_COOKIE not in response.cookies
    assert storefront_customer(client) is None
    assert customer_sessions(jane) == []
    assert client.cookies[ADMIN_COOKIE].value == admin_session_key
    assert is_admin_logged_in(client)


def test_admin_logout_leaves_the_customer_logged_in(administrator, jane):
    client = Client()
    admin_login(client)
    login_customer_client(client, jane)
    store_session_key = client.cookies[STORE_COOKIE].value

    response = client.post("/admin/logout/")

    assert response.status_code == 200
    assert STORE_COOKIE not in response.cookies
    assert not is_admin_logged_in(client)
    assert client.cookies[STORE_COOKIE].value == store_session_key
    assert storefront_customer(client) == jane


# --- a session belongs to its area -----------------------------------------------------------


def test_storefront_session_key_presented_as_admin_cookie_is_not_authenticated(administrator, jane):
    customer_client = login_customer_client(Client(), jane)
    store_key = customer_client.cookies[STORE_COOKIE].value
    store_session = session_data(store_key)

    forger = Client()
    forger.cookies[ADMIN_COOKIE] = store_key
    response = forger.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert forger.get(response["Location"]).context["user"].is_anonymous
    # The storefront session itself is untouched: its owner is still signed in.
    assert session_data(store_key) == store_session
    assert storefront_customer(customer_client) == jane


def test_admin_session_key_presented_as_storefront_cookie_is_not_authenticated(administrator, jane):
    admin_client = Client()
    admin_login(admin_client)
    admin_key = admin_client.cookies[ADMIN_COOKIE].value
    admin_session = session_data(admin_key)

    forger = Client()
    forger.cookies[STORE_COOKIE] = admin_key
    assert storefront_customer(forger) is None
    response = forger.get("/en/")

    assert response.status_code == 200
    assert response.wsgi_request.session.get("_auth_user_id") is None
    assert response.wsgi_request.session.session_key != admin_key
    # The admin session itself is untouched: its owner is still signed in.
    assert session_data(admin_key) == admin_session
    assert is_admin_logged_in(admin_client)


def test_storefront_login_cycles_the_session_key(jane):
    client = Client()
    client.get(LOGIN_URL)  # browsing sets only the storefront CSRF cookie, no session
    assert STORE_COOKIE not in client.cookies
    client.post("/en/checkout/cart/add/", {"sku": "SA-BAG-001", "qty": 1})  # a guest cart does
    pre_login_key = client.cookies[STORE_COOKIE].value
    pre_login_csrf = client.cookies[settings.STOREFRONT_CSRF_COOKIE_NAME].value
    assert Session.objects.filter(session_key=pre_login_key).exists()

    login_customer_client(client, jane)

    post_login_key = client.cookies[STORE_COOKIE].value
    assert post_login_key != pre_login_key
    assert client.cookies[settings.STOREFRONT_CSRF_COOKIE_NAME].value != pre_login_csrf
    assert not Session.objects.filter(session_key=pre_login_key).exists()
    # An attacker who planted the pre-login key gets nothing.
    attacker = Client()
    attacker.cookies[STORE_COOKIE] = pre_login_key
    assert storefront_customer(attacker) is None
    assert storefront_customer(client) == jane


# --- CSRF and methods ------------------------------------------------------------------------


def test_storefront_login_without_csrf_token_is_refused(jane):
    client = Client(enforce_csrf_checks=True)
    client.get(LOGIN_URL)
    before = customers_snapshot()

    response = client.post(LOGIN_URL, {"email": jane.email, "password": "demo-customer"})

    assert response.status_code == 403
    assert customers_snapshot() == before  # last_login untouched
    assert customer_sessions(jane) == []
    assert storefront_customer(client) is None


def test_storefront_login_with_csrf_token_succeeds(jane):
    client = csrf_client_logged_in_as(jane)

    assert storefront_customer(client) == jane


def test_storefront_logout_without_csrf_token_is_refused(jane):
    client = csrf_client_logged_in_as(jane)

    response = client.post(LOGOUT_URL)

    assert response.status_code == 403
    assert storefront_customer(client) == jane
    assert len(customer_sessions(jane)) == 1


def test_storefront_register_without_csrf_token_is_refused(demo):
    client = Client(enforce_csrf_checks=True)
    client.get(REGISTER_URL)
    before = customers_snapshot()

    response = client.post(
        REGISTER_URL,
        {
            "first_name": "Mallory",
            "last_name": "Forger",
            "email": "mallory@example.com",
            "password": "Unguessable-Pass-42",
            "password_confirmation": "Unguessable-Pass-42",
        },
    )

    assert response.status_code == 403
    assert customers_snapshot() == before
    assert storefront_customer(client) is None


def test_account_edit_without_csrf_token_is_refused(jane):
    client = csrf_client_logged_in_as(jane)
    before = customers_snapshot()

    response = client.post(
        EDIT_URL, {"first_name": "Hijacked", "last_name": "Name", "email": jane.email}
    )

    assert response.status_code == 403
    assert customers_snapshot() == before
    assert storefront_customer(client) == jane


@pytest.mark.parametrize("url", [LOGOUT_URL, "/admin/logout/"])
def test_logout_by_get_is_not_allowed(administrator, jane, url):
    client = Client()
    admin_login(client)
    login_customer_client(client, jane)

    response = client.get(url)

    assert response.status_code == 405
    assert is_admin_logged_in(client)
    assert storefront_customer(client) == jane


def test_storefront_logout_gives_the_browser_a_new_csrf_secret(jane):
    client = csrf_client_logged_in_as(jane)
    before = client.cookies[settings.STOREFRONT_CSRF_COOKIE_NAME].value
    token = csrf_token_of(client.get("/en/customer/account/"))

    response = client.post("/en/customer/account/logout/", {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert client.cookies[settings.STOREFRONT_CSRF_COOKIE_NAME].value not in ("", before)


def test_every_form_of_a_response_carries_one_masked_token_and_each_response_another(jane):
    """One mask per response (``core.csrf.response_token``): the page's forms and its parts
    share it, the next response has a new one, and each unmasks to the browser's secret."""
    client = csrf_client_logged_in_as(jane)
    url = "/en/product/SA-BAG-001/"
    client.get(url)  # fills the page cache: the next two are hits, filled per request
    first, second = (csrf_tokens(client.get(url).content.decode()) for _ in range(2))

    assert len(first) == 1 and len(second) == 1 and first != second
    secret = client.cookies[settings.STOREFRONT_CSRF_COOKIE_NAME].value
    assert {_unmask_cipher_token(token) for token in first | second} == {secret}
    response = client.post(LOGOUT_URL, {"csrfmiddlewaretoken": first.pop()})
    assert response.status_code == 302
