"""Bearer tokens of the headless API: opaque, random, stored only as a SHA-256 hash."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TokenKind(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    CUSTOMER = "customer", _("Customer")
    ASSISTED = "assisted", _("Assisted (Login as Customer)")


class ApiToken(models.Model):
    token_hash = models.CharField(max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=TokenKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    customer = models.ForeignKey(
        "customers.Customer", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    store_view = models.ForeignKey(
        "stores.StoreView", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    assisted_session = models.ForeignKey(
        "login_as_customer.AssistedSession",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # The administrator token an assisted token was minted with: revoking it revokes them.
    minted_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="minted"
    )
    # The holder's password hash digest when issued: a password change kills the token.
    credential_hash = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.kind} token {self.pk}"
