import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopassist.settings")
application = get_wsgi_application()

# The page cache's release, worked out now, from the files this process loaded its code from:
# found at its first cached page instead, a worker started just before files were replaced in
# place would store pages of its old code under the new files' release.
from django.conf import settings  # noqa: E402 (after Django is set up)

if settings.PAGE_CACHE_ENABLED:
    from shopassist.storefront import page_cache

    page_cache.release()
