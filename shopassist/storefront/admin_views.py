"""System › Tools › Cache Management: what the storefront page cache is doing, and a flush."""

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from shopassist.admin_panel.site import admin_site
from shopassist.core.acl import require_resource
from shopassist.core.actor import Actor
from shopassist.storefront import page_cache
from shopassist.storefront.acl import CACHE_MANAGEMENT


def _storage() -> str:
    if isinstance(caches[page_cache.ALIAS], RedisCache):
        return _("Redis, shared by every process")
    return _("Local memory of each process")


@require_resource(CACHE_MANAGEMENT)
@require_GET
def cache_management(request):
    context = {
        **admin_site.each_context(request),
        "title": _("Cache Management"),
        "enabled": settings.PAGE_CACHE_ENABLED,
        "storage": _storage(),
        "release": page_cache.release(),
        "hours": settings.PAGE_CACHE_TIMEOUT // 3600,
        "search_minutes": settings.PAGE_CACHE_SEARCH_TIMEOUT // 60,
    }
    return render(request, "admin_panel/cache_management.html", context)


@require_resource(CACHE_MANAGEMENT)
@require_POST
def flush_page_cache(request):
    with transaction.atomic():
        page_cache.flush(Actor.for_request(request))
    messages.success(request, _("The page cache has been flushed."))
    return HttpResponseRedirect(reverse("admin:cache_management"))
