"""Address book writes. Each takes an explicit actor."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shopassist.customers.models import Address, Customer
from shopassist.customers.signals import address_changed

ADDRESS_FIELDS = (
    "first_name",
    "last_name",
    "street",
    "city",
    "postcode",
    "country",
    "telephone",
    "is_default_shipping",
    "is_default_billing",
)


def _apply(address: Address, data: dict) -> None:
    for name in ADDRESS_FIELDS:
        if name in data:
            setattr(address, name, data[name])
    address.country = (address.country or "").upper()
    address.full_clean(exclude=["customer"])


def _single_defaults(address: Address) -> None:
    others = Address.objects.filter(customer_id=address.customer_id).exclude(pk=address.pk)
    if address.is_default_shipping:
        others.update(is_default_shipping=False)
    if address.is_default_billing:
        others.update(is_default_billing=False)


def add_address(*, customer: Customer, data: dict, actor) -> Address:
    address = Address(customer=customer)
    _apply(address, data)
    with transaction.atomic():
        address.save()
        _single_defaults(address)
        address_changed.send(
            sender=Address, customer=customer, address=address, actor=actor, action="add"
        )
    return address


def update_address(*, address: Address, data: dict, actor) -> Address:
    _apply(address, data)
    with transaction.atomic():
        address.save()
        _single_defaults(address)
        address_changed.send(
            sender=Address, customer=address.customer, address=address, actor=actor, action="update"
        )
    return address


def delete_address(*, address: Address, actor) -> None:
    """Delete an address that is not the default shipping or billing address."""
    if address.is_default_shipping or address.is_default_billing:
        raise ValidationError(
            _("You cannot delete a default address. Choose another default first."),
            code="default_address",
        )
    with transaction.atomic():
        address_changed.send(
            sender=Address,
            customer=address.customer,
            address=address,
            actor=actor,
            action="delete",
        )
        address.delete()
