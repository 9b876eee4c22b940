"""View-only assistance through the API (issue 16, point 2): the token exchange takes a mode;
a view-only session's token reads and is refused every change, logged as on the web."""

import pytest
from django.contrib.auth.models import User

from login_as_customer.errors import DenialCode, message_for
from login_as_customer.models import AssistedSession
from shopassist.audit.models import ActionLogEntry
from shopassist.cart.models import Cart, CartItem
from tests.api.conftest import admin_token_for, assisted_token_for

pytestmark = pytest.mark.django_db


def entries_of(session, *actions):
    return list(
        ActionLogEntry.objects.filter(assisted_session_id=session.pk, action__in=actions)
        .order_by("id")
        .values("action", "outcome", "channel", "details")
    )


def test_the_api_exchange_starts_a_view_only_session(api, support_token, jane):
    token = assisted_token_for(api, support_token, jane, mode="view_only")
    session = AssistedSession.objects.latest("id")
    assert session.mode == "view_only"

    cart = Cart.objects.filter(customer=jane).count(), CartItem.objects.count()
    refused = api.post("/cart/items", {"sku": "SA-BAG-001", "qty": 1}, token=token)

    assert refused.status_code == 403
    assert refused.json()["code"] == DenialCode.VIEW_ONLY
    assert refused.json()["message"] == message_for(DenialCode.VIEW_ONLY)
    assert (Cart.objects.filter(customer=jane).count(), CartItem.objects.count()) == cart
    logged = entries_of(session, "request", "view_only_refused")
    assert [(e["action"], e["outcome"], e["channel"]) for e in logged] == [
        ("request", "denied", "api"),
        ("view_only_refused", "denied", "api"),
    ]
    # Reading goes on; logging out ends the session.
    assert api.get("/cart", token=token).status_code == 200
    assert api.get("/customers/me", token=token).status_code == 200
    assert api.post("/auth/logout", token=token).status_code == 204
    session.refresh_from_db()
    assert session.ended_at is not None


def test_the_api_refuses_full_access_to_a_trainee(api, trainee, jane):
    token = admin_token_for(api, "trainee")
    before = AssistedSession.objects.count()

    response = api.post(
        "/login-as-customer/token", {"customer_id": jane.pk, "mode": "full"}, token=token
    )

    assert response.status_code == 403
    assert response.json()["code"] == DenialCode.FULL_ACCESS_MISSING
    assert AssistedSession.objects.count() == before
    # Without a mode, the trainee gets what they may: view only.
    assisted_token_for(api, token, jane)
    assert AssistedSession.objects.latest("id").mode == "view_only"


def test_the_api_rejects_an_unknown_mode(api, support_token, jane):
    before = AssistedSession.objects.count()

    response = api.post(
        "/login-as-customer/token", {"customer_id": jane.pk, "mode": "root"}, token=support_token
    )

    assert response.status_code in (400, 422)
    assert AssistedSession.objects.count() == before


def test_staff_without_either_resource_exchanges_nothing(api, jane):
    User.objects.create_user("nobody", password="demo-nobody", is_staff=True)
    token = admin_token_for(api, "nobody")

    response = api.post("/login-as-customer/token", {"customer_id": jane.pk}, token=token)

    assert response.status_code == 403
    assert response.json()["code"] == DenialCode.PERMISSION_MISSING
