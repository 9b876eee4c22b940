"""Starting an assisted session from the dashboard's browser, as the tests do it, and reading
what its journal recorded."""

from django.contrib.auth import get_user_model
from django.test import Client


def start(browser, customer) -> str:
    """Confirm the dialog for ``customer``; the redemption page's token."""
    url = f"/admin/login_as_customer/assistedsession/customer/{customer.pk}/start/"
    response = browser.post(url, {"reason": ""})
    assert response.status_code == 200, response.content.decode().split('role="alert"')[-1][:300]
    html = response.content.decode()
    assert 'action="/login_as_customer/redeem/"' in html
    return html.split('name="token" value="')[1].split('"')[0]


def redeem(browser, token):
    response = browser.post("/login_as_customer/redeem/", {"token": token})
    assert response.status_code == 302, response.content[:300]
    return response


def view_only_viewer() -> Client:
    """A browser signed in to the dashboard as staff who may only start view-only sessions."""
    users = get_user_model()
    viewer = users.objects.create_user("viewer", "viewer@example.com", "demo-viewer", is_staff=True)
    support = users.objects.get(username="support")
    viewer.user_permissions.add(
        *support.user_permissions.exclude(content_type__app_label="login_as_customer"),
        *support.user_permissions.model.objects.filter(codename="login_as_customer_view_only"),
    )
    browser = Client()
    browser.post("/dashboard/login/", {"username": "viewer@example.com", "password": "demo-viewer"})
    return browser


def entries(action):
    """The journal's entries of ``action``, oldest first."""
    from login_as_customer.models import AssistedAction

    return AssistedAction.objects.filter(action=action).order_by("pk")


def readable(action):
    """The entries of ``action``, each attributed: the session's administrator and customer,
    successful."""
    from login_as_customer.models import AssistedSession

    session = AssistedSession.objects.get()
    found = list(entries(action))
    assert found, f"no {action!r} entry"
    for entry in found:
        assert (entry.assisted_session_id, entry.outcome) == (session.pk, "success")
        assert (entry.admin_id, entry.customer_id) == (session.admin_id, session.customer_id)
    return found
