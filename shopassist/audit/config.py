from django.utils.translation import gettext_lazy as _

from shopassist.core.acl import Resource, extend_branch
from shopassist.core.config import Group, IntField, Section, register_section

CONFIG_SECTION = "stores.settings.config.audit"
RETENTION_DAYS = "audit/retention/days"
# The shortest retention that can be set: no run removes an entry younger than this, which the
# check against published chain heads relies on (``published_heads``).
MIN_RETENTION_DAYS = 30

extend_branch("stores.settings.config", Resource(CONFIG_SECTION, _("Action Log Section")))

register_section(
    Section(
        id="audit",
        tab=_("Advanced"),
        title=_("Action Log"),
        resource=CONFIG_SECTION,
        sort_order=90,
        groups=(
            Group(
                "retention",
                _("Retention"),
                (
                    IntField(
                        id="days",
                        label=_("Keep action log entries for (days)"),
                        default=365,
                        min_value=MIN_RETENTION_DAYS,
                        max_value=3650,
                        comment=_(
                            "Entries older than this are removed by `manage.py prune_audit_log` "
                            "(run it daily); each run is itself recorded."
                        ),
                    ),
                ),
            ),
        ),
    )
)
