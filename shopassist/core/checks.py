"""System checks of what the project's security rests on."""

from django.conf import settings
from django.core import checks

CSRF_MIDDLEWARE = "shopassist.core.csrf.AreaCsrfViewMiddleware"


@checks.register(checks.Tags.security, deploy=False)
def csrf_middleware_installed(app_configs, **kwargs):
    """Stands in for Django's security.W003 (silenced: it looks for Django's class by name)."""
    if CSRF_MIDDLEWARE in settings.MIDDLEWARE:
        return []
    return [
        checks.Error(
            f"{CSRF_MIDDLEWARE} is not in MIDDLEWARE: no form would be protected from CSRF.",
            id="shopassist.E001",
        )
    ]
