"""The demo data: exact names every later issue relies on, loaded idempotently."""

from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import Client

from shopassist.customers.models import Customer
from shopassist.demo import data
from shopassist.demo.loader import load_demo
from shopassist.staff import roles
from shopassist.staff.models import Role
from shopassist.stores.models import Store, StoreView, Website
from tests.pages import admin_login, is_admin_logged_in, storefront_customer

DEMO_CUSTOMERS = [
    ("jane.doe@example.com", "Jane", "Doe", "en"),
    ("marie.dupont@example.com", "Marie", "Dupont", "fr"),
    ("kim.minji@example.com", "Kim", "Minji", "ko"),
    ("chen.wei@example.com", "Chen", "Wei", "zh-hant"),
]
DEMO_STAFF = [
    ("admin", "Administrators"),
    ("support", "Customer Support"),
    ("trainee", "Support Trainee"),
    ("auditor", "Auditor"),
    ("clerk", "Sales Clerk"),
]


def row_counts() -> dict[str, int]:
    """Rows of every table, to show a second load adds nothing anywhere."""
    models = [model for model in apps.get_models() if model._meta.managed]
    return {model._meta.label: model._default_manager.count() for model in models}


def test_load_demo_twice_changes_nothing(db):
    first = load_demo()
    counts = row_counts()

    second = load_demo()

    assert second == first
    assert row_counts() == counts
    assert first["store_views"] == 4
    assert Customer.objects.filter(email__in=[row[0] for row in DEMO_CUSTOMERS]).count() == 4


def test_load_demo_keeps_changed_passwords_and_names(demo):
    jane = Customer.objects.get(email="jane.doe@example.com")
    jane.set_password("Jane-Chose-This-1")
    jane.first_name = "Janet"
    jane.save()
    support = User.objects.get(username="support")
    support.set_password("Support-Chose-This-1")
    support.save()

    load_demo()

    jane.refresh_from_db()
    support.refresh_from_db()
    assert jane.check_password("Jane-Chose-This-1")
    assert not jane.check_password(data.CUSTOMER_PASSWORD)
    assert jane.first_name == "Janet"
    assert support.check_password("Support-Chose-This-1")
    assert not support.check_password("demo-support")


def test_load_demo_assigns_the_roles(demo):
    load_demo()

    for username, role_name in DEMO_STAFF:
        user = User.objects.get(username=username)
        assert [group.name for group in user.groups.all()] == [role_name]
        assert user.is_staff
        assert user.email == f"{username}@shopassist.example"
    assert roles.role_resources(Role.objects.get(name="Administrators")) == (
        roles.ACCESS_ALL,
        set(),
    )
    for role_name, resource_ids in data.ROLES.items():
        if resource_ids == "all":
            continue
        access, granted = roles.role_resources(Role.objects.get(name=role_name))
        assert access == roles.ACCESS_CUSTOM
        assert set(resource_ids) <= granted


def test_load_demo_refuses_production_mode(db, settings, django_assert_num_queries):
    settings.PRODUCTION = True
    counts = row_counts()

    # Refused before it touches the database at all.
    with django_assert_num_queries(0), pytest.raises(ImproperlyConfigured):
        load_demo()

    assert row_counts() == counts


def test_load_demo_command_reports_what_is_ready(db):
    out = StringIO()

    call_command("load_demo", stdout=out)

    assert "Demo data ready" in out.getvalue()
    assert "4 store views" in out.getvalue()
    assert Customer.objects.filter(email__in=[row[0] for row in DEMO_CUSTOMERS]).count() == 4


def test_demo_website_store_and_store_views_have_their_names(demo):
    website = Website.objects.get()
    store = Store.objects.get()

    assert website.name == "Main Website"
    assert website.is_default
    assert store.name == "Main Store"
    assert store.website == website
    assert website.default_store == store
    assert store.default_store_view.code == "en"
    views = StoreView.objects.all()
    assert [(view.code, view.name, view.locale, view.is_active) for view in views] == [
        ("en", "English", "en", True),
        ("fr", "Français", "fr", True),
        ("ko", "한국어", "ko", True),
        ("zh-hant", "繁體中文", "zh-hant", True),
    ]
    assert {view.store for view in views} == {store}


@pytest.mark.parametrize(("username", "role_name"), DEMO_STAFF)
def test_demo_staff_log_in_to_the_admin_panel(demo, username, role_name):
    client = Client()

    admin_login(client, username)

    assert is_admin_logged_in(client)
    assert storefront_customer(client) is None


@pytest.mark.parametrize("username", [name for name, _role in DEMO_STAFF])
def test_demo_staff_with_a_wrong_password_stay_out(demo, username):
    client = Client()
    last_login = User.objects.get(username=username).last_login

    response = client.post("/admin/login/", {"username": username, "password": "demo-customer"})

    assert response.status_code == 200
    assert not is_admin_logged_in(client)
    assert User.objects.get(username=username).last_login == last_login


@pytest.mark.parametrize(("email", "first_name", "last_name", "store_code"), DEMO_CUSTOMERS)
def test_demo_customers_log_in_on_their_store_view(demo, email, first_name, last_name, store_code):
    client = Client()

    response = client.post(
        f"/{store_code}/customer/account/login/",
        {"email": email, "password": data.CUSTOMER_PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/{store_code}/customer/account/"
    customer = storefront_customer(client, store_code)
    assert customer.email == email
    assert (customer.first_name, customer.last_name) == (first_name, last_name)
    assert customer.website.name == "Main Website"
    assert customer.created_in.code == store_code
    assert customer.addresses.count() == 1
    assert not is_admin_logged_in(client)
