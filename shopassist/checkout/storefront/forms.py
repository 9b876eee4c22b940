import re
import secrets

from django import forms
from django.utils.translation import gettext_lazy as _

NEW_ADDRESS = "new"
# The one-time key of the page (checkout.idempotency): made when the page renders.
PLACEMENT_KEY = re.compile(r"[A-Za-z0-9_-]{32}")


def new_placement_key() -> str:
    return secrets.token_urlsafe(24)  # 32 characters


class CheckoutForm(forms.Form):
    email = forms.EmailField(label=_("E-mail Address"), max_length=254, required=False)
    address_choice = forms.ChoiceField(
        label=_("Shipping Address"), required=False, widget=forms.RadioSelect
    )
    first_name = forms.CharField(label=_("First Name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last Name"), max_length=150, required=False)
    street = forms.CharField(label=_("Street Address"), max_length=255, required=False)
    city = forms.CharField(label=_("City"), max_length=120, required=False)
    postcode = forms.CharField(label=_("Zip/Postal Code"), max_length=20, required=False)
    country = forms.CharField(label=_("Country"), max_length=2, min_length=2, required=False)
    telephone = forms.CharField(label=_("Phone Number"), max_length=40, required=False)
    # A second submit of the same page (double click, a retry after a lost answer) gets the
    # order the first placed. Missing: placed without a key, as before.
    placement_key = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, customer=None, addresses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.customer = customer
        self.addresses = {str(a.pk): a for a in addresses}
        self.fields["address_choice"].choices = [
            (key, str(address)) for key, address in self.addresses.items()
        ] + [(NEW_ADDRESS, _("New Address"))]
        if customer is None:
            self.fields["email"].required = True
            del self.fields["address_choice"]
        else:
            del self.fields["email"]  # a customer's order goes to the account's e-mail

    def clean(self):
        data = super().clean()
        key = data.get("placement_key", "")
        if key and not PLACEMENT_KEY.fullmatch(key):
            self.add_error(None, _("This page has expired. Reload it and place your order again."))
            # The page shown again carries a good key instead.
            self.data = self.data.copy()
            self.data["placement_key"] = new_placement_key()
        choice = data.get("address_choice", NEW_ADDRESS) or NEW_ADDRESS
        if choice != NEW_ADDRESS:
            return data
        for name in ("first_name", "last_name", "street", "city", "postcode", "country"):
            # A field that failed its own validation (e.g. too long) already says why.
            if not data.get(name) and name not in self.errors:
                self.add_error(name, _("This is a required field."))
        return data

    def selected_address(self):
        choice = self.cleaned_data.get("address_choice", NEW_ADDRESS) or NEW_ADDRESS
        return self.addresses.get(choice)
