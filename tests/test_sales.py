"""Sales: invoice, ship and refund services with their state rules; increment numbers; the
Sales admin pages for the administrator and the sales clerk, refused to the support agent;
order comments visible on the storefront."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from shopassist.core.actor import Actor
from shopassist.core.errors import DomainError
from shopassist.sales import services
from shopassist.sales.errors import SalesErrorCode
from shopassist.sales.models import CreditMemo, Invoice, Order, OrderComment, OrderStatus, Shipment
from shopassist.sales.signals import order_comment_added, order_document_created
from tests.commerce import (
    SignalRecorder,
    atomic_depth,
    commerce_snapshot,
    connected,
    order_for,
    stock_of,
)
from tests.conftest import login_customer_client

BAG, SHIRT = "SA-BAG-001", "SA-APP-002"  # 89.00 and 25.00
ZERO = Decimal("0.00")


@pytest.fixture
def staff_actor(administrator):
    return Actor(staff_user=administrator)


@pytest.fixture
def order(jane):
    """Jane's pending order: 2 × bag, 1 × shirt, flat rate 5.00 → 208.00."""
    return order_for(jane, {BAG: 2, SHIRT: 1})


def ids(order) -> dict[str, str]:
    """SKU → order item id (as a form would post it)."""
    return {sku: str(pk) for sku, pk in order.items.values_list("sku", "pk")}


def reloaded(order) -> Order:
    return Order.objects.get(pk=order.pk)


def quantities(order) -> dict[str, tuple[int, int, int, int]]:
    """SKU → (ordered, invoiced, shipped, refunded)."""
    return {
        row[0]: row[1:]
        for row in order.items.values_list(
            "sku", "qty_ordered", "qty_invoiced", "qty_shipped", "qty_refunded"
        )
    }


def invoice(order, actor=None, **kwargs):
    return services.invoice_order(order=order, actor=actor or Actor.system(), **kwargs)


def ship(order, actor=None, **kwargs):
    return services.ship_order(order=order, actor=actor or Actor.system(), **kwargs)


def refund(order, actor=None, **kwargs):
    return services.refund_order(order=order, actor=actor or Actor.system(), **kwargs)


# --- happy paths -------------------------------------------------------------------------------


def test_order_moves_pending_processing_complete_closed(order, staff_actor):
    bag_stock, shirt_stock = stock_of(BAG), stock_of(SHIRT)
    assert order.status == OrderStatus.PENDING
    assert order.grand_total == Decimal("208.00")

    document = invoice(order, staff_actor)
    order = reloaded(order)
    assert order.status == OrderStatus.PROCESSING
    assert (document.subtotal, document.shipping_amount, document.grand_total) == (
        Decimal("203.00"),
        Decimal("5.00"),
        Decimal("208.00"),
    )
    assert document.created_by_username == "admin"
    assert order.total_paid == Decimal("208.00")
    assert quantities(order) == {BAG: (2, 2, 0, 0), SHIRT: (1, 1, 0, 0)}

    shipment = ship(order, staff_actor, tracking_number=" 1Z999 ", carrier="UPS")
    order = reloaded(order)
    assert order.status == OrderStatus.COMPLETE
    assert (shipment.tracking_number, shipment.carrier) == ("1Z999", "UPS")
    assert quantities(order) == {BAG: (2, 2, 2, 0), SHIRT: (1, 1, 1, 0)}

    memo = refund(order, staff_actor)
    order = reloaded(order)
    assert order.status == OrderStatus.CLOSED
    assert (memo.subtotal, memo.adjustment, memo.grand_total) == (
        Decimal("203.00"),
        ZERO,
        Decimal("203.00"),
    )
    assert order.total_refunded == Decimal("203.00")
    assert quantities(order) == {BAG: (2, 2, 2, 2), SHIRT: (1, 1, 1, 1)}
    assert (stock_of(BAG), stock_of(SHIRT)) == (bag_stock + 2, shirt_stock + 1)


