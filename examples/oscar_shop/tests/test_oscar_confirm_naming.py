"""The confirmation page names the customer only to staff whom Oscar's dashboard shows customers
(``OscarHost.staff_may_see_customer``): its customer pages (the permission to view users, as
the default host answers) and its order pages, which name the order's customer (the permission
to view orders, or partner dashboard access) — where the dashboard puts the button. Staff who
may only Login as Customer read "Customer #ID" and may still start a session by id."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from oscar.core.loading import get_model

from login_as_customer.host import Host, host
from login_as_customer.models import AssistedSession
from tests.assisted import redeem, start

Order = get_model("order", "Order")
pytestmark = pytest.mark.django_db
User = get_user_model()


def _staff(username, *permissions) -> Client:
    """A browser signed in to the dashboard as staff with Login as Customer and ``permissions``
    (``app_label.codename``)."""
    user = User.objects.create_user(
        username, f"{username}@example.com", f"demo-{username}", is_staff=True
    )
    user.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="login_as_customer", codename="login_as_customer"
        ),
        *(
            Permission.objects.get(content_type__app_label=label, codename=codename)
            for label, codename in (permission.split(".") for permission in permissions)
        ),
    )
    browser = Client()
    response = browser.post(
        "/dashboard/login/", {"username": f"{username}@example.com", "password": f"demo-{username}"}
    )
    assert response.status_code == 302, response.content[:300]
    return browser


def _confirm(browser, customer) -> str:
    url = f"/admin/login_as_customer/assistedsession/customer/{customer.pk}/confirm/"
    response = browser.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_staff_who_may_only_log_in_read_the_customer_by_id_and_still_start(jane):
    desk = _staff("desk")

    page = _confirm(desk, jane)

    assert f"Login as Customer: Customer #{jane.pk}</h1>" in page
    assert "Jane" not in page and jane.email not in page
    assert f"/dashboard/users/{jane.pk}/" not in page
    redeem(desk, start(desk, jane))
    assert AssistedSession.objects.get().customer_id == jane.pk
    assert "You are connected as Jane Doe" in desk.get("/accounts/profile/").content.decode()


@pytest.mark.parametrize("permission", ["order.view_order", "partner.dashboard_access"])
def test_staff_who_see_the_dashboards_orders_read_the_customers_name(jane, permission):
    # Oscar's order page names the order's customer, and carries the button.
    clerk = _staff("clerk", permission)
    order = Order.objects.get(user=jane)
    order_page = clerk.get(f"/dashboard/orders/{order.number}/").content.decode()
    assert jane.email in order_page and 'data-testid="lac-button"' in order_page
    assert clerk.get(f"/dashboard/users/{jane.pk}/").status_code == 403  # not its customers

    page = _confirm(clerk, jane)

    assert "Login as Customer: Jane Doe &lt;jane.doe@example.com&gt;</h1>" in page
    assert "Customer #" not in page
    user = User.objects.get(username="clerk")
    assert host().staff_may_see_customer(user, jane)
    assert not Host().staff_may_see_customer(user, jane)  # where Oscar differs from the default


def test_the_support_agent_who_sees_the_dashboards_customers_reads_the_name(support_browser, jane):
    page = _confirm(support_browser, jane)

    assert "Login as Customer: Jane Doe &lt;jane.doe@example.com&gt;</h1>" in page
    assert f'<a href="/dashboard/users/{jane.pk}/">Jane Doe</a>' in page


def test_staff_who_see_orders_read_by_id_a_customer_without_any(jane):
    """The dashboard's order pages name the customers who have an order, not every customer.
    Before: order staff read the name and e-mail address of any customer by id (found by
    review)."""
    clerk = _staff("clerk", "order.view_order")
    newcomer = User.objects.create_user(
        "nora", "nora.newcomer@example.com", "demo-nora", first_name="Nora", last_name="Newcomer"
    )

    page = _confirm(clerk, newcomer)

    assert f"Login as Customer: Customer #{newcomer.pk}</h1>" in page
    assert "Nora" not in page and newcomer.email not in page
    assert "Login as Customer: Jane Doe" in _confirm(clerk, jane)  # she has an order
