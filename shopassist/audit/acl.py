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

# Action groups whose entries the Report shows only to staff holding a further resource, as the
# app that writes them registers it (``readable_by``): e.g. Login as Customer's, which SPEC §3
# shows to *View Login as Customer Log* only — the Report must not read out what its own log
# page refuses.
_GROUP_RESOURCES: dict[str, str] = {}


def require_for_group(action_group: str, resource_id: str) -> None:
    _GROUP_RESOURCES[action_group] = resource_id


def groups_hidden_from(user) -> list[str]:
    """The action groups whose entries ``user`` may not read in the Report."""
    from shopassist.core.acl import has_resource

    return [
        group for group, resource in _GROUP_RESOURCES.items() if not has_resource(user, resource)
    ]
