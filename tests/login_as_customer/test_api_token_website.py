"""An API token of a customer (their own, or an administrator's assisted one) is for a store view
of the website the customer belonged to when it was issued: once the customer belongs to another
website (moved in the customer form), the token stands for nothing there, as the storefront
then no longer signs them in on it (``customers.auth.customer_can_use_website``). Their own
token stands again once they are back; an assisted token's session has ended for good, as the
storefront's does ("Store view no longer available to the customer")."""

import pytest

from login_as_customer.models import AssistedSession, EndReason
from shopassist.customers.models import Customer
from tests.api.conftest import ApiClient, admin_token_for, assisted_token_for, customer_token_for

pytestmark = pytest.mark.django_db


def _move(customer, website):
    moved = Customer.objects.get(pk=customer.pk)
    moved.website = website
    moved.save()


@pytest.mark.parametrize("kind", ["customer", "assisted"])
def test_a_customer_moved_to_another_website_loses_the_tokens_of_the_old_one(
    jane, outlet_view, support_agent, kind
):
    api = ApiClient()
    if kind == "customer":
        token = customer_token_for(api, jane)
    else:
        token = assisted_token_for(api, admin_token_for(api, "support"), jane)
    assert api.get("/customers/me", token=token).status_code == 200

    _move(jane, outlet_view.store.website)
    refused = api.get("/customers/me", token=token)
    _move(jane, jane.website)
    again = api.get("/customers/me", token=token)

    assert refused.status_code == 401
    if kind == "customer":
        assert refused.json()["code"] == "auth.token_invalid"
        assert again.status_code == 200  # back on its website, the token stands again
    else:
        assert refused.json()["code"] == "login_as_customer.session_ended"
        assert again.status_code == 401
        session = AssistedSession.objects.get(customer_id=jane.pk)
        assert session.end_reason == EndReason.STORE_VIEW_UNAVAILABLE
