"""Text with NUL characters is refused with 400 before it reaches the database (PostgreSQL
cannot store it), and nothing changes."""

from shopassist.customers.models import Customer


def test_a_nul_character_in_a_body_is_refused_and_changes_nothing(api, jane, jane_token):
    response = api.patch("/customers/me", {"last_name": "Do\x00e"}, token=jane_token)

    assert response.status_code == 400
    assert response.json()["code"] == "request.invalid"
    assert Customer.objects.get(pk=jane.pk).last_name == "Doe"


def test_an_order_number_outside_its_pattern_is_refused(api, jane_token):
    response = api.get("/orders/12%0034", token=jane_token)

    assert response.status_code == 400
    assert response.json()["code"] == "request.invalid"