def test_partial_invoice_and_shipment(order):
    item = ids(order)

    first = invoice(order, items={item[BAG]: 1})
    assert reloaded(order).status == OrderStatus.PROCESSING
    assert (first.subtotal, first.shipping_amount, first.grand_total) == (
        Decimal("89.00"),
        Decimal("5.00"),
        Decimal("94.00"),
    )
    assert list(first.items.values_list("order_item__sku", "qty", "row_total")) == [
        (BAG, 1, Decimal("89.00"))
    ]

    shipment = ship(order, items={item[BAG]: 1, item[SHIRT]: 0}, tracking_number="T-1")
    assert list(shipment.items.values_list("order_item__sku", "qty")) == [(BAG, 1)]
    assert reloaded(order).status == OrderStatus.PROCESSING

    second = invoice(order)  # the rest; shipping was on the first invoice
    assert (second.subtotal, second.shipping_amount, second.grand_total) == (
        Decimal("114.00"),
        ZERO,
        Decimal("114.00"),
    )
    assert reloaded(order).total_paid == order.grand_total
    assert quantities(order) == {BAG: (2, 2, 1, 0), SHIRT: (1, 1, 0, 0)}
    assert reloaded(order).status == OrderStatus.PROCESSING

    ship(order)
    assert reloaded(order).status == OrderStatus.COMPLETE


def test_refund_returns_stock_only_when_asked(order):
    item = ids(order)
    invoice(order)
    stock = stock_of(BAG)

    refund(order, items={item[BAG]: 1}, return_to_stock=False)
    assert stock_of(BAG) == stock
    refund(order, items={item[BAG]: 1})
    assert stock_of(BAG) == stock + 1
    assert quantities(order)[BAG] == (2, 2, 0, 2)
    assert reloaded(order).status == OrderStatus.PROCESSING  # the shirt is still to ship


def test_refund_of_an_amount_only(order):
    invoice(order)

    memo = refund(order, items={}, adjustment="10.5")

    assert (memo.subtotal, memo.adjustment, memo.grand_total) == (
        ZERO,
        Decimal("10.50"),
        Decimal("10.50"),
    )
    assert memo.items.count() == 0
    assert reloaded(order).total_refunded == Decimal("10.50")


def test_refund_of_everything_paid_closes_the_order(order):
    invoice(order)

    refund(order, adjustment="5.00")  # every item plus the shipping

    order = reloaded(order)
    assert order.total_refunded == order.total_paid == Decimal("208.00")
    assert order.status == OrderStatus.CLOSED


def test_increment_ids_are_unique_and_sequential_per_document_type(jane, marie):
    orders = [order_for(jane, {BAG: 1}), order_for(marie, {SHIRT: 1})]

    numbers = {
        "invoice": [invoice(o).increment_id for o in orders],
        "shipment": [ship(o).increment_id for o in orders],
        "creditmemo": [refund(o).increment_id for o in orders],
        "order": [o.increment_id for o in orders],
    }

    for kind, (first, second) in numbers.items():
        assert len(first) == 9, kind
        assert int(second) == int(first) + 1, kind
    for model in (Order, Invoice, Shipment, CreditMemo):
        values = list(model.objects.values_list("increment_id", flat=True))
        assert len(values) == len(set(values)), model


def test_documents_and_comments_send_their_signals_inside_the_transaction(order, staff_actor):
    documents, comments = SignalRecorder(), SignalRecorder()
    outside = atomic_depth()

    with connected(order_document_created, documents), connected(order_comment_added, comments):
        made = [invoice(order, staff_actor), ship(order, staff_actor), refund(order, staff_actor)]
        comment = services.add_order_comment(order=order, comment="Hello", actor=staff_actor)

    assert [(c["kind"], c["document"]) for c in documents.calls] == list(
        zip(["invoice", "shipment", "creditmemo"], made, strict=True)
    )
    assert [c["comment"] for c in comments.calls] == [comment]
    for call in documents.calls + comments.calls:
        assert call["order"] == order
        assert call["actor"] is staff_actor
        assert call["atomic_depth"] > outside


def test_a_document_receiver_that_raises_rolls_the_document_back(order):
    before = commerce_snapshot()

    failing = SignalRecorder(raises=RuntimeError("audit failed"))
    with (
        connected(order_document_created, failing),
        pytest.raises(RuntimeError, match="audit failed"),
    ):
        invoice(order)

    assert commerce_snapshot() == before


