"""The API review round: tokens stand only while their store view is usable, request bodies
are strict (no unknown member, no boolean or string read as an integer), an assisted token
cannot change the customer's credentials, and every state-changing call of an assisted token
is recorded once, also one refused before its endpoint ran."""

import pytest

from login_as_customer.models import AssistedSession, EndReason
from shopassist.api.models import ApiToken
from shopassist.audit.models import ActionLogEntry
from shopassist.cart.models import Cart, CartItem
from shopassist.customers.models import Customer
from shopassist.demo.data import CUSTOMER_PASSWORD
from tests.api.conftest import API, assisted_token_for

pytestmark = pytest.mark.django_db


def _rows(model, *, but=()):
    fields = [f.attname for f in model._meta.concrete_fields if f.attname not in but]
    return list(model.objects.order_by("pk").values(*fields))


def _state():
    """What a refused call must leave as it was (but the clocks of use every call moves)."""
    return {
        "sessions": _rows(AssistedSession, but=("last_seen_at",)),
        "tokens": _rows(ApiToken, but=("last_used_at",)),
        "customers": _rows(Customer),
        "carts": _rows(Cart),
        "items": _rows(CartItem),
        "entries": ActionLogEntry.objects.count(),
    }


def _without_entries(state):
    return {name: value for name, value in state.items() if name != "entries"}


def _session():
    return AssistedSession.objects.latest("id")


def _entries_since(count, session=None):
    entries = ActionLogEntry.objects.order_by("id")[count:]
    return [
        (e.action, e.outcome, e.channel, e.details.get("method"), e.details.get("status"))
        for e in entries
        if session is None or e.assisted_session_id == session.pk
    ]


def _close(store_view):
    store_view.is_active = False
    store_view.save(update_fields=["is_active"])


# 1. A token stands only while its store view is usable.


def test_a_customer_token_stops_working_once_its_store_view_is_closed(api, jane_token, en):
    assert api.get("/customers/me", token=jane_token).status_code == 200
    _close(en)
    before = _state()

    read = api.get("/customers/me", token=jane_token)
    write = api.post("/cart/items", {"sku": "SA-BAG-001", "qty": 1}, token=jane_token)

    for response in (read, write):
        assert response.status_code == 401
        assert response.json()["code"] == "auth.token_invalid"
    assert _state() == before


def test_an_assisted_token_on_a_closed_store_view_ends_its_session(api, assisted_jane_token, en):
    session = _session()
    _close(en)
    before = _state()

    response = api.post("/cart/items", {"sku": "SA-BAG-001", "qty": 1}, token=assisted_jane_token)

    assert response.status_code == 401
    assert response.json()["code"] == "login_as_customer.session_ended"
    session.refresh_from_db()
    assert session.ended_at is not None
    assert session.end_reason == EndReason.STORE_VIEW_UNAVAILABLE
    # Nothing else: no cart, no "request" entry; the only new entry is the session's end.
    after = _state()
    assert after["carts"] == before["carts"] and after["items"] == before["items"]
    assert after["customers"] == before["customers"]
    assert [e[:2] for e in _entries_since(before["entries"])] == [("end", "success")]
    # The session stays ended when the store view opens again.
    en.is_active = True
    en.save(update_fields=["is_active"])
    assert api.get("/customers/me", token=assisted_jane_token).status_code == 401


def test_an_introspected_token_on_a_closed_store_view_is_inactive(api, jane_token, en):
    _close(en)

    response = api.get("/token/introspect", token=jane_token)

    assert response.status_code == 200
    assert response.json() == {"active": False}


# 2. Unknown members are refused; credentials are not changed through the API.


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("patch", "/customers/me", {"first_name": "Janet", "nickname": "jj"}),
        ("post", "/cart/items", {"sku": "SA-BAG-001", "qty": 1, "price": "0.01"}),
        (
            "post",
            "/auth/customer-token",
            {"email": "x@example.com", "password": "x", "store_view": "en", "remember": True},
        ),
    ],
)
def test_an_unknown_member_of_a_body_is_refused(api, jane_token, method, path, body):
    before = _state()

    response = getattr(api, method)(path, body, token=jane_token)

    assert response.status_code == 400
    assert response.json()["code"] == "request.invalid"
    assert set(response.json()) == {"code", "message"}
    assert _state() == before


