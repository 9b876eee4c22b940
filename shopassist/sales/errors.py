from enum import StrEnum


class SalesErrorCode(StrEnum):
    NOTHING_TO_INVOICE = "sales.nothing_to_invoice"
    NOTHING_TO_SHIP = "sales.nothing_to_ship"
    NOTHING_TO_REFUND = "sales.nothing_to_refund"
    INVALID_QTY = "sales.invalid_qty"
    QTY_ABOVE_ALLOWED = "sales.qty_above_allowed"
    UNKNOWN_ITEM = "sales.unknown_item"
    REFUND_ABOVE_PAID = "sales.refund_above_paid"
    INVALID_AMOUNT = "sales.invalid_amount"
    ORDER_CLOSED = "sales.order_closed"
    INVALID_COMMENT = "sales.invalid_comment"
    INVALID_TRACKING = "sales.invalid_tracking"
