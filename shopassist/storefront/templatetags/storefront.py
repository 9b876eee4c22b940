from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from shopassist.stores.urls import store_reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def store_url(context, viewname, **kwargs):
    """``{% store_url "catalog:product" sku=product.sku %}``: a storefront URL in the current
    store view (keyword arguments only: the store code is one)."""
    request = context["request"]
    return store_reverse(viewname, store_view=request.store_view, kwargs=kwargs)


@register.filter
def money(value):
    """A price with its currency, in the active language's format."""
    if value in (None, ""):
        return ""
    return _("$%(amount)s") % {"amount": number_format(value, decimal_pos=2, use_l10n=True)}


@register.simple_tag(takes_context=True)
def store_config(context, path):
    from shopassist.core.config import config

    return config.get(path, store_view=context["request"].store_view)


@register.simple_tag(takes_context=True)
def visitor_part(context, name):
    """``{% visitor_part "minicart" %}``: a part of the page that belongs to the visitor (see
    ``shopassist.storefront.visitor_parts``); never stored in the shared page cache."""
    from shopassist.storefront.visitor_parts import render_in_place

    return render_in_place(context, name)
