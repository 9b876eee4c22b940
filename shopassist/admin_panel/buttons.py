"""Buttons other apps add to admin object pages without the owning app knowing them.

``register_object_button("sales.order", factory)``: ``factory(request, obj)`` returns HTML
(built with format_html) or None. The Login as Customer button uses this on the customer,
order, invoice, shipment and credit memo pages.
"""

from collections import defaultdict

_factories: dict[str, list] = defaultdict(list)


def register_object_button(model_label: str, factory) -> None:
    _factories[model_label.lower()].append(factory)


def buttons_for(request, obj) -> list:
    label = obj._meta.label_lower
    return [html for f in _factories.get(label, []) if (html := f(request, obj))]
