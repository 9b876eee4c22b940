"""Error codes of the API itself (domain errors keep their own apps' codes)."""

from enum import StrEnum


class ApiErrorCode(StrEnum):
    TOKEN_MISSING = "auth.token_missing"
    TOKEN_INVALID = "auth.token_invalid"
    WRONG_TOKEN_KIND = "auth.wrong_token_kind"
    INVALID_CREDENTIALS = "auth.invalid_credentials"
    LOCKED_OUT = "auth.locked_out"
    RATE_LIMITED = "auth.rate_limited"
    INVALID_REQUEST = "request.invalid"
    NOT_FOUND = "request.not_found"
    METHOD_NOT_ALLOWED = "request.method_not_allowed"
    FORBIDDEN = "request.forbidden"
    SERVER_ERROR = "server.error"
    UNKNOWN_STORE_VIEW = "request.unknown_store_view"
    # The e-mail address or password, asked to change with an assisted token (SPEC §6).
    CREDENTIALS_CHANGE_BLOCKED = "login_as_customer.credentials_change_blocked"


class ApiError(Exception):
    """An error answered as ``{"code": ..., "message": ...}`` with ``status``."""

    def __init__(self, status: int, code, message: str):
        super().__init__(message)
        self.status = status
        self.code = str(code)
        self.message = str(message)


# Statuses of the domain errors the API passes through (default 400).
STATUS_BY_CODE = {
    "login_as_customer.feature_disabled": 403,
    "login_as_customer.permission_missing": 403,
    "login_as_customer.admin_inactive": 403,
    "login_as_customer.customer_missing": 404,
    "login_as_customer.customer_inactive": 403,
    "login_as_customer.target_is_staff": 403,
    "login_as_customer.consent_missing": 403,
    "login_as_customer.consent_expired": 403,
    "login_as_customer.consent_change_blocked": 403,
    "login_as_customer.credentials_change_blocked": 403,
    "login_as_customer.full_access_missing": 403,
    "login_as_customer.mode_invalid": 400,
    "login_as_customer.view_only": 403,
    "login_as_customer.code_required": 403,
    "login_as_customer.code_or_consent_missing": 403,
    "login_as_customer.code_wrong": 403,
    "login_as_customer.code_expired": 403,
    "login_as_customer.code_voided": 403,
    "login_as_customer.code_blocked": 403,
    "login_as_customer.codes_off": 409,
    "login_as_customer.rate_limited": 429,
    "cart.unknown_product": 404,
    "cart.unknown_item": 404,
    "cart.out_of_stock": 409,
    "cart.not_enough_stock": 409,
    "cart.product_disabled": 409,
    "checkout.empty_cart": 409,
    "checkout.out_of_stock": 409,
    "checkout.product_unavailable": 409,
    "checkout.idempotency_key_reused": 422,
}


def status_for(code) -> int:
    return STATUS_BY_CODE.get(str(code), 400)
