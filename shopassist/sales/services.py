"""Sales writes: increment numbers, comments, invoices, shipments and credit memos.

State rules: never invoice, ship or refund more than ordered (refunds: more than invoiced),
never refund more money than was paid. Every service takes an explicit actor and runs in one
transaction with the order row locked.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from shopassist.catalog import stock
from shopassist.core.errors import DomainError
from shopassist.sales.errors import SalesErrorCode
from shopassist.sales.models import (
    CreditMemo,
    CreditMemoItem,
    Invoice,
    InvoiceItem,
    Order,
    OrderComment,
    OrderStatus,
    Sequence,
    Shipment,
    ShipmentItem,
)
from shopassist.sales.signals import order_comment_added, order_document_created

ZERO = Decimal("0.00")
MAX_COMMENT = 5_000


def next_increment_id(name: str) -> str:
    """The next number of a sequence (must run inside a transaction)."""
    Sequence.objects.get_or_create(name=name)
    sequence = Sequence.objects.select_for_update().get(name=name)
    sequence.last_value += 1
    sequence.save(update_fields=["last_value"])
    return f"{sequence.last_value:09d}"


def _actor_username(actor) -> str:
    staff = getattr(actor, "staff_user", None)
    return staff.get_username() if staff is not None else ""


def add_order_comment(
    *, order: Order, comment: str, actor, visible_on_front: bool = False
) -> OrderComment:
    """Add a status-history comment (optionally shown to the customer)."""
    comment = (comment or "").strip()
    if not comment or len(comment) > MAX_COMMENT:
        raise DomainError(
            SalesErrorCode.INVALID_COMMENT,
            _("Enter a comment of at most %(max)s characters.") % {"max": MAX_COMMENT},
        )
    with transaction.atomic():
        entry = OrderComment.objects.create(
            order=order,
            comment=comment,
            status=Order.objects.values_list("status", flat=True).get(pk=order.pk),
            is_visible_on_front=visible_on_front,
            author_username=_actor_username(actor),
        )
        order_comment_added.send(sender=Order, order=order, comment=entry, actor=actor)
    return entry


def _locked(order: Order) -> tuple[Order, list]:
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status in (OrderStatus.CLOSED, OrderStatus.CANCELED):
        raise DomainError(SalesErrorCode.ORDER_CLOSED, _("This order is closed."))
    return order, list(order.items.select_for_update().order_by("pk"))


def _quantities(items, requested, available, nothing_code, nothing_message):
    """Resolve {item id: qty} against what each item still allows; all remaining if None."""
    by_id = {item.pk: item for item in items}
    if requested is None:
        plan = {item.pk: available(item) for item in items}
    else:
        plan = {}
        for raw_id, raw_qty in requested.items():
            try:
                item_id, qty = int(raw_id), int(raw_qty)
            except (TypeError, ValueError):
                raise DomainError(
                    SalesErrorCode.INVALID_QTY, _("Enter whole quantities of 0 or more.")
                ) from None
            if item_id not in by_id:
                raise DomainError(SalesErrorCode.UNKNOWN_ITEM, _("The item is not in this order."))
            if qty < 0:
                raise DomainError(
                    SalesErrorCode.INVALID_QTY, _("Enter whole quantities of 0 or more.")
                )
            if qty > available(by_id[item_id]):
                raise DomainError(
                    SalesErrorCode.QTY_ABOVE_ALLOWED,
                    _("The quantity of %(sku)s is above what can be processed (%(max)s).")
                    % {"sku": by_id[item_id].sku, "max": available(by_id[item_id])},
                )
            plan[item_id] = qty
    plan = {item_id: qty for item_id, qty in plan.items() if qty > 0}
    if not plan:
        raise DomainError(nothing_code, nothing_message)
    return [(by_id[item_id], qty) for item_id, qty in plan.items()]


def _refresh_status(order: Order, items) -> None:
    if all(i.qty_refunded >= i.qty_ordered for i in items) or (
        order.total_paid > ZERO and order.total_refunded >= order.total_paid
    ):
        order.status = OrderStatus.CLOSED
    elif all(
        i.qty_invoiced >= i.qty_ordered and i.qty_shipped + i.qty_refunded >= i.qty_ordered
        for i in items
    ):
        order.status = OrderStatus.COMPLETE
    elif any(i.qty_invoiced or i.qty_shipped for i in items):
        order.status = OrderStatus.PROCESSING
    order.save(update_fields=["status", "total_paid", "total_refunded", "updated_at"])


def invoice_order(*, order: Order, actor, items: dict | None = None) -> Invoice:
    """Invoice ordered quantities (all remaining by default); the payment is captured."""
    with transaction.atomic():
        order, order_items = _locked(order)
        plan = _quantities(
            order_items,
            items,
            lambda i: i.qty_ordered - i.qty_invoiced,
            SalesErrorCode.NOTHING_TO_INVOICE,
            _("There is nothing left to invoice on this order."),
        )
        first = not order.invoices.exists()
        shipping = order.shipping_amount if first else ZERO
        invoice = Invoice.objects.create(
            order=order,
            increment_id=next_increment_id("invoice"),
            created_by_username=_actor_username(actor),
            shipping_amount=shipping,
        )
        subtotal = ZERO
        for item, qty in plan:
            row = item.price * qty
            subtotal += row
            InvoiceItem.objects.create(invoice=invoice, order_item=item, qty=qty, row_total=row)
            item.qty_invoiced += qty
            item.save(update_fields=["qty_invoiced"])
        invoice.subtotal, invoice.grand_total = subtotal, subtotal + shipping
        invoice.save(update_fields=["subtotal", "grand_total"])
        order.total_paid += invoice.grand_total
        _refresh_status(order, order_items)
        order_document_created.send(
            sender=Order, order=order, document=invoice, kind="invoice", actor=actor
        )
    return invoice


MAX_TRACKING = 64


def ship_order(
    *, order: Order, actor, items: dict | None = None, tracking_number: str = "", carrier: str = ""
) -> Shipment:
    """Ship ordered quantities (all remaining by default), with an optional tracking number."""
    tracking_number, carrier = (tracking_number or "").strip(), (carrier or "").strip()
    if len(tracking_number) > MAX_TRACKING or len(carrier) > MAX_TRACKING:
        raise DomainError(
            SalesErrorCode.INVALID_TRACKING,
            _("The carrier and tracking number may have at most %(max)s characters.")
            % {"max": MAX_TRACKING},
        )
    with transaction.atomic():
        order, order_items = _locked(order)
        plan = _quantities(
            order_items,
            items,
            lambda i: max(0, i.qty_ordered - i.qty_shipped - i.qty_refunded),
            SalesErrorCode.NOTHING_TO_SHIP,
            _("There is nothing left to ship on this order."),
        )
        shipment = Shipment.objects.create(
            order=order,
            increment_id=next_increment_id("shipment"),
            created_by_username=_actor_username(actor),
            tracking_number=tracking_number,
            carrier=carrier,
        )
        for item, qty in plan:
            ShipmentItem.objects.create(shipment=shipment, order_item=item, qty=qty)
            item.qty_shipped += qty
            item.save(update_fields=["qty_shipped"])
        _refresh_status(order, order_items)
        order_document_created.send(
            sender=Order, order=order, document=shipment, kind="shipment", actor=actor
        )
    return shipment


def parse_amount(raw) -> Decimal:
    try:
        amount = Decimal(str(raw or "0").strip()).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise DomainError(SalesErrorCode.INVALID_AMOUNT, _("Enter a valid amount.")) from None
    # NaN survives quantize() but makes the comparisons raise: refuse it first.
    if amount.is_nan() or amount < ZERO or amount > Decimal("9999999999.99"):
        raise DomainError(SalesErrorCode.INVALID_AMOUNT, _("Enter a valid amount."))
    return amount


def refund_order(
    *,
    order: Order,
    actor,
    items: dict | None = None,
    adjustment="0",
    return_to_stock: bool = True,
) -> CreditMemo:
    """Refund invoiced quantities and/or an amount; never more than what was paid.

    ``items`` None refunds every refundable quantity; ``{}`` refunds only ``adjustment``.
    """
    adjustment = parse_amount(adjustment)
    with transaction.atomic():
        order, order_items = _locked(order)
        if items is not None:
            # Zero lines are no lines: {} (or all zeros) with an adjustment refunds an amount.
            items = {k: v for k, v in items.items() if str(v).strip() not in ("", "0")}
        plan = []
        if items is None or items:
            plan = _quantities(
                order_items,
                items,
                lambda i: i.qty_invoiced - i.qty_refunded,
                SalesErrorCode.NOTHING_TO_REFUND,
                _("There is nothing to refund on this order."),
            )
        subtotal = sum((item.price * qty for item, qty in plan), ZERO)
        total = subtotal + adjustment
        if total <= ZERO:
            raise DomainError(
                SalesErrorCode.NOTHING_TO_REFUND, _("There is nothing to refund on this order.")
            )
        if order.total_refunded + total > order.total_paid:
            raise DomainError(
                SalesErrorCode.REFUND_ABOVE_PAID,
                _("The refund (%(amount)s) is above what is left to refund (%(left)s).")
                % {"amount": total, "left": order.total_paid - order.total_refunded},
            )
        memo = CreditMemo.objects.create(
            order=order,
            increment_id=next_increment_id("creditmemo"),
            created_by_username=_actor_username(actor),
            subtotal=subtotal,
            adjustment=adjustment,
            grand_total=total,
        )
        for item, qty in plan:
            CreditMemoItem.objects.create(
                creditmemo=memo, order_item=item, qty=qty, row_total=item.price * qty
            )
            item.qty_refunded += qty
            item.save(update_fields=["qty_refunded"])
            if return_to_stock and item.product_id:
                stock.give_back(item.product_id, qty)
        order.total_refunded += total
        _refresh_status(order, order_items)
        order_document_created.send(
            sender=Order, order=order, document=memo, kind="creditmemo", actor=actor
        )
    return memo
