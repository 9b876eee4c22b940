"""View-only assistance (issue 16, point 2): the administrator sees what the customer sees and
changes nothing. "Login as Customer (view only)" starts only view-only sessions; "Allow Login
as Customer" may choose; every state-changing request of a view-only session, on the web or in
the API, is refused with a message and logged; the banner and the log say which mode it is."""

import csv
import io

import pytest
from django.db import DatabaseError, transaction
from django.test import Client

from login_as_customer.errors import DenialCode, message_for
from login_as_customer.flows.live_check import SESSION_ID_KEY
from login_as_customer.models import AssistanceConsent, AssistedSession, EndReason, LoginToken
from shopassist.audit.models import ActionLogEntry
from shopassist.cart.models import Cart, CartItem
from shopassist.customers.models import Address, Customer
from shopassist.lac_host.acl import VIEW_ONLY
from shopassist.sales.models import Order
from shopassist.staff import roles
from shopassist.staff.models import Role
from tests.conftest import login_customer_client
from tests.login_as_customer.assisted import close_url, session_of, start, start_assisted

pytestmark = pytest.mark.django_db
VIEW_ONLY_MESSAGE = message_for(DenialCode.VIEW_ONLY)
TRAINEE_MESSAGE = "This is a view-only session: nothing can be changed."


@pytest.fixture
def trainee_client(trainee, admin_client_for):
    return admin_client_for(trainee)


def customer_state(customer) -> dict:
    """What a change on the customer's account would touch."""
    customer = Customer.objects.get(pk=customer.pk)
    return {
        "name": (customer.first_name, customer.last_name, customer.email),
        "carts": list(Cart.objects.filter(customer=customer).values()),
        "items": list(CartItem.objects.filter(cart__customer=customer).values()),
        "addresses": list(Address.objects.filter(customer=customer).values()),
        "orders": Order.objects.filter(customer=customer).count(),
        "consent": list(AssistanceConsent.objects.filter(customer=customer).values()),
    }


def entries_of(session, *actions):
    return list(
        ActionLogEntry.objects.filter(assisted_session_id=session.pk, action__in=actions)
        .order_by("id")
        .values("action", "outcome", "channel", "details")
    )


# --- Starting ---------------------------------------------------------------------------------


def test_a_trainee_starts_view_only_sessions_and_the_banner_says_so(trainee_client, jane):
    browser, session = start_assisted(trainee_client, jane)

    assert session.mode == "view_only"
    page = browser.get("/en/customer/account/").content.decode()
    assert "You are connected as Jane Doe on Main Website" in page
    assert 'data-testid="lac-banner-mode">View only</span>' in page
    started = entries_of(session, "start")
    assert started[0]["details"]["mode"] == "view_only"


def test_full_access_keeps_the_banner_as_it_was(support_client, jane):
    browser, session = start_assisted(support_client, jane)

    assert session.mode == "full"
    assert "lac-banner-mode" not in browser.get("/en/customer/account/").content.decode()


def test_the_dialog_offers_both_modes_with_allow_and_says_view_only_without(
    support_client, trainee_client, jane
):
    dialog = support_client.get(f"/admin/login_as_customer/{jane.pk}/confirm/").content.decode()
    assert '<input type="radio" name="mode" value="view_only">' in dialog
    assert '<input type="radio" name="mode" value="full" checked>' in dialog
    assert "View only" in dialog and "Full access" in dialog

    dialog = trainee_client.get(f"/admin/login_as_customer/{jane.pk}/confirm/").content.decode()
    assert 'type="radio"' not in dialog
    assert '<input type="hidden" name="mode" value="view_only">' in dialog
    assert "This session will be view only" in dialog


def test_the_button_shows_for_a_trainee_and_not_for_staff_without_either(
    trainee_client, desk_agent, admin_client_for, jane
):
    customer_page = f"/admin/customers/customer/{jane.pk}/change/"
    assert "Login as Customer" in trainee_client.get(customer_page).content.decode()
    desk = admin_client_for(desk_agent).get(customer_page).content.decode()
    assert 'data-testid="lac-confirm-form"' not in desk


def test_a_support_agent_may_choose_view_only(support_client, jane):
    browser, session = start_assisted(support_client, jane, mode="view_only")

    assert session.mode == "view_only"
    assert "lac-banner-mode" in browser.get("/en/").content.decode()


