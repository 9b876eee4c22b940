"""Website → Store → Store view."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

code_validator = RegexValidator(
    r"^[a-z][a-z0-9-]{0,31}$",
    _("Use lower-case letters, digits and hyphens, starting with a letter."),
)
# First path segments that belong to other areas: a store view with one of these codes would be
# unreachable.
RESERVED_CODES = frozenset({"admin", "api", "static", "media", "healthz"})


def not_reserved(value: str) -> None:
    if value in RESERVED_CODES:
        raise ValidationError(
            _("“%(code)s” is reserved for another part of the site."), params={"code": value}
        )


class Website(models.Model):
    code = models.CharField(_("code"), max_length=32, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=255)
    sort_order = models.IntegerField(_("sort order"), default=0)
    is_default = models.BooleanField(_("default website"), default=False)
    default_store = models.ForeignKey(
        "Store",
        verbose_name=_("default store"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("website")
        verbose_name_plural = _("websites")

    def __str__(self):
        return self.name

    def default_store_view(self):
        store = self.default_store or self.stores.order_by("id").first()
        return store.default_view() if store else None


class Store(models.Model):
    website = models.ForeignKey(
        Website, verbose_name=_("website"), on_delete=models.PROTECT, related_name="stores"
    )
    name = models.CharField(_("name"), max_length=255)
    default_store_view = models.ForeignKey(
        "StoreView",
        verbose_name=_("default store view"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("store")
        verbose_name_plural = _("stores")

    def __str__(self):
        return self.name

    def default_view(self):
        return self.default_store_view or self.views.filter(is_active=True).first()


class StoreView(models.Model):
    store = models.ForeignKey(
        Store, verbose_name=_("store"), on_delete=models.PROTECT, related_name="views"
    )
    code = models.CharField(
        _("code"), max_length=32, unique=True, validators=[code_validator, not_reserved]
    )
    name = models.CharField(_("name"), max_length=255)
    locale = models.CharField(_("locale"), max_length=16, choices=settings.LANGUAGES)
    sort_order = models.IntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("store view")
        verbose_name_plural = _("store views")

    def __str__(self):
        return self.name

    @property
    def website(self):
        return self.store.website
