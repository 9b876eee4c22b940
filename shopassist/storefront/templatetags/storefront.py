from django import template

from shopassist.stores.urls import store_reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def store_url(context, viewname, *args, **kwargs):
    """``{% store_url "customers:login" %}``: a storefront URL in the current store view."""
    request = context["request"]
    return store_reverse(viewname, store_view=request.store_view, args=args, kwargs=kwargs)


@register.simple_tag(takes_context=True)
def store_config(context, path):
    from shopassist.core.config import config

    return config.get(path, store_view=context["request"].store_view)