# --- state rules and bad input -----------------------------------------------------------------


def _invoice_all(order, item):
    invoice(order)


def _ship_all(order, item):
    ship(order)


def _invoice_one_bag(order, item):
    invoice(order, items={item[BAG]: 1})


def _ship_one_bag(order, item):
    ship(order, items={item[BAG]: 1})


def _close(order, item):
    invoice(order)
    refund(order)


STATE_RULES = [
    # setup steps, the refused call, its error code
    pytest.param(
        [_invoice_all],
        lambda o, i: invoice(o),
        SalesErrorCode.NOTHING_TO_INVOICE,
        id="invoice-twice",
    ),
    pytest.param(
        [],
        lambda o, i: invoice(o, items={i[BAG]: 3}),
        SalesErrorCode.QTY_ABOVE_ALLOWED,
        id="invoice-above-ordered",
    ),
    pytest.param(
        [_invoice_one_bag],
        lambda o, i: invoice(o, items={i[BAG]: 2}),
        SalesErrorCode.QTY_ABOVE_ALLOWED,
        id="invoice-above-remaining",
    ),
    pytest.param(
        [],
        lambda o, i: invoice(o, items={i[BAG]: 0, i[SHIRT]: "0"}),
        SalesErrorCode.NOTHING_TO_INVOICE,
        id="invoice-zero",
    ),
    pytest.param(
        [],
        lambda o, i: ship(o, items={i[BAG]: 3}),
        SalesErrorCode.QTY_ABOVE_ALLOWED,
        id="ship-above-ordered",
    ),
    pytest.param(
        [_ship_all], lambda o, i: ship(o), SalesErrorCode.NOTHING_TO_SHIP, id="ship-twice"
    ),
    pytest.param(
        [_ship_one_bag],
        lambda o, i: ship(o, items={i[BAG]: 2}),
        SalesErrorCode.QTY_ABOVE_ALLOWED,
        id="ship-above-remaining",
    ),
    pytest.param(
        [],
        lambda o, i: ship(o, tracking_number="1Z" + "9" * 63),
        SalesErrorCode.INVALID_TRACKING,
        id="tracking-too-long",
    ),
    pytest.param(
        [],
        lambda o, i: ship(o, carrier="C" * 65),
        SalesErrorCode.INVALID_TRACKING,
        id="carrier-too-long",
    ),
    pytest.param([], lambda o, i: refund(o), SalesErrorCode.NOTHING_TO_REFUND, id="refund-unpaid"),
    pytest.param(
        [_invoice_all],
        lambda o, i: refund(o, items={}, adjustment="208.01"),
        SalesErrorCode.REFUND_ABOVE_PAID,
        id="adjustment-above-paid",
    ),
    pytest.param(
        [_invoice_all],
        lambda o, i: refund(o, adjustment="5.01"),
        SalesErrorCode.REFUND_ABOVE_PAID,
        id="items-and-adjustment-above-paid",
    ),
    pytest.param(
        [_invoice_one_bag],
        lambda o, i: refund(o, items={i[BAG]: 2}),
        SalesErrorCode.QTY_ABOVE_ALLOWED,
        id="refund-above-invoiced",
    ),
    pytest.param(
        [_invoice_one_bag],
        lambda o, i: refund(o, items={i[SHIRT]: 1}),
        SalesErrorCode.QTY_ABOVE_ALLOWED,
        id="refund-not-invoiced",
    ),
    pytest.param(
        [_invoice_all],
        lambda o, i: refund(o, items={}, adjustment="0"),
        SalesErrorCode.NOTHING_TO_REFUND,
        id="refund-nothing",
    ),
    *[
        pytest.param(
            [_invoice_all],
            lambda o, i, raw=raw: refund(o, items={}, adjustment=raw),
            SalesErrorCode.INVALID_AMOUNT,
            id=f"adjustment-{raw}",
        )
        for raw in ("abc", "-1", "NaN", "Infinity", "1e400", "1,5")
    ],
    *[
        pytest.param(
            [_invoice_all, _ship_all] if service is refund else [],
            lambda o, i, service=service, raw=raw: service(o, items={i[BAG]: raw}),
            SalesErrorCode.INVALID_QTY,
            id=f"{service.__name__}-qty-{raw}",
        )
        for service in (invoice, ship, refund)
        for raw in (-1, "-1", "abc", "1.5", None)
    ],
    *[
        pytest.param(
            [_invoice_all] if service is refund else [],
            lambda o, i, service=service: service(o, items={"999999": 1}),
            SalesErrorCode.UNKNOWN_ITEM,
            id=f"{service.__name__}-unknown-item",
        )
        for service in (invoice, ship, refund)
    ],
    *[
        pytest.param(
            [_close],
            lambda o, i, call=call: call(o),
            SalesErrorCode.ORDER_CLOSED,
            id=f"{name}-closed-order",
        )
        for name, call in [
            ("refund", lambda o: refund(o, items={}, adjustment="1")),
            ("invoice", invoice),
            ("ship", ship),
        ]
    ],
    pytest.param(
        [], lambda o, i: huge_qty_invoice(o, i), SalesErrorCode.QTY_ABOVE_ALLOWED, id="huge-qty"
    ),
]


