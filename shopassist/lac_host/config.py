"""Stores › Settings › Configuration › Customers › Login as Customer (SPEC §2): the feature's
settings (``login_as_customer.config.OPTIONS``) as a section of ShopAssist's scoped
configuration, where ``ShopAssistHost.setting`` reads them."""

from django.utils.translation import gettext_lazy as _

from login_as_customer.config import OPTIONS, PREFIX, Option
from shopassist.core.config import (
    ALL_SCOPES,
    GLOBAL_ONLY,
    BoolField,
    ChoiceField,
    Group,
    IntField,
    Section,
    TextField,
    register_section,
)
from shopassist.lac_host.acl import CONFIG_SECTION

assert all(option.key.startswith(PREFIX) for option in OPTIONS)


def _field(option: Option):
    common = {
        "id": option.id,
        "label": option.label,
        "default": option.default,
        "comment": option.comment,
        "scopes": ALL_SCOPES if option.per_store_view else GLOBAL_ONLY,
    }
    if option.kind == "bool":
        return BoolField(**common)
    if option.kind == "int":
        return IntField(**common, min_value=option.min_value, max_value=option.max_value)
    if option.kind == "text":
        return TextField(**common, max_length=option.max_length)
    return ChoiceField(**common, choices=option.choices)


register_section(
    Section(
        id="login_as_customer",
        tab=_("Customers"),
        title=_("Login as Customer"),
        resource=CONFIG_SECTION,
        sort_order=25,
        groups=(Group("general", _("General Options"), tuple(map(_field, OPTIONS))),),
    )
)
