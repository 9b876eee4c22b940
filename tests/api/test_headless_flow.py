"""SPEC §9 end to end, as a headless storefront and a support desk would call it."""

import pytest

from login_as_customer.flows.consent import set_consent
from login_as_customer.models import AssistedSession, EndReason
from shopassist.core.actor import Actor
from shopassist.sales.models import Order
from tests.api.conftest import JANE_ADDRESS, admin_token_for

pytestmark = pytest.mark.django_db


def test_admin_token_to_assisted_order_to_revoked_consent(api, support_agent, jane):
    admin_token = admin_token_for(api, "support")
    exchanged = api.post(
        "/login-as-customer/token",
        {"email": jane.email, "reason": "Phone call #1234"},
        token=admin_token,
    ).json()
    token = exchanged["access_token"]
    act = api.get("/token/introspect", token=token).json()["act"]
    assert act == {"sub": str(support_agent.pk), "username": "support"}

    cart = api.post("/cart/items", {"sku": "SA-BAG-001", "qty": 1}, token=token).json()
    assert cart["item_count"] == 1
    placed = api.post("/orders", {"shipping_address": JANE_ADDRESS}, token=token)
    assert placed.status_code == 200, placed.content
    order = Order.objects.get(increment_id=placed.json()["increment_id"])
    assert order.customer == jane
    assert (order.placed_by, order.placed_by_username) == (support_agent, "support")
    session = AssistedSession.objects.get()
    assert order.extension_attributes["assisted_session_id"] == session.pk
    comments = list(order.comments.values_list("comment", "is_visible_on_front"))
    assert comments == [
        ("Order placed by store administrator", True),
        ("Order placed by Sam Support using Login as Customer", False),
    ]
    assert placed.json()["placed_by_store_administrator"] is True

    set_consent(customer=jane, allowed=False, actor=Actor(customer=jane))
    response = api.get("/cart", token=token)
    assert response.status_code == 401
    assert response.json()["code"] == "login_as_customer.session_ended"
    session.refresh_from_db()
    assert session.end_reason == EndReason.CONSENT_REVOKED