def huge_qty_invoice(order, item):
    invoice(order, items={item[BAG]: 10**30})


@pytest.mark.parametrize(("setup", "call", "code"), STATE_RULES)
def test_state_rules_refuse_with_a_clear_error_and_change_nothing(order, setup, call, code):
    item = ids(order)
    for step in setup:
        step(order, item)
    before = commerce_snapshot()

    with pytest.raises(DomainError) as error:
        call(order, item)

    assert error.value.code == code
    assert error.value.message
    assert commerce_snapshot() == before


def test_an_item_of_another_order_is_unknown(order, marie):
    other = order_for(marie, {BAG: 1})
    before = commerce_snapshot()

    with pytest.raises(DomainError) as error:
        invoice(order, items={ids(other)[BAG]: 1})

    assert error.value.code == SalesErrorCode.UNKNOWN_ITEM
    assert commerce_snapshot() == before


@pytest.mark.parametrize("comment", ["", "   ", "x" * 5001])
def test_invalid_comments_are_refused(order, comment):
    before = commerce_snapshot()

    with pytest.raises(DomainError) as error:
        services.add_order_comment(order=order, comment=comment, actor=Actor.system())

    assert error.value.code == SalesErrorCode.INVALID_COMMENT
    assert commerce_snapshot() == before


# --- admin pages -------------------------------------------------------------------------------


def order_url(order, action="change"):
    return reverse(f"admin:sales_order_{action}", args=[order.pk])


def document_url(document):
    name = type(document)._meta.model_name
    return reverse(f"admin:sales_{name}_change", args=[document.pk])


@pytest.fixture(params=["administrator", "clerk"])
def sales_staff(request):
    """Everyone who may work on orders: the administrator and the Sales Clerk role."""
    return request.getfixturevalue(request.param)


def test_orders_grid_lists_and_filters_by_status(admin_client_for, sales_staff, order):
    client = admin_client_for(sales_staff)

    response = client.get(reverse("admin:sales_order_changelist"))
    assert response.status_code == 200
    shown = {o.pk for o in response.context["cl"].result_list}
    assert shown == set(Order.objects.values_list("pk", flat=True))
    assert order.increment_id.encode() in response.content

    for status in (OrderStatus.PENDING, OrderStatus.COMPLETE, OrderStatus.PROCESSING):
        response = client.get(reverse("admin:sales_order_changelist"), {"status__exact": status})
        shown = {o.pk for o in response.context["cl"].result_list}
        assert shown == set(Order.objects.filter(status=status).values_list("pk", flat=True))
        assert shown
    pending = client.get(reverse("admin:sales_order_changelist"), {"status__exact": "pending"})
    assert [o.pk for o in pending.context["cl"].result_list] == [order.pk]

    found = client.get(reverse("admin:sales_order_changelist"), {"q": order.increment_id})
    assert [o.pk for o in found.context["cl"].result_list] == [order.pk]


