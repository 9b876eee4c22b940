"""Fixtures of the API tests: a JSON client, tokens of people named by role, a clean cache."""

import copy
import uuid

import pytest
from django.test import Client

from shopassist.demo.data import CUSTOMER_PASSWORD

API = "/api/v1"


@pytest.fixture(autouse=True)
def _own_cache_namespace(settings):
    """Rate limits, lockouts and throttles count in the shared cache: one namespace per test."""
    caches = copy.deepcopy(settings.CACHES)
    prefix = caches["default"].get("KEY_PREFIX", "")
    caches["default"]["KEY_PREFIX"] = f"{prefix}api-{uuid.uuid4().hex}"
    settings.CACHES = caches


class ApiClient:
    """JSON calls to the API with an optional bearer token."""

    def __init__(self):
        self.client = Client()

    def call(self, method, path, body=None, token=None, **headers):
        if token:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        kwargs = {"content_type": "application/json"} if body is not None else {}
        return getattr(self.client, method)(API + path, body, **kwargs, **headers)

    def get(self, path, token=None, **headers):
        return self.call("get", path, token=token, **headers)

    def post(self, path, body=None, token=None, **headers):
        return self.call("post", path, body if body is not None else {}, token=token, **headers)

    def patch(self, path, body=None, token=None, **headers):
        return self.call("patch", path, body if body is not None else {}, token=token, **headers)

    def delete(self, path, token=None, **headers):
        return self.call("delete", path, token=token, **headers)


@pytest.fixture
def api():
    return ApiClient()


def admin_token_for(api, username):
    response = api.post("/auth/admin-token", {"username": username, "password": f"demo-{username}"})
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


def customer_token_for(api, customer, store_view="en"):
    response = api.post(
        "/auth/customer-token",
        {"email": customer.email, "password": CUSTOMER_PASSWORD, "store_view": store_view},
    )
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


def assisted_token_for(api, admin_token, customer, **body):
    response = api.post(
        "/login-as-customer/token", {"customer_id": customer.pk, **body}, token=admin_token
    )
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


@pytest.fixture
def support_token(api, support_agent):
    return admin_token_for(api, "support")


@pytest.fixture
def jane_token(api, jane):
    return customer_token_for(api, jane)


@pytest.fixture
def assisted_jane_token(api, support_token, jane):
    return assisted_token_for(api, support_token, jane)


# Jane's address book address, as a headless client sends it.
JANE_ADDRESS = {
    "first_name": "Jane",
    "last_name": "Doe",
    "street": "100 Main Street",
    "city": "Springfield",
    "postcode": "12345",
    "country": "US",
}