def test_an_unknown_member_of_the_token_exchange_starts_nothing(api, support_token, jane):
    before = _state()

    response = api.post(
        "/login-as-customer/token",
        {"customer_id": jane.pk, "customer": "jane.doe@example.com"},
        token=support_token,
    )

    assert response.status_code == 400
    assert response.json()["code"] == "request.invalid"
    assert _state() == before


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"email": "someone.else@example.com"}, ["email"]),
        ({"password": "a-new-password-1234"}, ["password"]),
        ({"first_name": "Janet", "email": "someone.else@example.com"}, ["email"]),
    ],
)
def test_an_assisted_token_cannot_change_the_customers_credentials(
    api, assisted_jane_token, jane, body, fields
):
    session = _session()
    before = _state()

    response = api.patch("/customers/me", body, token=assisted_jane_token)

    assert response.status_code == 403
    assert response.json()["code"] == "login_as_customer.credentials_change_blocked"
    assert _without_entries(_state()) == _without_entries(before)
    jane.refresh_from_db()
    assert jane.email == "jane.doe@example.com" and jane.first_name == "Jane"
    assert jane.check_password(CUSTOMER_PASSWORD)
    assert _entries_since(before["entries"], session) == [
        ("request", "denied", "api", "PATCH", 403),
        ("account.blocked", "denied", "api", None, None),
    ]
    blocked = ActionLogEntry.objects.get(action="account.blocked", assisted_session_id=session.pk)
    assert blocked.details["fields"] == fields
    # The session goes on.
    assert api.get("/customers/me", token=assisted_jane_token).status_code == 200


def test_the_customers_own_token_changes_no_credentials_either(api, jane_token, jane):
    before = _state()

    response = api.patch("/customers/me", {"password": "a-new-password-1234"}, token=jane_token)

    assert response.status_code == 403
    assert response.json()["code"] == "request.forbidden"
    assert _state() == before
    jane.refresh_from_db()
    assert jane.check_password(CUSTOMER_PASSWORD)


def test_an_empty_patch_of_an_assisted_token_is_recorded(api, assisted_jane_token):
    session = _session()
    before = _state()

    response = api.patch("/customers/me", {}, token=assisted_jane_token)

    assert response.status_code == 200
    assert _without_entries(_state()) == _without_entries(before)
    assert _entries_since(before["entries"], session) == [
        ("request", "success", "api", "PATCH", 200)
    ]


# 3. A state-changing call of an assisted token refused before its endpoint ran is recorded.


def _raw(api, method, path, data, token, content_type="application/json"):
    return getattr(api.client, method)(
        API + path, data, content_type=content_type, HTTP_AUTHORIZATION=f"Bearer {token}"
    )


@pytest.mark.parametrize(
    ("method", "path", "data", "content_type", "status"),
    [
        ("post", "/cart/items", '{"sku": "SA-BAG-001", "qty": "many"}', "application/json", 400),
        ("post", "/cart/items", "sku=SA-BAG-001&qty=1", "application/x-www-form-urlencoded", 400),
        ("post", "/cart/items", "[[[[" * 40 + "]]]]" * 40, "application/json", 400),
        ("put", "/customers/me", '{"first_name": "Janet"}', "application/json", 405),
        ("delete", "/customers/me", "", "application/json", 405),
        ("post", "/login-as-customer/token", '{"customer_id": 1}', "application/json", 403),
    ],
)
def test_a_call_refused_before_its_endpoint_ran_is_recorded_once(
    api, assisted_jane_token, method, path, data, content_type, status
):
    session = _session()
    before = _state()

    response = _raw(api, method, path, data, assisted_jane_token, content_type)

    assert response.status_code == status
    assert set(response.json()) == {"code", "message"}
    assert _without_entries(_state()) == _without_entries(before)
    outcome = "failed" if status == 400 else "denied"
    assert _entries_since(before["entries"], session) == [
        ("request", outcome, "api", method.upper(), status)
    ]


def test_a_write_refused_by_its_endpoint_is_recorded_once(api, assisted_jane_token):
    session = _session()
    before = _state()

    response = api.post("/cart/items", {"sku": "NO-SUCH-SKU", "qty": 1}, token=assisted_jane_token)

    assert response.status_code == 404
    assert _without_entries(_state()) == _without_entries(before)
    assert _entries_since(before["entries"], session) == [("request", "failed", "api", "POST", 404)]


