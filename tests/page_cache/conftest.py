"""Fixtures of the page cache tests: the cache on, its debug header on, and its keys."""

import pytest
from django.core.cache import caches

from shopassist.storefront import page_cache
from tests.conftest import use_own_cache_namespace

# Every page the shared page cache serves, in two store views.
CACHED_PAGES = [
    "/en/",
    "/en/category/bags/",
    "/en/product/SA-BAG-001/",
    "/en/catalogsearch/?q=bag",
    "/fr/product/SA-BAG-001/",
]


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    """The cache and its header on, in a key namespace of the test's own (tag versions, start
    rate limits and pages of other tests never meet this test's)."""
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_HEADER = True
    use_own_cache_namespace(settings, "pages", aliases=("default", page_cache.ALIAS))


def page_cache_keys() -> set[str]:
    """The keys the page cache holds right now (local memory or Redis)."""
    store = caches[page_cache.ALIAS]
    assert store.key_prefix, "the test's own namespace"
    if isinstance(store._cache, dict):  # LocMemCache: one dict per LOCATION, all prefixes
        return {key for key in store._cache if key.startswith(store.key_prefix)}
    client = store._cache.get_client()
    return {key.decode() for key in client.scan_iter(match=f"{store.key_prefix}*")}
