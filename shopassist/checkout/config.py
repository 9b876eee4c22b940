from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from shopassist.checkout.acl import CONFIG_CHECKOUT
from shopassist.core.config import (
    ALL_SCOPES,
    Group,
    Scope,
    Section,
    TextField,
    config,
    register_section,
)
from shopassist.core.config.registry import ConfigField

FLATRATE_PRICE = "checkout/flatrate/price"
FLATRATE_TITLE = "checkout/flatrate/title"
CHECKMO_TITLE = "checkout/checkmo/title"


@dataclass(frozen=True, kw_only=True)
class MoneyField(ConfigField):
    def parse(self, raw: str) -> Decimal:
        try:
            value = Decimal(str(raw).strip()).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            raise ValidationError(_("Enter a valid amount."), code="invalid_amount") from None
        # NaN survives quantize() but makes the comparisons raise: refuse it first.
        if value.is_nan() or value < 0 or value > Decimal("100000"):
            raise ValidationError(_("Enter an amount from 0 to 100000."), code="amount_range")
        return value

    def form_field(self) -> forms.Field:
        return forms.DecimalField(label=self.label, help_text=self.comment, decimal_places=2)


register_section(
    Section(
        id="checkout",
        tab=_("Sales"),
        title=_("Shipping and Payment Methods"),
        resource=CONFIG_CHECKOUT,
        sort_order=40,
        groups=(
            Group(
                "flatrate",
                _("Flat Rate"),
                (
                    TextField(
                        id="title",
                        label=_("Title"),
                        default=gettext_noop("Flat Rate"),
                        scopes=ALL_SCOPES,
                    ),
                    MoneyField(
                        id="price",
                        label=_("Price"),
                        default=Decimal("5.00"),
                        comment=_("Per order."),
                        scopes=(Scope.DEFAULT, Scope.WEBSITE),
                    ),
                ),
            ),
            Group(
                "checkmo",
                _("Check / Money Order"),
                (
                    TextField(
                        id="title",
                        label=_("Title"),
                        default=gettext_noop("Check / Money order"),
                        scopes=ALL_SCOPES,
                    ),
                ),
            ),
        ),
    )
)


def method_title(path: str, store_view) -> str:
    """A configured title; the default is shown in the store view's language."""
    return gettext(config.get(path, store_view=store_view))