def test_full_access_without_allow_is_refused_logged_and_nothing_starts(
    trainee, trainee_client, jane
):
    before = AssistedSession.objects.count(), LoginToken.objects.count()

    response = start(trainee_client, jane, mode="full")

    assert response.status_code == 403
    assert message_for(DenialCode.FULL_ACCESS_MISSING) in response.content.decode()
    assert (AssistedSession.objects.count(), LoginToken.objects.count()) == before
    denial = ActionLogEntry.objects.filter(action="start_denied").latest("id")
    assert (denial.admin_id, denial.details["code"]) == (trainee.pk, DenialCode.FULL_ACCESS_MISSING)


@pytest.mark.parametrize("mode", ["admin", "FULL", "view only", "\x00"])
def test_an_unknown_mode_is_refused_with_400_and_nothing_starts(support_client, jane, mode):
    before = AssistedSession.objects.count(), LoginToken.objects.count()

    response = start(support_client, jane, mode=mode)

    assert response.status_code == 400
    if mode.isprintable():  # NUL is refused earlier, by the bad-input guard of every form
        assert message_for(DenialCode.MODE_INVALID) in response.content.decode()
    assert (AssistedSession.objects.count(), LoginToken.objects.count()) == before
    if mode.isprintable():
        denial = ActionLogEntry.objects.filter(action="start_denied").latest("id")
        assert denial.details["code"] == DenialCode.MODE_INVALID


def test_staff_with_neither_resource_is_refused_and_nothing_starts(
    desk_agent, admin_client_for, jane
):
    client = admin_client_for(desk_agent)
    before = AssistedSession.objects.count()

    assert client.get(f"/admin/login_as_customer/{jane.pk}/confirm/").status_code == 403
    assert start(client, jane, mode="view_only").status_code == 403
    assert AssistedSession.objects.count() == before


# --- Refusing changes ---------------------------------------------------------------------


CHANGES = [
    ("/en/checkout/cart/add/", {"sku": "SA-BAG-001", "qty": "1"}),
    ("/en/customer/account/edit/", {"first_name": "Eve", "last_name": "Doe", "email": "e@x.io"}),
    (
        "/en/customer/address/new/",
        {
            "first_name": "Jane",
            "last_name": "Doe",
            "street": "1 Other Street",
            "city": "Springfield",
            "postcode": "12345",
            "country": "US",
            "telephone": "+1 555 0100",
        },
    ),
    ("/en/customer/assisted-sessions/revoke/", {}),
]


@pytest.mark.parametrize(("path", "data"), CHANGES, ids=lambda value: str(value)[:30])
def test_every_change_in_a_view_only_session_is_refused_explained_and_logged(
    trainee_client, jane, path, data
):
    browser, session = start_assisted(trainee_client, jane)
    before = customer_state(jane)

    response = browser.post(path, data, HTTP_REFERER="http://testserver/en/customer/account/")

    assert response.status_code == 403
    page = response.content.decode()
    # A trainee may not start a session with Full access: not told to.
    assert TRAINEE_MESSAGE in page and "Full access" not in page
    assert 'href="http://testserver/en/customer/account/"' in page  # back where it was
    assert "You are connected as Jane Doe on Main Website" in page  # still in the session
    assert customer_state(jane) == before
    refused = entries_of(session, "request", "view_only_refused")
    assert [(e["action"], e["outcome"]) for e in refused] == [
        ("request", "denied"),
        ("view_only_refused", "denied"),
    ]
    assert refused[0]["details"]["status"] == 403
    assert refused[1]["details"]["method"] == "POST"
    # The session goes on: reading still works.
    assert browser.get("/en/customer/account/").status_code == 200


def test_a_refused_change_names_the_view_it_asked_for(trainee_client, jane):
    browser, session = start_assisted(trainee_client, jane)

    browser.post("/en/checkout/cart/add/", {"sku": "SA-BAG-001", "qty": "1"})

    (request, _refusal) = entries_of(session, "request", "view_only_refused")
    assert request["details"]["view"] == "cart:add"


def test_a_referer_from_another_site_is_not_offered_as_the_way_back(trainee_client, jane):
    browser, _session = start_assisted(trainee_client, jane)

    page = browser.post(
        "/en/checkout/cart/add/", {"sku": "SA-BAG-001"}, HTTP_REFERER="https://evil.example/"
    ).content.decode()

    assert "evil.example" not in page
    assert 'href="/en/"' in page


