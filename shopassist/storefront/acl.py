from django.utils.translation import gettext_lazy as _

from shopassist.core.acl import Resource, extend_branch

CACHE_MANAGEMENT = "system.cache_management"

extend_branch("system", Resource(CACHE_MANAGEMENT, _("Cache Management")))
