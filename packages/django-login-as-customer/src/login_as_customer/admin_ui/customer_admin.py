"""The consent flag in a host's customer admin: a column, a filter, and a field in the first
fieldset (editable only with the opt-in resource). ``ConsentAdminMixin`` goes in front of the
host's own ``ModelAdmin`` of its customers::

    class CustomerAdmin(ConsentAdminMixin, TheShopsCustomerAdmin): ...
"""

from django import forms
from django.contrib import admin
from django.db.models import Exists, OuterRef
from django.utils import formats, timezone
from django.utils.html import escape
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from login_as_customer.config import DEFAULT_TITLE
from login_as_customer.flows.consent import set_consent, valid_consents
from login_as_customer.host import host
from login_as_customer.models import AssistanceConsent
from login_as_customer.permissions import OPT_IN, staff_may

CONSENT_FIELD = "allow_remote_shopping_assistance"


def _valid_consent():
    return AssistanceConsent.objects.filter(valid_consents(timezone.now()), customer=OuterRef("pk"))


class AssistanceFilter(admin.SimpleListFilter):
    title = _(DEFAULT_TITLE)
    parameter_name = "assistance"

    def lookups(self, request, model_admin):
        return (("yes", _("Yes")), ("no", _("No")))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(_assistance=True)
        if self.value() == "no":
            return queryset.filter(_assistance=False)
        return queryset


class ConsentFieldForm(forms.Form):
    """Mixed in front of the admin's own form by ``ConsentAdminMixin.get_form``."""

    allow_remote_shopping_assistance = forms.BooleanField(label=_(DEFAULT_TITLE), required=False)
    can_change_consent = False  # set per request by ConsentAdminMixin.get_form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields[CONSENT_FIELD]
        field.disabled = not self.can_change_consent
        if self.instance.pk:
            consent = AssistanceConsent.objects.filter(customer=self.instance).first()
            field.initial = bool(consent and consent.is_valid())
            # The admin renders help texts unescaped: escape the name and dates here.
            field.help_text = escape(consent_provenance(consent))


def consent_provenance(consent) -> str:
    """Who set the flag and when, for the line under the checkbox ("" if never set)."""
    if consent is None or not (consent.allowed or consent.set_by_username):
        return ""
    when = formats.date_format(timezone.localtime(consent.updated_at), "DATETIME_FORMAT")
    # No full stop after a date: English formats end in "p.m." already.
    if consent.set_by_username:
        if consent.allowed:
            text = gettext("Granted by %(name)s on %(date)s")
        else:
            text = gettext("Withdrawn by %(name)s on %(date)s")
        text = text % {"name": consent.set_by_username, "date": when}
    else:
        text = gettext("Granted by the customer on %(date)s") % {"date": when}
    if consent.allowed and consent.expires_at is not None:
        until = formats.date_format(timezone.localtime(consent.expires_at), "DATETIME_FORMAT")
        if consent.is_valid():
            text += " — " + gettext("ends on %(date)s") % {"date": until}
        else:
            text += " — " + gettext("expired on %(date)s") % {"date": until}
    return text


class ConsentAdminMixin:
    def get_list_display(self, request):
        return (*super().get_list_display(request), "assistance_allowed")

    def get_list_filter(self, request):
        return (*super().get_list_filter(request), AssistanceFilter)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_assistance=Exists(_valid_consent()))

    @admin.display(description=_(DEFAULT_TITLE), boolean=True, ordering="_assistance")
    def assistance_allowed(self, obj):
        return obj._assistance

    def get_form(self, request, obj=None, change=False, **kwargs):
        own = kwargs.get("form", self.form)
        kwargs["form"] = type(own.__name__, (ConsentFieldForm, own), {})
        form = super().get_form(request, obj, change, **kwargs)
        # Without the opt-in resource the box is read-only; Django ignores posted values of
        # disabled fields, so a forged POST changes nothing either.
        form.can_change_consent = staff_may(request.user, OPT_IN)
        return form

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        (title, options), *rest = fieldsets
        fields = list(options["fields"]) + [CONSENT_FIELD]
        return [(title, {**options, "fields": fields}), *rest]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if CONSENT_FIELD in form.changed_data and staff_may(request.user, OPT_IN):
            set_consent(
                customer=obj,
                allowed=form.cleaned_data[CONSENT_FIELD],
                actor=host().actor_of(request),
            )
