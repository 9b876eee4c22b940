"""The confirmation page (GET /admin/login_as_customer/<id>/confirm/) names the customer only to
roles that see customers in the admin panel — Customers › All Customers or a sales document,
the pages that carry the button (``Host.staff_may_see_customer``). A role that may only Login
as Customer (a phone desk working from ticket ids) reads "Customer #ID": no name, no e-mail
address, no link to the customer's page, also on the form shown again after a refused start,
whether or not the customer allows assistance or is active. It may still start a session by
id, checked and logged as always; the banner then names the customer."""

import pytest
from django.contrib.auth.models import User

from login_as_customer import config as lac_config
from login_as_customer.models import AssistedSession
from shopassist.customers.acl import ALL_CUSTOMERS
from shopassist.customers.models import Customer
from shopassist.lac_host.acl import ALLOW, VIEW_ONLY
from shopassist.sales.acl import CREDITMEMOS, INVOICES, ORDERS
from shopassist.staff import roles
from shopassist.staff.models import Role
from tests.audit.helpers import log_snapshot
from tests.login_as_customer.assisted import banner_of, confirm_url, start, start_assisted

pytestmark = pytest.mark.django_db

CONFIRM_FORM = 'data-testid="lac-confirm-form"'


@pytest.fixture
def staff_with(demo, admin_client_for):
    """An admin panel of a role granting exactly these resources."""

    def _client(*resource_ids, username="desk"):
        role = Role.objects.create(name=f"Role of {username}")
        roles.set_role_resources(role, access=roles.ACCESS_CUSTOM, resource_ids=resource_ids)
        user = User.objects.create_user(
            username,
            f"{username}@shopassist.example",
            f"demo-{username}",
            is_staff=True,
            first_name="Pat",
            last_name="Phone",
        )
        user.groups.set([role])
        return admin_client_for(user)

    return _client


@pytest.fixture
def phone_desk(staff_with):
    """Allow Login as Customer, and nothing of Customers › All Customers or Sales."""
    return staff_with(ALLOW)


@pytest.fixture
def inactive_jane(jane):
    jane.is_active = False
    jane.save(update_fields=["is_active"])
    return jane


def identities(customer) -> list[str]:
    return [
        customer.full_name,
        customer.first_name,
        customer.last_name,
        customer.email,
        customer.email.split("@")[0],
    ]


def assert_withheld(response, customer) -> str:
    page = response.content.decode()
    for identity in identities(customer):
        assert identity not in page, identity
    assert f"Login as Customer: Customer #{customer.pk}</h1>" in page
    assert f"› Customer #{customer.pk} ›" in page  # the breadcrumb, without a link
    assert f"/admin/customers/customer/{customer.pk}/" not in page
    return page


def assert_named(response, customer) -> str:
    assert response.status_code == 200
    page = response.content.decode()
    assert f"<h1>Login as Customer: {customer.full_name} &lt;{customer.email}&gt;</h1>" in page, (
        page
    )
    assert (
        f'<a href="/admin/customers/customer/{customer.pk}/change/">{customer.full_name}</a>'
        in page
    )
    assert "Customer #" not in page
    return page


@pytest.mark.parametrize("who", ["jane", "chen", "inactive_jane"])
def test_a_role_that_may_only_log_in_reads_the_customer_by_id(phone_desk, who, request):
    customer = request.getfixturevalue(who)
    before = log_snapshot()

    response = phone_desk.get(confirm_url(customer.pk))

    assert response.status_code == 200
    page = assert_withheld(response, customer)
    if who == "chen":  # no standing opt-in: the notice, without the name either
        assert "The customer has not enabled Allow remote shopping assistance." in page
    else:
        assert CONFIRM_FORM in page
    assert log_snapshot() == before  # a page view is still no start


def test_a_view_only_role_without_customers_reads_the_customer_by_id_too(staff_with, jane):
    response = staff_with(VIEW_ONLY).get(confirm_url(jane.pk))

    assert response.status_code == 200
    assert "This session will be view only" in assert_withheld(response, jane)


