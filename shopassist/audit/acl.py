from django.utils.translation import gettext_lazy as _

from shopassist.core.acl import Resource, extend_branch

ACTION_LOG = "system.action_log"
ACTION_LOG_REPORT = "system.action_log.report"

extend_branch(
    "system",
    Resource(
        ACTION_LOG,
        _("Action Log"),
        children=(Resource(ACTION_LOG_REPORT, _("Report")),),
    ),
)
