"""Completeness: inside an assisted session every domain action gets a readable entry and every
state-changing request a generic one, written in the transaction of the change; refusals of a
start or a redemption are recorded as denied."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
import time_machine
from django.db.models import Max
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from login_as_customer import config as lac_config
from login_as_customer import events
from login_as_customer.errors import DenialCode
from login_as_customer.models import AssistedSession, EndReason, LoginToken
from shopassist.audit.models import ActionLogEntry
from shopassist.cart.models import CartItem
from shopassist.cart.selectors import customer_cart
from shopassist.cart.signals import cart_changed
from shopassist.customers.models import Address, Customer
from shopassist.demo.data import CUSTOMER_PASSWORD
from shopassist.sales.models import Order
from tests.audit.helpers import entries_of, log_snapshot
from tests.login_as_customer.assisted import (
    carry_binding,
    redeem,
    redeem_form,
    start,
    start_assisted,
    takeover_password_form,
)

pytestmark = pytest.mark.django_db

GROUP = "login_as_customer"
BAG, SHIRT, LAMP = "SA-BAG-001", "SA-APP-002", "SA-HOM-003"
NEW_ADDRESS = {
    "first_name": "Jane",
    "last_name": "Doe",
    "street": "1 Harbour Road",
    "city": "Shelbyville",
    "postcode": "54321",
    "country": "US",
    "telephone": "+1 555 0199",
}


def last_entry_id() -> int:
    return ActionLogEntry.objects.aggregate(last=Max("id"))["last"] or 0


def post(browser: Client, session, path: str, data: dict | None = None):
    """POST in the assisted tab: (response, the entries of the session it wrote)."""
    since = last_entry_id()
    response = browser.post(path, data or {})
    written = ActionLogEntry.objects.filter(assisted_session_id=session.pk, id__gt=since)
    return response, list(written.order_by("id"))


def assert_readable(entry, session, action: str, **details) -> None:
    """A domain entry of the session: group, who, for whom, where, what."""
    assert entry.action_group == GROUP
    assert entry.action == action
    assert entry.outcome == "success"
    assert entry.channel == "web"
    assert (entry.admin_id, entry.admin_username) == (session.admin_id, "support")
    assert (entry.customer_id, entry.customer_email) == (
        session.customer_id,
        session.customer_email,
    )
    assert entry.store_view_code == "en"
    assert entry.ip_address == "127.0.0.1"
    for name, value in details.items():
        assert entry.details[name] == value, (name, entry.details)


def assert_request(entry, view: str, status: int, outcome: str = "success") -> None:
    assert entry.action_group == GROUP
    assert entry.action == "request"
    assert entry.outcome == outcome
    assert entry.details == {"view": view, "method": "POST", "status": status}


def cart_of(customer) -> dict[str, int]:
    cart = customer_cart(customer, None)
    return dict(cart.items.values_list("product__sku", "qty")) if cart else {}


def item_id(customer, sku: str) -> int:
    return customer_cart(customer, None).items.get(product__sku=sku).pk


@contextmanager
def connected(signal, receiver):
    signal.connect(receiver, weak=False)
    try:
        yield
    finally:
        signal.disconnect(receiver)


# --- Domain actions and generic requests -------------------------------------------------------


def test_cart_add_update_remove_each_write_a_readable_entry_and_a_request_entry(
    assisted_jane, jane
):
    browser, session = assisted_jane

    response, added = post(browser, session, "/en/checkout/cart/add/", {"sku": BAG, "qty": "2"})
    assert response.status_code == 302
    cart_id = customer_cart(jane, None).pk
    response, updated = post(
        browser,
        session,
        "/en/checkout/cart/update/",
        {"item_id": item_id(jane, BAG), "qty": "3"},
    )
    assert response.status_code == 302
    response, removed = post(
        browser, session, "/en/checkout/cart/remove/", {"item_id": item_id(jane, BAG)}
    )
    assert response.status_code == 302

    assert [e.action for e in added + updated + removed] == [
        "cart.add",
        "request",
        "cart.update",
        "request",
        "cart.remove",
        "request",
    ]
    assert_readable(added[0], session, "cart.add", sku=BAG, qty=2, previous_qty=0, cart_id=cart_id)
    assert_readable(updated[0], session, "cart.update", sku=BAG, qty=3, previous_qty=2)
    assert_readable(removed[0], session, "cart.remove", sku=BAG, qty=0, previous_qty=3)
    assert_request(added[1], "cart:add", 302)
    assert_request(updated[1], "cart:update", 302)
    assert_request(removed[1], "cart:remove", 302)
    assert cart_of(jane) == {}


def test_address_add_edit_delete_each_write_a_readable_entry(assisted_jane, jane):
    browser, session = assisted_jane

    response, added = post(browser, session, "/en/customer/address/new/", NEW_ADDRESS)
    assert response.status_code == 302
    address = Address.objects.get(customer=jane, city="Shelbyville")
    response, edited = post(
        browser,
        session,
        f"/en/customer/address/{address.pk}/edit/",
        {**NEW_ADDRESS, "city": "Capital City"},
    )
    assert response.status_code == 302
    response, deleted = post(browser, session, f"/en/customer/address/{address.pk}/delete/")
    assert response.status_code == 302

    assert [e.action for e in added + edited + deleted] == [
        "address.add",
        "request",
        "address.update",
        "request",
        "address.delete",
        "request",
    ]
    assert_readable(added[0], session, "address.add", address_id=address.pk, city="Shelbyville")
    assert_readable(edited[0], session, "address.update", city="Capital City", country="US")
    assert_readable(deleted[0], session, "address.delete", address_id=address.pk)
    assert (added[0].target_type, added[0].target_id) == ("customers.address", str(address.pk))
    assert_request(added[1], "customers:address_new", 302)
    assert_request(edited[1], "customers:address_edit", 302)
    assert_request(deleted[1], "customers:address_delete", 302)
    assert not Address.objects.filter(pk=address.pk).exists()


def test_placing_an_order_writes_an_entry_with_the_order_number(assisted_jane, jane):
    browser, session = assisted_jane
    post(browser, session, "/en/checkout/cart/add/", {"sku": SHIRT, "qty": "1"})

    response, written = post(
        browser, session, "/en/checkout/", {"address_choice": str(jane.addresses.first().pk)}
    )

    assert response.status_code == 302, response.content[-2000:]
    order = Order.objects.filter(customer=jane).latest("pk")
    assert [e.action for e in written] == ["order.placed", "request"]
    assert_readable(
        written[0],
        session,
        "order.placed",
        order=order.increment_id,
        grand_total=str(order.grand_total),
    )
    assert (written[0].target_type, written[0].target_id) == ("sales.order", str(order.pk))
    assert_request(written[1], "checkout:checkout", 302)


def test_a_blocked_password_change_is_recorded_as_denied(assisted_jane, jane):
    browser, session = assisted_jane

    response, written = post(
        browser,
        session,
        "/en/customer/account/edit/",
        takeover_password_form(jane),
    )

    assert response.status_code == 200
    assert "cannot be changed while a store administrator is acting on your behalf" in (
        response.content.decode()
    )
    assert Customer.objects.get(pk=jane.pk).check_password(CUSTOMER_PASSWORD)
    assert [e.action for e in written] == ["request", "account.blocked"]
    assert_request(written[0], "customers:account_edit", 200, outcome="denied")
    blocked = written[1]
    assert (blocked.action_group, blocked.outcome) == (GROUP, "denied")
    assert "password" in blocked.details["fields"]
    assert blocked.admin_username == "support"


def test_a_refused_cart_change_still_writes_its_request_entry(assisted_jane, jane):
    browser, session = assisted_jane

    response, written = post(
        browser, session, "/en/checkout/cart/add/", {"sku": "NOPE", "qty": "1"}
    )

    assert response.status_code == 302
    assert cart_of(jane) == {}
    assert [e.action for e in written] == ["request"]  # nothing done, so no domain entry
    assert_request(written[0], "cart:add", 302)


def test_safe_requests_write_no_entry(assisted_jane):
    browser, session = assisted_jane
    before = log_snapshot()

    for path in ("/en/", "/en/checkout/cart/", "/en/customer/account/"):
        assert browser.get(path).status_code == 200
    assert browser.head("/en/").status_code == 200

    assert log_snapshot() == before


def test_the_customers_own_requests_write_no_assisted_entry(jane):
    own = Client()
    own.post("/en/customer/account/login/", {"email": jane.email, "password": CUSTOMER_PASSWORD})
    before = log_snapshot()

    own.post("/en/checkout/cart/add/", {"sku": BAG, "qty": "1"})

    assert cart_of(jane) == {BAG: 1}
    assert log_snapshot() == before


# --- Same transaction --------------------------------------------------------------------------


def test_a_rolled_back_change_leaves_no_entry(support_client, jane):
    browser, session = start_assisted(
        support_client, jane, browser=Client(raise_request_exception=False)
    )
    seen = []

    def refuse_after_the_entry(sender, **kwargs):
        # The audit receiver ran first: its entry exists inside the transaction...
        seen.extend(
            ActionLogEntry.objects.filter(assisted_session_id=session.pk, action="cart.add")
        )
        raise RuntimeError("refused by another extension")

    with connected(cart_changed, refuse_after_the_entry):
        response, written = post(browser, session, "/en/checkout/cart/add/", {"sku": BAG})

    assert response.status_code == 500
    assert len(seen) == 1  # ...and the rollback took it away with the change
    assert not ActionLogEntry.objects.filter(assisted_session_id=session.pk, action="cart.add")
    assert cart_of(jane) == {}
    assert [e.action for e in written] == ["request"]
    assert_request(written[0], "cart:add", 500, outcome="failed")


def test_a_failed_entry_write_fails_the_change(support_client, jane, monkeypatch):
    browser, session = start_assisted(
        support_client, jane, browser=Client(raise_request_exception=False)
    )
    post(browser, session, "/en/checkout/cart/add/", {"sku": SHIRT, "qty": "1"})
    cart_before, log_before = cart_of(jane), log_snapshot()

    def failing_record(**kwargs):
        raise OSError("the action log cannot be written")

    monkeypatch.setattr(events, "record", failing_record)
    add = browser.post("/en/checkout/cart/add/", {"sku": BAG, "qty": "1"})
    update = browser.post(
        "/en/checkout/cart/update/", {"item_id": item_id(jane, SHIRT), "qty": "2"}
    )

    assert (add.status_code, update.status_code) == (500, 500)
    assert cart_of(jane) == cart_before == {SHIRT: 1}
    assert log_snapshot() == log_before


def test_a_failed_entry_write_raises_through_the_test_client(assisted_jane, jane, monkeypatch):
    browser, _session = assisted_jane

    def failing_record(*args, **kwargs):
        raise OSError("the action log cannot be written")

    monkeypatch.setattr(events, "record", failing_record)
    with pytest.raises(OSError, match="cannot be written"):
        browser.post("/en/checkout/cart/add/", {"sku": BAG, "qty": "1"})

    assert cart_of(jane) == {}


# --- Property: N domain actions, N domain entries ---------------------------------------------


@pytest.fixture
def many_starts(set_config):
    """Every hypothesis example starts a session: lift the per-minute start limit."""
    set_config({lac_config.START_RATE_LIMIT: "1000"})


ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(["add", "update", "remove"]),
        st.sampled_from([BAG, SHIRT, LAMP]),
        st.integers(min_value=1, max_value=3),
    ),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(actions=ACTIONS)
def test_n_random_cart_actions_write_exactly_n_domain_entries(
    actions, support_client, jane, many_starts
):
    CartItem.objects.filter(cart__customer=jane).delete()
    browser, session = start_assisted(support_client, jane)
    expected: dict[str, int] = {}
    done = []

    for kind, sku, qty in actions:
        if kind != "add" and sku not in expected:
            kind = "add"  # nothing to update or remove: add it instead
        if kind == "add":
            browser.post("/en/checkout/cart/add/", {"sku": sku, "qty": str(qty)})
            expected[sku] = expected.get(sku, 0) + qty
        elif kind == "update":
            browser.post("/en/checkout/cart/update/", {"item_id": item_id(jane, sku), "qty": qty})
            expected[sku] = qty
        else:
            browser.post("/en/checkout/cart/remove/", {"item_id": item_id(jane, sku)})
            del expected[sku]
        done.append((f"cart.{kind}", sku))

    entries = entries_of(session)
    domain = [e for e in entries if e.action.startswith("cart.")]
    assert [(e.action, e.details["sku"]) for e in domain] == done
    assert len(domain) == len(actions)
    assert sum(e.action == "request" for e in entries) == len(actions)
    assert cart_of(jane) == expected


# --- Refused starts and redemptions ------------------------------------------------------------


def test_a_denied_start_is_recorded_as_denied(support_client, support_agent, chen):
    before = log_snapshot()

    response = start(support_client, chen)

    assert response.status_code == 403
    assert not AssistedSession.objects.exists() and not LoginToken.objects.exists()
    (entry,) = [e for e in log_snapshot() if e not in before]
    assert (entry["action_group"], entry["action"], entry["outcome"]) == (
        GROUP,
        "start_denied",
        "denied",
    )
    assert (entry["admin_id"], entry["admin_username"]) == (support_agent.pk, "support")
    assert entry["details"] == {"code": DenialCode.CONSENT_MISSING.value, "customer_id": chen.pk}


def test_an_expired_redemption_is_recorded_as_denied(support_client, jane):
    response = start(support_client, jane)
    session = AssistedSession.objects.get()
    before = log_snapshot()

    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        refused = redeem(Client(), response)

    assert refused.status_code == 403
    new = [e for e in log_snapshot() if e not in before]
    assert [(e["action"], e["outcome"]) for e in new] == [
        ("end", "success"),
        ("redeem_expired", "denied"),
    ]
    assert new[0]["details"] == {"reason": EndReason.NEVER_REDEEMED.value}
    assert new[1]["details"] == {"code": DenialCode.TOKEN_EXPIRED.value, "customer_id": jane.pk}
    assert all(e["action_group"] == GROUP for e in new)
    session.refresh_from_db()
    assert session.started_at is None and session.end_reason == EndReason.NEVER_REDEEMED


def test_a_replayed_redemption_is_recorded_as_denied(support_client, jane):
    response = start(support_client, jane)
    assert redeem(Client(), response).status_code == 302
    session = AssistedSession.objects.get()
    before = log_snapshot()

    replayed = carry_binding(Client(), response).post(*_redeem_args(response))

    assert replayed.status_code == 403
    (entry,) = [e for e in log_snapshot() if e not in before]
    assert (entry["action_group"], entry["action"], entry["outcome"]) == (
        GROUP,
        "redeem_replayed",
        "denied",
    )
    assert entry["admin_username"] == "support"
    session.refresh_from_db()
    assert session.ended_at is None  # the live session is untouched


def test_a_successful_start_and_redemption_are_recorded(assisted_jane):
    _browser, session = assisted_jane

    entries = entries_of(session)

    assert [(e.action, e.outcome) for e in entries] == [
        ("start", "success"),
        ("redeem", "success"),
    ]
    assert all(e.action_group == GROUP for e in entries)
    assert entries[0].target_id == str(session.pk)


def _redeem_args(start_response) -> tuple[str, dict]:
    action, token = redeem_form(start_response)
    return action, {"token": token}
