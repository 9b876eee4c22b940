"""Sign in and read what the pages show and the database stores, as the tests check it."""

import re

from django.contrib.sessions.models import Session
from django.forms import BooleanField

from shopassist.customers.auth import SESSION_CUSTOMER_ID
from shopassist.customers.models import Customer

ADMIN_COOKIE = "sa_admin_session"
STORE_COOKIE = "sa_store_session"


def storefront_customer(client, store_code="en"):
    """The customer My Account shows to this client, or None when it is sent to log in."""
    response = client.get(f"/{store_code}/customer/account/")
    if response.status_code == 302:
        assert "/customer/account/login/" in response["Location"]
        return None
    assert response.status_code == 200
    return response.context["customer"]


def admin_login(client, username="admin", password=None):
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password or f"demo-{username}"},
    )
    assert response.status_code == 302, response.content[:500]
    assert response["Location"] == "/admin/"
    return response


def is_admin_logged_in(client) -> bool:
    return client.get("/admin/").status_code == 200


def csrf_token_of(response) -> str:
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', response.content)
    assert match, "no CSRF token in the page"
    return match.group(1).decode()


def session_data(session_key: str) -> dict:
    session = Session.objects.filter(session_key=session_key).first()
    return session.get_decoded() if session else {}


def customer_sessions(customer) -> list[str]:
    """Keys of the stored sessions signed in as this customer."""
    return [
        session.session_key
        for session in Session.objects.all()
        if session.get_decoded().get(SESSION_CUSTOMER_ID) == customer.pk
    ]


def customers_snapshot() -> list[dict]:
    """Every customer row, to show that a refused request changed nothing."""
    return list(Customer.objects.order_by("pk").values())


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def change_form_data(response) -> dict:
    """What an admin change form would POST back unchanged (form and inline formsets)."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update(
            {management.add_prefix(name): management[name].value() for name in management.fields}
        )
        forms += inline.formset.forms
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            if field.disabled:
                continue  # a browser never posts a disabled field
            if isinstance(field, BooleanField):
                if value:
                    data[form.add_prefix(name)] = "on"
            elif value is not None:
                data[form.add_prefix(name)] = value
    return data
