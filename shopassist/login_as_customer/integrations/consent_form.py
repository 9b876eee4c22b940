"""The "Allow remote shopping assistance" checkbox on registration and Account Information."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shopassist.core.config import config
from shopassist.customers.account_forms import register_account_form_extension
from shopassist.login_as_customer import config as lac_config
from shopassist.login_as_customer import selectors
from shopassist.login_as_customer.errors import LoginAsCustomerDenied
from shopassist.login_as_customer.flows.consent import ConsentDuration, set_consent


class ConsentForm(forms.Form):
    template_name = "login_as_customer/consent_fields.html"
    prefix = "assistance"

    allow = forms.BooleanField(required=False)
    duration = forms.ChoiceField(choices=ConsentDuration.choices, required=False)

    def __init__(self, *args, store_view=None, consent=None, locked=False, **kwargs):
        super().__init__(*args, **kwargs)
        # A default (never set by an operator) is shown in the store view's language.
        self.fields["allow"].label = gettext(
            config.get(lac_config.OPT_IN_TITLE, store_view=store_view)
        )
        self.fields["allow"].help_text = gettext(
            config.get(lac_config.OPT_IN_TOOLTIP, store_view=store_view)
        )
        self.fields["duration"].label = _("Duration")
        self.consent = consent
        self.locked = locked
        if consent is not None:
            self.initial["allow"] = consent.is_valid()
        if locked:
            for field in self.fields.values():
                field.disabled = True

    @property
    def expires_at(self):
        consent = self.consent
        if consent is None or not consent.is_valid() or consent.expires_at is None:
            return None
        return timezone.localtime(consent.expires_at)


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
        allow = form.cleaned_data["allow"]
        consent = form.consent
        unchanged = (consent is not None and consent.is_valid()) == allow
        if unchanged and not (allow and form.cleaned_data["duration"]):
            return
        self._set(customer, actor, allowed=allow, duration=form.cleaned_data["duration"])

    @staticmethod
    def _set(customer, actor, *, allowed, duration):
        try:
            set_consent(customer=customer, allowed=allowed, duration=duration, actor=actor)
        except LoginAsCustomerDenied as denial:
            raise ValidationError(denial.message) from denial


register_account_form_extension(ConsentExtension())