def test_reading_pages_work_in_a_view_only_session(trainee_client, jane):
    browser, _session = start_assisted(trainee_client, jane)

    for path in ("/en/", "/en/customer/account/", "/en/checkout/cart/", "/en/sales/order/history/"):
        assert browser.get(path).status_code == 200, path


def test_close_session_ends_a_view_only_session(trainee_client, jane):
    browser, session = start_assisted(trainee_client, jane)

    assert browser.post(close_url()).status_code == 200

    session.refresh_from_db()
    assert session.end_reason == EndReason.CLOSED_BY_ADMIN
    assert SESSION_ID_KEY not in session_of(browser)


def test_sign_out_ends_a_view_only_session(trainee_client, jane):
    browser, session = start_assisted(trainee_client, jane)

    response = browser.post("/en/customer/account/logout/")

    assert response.status_code == 302
    session.refresh_from_db()
    assert session.ended_at is not None
    assert not entries_of(session, "view_only_refused")


def test_a_view_only_session_ends_when_the_trainee_loses_the_resource(trainee_client, jane):
    browser, session = start_assisted(trainee_client, jane)
    role = Role.objects.get(name="Support Trainee")
    roles.set_role_resources(role, access=roles.ACCESS_CUSTOM, resource_ids=["customers.manage"])

    assert browser.get("/en/customer/account/").status_code == 302

    session.refresh_from_db()
    assert session.end_reason == EndReason.PERMISSION_REVOKED


def test_view_only_alone_never_keeps_a_full_session(support_client, support_agent, jane):
    browser, session = start_assisted(support_client, jane)  # full access
    role = Role.objects.get(name="Customer Support")
    roles.set_role_resources(role, access=roles.ACCESS_CUSTOM, resource_ids=[VIEW_ONLY])

    assert browser.get("/en/customer/account/").status_code == 302

    session.refresh_from_db()
    assert session.end_reason == EndReason.PERMISSION_REVOKED


def test_the_customer_sees_that_a_view_only_session_changed_nothing(trainee_client, jane):
    browser, _session = start_assisted(trainee_client, jane)
    browser.post(close_url())

    own = login_customer_client(Client(), jane)
    page = own.get("/en/customer/assisted-sessions/").content.decode()
    assert "View only: nothing could be changed." in page


# --- The log ------------------------------------------------------------------------------


def test_the_log_shows_each_sessions_mode(support_client, trainee_client, jane, marie):
    _b1, viewed = start_assisted(trainee_client, jane)
    _b2, helped = start_assisted(support_client, marie)
    log = support_client.get("/admin/login_as_customer/log/").content.decode()
    assert "<th>Access</th>" in log
    assert f">{viewed.pk}</a></td>" in log and "<td>View only</td>" in log
    assert "<td>Full access</td>" in log

    detail = support_client.get(f"/admin/login_as_customer/log/{viewed.pk}/").content.decode()
    assert 'data-testid="lac-session-mode">View only</td>' in detail

    export = support_client.get("/admin/login_as_customer/log/?export=csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode())))
    modes = {int(row["id"]): row["mode"] for row in rows}
    assert (modes[viewed.pk], modes[helped.pk]) == ("view_only", "full")


def test_an_ended_sessions_mode_is_frozen(trainee_client, jane):
    browser, session = start_assisted(trainee_client, jane)
    browser.post(close_url())

    with pytest.raises(DatabaseError), transaction.atomic():
        AssistedSession.objects.filter(pk=session.pk).update(mode="full")
    session.refresh_from_db()
    assert session.mode == "view_only"


def test_a_newer_login_link_replaces_a_view_only_session_in_the_same_browser(
    trainee_client, support_client, jane, marie
):
    browser, first = start_assisted(trainee_client, jane)  # view only

    _browser, second = start_assisted(support_client, marie, browser=browser)

    assert session_of(browser)[SESSION_ID_KEY] == second.pk
    assert second.mode == "full"
    first.refresh_from_db()
    assert first.end_reason == EndReason.REPLACED
    assert not entries_of(first, "view_only_refused")


def test_an_agent_who_may_act_is_told_how_to_act(support_client, jane):
    """A support agent's view-only session: the refusal says how to act for the customer (a
    session with Full access, which they may start)."""
    browser, _session = start_assisted(support_client, jane, mode="view_only")
    before = customer_state(jane)

    response = browser.post(*CHANGES[0], HTTP_REFERER="http://testserver/en/customer/account/")

    assert response.status_code == 403
    assert VIEW_ONLY_MESSAGE in response.content.decode()
    assert customer_state(jane) == before
