"""Customers › All Customers: the grid and the customer edit page."""

from django import forms
from django.contrib import admin
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shopassist.admin_panel.menu import MenuEntry, add_entry
from shopassist.admin_panel.resource_admin import ResourceModelAdmin, ResourceStackedInline
from shopassist.admin_panel.site import admin_site
from shopassist.customers.acl import ALL_CUSTOMERS
from shopassist.customers.models import Address, Customer
from shopassist.customers.services import email_taken


class CustomerAdminForm(forms.ModelForm):
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput,
        required=False,
        help_text=_("Set only for a new account; customers change their password themselves."),
    )

    class Meta:
        model = Customer
        fields = (
            "first_name",
            "last_name",
            "email",
            "website",
            "created_in",
            "group",
            "is_active",
        )

    def clean(self):
        data = super().clean()
        website, created_in, email = data.get("website"), data.get("created_in"), data.get("email")
        if website and created_in and created_in.store.website_id != website.pk:
            self.add_error("created_in", _("The store view must belong to the customer's website."))
        if (
            website
            and email
            and email_taken(email=email, website_id=website.pk, exclude_pk=self.instance.pk)
        ):
            self.add_error("email", _("There is already an account with this e-mail address."))
        return data

    def clean_password(self):
        password = self.cleaned_data.get("password", "")
        if self.instance.pk is None:
            if not password:
                raise ValidationError(_("Set a password for the new account."))
            validate_password(password)
        return password

    def save(self, commit=True):
        customer = super().save(commit=False)
        if customer.pk is None:
            customer.set_password(self.cleaned_data["password"])
        if commit:
            customer.save()
        return customer


class AddressInline(ResourceStackedInline):
    acl_resource = ALL_CUSTOMERS
    model = Address
    extra = 0
    fields = (
        ("first_name", "last_name"),
        "street",
        ("postcode", "city", "country"),
        "telephone",
        ("is_default_shipping", "is_default_billing"),
    )


@admin.register(Customer, site=admin_site)
class CustomerAdmin(ResourceModelAdmin):
    acl_resource = ALL_CUSTOMERS
    form = CustomerAdminForm
    change_form_template = "admin/customers/customer/change_form.html"
    list_display = ("id", "name", "email", "website", "created_in", "group", "is_active")
    list_display_links = ("id", "name")
    list_filter = ("website", "created_in", "group", "is_active")
    search_fields = ("email", "first_name", "last_name")
    list_select_related = ("website", "created_in")
    list_per_page = 50
    readonly_fields = ("date_joined", "last_login")
    inlines = [AddressInline]

    def get_fieldsets(self, request, obj=None):
        account = [
            "website",
            "created_in",
            "group",
            "first_name",
            "last_name",
            "email",
            "is_active",
        ]
        if obj is None:
            account.append("password")
        else:
            account += ["date_joined", "last_login"]
        return [(_("Account Information"), {"fields": account})]

    @admin.display(description=_("Name"), ordering="last_name")
    def name(self, obj):
        return obj.full_name


add_entry(
    "customers",
    MenuEntry(_("All Customers"), "admin:customers_customer_changelist", ALL_CUSTOMERS, "", 10),
)
