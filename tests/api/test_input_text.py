"""NUL characters never reach the database (PostgreSQL cannot store them): they are dropped
from request text, and malformed order numbers are refused."""

from shopassist.customers.models import Customer


def test_nul_characters_are_dropped_from_request_text(api, jane, jane_token):
    response = api.patch("/customers/me", {"last_name": "Do\x00e-Smith"}, token=jane_token)

    assert response.status_code == 200
    assert Customer.objects.get(pk=jane.pk).last_name == "Doe-Smith"


def test_a_name_of_only_nul_characters_is_refused_and_changes_nothing(api, jane, jane_token):
    response = api.patch("/customers/me", {"last_name": "\x00"}, token=jane_token)

    assert response.status_code == 400
    assert Customer.objects.get(pk=jane.pk).last_name == "Doe"


def test_an_order_number_outside_its_pattern_is_refused(api, jane_token):
    response = api.get("/orders/12%0034", token=jane_token)

    assert response.status_code == 400
    assert response.json()["code"] == "request.invalid"
