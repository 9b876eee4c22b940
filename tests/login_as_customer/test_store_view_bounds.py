"""An assisted session stays where its customer's account can be used: a store view of a
website the account is not on sends the tab back to the session's own store view, changing
nothing; once the customer cannot use that one either (moved to another website), the session
ends — at its next request, or when the move commits (integrations/account_changes.py)."""

import pytest
from django.contrib.messages import get_messages

from login_as_customer.flows.live_check import SESSION_ID_KEY
from login_as_customer.models import AssistedSession, EndReason
from shopassist.audit.models import ActionLogEntry
from shopassist.cart.models import Cart
from shopassist.customers.models import Customer
from tests.login_as_customer.assisted import assert_ended, session_of, start_assisted

pytestmark = pytest.mark.django_db

BANNER = b'data-testid="lac-banner"'


def _state():
    return {
        "sessions": list(AssistedSession.objects.order_by("pk").values()),
        "entries": ActionLogEntry.objects.count(),
        "carts": list(Cart.objects.order_by("pk").values()),
    }


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_websites_store_view_sends_the_tab_back_and_changes_nothing(
    method, support_client, jane, outlet_view
):
    browser, session = start_assisted(support_client, jane)
    before = _state()

    if method == "get":
        response = browser.get("/outlet/")
    else:
        response = browser.post("/outlet/checkout/cart/add/", {"sku": "SA-BAG-001", "qty": "1"})

    assert response.status_code == 302
    assert response["Location"] == "/en/"
    assert "no-store" in response["Cache-Control"]
    assert BANNER not in response.content
    assert _state() == before  # no cart, no entry; the session goes on
    assert session_of(browser)[SESSION_ID_KEY] == session.pk
    page = browser.get(response["Location"])
    assert BANNER in page.content
    assert "Jane Doe&#x27;s account cannot be used on that store view" in page.content.decode()


def test_a_customer_moved_to_another_website_ends_the_session_at_its_next_request(
    support_client, jane, outlet_view
):
    browser, session = start_assisted(support_client, jane)
    # Moved without signals (a bulk update): the next request finds it.
    Customer.objects.filter(pk=jane.pk).update(website=outlet_view.store.website)

    response = browser.get("/en/customer/account/")

    assert response.status_code == 302
    assert_ended(session, EndReason.STORE_VIEW_UNAVAILABLE)
    assert session_of(browser) == {}  # the tab is signed out on the server
    assert (
        "The assisted session has ended. Reason: Store view no longer available to the customer."
        in [str(message) for message in get_messages(response.wsgi_request)]
    )
    assert BANNER not in browser.get(response["Location"]).content


def test_moving_the_customer_ends_the_session_when_the_move_commits(
    support_client, jane, outlet_view, django_capture_on_commit_callbacks
):
    _browser, session = start_assisted(support_client, jane)

    with django_capture_on_commit_callbacks(execute=True):
        jane.website = outlet_view.store.website
        jane.save()  # as the customer's admin page saves it

    assert_ended(session, EndReason.STORE_VIEW_UNAVAILABLE)


def test_a_save_that_keeps_the_website_leaves_the_session_live(
    support_client, jane, outlet_view, django_capture_on_commit_callbacks
):
    browser, session = start_assisted(support_client, jane)

    with django_capture_on_commit_callbacks(execute=True):
        jane.first_name = "Janet"
        jane.save()

    session.refresh_from_db()
    assert session.ended_at is None
    assert BANNER in browser.get("/en/customer/account/").content