def test_order_view_shows_items_totals_comments_and_buttons(admin_client_for, sales_staff, order):
    services.add_order_comment(order=order, comment="Gift wrap, please.", actor=Actor.system())

    response = admin_client_for(sales_staff).get(order_url(order))

    assert response.status_code == 200
    content = response.content.decode()
    assert f"Order # {order.increment_id}" in content
    for text in (BAG, SHIRT, "Canvas Weekender Bag", "203.00", "208.00", "Gift wrap, please."):
        assert text in content
    for action in ("invoice", "ship", "creditmemo"):
        assert f'href="{order_url(order, action)}" data-action="{action}"' in content
    assert reverse("admin:customers_customer_change", args=[order.customer_id]) in content


def test_admin_invoices_ships_and_refunds_through_the_forms(admin_client_for, sales_staff, order):
    client = admin_client_for(sales_staff)
    item = ids(order)
    bag_stock = stock_of(BAG)

    form = client.get(order_url(order, "invoice"))
    assert form.status_code == 200
    assert f'name="qty_{item[BAG]}" value="2"'.encode() in form.content
    response = client.post(
        order_url(order, "invoice"), {f"qty_{item[BAG]}": "2", f"qty_{item[SHIRT]}": "1"}
    )
    assert response.status_code == 302
    assert response["Location"] == order_url(order)
    document = order.invoices.get()
    assert document.grand_total == Decimal("208.00")
    assert document.created_by_username == sales_staff.username

    response = client.post(
        order_url(order, "ship"),
        {
            f"qty_{item[BAG]}": "2",
            f"qty_{item[SHIRT]}": "1",
            "carrier": "UPS",
            "tracking_number": "1Z12345",
        },
    )
    assert response["Location"] == order_url(order)
    shipment = order.shipments.get()
    assert (shipment.carrier, shipment.tracking_number) == ("UPS", "1Z12345")
    assert reloaded(order).status == OrderStatus.COMPLETE

    response = client.post(
        order_url(order, "creditmemo"),
        {
            f"qty_{item[BAG]}": "1",
            f"qty_{item[SHIRT]}": "0",
            "adjustment": "2.50",
            "return_to_stock": "1",
        },
    )
    assert response["Location"] == order_url(order)
    memo = order.creditmemos.get()
    assert (memo.subtotal, memo.adjustment, memo.grand_total) == (
        Decimal("89.00"),
        Decimal("2.50"),
        Decimal("91.50"),
    )
    assert stock_of(BAG) == bag_stock + 1

    view = client.get(order_url(order), follow=True).content.decode()
    for document in (order.invoices.get(), shipment, memo):
        assert document_url(document) in view
        assert f"#{document.increment_id}" in view


def test_admin_form_errors_are_shown_and_change_nothing(admin_client_for, clerk, order):
    client = admin_client_for(clerk)
    item = ids(order)
    client.post(order_url(order, "ship"), {f"qty_{item[BAG]}": "2", f"qty_{item[SHIRT]}": "1"})
    before = commerce_snapshot()

    refused = [
        (order_url(order, "ship"), {f"qty_{item[BAG]}": "0"}, "There is nothing left to ship"),
        (order_url(order, "invoice"), {f"qty_{item[BAG]}": "5"}, "is above what can be processed"),
        (order_url(order, "invoice"), {f"qty_{item[BAG]}": "-1"}, "Enter whole quantities"),
        (order_url(order, "creditmemo"), {"adjustment": "NaN"}, "Enter a valid amount."),
        (order_url(order, "creditmemo"), {"adjustment": "1"}, "is above what is left to refund"),
    ]
    for url, data, message in refused:
        response = client.post(url, data)
        assert response.status_code == 200, url
        assert message in response.content.decode(), (url, data)

    assert commerce_snapshot() == before


def test_document_pages_link_back_to_the_order_and_the_customer(
    admin_client_for, sales_staff, order
):
    client = admin_client_for(sales_staff)
    documents = [invoice(order), ship(order, tracking_number="1Z777"), refund(order)]
    customer_url = reverse("admin:customers_customer_change", args=[order.customer_id])

    for document in documents:
        response = client.get(document_url(document))
        assert response.status_code == 200
        content = response.content.decode()
        assert f'href="{order_url(order)}" data-testid="order-link"' in content
        assert f'href="{customer_url}" data-testid="customer-link"' in content
        assert f"#{document.increment_id}" in content
    for name in ("invoice", "shipment", "creditmemo"):
        grid = client.get(reverse(f"admin:sales_{name}_changelist"))
        assert grid.status_code == 200
        assert order_url(order) in grid.content.decode()


