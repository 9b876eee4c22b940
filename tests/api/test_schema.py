"""The OpenAPI schema: every operation declares its error responses; docs need no CDN."""

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(api):
    response = api.get("/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_every_operation_declares_its_error_responses_with_the_error_body(schema):
    operations = [
        (path, method, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]
    assert len(operations) >= 13
    for path, method, operation in operations:
        statuses = set(operation["responses"])
        assert "400" in statuses or method == "get" or path.endswith("/logout"), (path, method)
        if operation.get("security"):
            assert {"401", "403"} <= statuses, (path, method)
        for status, response in operation["responses"].items():
            if status.startswith(("4", "5")):
                ref = response["content"]["application/json"]["schema"]["$ref"]
                assert ref.endswith("/Error"), (path, method, status)


def test_state_changes_are_never_gets(schema):
    writes = {
        "/api/v1/auth/admin-token",
        "/api/v1/auth/customer-token",
        "/api/v1/auth/logout",
        "/api/v1/login-as-customer/token",
    }
    for path in writes:
        assert set(schema["paths"][path]) == {"post"}, path


def test_the_customer_resource_exposes_the_assistance_permission(schema):
    customer = schema["components"]["schemas"]["CustomerOut"]
    assert "allow_remote_shopping_assistance" in customer["properties"]


def test_the_docs_page_loads_nothing_from_another_host(api):
    response = api.get("/docs")
    assert response.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', response.content.decode())
    assert sources and all(source.startswith("/static/") for source in sources)
    assert "Set-Cookie" not in response.headers
