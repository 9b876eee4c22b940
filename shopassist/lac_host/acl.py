"""Login as Customer's permissions as ShopAssist's role resources (SPEC §3), hung into the
Customers and Stores branches."""

from django.utils.translation import gettext_lazy as _

from login_as_customer import permissions
from login_as_customer.permissions import LABELS
from shopassist.audit.acl import require_for_group
from shopassist.audit.models import ActionGroup
from shopassist.core.acl import Resource, extend_branch

LOGIN_AS_CUSTOMER = "customers.login_as_customer"
ALLOW = "customers.login_as_customer.allow"
VIEW_ONLY = "customers.login_as_customer.view_only"
VIEW_LOG = "customers.login_as_customer.view_log"
MANAGE_SESSIONS = "customers.login_as_customer.manage_sessions"
OPT_IN = "customers.manage.actions.assistance_opt_in"
CONFIG_SECTION = "stores.settings.config.login_as_customer"

RESOURCE = {
    permissions.ALLOW: ALLOW,
    permissions.VIEW_ONLY: VIEW_ONLY,
    permissions.VIEW_LOG: VIEW_LOG,
    permissions.MANAGE_SESSIONS: MANAGE_SESSIONS,
    permissions.OPT_IN: OPT_IN,
    permissions.CONFIGURE: CONFIG_SECTION,
}

extend_branch(
    "customers",
    Resource(
        LOGIN_AS_CUSTOMER,
        _("Login as Customer"),
        children=tuple(
            Resource(RESOURCE[name], LABELS[name])
            for name in (
                permissions.ALLOW,
                permissions.VIEW_ONLY,
                permissions.VIEW_LOG,
                permissions.MANAGE_SESSIONS,
            )
        ),
    ),
)
extend_branch("customers.manage.actions", Resource(OPT_IN, LABELS[permissions.OPT_IN]))
extend_branch("stores.settings.config", Resource(CONFIG_SECTION, LABELS[permissions.CONFIGURE]))
# SPEC §3: *View Login as Customer Log* is what shows the session log and the action report's
# Login as Customer entries; the Report alone shows the other groups.
require_for_group(ActionGroup.LOGIN_AS_CUSTOMER, VIEW_LOG)
