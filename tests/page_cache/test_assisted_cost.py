"""An assisted page costs what the customer's own page costs: the same queries."""

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test import Client
from django.test.utils import CaptureQueriesContext

from login_as_customer import config as lac_config
from login_as_customer.flows import live_check
from shopassist.customers.models import Customer
from shopassist.storefront import page_cache
from tests.conftest import login_customer_client
from tests.login_as_customer.assisted import start_assisted

pytestmark = pytest.mark.django_db

URL = "/en/product/SA-BAG-001/"


def queries_of(client, url=URL) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response[page_cache.HEADER]


@pytest.mark.parametrize("setting_on", [False, True], ids=["cache-read", "cache-bypassed"])
def test_assisted_page_makes_as_many_queries_as_the_customers_own(
    jane, administrator, admin_client_for, set_config, setting_on
):
    set_config({lac_config.DISABLE_PAGE_CACHE: "1" if setting_on else "0"})
    customer = login_customer_client(Client(), jane)
    assisted, _session = start_assisted(admin_client_for(administrator), jane)
    for client in (customer, assisted):  # warm: the cache, the configuration, the session
        client.get(URL)
        client.get(URL)

    # With the setting on, the assisted page is rendered fresh: compare with the customer's
    # page rendered fresh (a query parameter the cache does not know bypasses it).
    own, own_outcome = queries_of(customer, URL + "?fresh=1" if setting_on else URL)
    helped, helped_outcome = queries_of(assisted)

    assert helped_outcome == (page_cache.BYPASS if setting_on else page_cache.HIT)
    assert own_outcome == helped_outcome
    assert helped <= own


def test_live_query_reads_the_customer_as_the_orm_does(jane, administrator, admin_client_for):
    _browser, session = start_assisted(admin_client_for(administrator), jane)
    Customer.objects.filter(pk=jane.pk).update(last_login="2026-01-02T03:04:05Z")

    live = live_check.load_live_session(session.pk)

    expected = Customer.objects.get(pk=jane.pk)
    assert model_to_dict(live.customer) == model_to_dict(expected)
    for field in Customer._meta.concrete_fields:  # every field, value and type, as the ORM reads it
        got, want = getattr(live.customer, field.attname), getattr(expected, field.attname)
        assert (got, type(got)) == (want, type(want)), field.attname
    assert live.customer.get_deferred_fields() == set()
    assert live.customer.get_session_auth_hash() == expected.get_session_auth_hash()
