from enum import StrEnum


class CartErrorCode(StrEnum):
    INVALID_QTY = "cart.invalid_qty"
    UNKNOWN_PRODUCT = "cart.unknown_product"
    PRODUCT_DISABLED = "cart.product_disabled"
    OUT_OF_STOCK = "cart.out_of_stock"
    NOT_ENOUGH_STOCK = "cart.not_enough_stock"
    UNKNOWN_ITEM = "cart.unknown_item"
