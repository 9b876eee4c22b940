from enum import StrEnum


class CheckoutErrorCode(StrEnum):
    EMPTY_CART = "checkout.empty_cart"
    INVALID_ADDRESS = "checkout.invalid_address"
    INVALID_EMAIL = "checkout.invalid_email"
    UNKNOWN_METHOD = "checkout.unknown_method"
    PRODUCT_UNAVAILABLE = "checkout.product_unavailable"
    OUT_OF_STOCK = "checkout.out_of_stock"
    KEY_REUSED = "checkout.idempotency_key_reused"
