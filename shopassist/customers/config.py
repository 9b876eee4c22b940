from django.utils.translation import gettext_lazy as _

from shopassist.core.config import ChoiceField, Group, Section, register_section
from shopassist.customers.acl import CONFIG_CUSTOMER

ACCOUNT_SHARE_SCOPE = "customer/account_share/scope"
SHARE_GLOBAL = "0"
SHARE_PER_WEBSITE = "1"

register_section(
    Section(
        id="customer",
        tab=_("Customers"),
        title=_("Customer Configuration"),
        resource=CONFIG_CUSTOMER,
        sort_order=20,
        groups=(
            Group(
                "account_share",
                _("Account Sharing Options"),
                (
                    ChoiceField(
                        id="scope",
                        label=_("Share Customer Accounts"),
                        default=SHARE_PER_WEBSITE,
                        choices=(
                            (SHARE_GLOBAL, _("Global")),
                            (SHARE_PER_WEBSITE, _("Per Website")),
                        ),
                        comment=_(
                            "Per Website: a customer account belongs to one website and its "
                            "e-mail is unique there. Global: one account works on every website."
                        ),
                    ),
                ),
            ),
        ),
    )
)


def accounts_shared_globally() -> bool:
    from shopassist.core.config import config

    return config.get(ACCOUNT_SHARE_SCOPE) == SHARE_GLOBAL
