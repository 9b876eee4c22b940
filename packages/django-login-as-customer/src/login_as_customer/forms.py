"""The "Allow remote shopping assistance" checkbox (and its duration) for a host's registration
and account pages."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from login_as_customer import config as lac_config
from login_as_customer.flows.consent import ConsentDuration

# The duration offered, and preselected, while a permission with an end date is valid: saving
# the page unchanged must neither lengthen it to "until I revoke it" nor restart it.
KEEP_END_DATE = "keep"


class ConsentForm(forms.Form):
    template_name = "login_as_customer/consent_fields.html"
    prefix = "assistance"

    allow = forms.BooleanField(required=False)
    duration = forms.ChoiceField(choices=ConsentDuration.choices, required=False)

    def __init__(self, *args, store_view=None, consent=None, locked=False, **kwargs):
        super().__init__(*args, **kwargs)
        # A default (never set by an operator) is shown in the store view's language.
        self.fields["allow"].label = gettext(
            lac_config.setting(lac_config.OPT_IN_TITLE, store_view=store_view)
        )
        self.fields["allow"].help_text = gettext(
            lac_config.setting(lac_config.OPT_IN_TOOLTIP, store_view=store_view)
        )
        self.fields["duration"].label = _("Duration")
        self.consent = consent
        self.locked = locked
        if consent is not None:
            self.initial["allow"] = consent.is_valid()
        if self.expires_at is not None:
            self.fields["duration"].choices = [
                (KEEP_END_DATE, _("keep the current end date")),
                *ConsentDuration.choices,
            ]
            self.initial["duration"] = KEEP_END_DATE
        if locked:
            for field in self.fields.values():
                field.disabled = True

    @property
    def expires_at(self):
        consent = self.consent
        if consent is None or not consent.is_valid() or consent.expires_at is None:
            return None
        return timezone.localtime(consent.expires_at)

    def change(self) -> tuple[bool, str] | None:
        """What saving the valid form asks of ``set_consent`` — (allowed, duration) — or None
        when the permission stays as it is: withdrawn again, kept with its end date, or
        "until I revoke it" again."""
        allow = self.cleaned_data["allow"]
        duration = self.cleaned_data["duration"]
        consent = self.consent
        valid = consent is not None and consent.is_valid()
        if not allow:
            return (False, "") if valid else None
        if duration == KEEP_END_DATE:
            return None  # offered only while a permission with an end date is valid
        if valid and not duration and consent.expires_at is None:
            return None
        return True, duration
