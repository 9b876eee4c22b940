"""The feature's resources (SPEC §3), hung into the Customers and Stores branches."""

from django.utils.translation import gettext_lazy as _

from shopassist.core.acl import Resource, extend_branch

LOGIN_AS_CUSTOMER = "customers.login_as_customer"
ALLOW = "customers.login_as_customer.allow"
VIEW_LOG = "customers.login_as_customer.view_log"
MANAGE_SESSIONS = "customers.login_as_customer.manage_sessions"
OPT_IN = "customers.manage.actions.assistance_opt_in"
CONFIG_SECTION = "stores.settings.config.login_as_customer"

extend_branch(
    "customers",
    Resource(
        LOGIN_AS_CUSTOMER,
        _("Login as Customer"),
        children=(
            Resource(ALLOW, _("Allow Login as Customer")),
            Resource(VIEW_LOG, _("View Login as Customer Log")),
            Resource(MANAGE_SESSIONS, _("Manage active sessions")),
        ),
    ),
)
extend_branch("customers.manage.actions", Resource(OPT_IN, _("Remote shopping assistance opt-in")))
extend_branch("stores.settings.config", Resource(CONFIG_SECTION, _("Login as Customer Section")))
