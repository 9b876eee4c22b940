"""Admin change lists and actions given input that fails only as the query runs: the normal
admin answer to a bad lookup (a redirect to ``?e=1``) or to an empty selection (Django's
"Items must be selected" message), never a 500."""

import json

import pytest
from django.contrib.messages import get_messages

from shopassist.admin_panel.resource_admin import MAX_SEARCH_TERM_LENGTH
from shopassist.catalog.models import Product
from shopassist.customers.models import Customer
from shopassist.staff.models import Role, StaffUser
from shopassist.stores.models import StoreView
from tests.conftest import use_own_cache_namespace

pytestmark = pytest.mark.django_db

NO_ITEMS = "Items must be selected in order to perform actions on them. No items have been changed."


@pytest.fixture(autouse=True)
def _ns(settings):
    use_own_cache_namespace(settings, "admin-bad-lookups")


@pytest.fixture
def adm(admin_client_for, administrator):
    return admin_client_for(administrator, raise_request_exception=False)


def assert_bad_lookup(response, path):
    assert response.status_code < 500
    assert response.status_code == 302
    assert response["Location"] == f"{path}?e=1"


# F3: lookups whose value fails only as the query runs (or that no filter offers).
@pytest.mark.parametrize(
    "path, query",
    [
        ("/admin/catalog/product/", "created_at__year=0"),  # no date drill-down here
        ("/admin/catalog/product/", "created_at__year=10000"),
        ("/admin/catalog/product/", "created_at__date=2026-01-01"),
        ("/admin/catalog/product/", "updated_at__time=25:00"),
        ("/admin/sales/order/", "created_at__year=0"),  # the drill-down's own key, bad year
        ("/admin/sales/order/", "created_at__year=10000"),
        ("/admin/sales/order/", "created_at__year__gte=0"),
        ("/admin/sales/order/", "created_at__month__gt=12"),
        ("/admin/sales/invoice/", "created_at__year__lt=10000"),
        ("/admin/catalog/product/", "sku__regex=["),
        ("/admin/catalog/product/", "sku__iregex=("),
        ("/admin/sales/order/", "customer_email__regex=["),
        ("/admin/sales/order/", "extension_attributes__contains=x"),
        ("/admin/sales/order/", "extension_attributes__has_key=x"),
        ("/admin/sales/order/", "extension_attributes=nope"),
    ],
    ids=lambda value: str(value)[:40],
)
def test_bad_lookup_redirects_with_e_1(adm, path, query):
    assert_bad_lookup(adm.get(f"{path}?{query}"), path)


@pytest.mark.parametrize(
    "path, query",
    [
        ("/admin/catalog/product/", "price__gte=1e999999"),  # PostgreSQL: numeric overflow
        ("/admin/sales/order/", "grand_total__gte=1e999999"),
        ("/admin/catalog/product/", "sku__contains=" + "a" * 60000),  # SQLite: LIKE too complex
    ],
    ids=lambda value: str(value)[:40],
)
def test_value_one_engine_cannot_query_is_no_500(adm, path, query):
    response = adm.get(f"{path}?{query}")
    assert response.status_code < 500
    # Where the database runs the query, nothing matches; where it fails, a bad lookup.
    assert response.status_code == 200 or response["Location"] == f"{path}?e=1"
    if response.status_code == 200:
        assert response.context["cl"].result_count == 0


@pytest.mark.parametrize(
    "path, query",
    [
        ("/admin/sales/order/", "created_at__year=2026"),  # date drill-down
        ("/admin/sales/order/", "created_at__year=2026&created_at__month=2&created_at__day=3"),
        (  # the "This year" link of the date list filter
            "/admin/sales/order/",
            "created_at__gte=2026-01-01+00%3A00%3A00%2B00%3A00"
            "&created_at__lt=2027-01-01+00%3A00%3A00%2B00%3A00",
        ),
        ("/admin/sales/invoice/", "created_at__year=2026&created_at__month=12"),
        ("/admin/catalog/product/", "is_active__exact=1"),
        ("/admin/catalog/product/", "sku__contains=a"),
        ("/admin/catalog/product/", "sku__startswith=A&price__gte=1"),
        ("/admin/customers/customer/", "is_active__exact=0"),
        ("/admin/sales/order/", "status__exact=pending"),
        ("/admin/sales/order/", "q=100"),
    ],
)
def test_lookups_the_admin_offers_still_work(adm, path, query):
    response = adm.get(f"{path}?{query}")
    assert response.status_code == 200


def test_password_lookup_stays_refused_with_400(adm):
    assert adm.get("/admin/customers/customer/?password__regex=[").status_code == 400


def test_search_term_past_the_cap_matches_nothing(adm):
    customer = Customer.objects.first()
    assert customer is not None
    found = adm.get("/admin/customers/customer/", {"q": customer.email})
    assert found.status_code == 200
    assert found.context["cl"].result_count >= 1
    for term in (customer.email + " " * (MAX_SEARCH_TERM_LENGTH + 1), "q" * 100_000):
        response = adm.get("/admin/customers/customer/", {"q": term})
        assert response.status_code == 200
        assert response.context["cl"].result_count == 0


def test_autocomplete_term_past_the_cap_matches_nothing(adm):
    query = {"app_label": "sales", "model_name": "order", "field_name": "customer"}
    response = adm.get("/admin/autocomplete/", {**query, "term": "x" * 100_000})
    assert response.status_code == 200
    assert json.loads(response.content)["results"] == []
    short = adm.get("/admin/autocomplete/", {**query, "term": ""})
    assert short.status_code < 500


# F4: actions on selected ids the primary key cannot read, or past the database's integers.
SELECTED_BAD = ["abc", "9223372036854775808", "99999999999999999999999"]


@pytest.mark.parametrize(
    "path, model",
    [
        ("/admin/staff/role/", Role),
        ("/admin/catalog/product/", Product),
        ("/admin/customers/customer/", Customer),
        ("/admin/staff/staffuser/", StaffUser),
        ("/admin/stores/storeview/", StoreView),
    ],
)
@pytest.mark.parametrize("selected", SELECTED_BAD)
def test_action_on_unreadable_selected_id(adm, path, model, selected):
    before = model.objects.count()
    response = adm.post(
        path, {"action": "delete_selected", "_selected_action": [selected], "index": "0"}
    )
    assert response.status_code < 500
    assert response.status_code == 302
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    assert NO_ITEMS in messages
    assert model.objects.count() == before


def test_confirmed_delete_with_unreadable_id_deletes_nothing(adm):
    before = Role.objects.count()
    response = adm.post(
        "/admin/staff/role/",
        {"action": "delete_selected", "_selected_action": ["abc"], "post": "yes"},
    )
    assert response.status_code == 302
    assert Role.objects.count() == before


def test_readable_ids_next_to_unreadable_ones_still_reach_the_action(adm):
    role = Role.objects.create(name="Bad lookups role")
    response = adm.post(
        "/admin/staff/role/",
        {
            "action": "delete_selected",
            "_selected_action": ["abc", str(role.pk), "9223372036854775808"],
            "index": "0",
        },
    )
    assert response.status_code == 200  # the confirmation page, for the one readable role
    assert list(response.context["queryset"]) == [role]
    assert Role.objects.filter(pk=role.pk).exists()
