from django.utils.translation import gettext_lazy as _

from shopassist.core.acl import Resource, register_branch

ALL_STORES = "stores.settings.all_stores"
CONFIGURATION = "stores.settings.config"
CONFIG_GENERAL = "stores.settings.config.general"

register_branch(
    Resource(
        "stores",
        _("Stores"),
        sort_order=60,
        children=(
            Resource(
                "stores.settings",
                _("Settings"),
                children=(
                    Resource(ALL_STORES, _("All Stores")),
                    Resource(
                        CONFIGURATION,
                        _("Configuration"),
                        children=(Resource(CONFIG_GENERAL, _("General Section")),),
                    ),
                ),
            ),
        ),
    )
)
