"""Issue 13 point 4: the Customer Support role reads the sales documents and starts Login as
Customer from them, and every admin refusal is a page of the admin shell — the menu,
breadcrumbs and a sentence naming the missing resource — never a bare "403 Forbidden"."""

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from shopassist.core import acl
from shopassist.sales import acl as sales_acl
from shopassist.sales.models import Order
from shopassist.staff import roles
from tests.commerce import commerce_snapshot
from tests.conftest import login_admin_client
from tests.test_acl import (
    GUARDED_URLS,
    GUARDING_RESOURCES,
    all_resource_ids,
    database_state,
    forged_post,
    staff_with_resources,
    subtree,
)

REFUSAL_TEMPLATE = "admin_panel/refused.html"


def resource_title(resource_id) -> str:
    return " › ".join(str(resource.title) for resource in acl.resource_path(resource_id))


def assert_shell_refusal(response, *, resource_id=None, sentence=None, what=""):
    """A 403 page of the admin shell: the user's menu, breadcrumbs back to the dashboard, a
    way back, and the sentence naming the missing resource (or saying why)."""
    assert response.status_code == 403, what
    assert REFUSAL_TEMPLATE in [t.name for t in response.templates], what
    html = response.content.decode()
    assert 'id="nav-sidebar"' in html and "sa-menu-section" in html, f"{what}: no menu"
    breadcrumbs = re.search(r'<div class="breadcrumbs">(.*?)</div>', html, re.S)
    assert breadcrumbs and f'href="{reverse("admin:index")}"' in breadcrumbs.group(1), what
    assert "Access denied" in breadcrumbs.group(1), what
    assert f'href="{reverse("admin:index")}">Go to the Dashboard<' in html, what
    assert "no-cache" in response["Cache-Control"], what
    refusal = re.search(r'<div id="content-main" class="sa-refusal"[^>]*>', html).group(0)
    if resource_id is not None:
        title = resource_title(resource_id)
        assert f'data-resource="{resource_id}"' in refusal, what
        assert (
            f"Your role does not include the resource “{title}”, which this page needs."
            in html.replace("&rsaquo;", "›")
        ), f"{what}: {title}"
        for part in acl.resource_path(resource_id):
            assert str(part.title) in breadcrumbs.group(1), what
    else:
        assert "data-resource" not in refusal, what
    if sentence is not None:
        assert sentence in html, what


# --- Every guarded URL, refused to a role without its resource ----------------------------------


@pytest.mark.parametrize("resource_id", GUARDING_RESOURCES)
def test_every_refused_admin_url_is_a_shell_page_naming_the_missing_resource(
    resource_id, demo, admin_client_for
):
    urls = [url for url in GUARDED_URLS if resource_id in url.opened_by]
    # Without the resource, and without what else opens its pages; the refusal names the
    # page's own resource (the first of those that open it).
    withheld = {rid for url in urls for opener in url.opened_by for rid in subtree(opener)}
    everything_else = [rid for rid in all_resource_ids() if rid not in withheld]
    staff, _role = staff_with_resources("probe", everything_else)
    client = admin_client_for(staff)

    for url in urls:
        path = url.path()
        named = url.resource
        assert_shell_refusal(client.get(path), resource_id=named, what=f"GET {path}")
        posted = client.post(path, forged_post(url.sample_pk()))
        assert_shell_refusal(posted, resource_id=named, what=f"POST {path}")


