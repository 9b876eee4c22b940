from django import template

from shopassist.stores.selectors import store_view_names

register = template.Library()


@register.filter
def store_view_name(code):
    """``{{ entry.store_view_code|store_view_name }}``: the name a person knows the store view
    by; the code itself when no store view has it any more (logs keep codes as they were)."""
    if not code:
        return ""
    return store_view_names().get(code, code)
