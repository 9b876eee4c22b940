"""The "Allow remote shopping assistance" checkbox on registration and Account Information."""

from django.core.exceptions import ValidationError

from login_as_customer import selectors
from login_as_customer.errors import LoginAsCustomerDenied
from login_as_customer.flows.consent import set_consent
from login_as_customer.forms import ConsentForm
from shopassist.customers.account_forms import register_account_form_extension


class ConsentExtension:
    pages = ("register", "account_edit")

    def form(self, request, customer, data):
        consent = selectors.consent_of(customer) if customer else None
        locked = getattr(request, "assisted_session", None) is not None
        return ConsentForm(data, store_view=request.store_view, consent=consent, locked=locked)

    def save(self, request, customer, form, actor):
        if form.locked:
            # A browser never sends a disabled field, so a value here was forged: refuse it
            # openly (set_consent refuses and logs it) rather than ignore it silently.
            if form.add_prefix("allow") in form.data:
                self._set(customer, actor, allowed=True, duration="")
            return
        change = form.change()
        if change is not None:
            allowed, duration = change
            self._set(customer, actor, allowed=allowed, duration=duration)

    @staticmethod
    def _set(customer, actor, *, allowed, duration):
        try:
            set_consent(customer=customer, allowed=allowed, duration=duration, actor=actor)
        except LoginAsCustomerDenied as denial:
            raise ValidationError(denial.message) from denial


register_account_form_extension(ConsentExtension())
