"""Customer accounts: a population separate from staff users.

Customers never authenticate through ``django.contrib.auth``: the storefront keeps its own
session keys (see ``shopassist.customers.auth``), so a staff user can never be a storefront
customer and a customer can never reach the admin panel.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# An ISO 3166-1 alpha-2 code ("US", "FR"), as stored: two ASCII letters in capitals.
COUNTRY_CODE = RegexValidator(r"^[A-Z]{2}\Z", _("Enter a two-letter country code, such as US."))


class CustomerGroup(models.TextChoices):
    """The customer's price context (Magento's customer groups); visitors who are not logged in
    are "NOT LOGGED IN", which is not stored on any account."""

    GENERAL = "general", _("General")
    WHOLESALE = "wholesale", _("Wholesale")
    RETAILER = "retailer", _("Retailer")


NOT_LOGGED_IN = "not_logged_in"


class Customer(AbstractBaseUser):
    website = models.ForeignKey(
        "stores.Website", verbose_name=_("website"), on_delete=models.PROTECT, related_name="+"
    )
    created_in = models.ForeignKey(
        "stores.StoreView",
        verbose_name=_("created in"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    email = models.EmailField(_("e-mail"), max_length=254)
    group = models.CharField(
        _("group"), max_length=32, choices=CustomerGroup.choices, default=CustomerGroup.GENERAL
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("account created"), default=timezone.now)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"

    class Meta:
        ordering = ["id"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        constraints = [
            models.UniqueConstraint(fields=["website", "email"], name="customer_email_per_website")
        ]
        indexes = [models.Index(fields=["email"], name="customer_email_idx")]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


class Address(models.Model):
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="addresses"
    )
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    street = models.CharField(_("street address"), max_length=255)
    city = models.CharField(_("city"), max_length=120)
    postcode = models.CharField(_("postal code"), max_length=20)
    country = models.CharField(_("country"), max_length=2, default="US", validators=[COUNTRY_CODE])
    telephone = models.CharField(_("phone number"), max_length=40, blank=True)
    is_default_shipping = models.BooleanField(_("default shipping address"), default=False)
    is_default_billing = models.BooleanField(_("default billing address"), default=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("address")
        verbose_name_plural = _("addresses")

    def __str__(self):
        return f"{self.first_name} {self.last_name}, {self.street}, {self.postcode} {self.city}"
