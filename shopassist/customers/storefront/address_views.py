"""My Account › Address Book: list, add, edit, delete."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from shopassist.core.actor import Actor
from shopassist.customers import address_services
from shopassist.customers.models import Address
from shopassist.customers.storefront.views import customer_required
from shopassist.stores.urls import store_reverse


class AddressForm(forms.ModelForm):
    class Meta:
        model = Address
        fields = address_services.ADDRESS_FIELDS

    def clean_country(self):
        return self.cleaned_data["country"].strip().upper()  # "us" is US


def _own_address(request, address_id) -> Address:
    address = Address.objects.filter(pk=address_id, customer=request.customer).first()
    if address is None:
        raise Http404
    return address


def _to_book(request):
    return HttpResponseRedirect(store_reverse("customers:addresses", store_view=request.store_view))


@never_cache
@customer_required
def address_book(request):
    return render(
        request,
        "customers/addresses.html",
        {"addresses": request.customer.addresses.all(), "customer": request.customer},
    )


@never_cache
@customer_required
@require_http_methods(["GET", "POST"])
def address_edit(request, address_id=None):
    address = _own_address(request, address_id) if address_id else None
    form = AddressForm(request.POST or None, instance=address)
    if request.method == "POST" and form.is_valid():
        actor = Actor.for_request(request)
        try:
            if address is None:
                address_services.add_address(
                    customer=request.customer, data=form.cleaned_data, actor=actor
                )
            else:
                address_services.update_address(
                    address=address, data=form.cleaned_data, actor=actor
                )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("You saved the address."))
            return _to_book(request)
    return render(request, "customers/address_edit.html", {"form": form, "address": address})


@customer_required
@require_POST
def address_delete(request, address_id):
    address = _own_address(request, address_id)
    try:
        address_services.delete_address(address=address, actor=Actor.for_request(request))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("You deleted the address."))
    return _to_book(request)
