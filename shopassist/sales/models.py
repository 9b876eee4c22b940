"""Orders and their documents: invoices, shipments, credit memos."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 12, "decimal_places": 2, "default": Decimal("0.00")}


class OrderStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    PROCESSING = "processing", _("Processing")
    COMPLETE = "complete", _("Complete")
    CLOSED = "closed", _("Closed")
    CANCELED = "canceled", _("Canceled")


class Order(models.Model):
    increment_id = models.CharField(_("order #"), max_length=32, unique=True)
    store_view = models.ForeignKey(
        "stores.StoreView", verbose_name=_("purchase point"), on_delete=models.PROTECT
    )
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="orders",
    )
    customer_email = models.EmailField(_("customer e-mail"))
    customer_first_name = models.CharField(_("first name"), max_length=150)
    customer_last_name = models.CharField(_("last name"), max_length=150)
    status = models.CharField(
        _("status"), max_length=16, choices=OrderStatus.choices, default=OrderStatus.PENDING
    )
    # Shipping address, copied at order time.
    ship_street = models.CharField(_("street address"), max_length=255)
    ship_city = models.CharField(_("city"), max_length=120)
    ship_postcode = models.CharField(_("postal code"), max_length=20)
    ship_country = models.CharField(_("country"), max_length=2)
    ship_telephone = models.CharField(_("phone number"), max_length=40, blank=True)
    shipping_method = models.CharField(_("shipping method"), max_length=64)
    shipping_description = models.CharField(_("shipping method"), max_length=255, blank=True)
    payment_method = models.CharField(_("payment method"), max_length=64)
    payment_title = models.CharField(_("payment method"), max_length=255, blank=True)
    subtotal = models.DecimalField(_("subtotal"), **MONEY)
    shipping_amount = models.DecimalField(_("shipping & handling"), **MONEY)
    grand_total = models.DecimalField(_("grand total"), **MONEY)
    total_paid = models.DecimalField(_("total paid"), **MONEY)
    total_refunded = models.DecimalField(_("total refunded"), **MONEY)
    # The staff user who placed the order on the customer's behalf (the actor), if any.
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("placed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    placed_by_username = models.CharField(_("placed by (username)"), max_length=150, blank=True)
    # Fields other apps attach to an order without a migration of this app.
    extension_attributes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("purchase date"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total_refunded__lte=models.F("total_paid")),
                name="order_refund_not_above_paid",
            ),
        ]

    def __str__(self):
        return f"#{self.increment_id}"

    @property
    def customer_name(self) -> str:
        return f"{self.customer_first_name} {self.customer_last_name}".strip()

    @property
    def is_guest(self) -> bool:
        return self.customer_id is None


class OrderItem(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(
        "catalog.Product", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sku = models.CharField(_("SKU"), max_length=64)
    name = models.CharField(_("product"), max_length=255)
    price = models.DecimalField(_("price"), max_digits=12, decimal_places=2)
    qty_ordered = models.PositiveIntegerField(_("ordered"))
    qty_invoiced = models.PositiveIntegerField(_("invoiced"), default=0)
    qty_shipped = models.PositiveIntegerField(_("shipped"), default=0)
    qty_refunded = models.PositiveIntegerField(_("refunded"), default=0)
    row_total = models.DecimalField(_("row total"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["id"]
        verbose_name = _("order item")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(qty_invoiced__lte=models.F("qty_ordered"))
                & models.Q(qty_shipped__lte=models.F("qty_ordered"))
                & models.Q(qty_refunded__lte=models.F("qty_invoiced")),
                name="order_item_quantities_consistent",
            ),
        ]

    def __str__(self):
        return f"{self.qty_ordered} × {self.sku}"


class OrderComment(models.Model):
    """Status history: a comment, optionally shown to the customer in My Account."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="comments")
    comment = models.TextField(_("comment"))
    status = models.CharField(_("status"), max_length=16, choices=OrderStatus.choices)
    is_visible_on_front = models.BooleanField(_("visible on storefront"), default=False)
    author_username = models.CharField(_("author"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("date"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("order comment")

    def __str__(self):
        return self.comment[:50]


class OrderPlacementKey(models.Model):
    """The key a client sent with the request that placed an order: the API's
    ``Idempotency-Key`` header, or the one-time key of the storefront's checkout page. While it
    is fresh (checkout.idempotency.KEY_LIFETIME) a request with the same key from the same
    customer — a guest: for the same cart — gets this order back instead of placing another."""

    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="placement_key")
    customer = models.ForeignKey(
        "customers.Customer", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    guest_cart = models.ForeignKey(
        "cart.Cart", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=255)
    # What was asked (e-mail, address, methods): the same key with other details is refused.
    request_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "order placement key"  # no page shows it
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "key"],
                condition=models.Q(customer__isnull=False),
                name="order_key_unique_per_customer",
            ),
            models.UniqueConstraint(
                fields=["guest_cart", "key"],
                condition=models.Q(customer__isnull=True),
                name="order_key_unique_per_guest_cart",
            ),
            models.CheckConstraint(
                condition=models.Q(customer__isnull=False) | models.Q(guest_cart__isnull=False),
                name="order_key_has_an_owner",
            ),
        ]

    def __str__(self):
        return self.key


class SalesDocument(models.Model):
    increment_id = models.CharField(max_length=32, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    created_by_username = models.CharField(_("created by"), max_length=150, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"#{self.increment_id}"


class Invoice(SalesDocument):
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="invoices")
    subtotal = models.DecimalField(_("subtotal"), **MONEY)
    shipping_amount = models.DecimalField(_("shipping & handling"), **MONEY)
    grand_total = models.DecimalField(_("grand total"), **MONEY)

    class Meta(SalesDocument.Meta):
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")


class InvoiceItem(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="items")
    order_item = models.ForeignKey(OrderItem, on_delete=models.PROTECT, related_name="+")
    qty = models.PositiveIntegerField(_("quantity"))
    row_total = models.DecimalField(_("row total"), max_digits=12, decimal_places=2)

    def __str__(self):
        return f"{self.qty} × {self.order_item_id}"


class Shipment(SalesDocument):
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="shipments")
    carrier = models.CharField(_("carrier"), max_length=64, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=64, blank=True)

    class Meta(SalesDocument.Meta):
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")


class ShipmentItem(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="items")
    order_item = models.ForeignKey(OrderItem, on_delete=models.PROTECT, related_name="+")
    qty = models.PositiveIntegerField(_("quantity"))

    def __str__(self):
        return f"{self.qty} × {self.order_item_id}"


class CreditMemo(SalesDocument):
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="creditmemos")
    subtotal = models.DecimalField(_("subtotal"), **MONEY)
    adjustment = models.DecimalField(_("adjustment refund"), **MONEY)
    grand_total = models.DecimalField(_("refunded"), **MONEY)

    class Meta(SalesDocument.Meta):
        verbose_name = _("credit memo")
        verbose_name_plural = _("credit memos")


class CreditMemoItem(models.Model):
    creditmemo = models.ForeignKey(CreditMemo, on_delete=models.CASCADE, related_name="items")
    order_item = models.ForeignKey(OrderItem, on_delete=models.PROTECT, related_name="+")
    qty = models.PositiveIntegerField(_("quantity"))
    row_total = models.DecimalField(_("row total"), max_digits=12, decimal_places=2)

    def __str__(self):
        return f"{self.qty} × {self.order_item_id}"


class Sequence(models.Model):
    """Increment numbers per document type, taken under a row lock."""

    name = models.CharField(max_length=32, unique=True)
    last_value = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"{self.name}={self.last_value}"