def test_guest_order_documents_show_the_guest_without_a_customer_link(
    admin_client_for, administrator
):
    guest_order = Order.objects.get(customer__isnull=True)
    document = guest_order.invoices.first()

    content = admin_client_for(administrator).get(document_url(document)).content.decode()

    assert "(Guest)" in content
    assert 'data-testid="customer-link"' not in content
    assert f'href="{order_url(guest_order)}" data-testid="order-link"' in content


# Customer Support reads the sales documents (issue 13, point 4): tests/ux/test_admin_refusals.py
# shows it still creates none.
@pytest.fixture(params=["auditor"])
def staff_without_sales(request):
    return request.getfixturevalue(request.param)


def test_staff_without_sales_resources_get_403_everywhere_and_change_nothing(
    admin_client_for, staff_without_sales, order
):
    client = admin_client_for(staff_without_sales)
    assert client.get(reverse("admin:index")).status_code == 200  # logged in to the admin
    item = ids(order)
    demo_order = Order.objects.exclude(pk=order.pk).filter(invoices__isnull=False).first()
    pages = [
        reverse("admin:sales_order_changelist"),
        order_url(order),
        order_url(order, "invoice"),
        order_url(order, "ship"),
        order_url(order, "creditmemo"),
        *[reverse(f"admin:sales_{n}_changelist") for n in ("invoice", "shipment", "creditmemo")],
        document_url(demo_order.invoices.first()),
    ]
    forged = [
        (order_url(order, "invoice"), {f"qty_{item[BAG]}": "2", f"qty_{item[SHIRT]}": "1"}),
        (order_url(order, "ship"), {f"qty_{item[BAG]}": "2", "tracking_number": "X"}),
        (order_url(order, "creditmemo"), {"adjustment": "1"}),
        (order_url(order, "comment"), {"comment": "forged", "is_visible_on_front": "1"}),
    ]
    before = commerce_snapshot()

    for url in pages:
        assert client.get(url).status_code == 403, url
    for url, data in forged:
        assert client.post(url, data).status_code == 403, url

    assert commerce_snapshot() == before
    nav = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:sales_order_changelist") not in nav


def test_anonymous_visitors_are_sent_to_the_admin_login(order):
    before = commerce_snapshot()

    response = Client().post(order_url(order, "invoice"), {f"qty_{ids(order)[BAG]}": "2"})

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert commerce_snapshot() == before


# --- comments ----------------------------------------------------------------------------------


def test_comments_visible_on_storefront_show_in_my_account(admin_client_for, clerk, order, jane):
    client = admin_client_for(clerk)

    client.post(
        order_url(order, "comment"),
        {"comment": "Your parcel left our warehouse.", "is_visible_on_front": "1"},
    )
    client.post(order_url(order, "comment"), {"comment": "Customer sounded upset."})

    comments = list(order.comments.values_list("comment", "is_visible_on_front", "author_username"))
    assert comments == [
        ("Your parcel left our warehouse.", True, "clerk"),
        ("Customer sounded upset.", False, "clerk"),
    ]
    admin_view = client.get(order_url(order)).content.decode()
    assert "Your parcel left our warehouse." in admin_view
    assert "Customer sounded upset." in admin_view
    storefront = login_customer_client(Client(), jane).get(f"/en/sales/order/view/{order.pk}/")
    assert storefront.status_code == 200
    assert b"Your parcel left our warehouse." in storefront.content
    assert b"Customer sounded upset." not in storefront.content


def test_an_empty_admin_comment_is_refused(admin_client_for, clerk, order):
    count = OrderComment.objects.count()

    response = admin_client_for(clerk).post(
        order_url(order, "comment"), {"comment": " "}, follow=True
    )

    assert "Enter a comment of at most 5000 characters." in [
        str(m) for m in response.context["messages"]
    ]
    assert OrderComment.objects.count() == count
