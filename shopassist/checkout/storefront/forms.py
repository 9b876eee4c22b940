from django import forms
from django.utils.translation import gettext_lazy as _

NEW_ADDRESS = "new"


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
