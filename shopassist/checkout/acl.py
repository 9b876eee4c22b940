from django.utils.translation import gettext_lazy as _

from shopassist.core.acl import Resource, extend_branch

CONFIG_CHECKOUT = "stores.settings.config.checkout"

extend_branch(
    "stores.settings.config", Resource(CONFIG_CHECKOUT, _("Shipping and Payment Methods Section"))
)