def test_the_refusal_is_translated_with_the_resource_names(demo, admin_client_for):
    staff, _role = staff_with_resources("probe", ["customers.manage"])
    client = admin_client_for(staff)

    response = client.get(reverse("admin:sales_order_changelist"), HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert "Ventes › Opérations › Commandes" in html  # Sales › Operations › Orders


# --- Refusals for other reasons: still the shell, with the reason --------------------------------


def test_an_escalation_refused_to_a_role_manager_says_why_inside_the_shell(demo, admin_client_for):
    manager, _role = staff_with_resources(
        "role.manager", ["system.permissions.users", "system.permissions.roles"]
    )
    client = admin_client_for(manager)
    before = database_state()

    response = client.post(
        reverse("admin:staff_role_add"),
        {"name": "Escalator", "resource_access": roles.ACCESS_ALL, "resources": []},
    )

    assert_shell_refusal(
        response,
        sentence="You can grant, change or take away only roles and resources you hold yourself.",
    )
    assert database_state() == before


def test_an_expired_admin_form_is_refused_inside_the_shell(administrator, admin_client_for):
    client = admin_client_for(administrator, enforce_csrf_checks=True)
    before = database_state()

    response = client.post(reverse("admin:sales_order_comment", args=[Order.objects.first().pk]))

    assert_shell_refusal(
        response,
        sentence="Your form expired or was sent from another page. Reload and try again.",
    )
    assert database_state() == before


def test_a_missing_admin_page_or_record_is_a_404_inside_the_shell(administrator, admin_client_for):
    client = admin_client_for(administrator)

    for path in ("/admin/no/such/page/", reverse("admin:sales_order_change", args=[2**31 - 1])):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "admin_panel/not_found.html" in [t.name for t in response.templates], path
        html = response.content.decode()
        assert 'id="nav-sidebar"' in html and 'data-testid="admin-not-found"' in html, path


def test_outside_the_admin_a_refusal_is_not_the_shell(demo):
    """The admin login page's own CSRF failure (no user, no menu) keeps the plain page."""
    response = Client(enforce_csrf_checks=True).post(reverse("admin:login"), {"username": "x"})

    assert response.status_code == 403
    assert REFUSAL_TEMPLATE not in [t.name for t in response.templates]
    assert "nav-sidebar" not in response.content.decode()


# --- The Customer Support agent and the sales documents -----------------------------------------


def sales_pages(order):
    invoice, shipment, memo = (
        order.invoices.first(),
        order.shipments.first(),
        order.creditmemos.first(),
    )
    return {
        "orders": reverse("admin:sales_order_changelist"),
        "order": reverse("admin:sales_order_change", args=[order.pk]),
        "invoices": reverse("admin:sales_invoice_changelist"),
        "invoice": reverse("admin:sales_invoice_change", args=[invoice.pk]),
        "shipments": reverse("admin:sales_shipment_changelist"),
        "shipment": reverse("admin:sales_shipment_change", args=[shipment.pk]),
        "credit memos": reverse("admin:sales_creditmemo_changelist"),
        "credit memo": reverse("admin:sales_creditmemo_change", args=[memo.pk]),
    }


@pytest.fixture
def marie_order(marie):
    """Marie's demo order: invoiced, shipped and refunded — one document of each kind."""
    return Order.objects.get(customer=marie)


def test_support_agent_reads_every_sales_document_with_the_login_as_customer_button(
    support_client, marie_order, marie
):
    menu = support_client.get(reverse("admin:index")).content.decode()
    for name, path in sales_pages(marie_order).items():
        response = support_client.get(path)
        assert response.status_code == 200, name
        html = response.content.decode()
        if not name.endswith("s"):
            assert html.count('data-testid="lac-button"') == 1, name
            assert f'data-dialog="lac-dialog-{marie.pk}"' in html, name
        else:
            assert f'href="{path}"' in menu, f"{name} missing from the menu"
    order_page = support_client.get(sales_pages(marie_order)["order"]).content.decode()
    for action in ("invoice", "ship", "creditmemo"):
        assert f'data-action="{action}"' not in order_page
    assert 'name="comment"' not in order_page


def test_support_agent_creates_no_sales_document_and_each_refusal_names_its_resource(
    support_client, support_agent, marie_order
):
    item = marie_order.items.first()
    forged = [
        ("invoice", sales_acl.ORDER_INVOICE, {f"qty_{item.pk}": "1"}),
        ("ship", sales_acl.ORDER_SHIP, {f"qty_{item.pk}": "1", "tracking_number": "X"}),
        ("creditmemo", sales_acl.ORDER_CREDITMEMO, {"adjustment": "1"}),
        ("comment", sales_acl.ORDER_COMMENT, {"comment": "forged", "is_visible_on_front": "1"}),
    ]
    before, state = commerce_snapshot(), database_state()

    for action, resource_id, data in forged:
        url = reverse(f"admin:sales_order_{action}", args=[marie_order.pk])
        if action != "comment":
            assert_shell_refusal(support_client.get(url), resource_id=resource_id, what=url)
        assert_shell_refusal(support_client.post(url, data), resource_id=resource_id, what=url)

    assert commerce_snapshot() == before
    assert database_state() == state
    assert not any(
        acl.has_resource(User.objects.get(pk=support_agent.pk), resource_id)
        for _action, resource_id, _data in forged
    )


def test_a_role_without_the_sales_resources_still_gets_the_shell(demo):
    auditor = User.objects.get(username="auditor")
    client = login_admin_client(Client(), auditor)

    for name, path in sales_pages(
        Order.objects.get(customer__email="marie.dupont@example.com")
    ).items():
        resource_id = {
            "orders": sales_acl.ORDERS,
            "order": sales_acl.ORDERS,
            "invoices": sales_acl.INVOICES,
            "invoice": sales_acl.INVOICES,
            "shipments": sales_acl.SHIPMENTS,
            "shipment": sales_acl.SHIPMENTS,
        }.get(name, sales_acl.CREDITMEMOS)
        assert_shell_refusal(client.get(path), resource_id=resource_id, what=name)