def test_the_form_shown_again_after_a_wrong_password_withholds_the_customer(
    set_config, phone_desk, jane
):
    set_config({lac_config.REAUTH_AFTER: 0})  # the password asked at every start

    asked = start(phone_desk, jane)
    wrong = start(phone_desk, jane, password="not-the-password")

    assert asked.status_code == 403 and 'data-testid="lac-reauth"' in asked.content.decode()
    assert_withheld(asked, jane)
    assert wrong.status_code == 403 and 'data-testid="lac-reauth-error"' in wrong.content.decode()
    assert_withheld(wrong, jane)
    assert not AssistedSession.objects.exists()


def test_the_form_shown_again_to_correct_the_reason_withholds_the_customer(
    set_config, phone_desk, jane
):
    set_config({lac_config.REQUIRE_REASON: "1"})

    response = start(phone_desk, jane, reason="Ticket \u202e4242")

    assert response.status_code == 400
    assert 'data-testid="lac-reason-error"' in assert_withheld(response, jane)
    assert not AssistedSession.objects.exists()


def test_the_role_still_starts_by_id_and_the_banner_names_the_customer(phone_desk, jane):
    browser, session = start_assisted(phone_desk, jane)

    assert session.customer_id == jane.pk and session.customer_email == jane.email
    assert "Jane Doe" in banner_of(browser.get("/en/customer/account/"))


def test_a_refused_start_by_id_is_refused_as_before(phone_desk, chen):
    response = start(phone_desk, chen)

    assert response.status_code == 403
    assert not AssistedSession.objects.filter(started_at__isnull=False).exists()


@pytest.mark.parametrize(
    "resources",
    [(ALLOW, ALL_CUSTOMERS), (ALLOW, ORDERS), (ALLOW, INVOICES), (VIEW_ONLY, ALL_CUSTOMERS)],
    ids=["customers", "orders", "invoices", "view-only-customers"],
)
def test_a_role_that_sees_customers_or_sales_documents_reads_the_name(
    staff_with, jane, chen, resources
):
    client = staff_with(*resources)

    assert_named(client.get(confirm_url(jane.pk)), jane)
    assert_named(client.get(confirm_url(chen.pk)), chen)


@pytest.fixture
def newcomer(jane):
    """A customer of Jane's website with no order yet."""
    return Customer.objects.create(
        website=jane.website,
        created_in=jane.created_in,
        first_name="Nora",
        last_name="Newcomer",
        email="nora.newcomer@example.com",
    )


@pytest.mark.parametrize(
    ("resource", "named", "withheld"),
    [(ORDERS, "jane", "newcomer"), (INVOICES, "jane", "newcomer"), (CREDITMEMOS, "marie", "jane")],
    ids=["orders", "invoices", "credit-memos"],
)
def test_a_sales_document_role_reads_only_the_customers_its_documents_name(
    staff_with, newcomer, resource, named, withheld, request
):
    """A sales document names its own customer: a role that sees orders does not see every
    customer of the shop. Before: any order, invoice or credit memo resource named every
    customer by id, those without a single document too (found by review)."""
    client = staff_with(ALLOW, resource)

    assert_named(
        client.get(confirm_url(request.getfixturevalue(named).pk)), request.getfixturevalue(named)
    )
    customer = request.getfixturevalue(withheld)
    assert_withheld(client.get(confirm_url(customer.pk)), customer)


def test_the_customer_support_role_reads_the_name_on_the_password_step(
    set_config, support_client, jane
):
    set_config({lac_config.REAUTH_AFTER: 0})

    wrong = start(support_client, jane, password="not-the-password")

    assert wrong.status_code == 403
    page = wrong.content.decode()
    assert f"<h1>Login as Customer: Jane Doe &lt;{jane.email}&gt;</h1>" in page


def test_a_superuser_reads_the_name(admin_client_for, demo, jane):
    root = User.objects.create_superuser("root", "root@shopassist.example", "demo-root")

    assert_named(admin_client_for(root).get(confirm_url(jane.pk)), jane)