def test_a_write_done_is_recorded_once(api, assisted_jane_token):
    session = _session()
    count = ActionLogEntry.objects.count()

    response = api.post("/cart/items", {"sku": "SA-BAG-001", "qty": 1}, token=assisted_jane_token)

    assert response.status_code == 200
    requests = [e for e in _entries_since(count, session) if e[0] == "request"]
    assert requests == [("request", "success", "api", "POST", 200)]


def test_a_view_only_refusal_is_recorded_once(api, support_token, jane):
    token = assisted_token_for(api, support_token, jane, mode="view_only")
    session = _session()
    before = _state()

    response = api.post("/cart/items", {"sku": "SA-BAG-001", "qty": 1}, token=token)

    assert response.status_code == 403
    assert _without_entries(_state()) == _without_entries(before)
    assert _entries_since(before["entries"], session) == [
        ("request", "denied", "api", "POST", 403),
        ("view_only_refused", "denied", "api", "POST", None),
    ]


def test_the_customers_own_refused_calls_and_an_assisted_read_log_nothing(
    api, jane_token, assisted_jane_token
):
    before = _state()

    assert _raw(api, "post", "/cart/items", "{", jane_token).status_code == 400
    assert _raw(api, "put", "/customers/me", "{}", jane_token).status_code == 405
    assert api.get("/orders/not%20an%20id", token=assisted_jane_token).status_code in (400, 404)

    assert _without_entries(_state()) == _without_entries(before)
    assert ActionLogEntry.objects.count() == before["entries"]


def test_a_dead_token_calling_with_a_wrong_method_is_not_recorded(api, assisted_jane_token):
    assert api.post("/auth/logout", token=assisted_jane_token).status_code == 204
    before = _state()

    response = _raw(api, "put", "/customers/me", "{}", assisted_jane_token)

    assert response.status_code == 405
    assert _state() == before


# 4. No boolean, string or fraction read as an integer.


@pytest.mark.parametrize("customer_id", [True, "1", 1.5, [1]])
def test_the_token_exchange_takes_no_lax_customer_id(api, support_token, customer_id):
    before = _state()

    response = api.post(
        "/login-as-customer/token", {"customer_id": customer_id}, token=support_token
    )

    assert response.status_code == 400
    assert response.json()["code"] == "request.invalid"
    assert "customer_id" in response.json()["message"]
    assert _state() == before


@pytest.mark.parametrize("qty", [True, "1", 1.5, None])
def test_the_cart_takes_no_lax_quantity(api, jane_token, qty):
    before = _state()

    response = api.post("/cart/items", {"sku": "SA-BAG-001", "qty": qty}, token=jane_token)

    assert response.status_code == 400
    assert response.json()["code"] == "request.invalid"
    assert _state() == before


def test_a_cart_line_takes_no_boolean_quantity(api, jane_token):
    added = api.post("/cart/items", {"sku": "SA-BAG-001", "qty": 2}, token=jane_token)
    item_id = added.json()["lines"][0]["item_id"]
    before = _state()

    response = api.patch(f"/cart/items/{item_id}", {"qty": True}, token=jane_token)

    assert response.status_code == 400
    assert _state() == before


def test_a_whole_number_is_an_integer_however_written(api, jane_token):
    # JSON and the published OpenAPI 3.1 schema hold 2.0 to be the integer 2.
    response = api.post("/cart/items", {"sku": "SA-BAG-001", "qty": 2.0}, token=jane_token)

    assert response.status_code == 200
    assert response.json()["lines"][0]["qty"] == 2


def test_an_assisted_tokens_logout_is_recorded_as_the_write_that_ends_its_session(
    api, assisted_jane_token, django_capture_on_commit_callbacks
):
    session = _session()
    count = ActionLogEntry.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/auth/logout", token=assisted_jane_token)

    assert response.status_code == 204
    assert sorted(e[:2] for e in _entries_since(count, session)) == [
        ("end", "success"),
        ("request", "success"),
    ]
    session.refresh_from_db()
    assert session.end_reason == EndReason.CLOSED_BY_ADMIN
    assert (
        session.action_count
        == ActionLogEntry.objects.filter(assisted_session_id=session.pk).count()
    )
