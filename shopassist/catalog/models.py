"""Products and categories, with names and descriptions per store view."""

from decimal import Decimal

from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.Model):
    code = models.SlugField(_("URL key"), max_length=64, unique=True)
    position = models.IntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("enabled"), default=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        text = self.texts.filter(store_view__isnull=True).first()
        return text.name if text else self.code


class StoreViewText(models.Model):
    """A name and description for one store view (null: the default of every store view)."""

    store_view = models.ForeignKey(
        "stores.StoreView",
        verbose_name=_("store view"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Leave empty for the default text of every store view."),
    )
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name


class CategoryText(StoreViewText):
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="texts")

    class Meta:
        verbose_name = _("category text")
        verbose_name_plural = _("names and descriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["category", "store_view"], name="category_text_per_view"
            ),
            models.UniqueConstraint(
                fields=["category"],
                condition=models.Q(store_view__isnull=True),
                name="category_text_one_default",
            ),
        ]


class Product(models.Model):
    sku = models.CharField(_("SKU"), max_length=64, unique=True)
    price = models.DecimalField(
        _("price"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.00"))],
    )
    stock_qty = models.PositiveIntegerField(_("quantity in stock"), default=0)
    is_active = models.BooleanField(_("enabled"), default=True)
    categories = models.ManyToManyField(
        Category, verbose_name=_("categories"), related_name="products", blank=True
    )
    image = models.FileField(
        _("image"),
        upload_to="catalog/product",
        blank=True,
        validators=[FileExtensionValidator(["jpg", "jpeg", "png", "webp", "svg"])],
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price__gte=0), name="product_price_not_negative"
            ),
        ]

    def __str__(self):
        return self.sku

    @property
    def in_stock(self) -> bool:
        return self.stock_qty > 0


class ProductText(StoreViewText):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="texts")

    class Meta:
        verbose_name = _("product text")
        verbose_name_plural = _("names and descriptions")
        constraints = [
            models.UniqueConstraint(fields=["product", "store_view"], name="product_text_per_view"),
            models.UniqueConstraint(
                fields=["product"],
                condition=models.Q(store_view__isnull=True),
                name="product_text_one_default",
            ),
        ]
        indexes = [models.Index(fields=["name"], name="product_text_name_idx")]
