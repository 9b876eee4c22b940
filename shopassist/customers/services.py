"""Customer account writes. Every service takes an explicit actor."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shopassist.customers.config import accounts_shared_globally
from shopassist.customers.models import Customer
from shopassist.customers.selectors import find_customer_by_email
from shopassist.customers.signals import account_change_refused, customer_account_changed


def email_taken(*, email: str, website_id: int, exclude_pk: int | None = None) -> bool:
    queryset = Customer.objects.filter(email=email.strip().lower())
    if not accounts_shared_globally():
        queryset = queryset.filter(website_id=website_id)
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    return queryset.exists()


def register_customer(
    *, store_view, first_name: str, last_name: str, email: str, password: str, actor
) -> Customer:
    """Create a customer account on the store view's website."""
    website_id = store_view.store.website_id
    customer = Customer(
        website_id=website_id,
        created_in=store_view,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip().lower(),
    )
    if email_taken(email=customer.email, website_id=website_id):
        raise ValidationError(
            {"email": _("There is already an account with this e-mail address.")}, code="taken"
        )
    validate_password(password, customer)
    customer.set_password(password)
    with transaction.atomic():
        customer.save()
        customer_account_changed.send(
            sender=Customer, customer=customer, actor=actor, changed=["created"]
        )
    return customer


_DUMMY_HASH = make_password("timing-equaliser")


def authenticate_customer(*, store_view, email: str, password: str) -> Customer | None:
    """The active customer with these credentials on this store view's website, or None."""
    customer = find_customer_by_email(email=email, website_id=store_view.store.website_id)
    if customer is None:
        Customer(password=_DUMMY_HASH).check_password(password)  # same work either way
        return None
    if not customer.check_password(password) or not customer.is_active:
        return None
    return customer


def update_account_information(
    *,
    customer: Customer,
    actor,
    first_name: str,
    last_name: str,
    email: str,
    current_password: str = "",
    new_password: str = "",
) -> list[str]:
    """Change name, e-mail and password; e-mail and password need the current password."""
    email = email.strip().lower()
    changed = [
        name
        for name, value in (("first_name", first_name.strip()), ("last_name", last_name.strip()))
        if getattr(customer, name) != value
    ]
    wants_email = email != customer.email
    if getattr(actor, "on_behalf_of_customer", False) and (wants_email or new_password):
        # Staff acting on a customer's behalf never change the customer's credentials.
        fields = [n for n, wanted in (("email", wants_email), ("password", new_password)) if wanted]
        account_change_refused.send(
            sender=Customer, customer=customer, actor=actor, fields=fields, code="acting_on_behalf"
        )
        raise ValidationError(
            _(
                "The e-mail address and password cannot be changed while a store "
                "administrator is acting on your behalf."
            ),
            code="acting_on_behalf",
        )
    errors: dict[str, list[str]] = {}
    if (wants_email or new_password) and not customer.check_password(current_password):
        errors["current_password"] = [_("The current password is not correct.")]
    if wants_email and email_taken(
        email=email, website_id=customer.website_id, exclude_pk=customer.pk
    ):
        errors["email"] = [_("There is already an account with this e-mail address.")]
    if new_password:
        try:
            validate_password(new_password, customer)
        except ValidationError as exc:
            errors["new_password"] = exc.messages
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        Customer.objects.select_for_update().filter(pk=customer.pk).exists()  # serialise edits
        customer.first_name, customer.last_name = first_name.strip(), last_name.strip()
        if wants_email:
            customer.email = email
            changed.append("email")
        if new_password:
            customer.set_password(new_password)
            changed.append("password")
        if changed:
            customer.save()
            customer_account_changed.send(
                sender=Customer, customer=customer, actor=actor, changed=changed
            )
    return changed


def set_customer_password(*, customer: Customer, password: str, actor) -> None:
    """Set a new password (password reset by e-mail link)."""
    if getattr(actor, "on_behalf_of_customer", False):
        account_change_refused.send(
            sender=Customer,
            customer=customer,
            actor=actor,
            fields=["password"],
            code="acting_on_behalf",
        )
        raise ValidationError(
            _(
                "The password cannot be changed while a store administrator is acting on "
                "your behalf."
            ),
            code="acting_on_behalf",
        )
    validate_password(password, customer)
    with transaction.atomic():
        customer.set_password(password)
        customer.save(update_fields=["password"])
        customer_account_changed.send(
            sender=Customer, customer=customer, actor=actor, changed=["password"]
        )
