from django.utils.translation import gettext_lazy as _

from shopassist.core.config import ALL_SCOPES, Group, Section, TextField, register_section
from shopassist.stores.acl import CONFIG_GENERAL

STORE_NAME = "general/store_information/name"
STORE_PHONE = "general/store_information/phone"

register_section(
    Section(
        id="general",
        tab=_("General"),
        title=_("General"),
        resource=CONFIG_GENERAL,
        sort_order=10,
        groups=(
            Group(
                "store_information",
                _("Store Information"),
                (
                    TextField(
                        id="name",
                        label=_("Store Name"),
                        default="ShopAssist",
                        comment=_("Shown in the storefront header and in e-mails."),
                        scopes=ALL_SCOPES,
                    ),
                    TextField(
                        id="phone",
                        label=_("Store Phone Number"),
                        default="",
                        required=False,
                        max_length=32,
                        scopes=ALL_SCOPES,
                    ),
                ),
            ),
        ),
    )
)
