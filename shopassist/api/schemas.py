"""Request and response bodies of the API (pydantic, through django-ninja)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Schema
from pydantic import BeforeValidator, ConfigDict, Field, StrictBool, StrictInt, model_validator

from login_as_customer.models import SessionMode

TOKEN_TYPE_ACCESS = "urn:ietf:params:oauth:token-type:access_token"


class Input(Schema):
    """Base of every request body: a member the body does not declare is refused, not ignored
    (a client must not believe a change was made); NUL characters are dropped from text before
    validation (PostgreSQL cannot store them, and no field of ours needs one). Integers are
    ``JsonInteger``: ``true`` or ``"1"`` is not the integer 1."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _without_nul_characters(cls, data):
        source = getattr(data, "_obj", data)
        if isinstance(source, dict):
            return {key: _strip_nul(value) for key, value in source.items()}
        return data


def _strip_nul(value):
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {key: _strip_nul(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_strip_nul(item) for item in value]
    return value


def _whole_number(value):
    # JSON has one number type, and the OpenAPI 3.1 schema the API publishes (JSON Schema
    # 2020-12) holds 2.0 to be the integer 2: a whole number is taken however it is written.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# An integer of a request body: no boolean, string or fraction read as one (lax pydantic reads
# ``true`` as 1, ``"7"`` as 7).
JsonInteger = Annotated[StrictInt, BeforeValidator(_whole_number)]


class Error(Schema):
    code: str
    message: str


class AdminCredentials(Input):
    username: str = Field(max_length=150)
    password: str = Field(max_length=4096)


class CustomerCredentials(Input):
    email: str = Field(max_length=254)
    password: str = Field(max_length=4096)
    store_view: str = Field(max_length=32, description="Store view code, e.g. 'en'.")


class TokenOut(Schema):
    access_token: str
    token_type: str = "Bearer"
    expires_in: int


class AssistedSessionToldOut(Schema):
    administrator: str | None = Field(
        description="Who was connected; null when the store does not show administrators' names."
    )
    started_at: datetime
    duration_seconds: int


class AssistanceNoticeOut(Schema):
    sessions: list[AssistedSessionToldOut] = Field(description="The newest ones (at most 3).")
    more: int = Field(description="How many more sessions there were.")


class CustomerTokenOut(TokenOut):
    assisted_sessions_notice: AssistanceNoticeOut | None = Field(
        default=None,
        description=(
            "The assisted sessions on the customer's account since they were last told (on the "
            "web or here), told once: show it to the customer. Null when there are none."
        ),
    )


class LoginAsCustomerIn(Input):
    customer_id: JsonInteger | None = None
    email: str | None = Field(default=None, max_length=254)
    store_view: str | None = Field(
        default=None, max_length=32, description="Store view code (Manual selection only)."
    )
    reason: str = Field(default="", max_length=255)
    mode: SessionMode | None = Field(
        default=None,
        description="view_only or full (default: full with Allow Login as Customer, else "
        "view_only). A view-only session's token is refused every change.",
    )
    assistance_code: str = Field(
        default="",
        max_length=16,
        description="The code the customer read out (Customer consent: assistance code).",
    )


class DayCount(Schema):
    day: date
    sessions: int


class NamedCount(Schema):
    name: str = Field(description="An administrator's username, or an end reason's value.")
    sessions: int


class ActionsCount(Schema):
    actions: int
    sessions: int


class DashboardOut(Schema):
    """Customers › Login as Customer › Dashboard's figures (sessions requested in the period)."""

    first_day: date
    last_day: date
    website: str
    sessions: int
    started: int
    ended: int
    with_reason: int
    view_only: int
    median_seconds: float | None
    actions_mean: float | None
    actions_median: float | None
    per_day: list[DayCount]
    by_admin: list[NamedCount]
    by_end_reason: list[NamedCount] = Field(description='"" for sessions not ended yet.')
    actions: list[ActionsCount] = Field(description="Started sessions by number of actions.")


class AssistanceCodeOut(Schema):
    code: str = Field(description="6 digits, shown once: only a hash is kept.")
    expires_at: datetime


class ExchangedTokenOut(Schema):
    """RFC 8693 token exchange response."""

    access_token: str
    issued_token_type: str = TOKEN_TYPE_ACCESS
    token_type: str = "Bearer"
    expires_in: int


class Act(Schema):
    sub: str
    username: str


class IntrospectionOut(Schema):
    """RFC 7662: an inactive token is ``{"active": false}`` alone, so every other member is
    optional."""

    active: bool
    sub: str | None = None
    scope: str | None = None
    exp: int | None = None
    act: Act | None = None


class CustomerOut(Schema):
    id: int
    email: str
    first_name: str
    last_name: str
    website: str
    allow_remote_shopping_assistance: bool


class CustomerPatch(Input):
    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data):
        # Every field is optional, so only this tells a JSON array or scalar from an object.
        source = getattr(data, "_obj", data)
        if not isinstance(source, dict):
            raise ValueError("The body must be a JSON object.")
        return data

    first_name: str | None = Field(default=None, min_length=1, max_length=150)
    last_name: str | None = Field(default=None, min_length=1, max_length=150)
    allow_remote_shopping_assistance: StrictBool | None = None
    consent_duration: Literal["", "1", "7", "30"] = Field(
        default="", description="Days the permission lasts: '' (until revoked), '1', '7' or '30'."
    )
    # Named so that an attempt is told apart from a typo: never changed through the API.
    email: str | None = Field(
        default=None,
        max_length=254,
        description="Not changeable through the API: refused with 403 (with an assisted token "
        "`login_as_customer.credentials_change_blocked`, logged; else `request.forbidden`).",
    )
    password: str | None = Field(
        default=None,
        max_length=4096,
        description="Not changeable through the API: refused like `email`.",
    )


class CartLineOut(Schema):
    item_id: int
    sku: str
    name: str
    price: Decimal
    qty: int
    row_total: Decimal


class CartOut(Schema):
    store_view: str
    lines: list[CartLineOut]
    subtotal: Decimal
    item_count: int


class CartItemIn(Input):
    sku: str = Field(max_length=64)
    qty: JsonInteger = Field(ge=1, le=10_000)


class CartItemPatch(Input):
    qty: JsonInteger = Field(ge=1, le=10_000)


class OrderItemOut(Schema):
    sku: str
    name: str
    price: Decimal
    qty_ordered: int
    row_total: Decimal


class OrderCommentOut(Schema):
    comment: str
    created_at: datetime


class OrderSummaryOut(Schema):
    increment_id: str
    status: str
    created_at: datetime
    grand_total: Decimal


class OrderOut(OrderSummaryOut):
    subtotal: Decimal
    shipping_amount: Decimal
    placed_by_store_administrator: bool
    items: list[OrderItemOut]
    comments: list[OrderCommentOut]


class ShippingAddressIn(Input):
    first_name: str = Field(min_length=1, max_length=150)
    last_name: str = Field(min_length=1, max_length=150)
    street: str = Field(min_length=1, max_length=255)
    city: str = Field(min_length=1, max_length=120)
    postcode: str = Field(min_length=1, max_length=20)
    country: str = Field(min_length=1, max_length=2)
    telephone: str = Field(default="", max_length=40)


class PlaceOrderIn(Input):
    shipping_address: ShippingAddressIn
