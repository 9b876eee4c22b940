"""The confirmation page names the customer only to staff who may see them in the admin
(``Host.staff_may_see_customer``): on the default host, a superuser or staff holding Django's
permission to view or change users. Staff who may only Login as Customer read "Customer #ID",
never the customer's name or e-mail address, and may still start a session by id."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client

from login_as_customer.host import host
from login_as_customer.models import AssistedSession

pytestmark = pytest.mark.django_db
User = get_user_model()


def _signed_in(username, password):
    browser = Client()
    response = browser.post("/admin/login/", {"username": username, "password": password})
    assert response.status_code == 302
    return browser


def _confirm(browser, customer):
    return browser.get(f"/admin/login_as_customer/assistedsession/customer/{customer.pk}/confirm/")


def _assert_withheld(page: str, customer) -> None:
    assert f"Login as Customer: Customer #{customer.pk}" in page
    for identity in ("Jane", customer.get_full_name(), customer.email, customer.username):
        assert identity not in page, identity
    assert f"/admin/auth/user/{customer.pk}/change/" not in page


def test_staff_with_only_the_permission_to_log_in_read_the_customer_by_id(support, jane):
    response = _confirm(_signed_in("support", "demo-support"), jane)

    assert response.status_code == 200
    _assert_withheld(response.content.decode(), jane)
    assert host().staff_may_see_customer(User.objects.get(pk=support.pk), jane) is False


def test_the_customer_is_withheld_on_the_password_step_too_and_the_start_by_id_works(
    settings, support, jane
):
    settings.LOGIN_AS_CUSTOMER = {**settings.LOGIN_AS_CUSTOMER, "REAUTH_AFTER": 0}
    browser = _signed_in("support", "demo-support")
    url = f"/admin/login_as_customer/assistedsession/customer/{jane.pk}/start/"

    wrong = browser.post(url, {"reason": "", "password": "not-it"})
    assert wrong.status_code == 403 and 'data-testid="lac-reauth-error"' in wrong.text
    _assert_withheld(wrong.content.decode(), jane)

    started = browser.post(url, {"reason": "", "password": "demo-support"})
    assert started.status_code == 200
    assert AssistedSession.objects.get().customer_id == jane.pk


def test_staff_who_may_view_users_read_the_customers_name_and_e_mail(support, jane):
    support.user_permissions.add(
        Permission.objects.get(content_type__app_label="auth", codename="view_user")
    )

    page = _confirm(_signed_in("support", "demo-support"), jane).content.decode()

    assert "Login as Customer: Jane Doe &lt;jane@example.com&gt;" in page
    assert f'<a href="/admin/auth/user/{jane.pk}/change/">Jane Doe</a>' in page
    assert "Customer #" not in page


def test_a_superuser_reads_the_customers_name_and_e_mail(jane):
    User.objects.create_superuser("root", "root@example.com", "demo-root")

    page = _confirm(_signed_in("root", "demo-root"), jane).content.decode()

    assert "Login as Customer: Jane Doe &lt;jane@example.com&gt;" in page
    assert "Customer #" not in page
