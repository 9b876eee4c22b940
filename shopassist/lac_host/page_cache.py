"""ShopAssist's page cache asks Login as Customer how to serve an assisted request."""

from login_as_customer import page_cache as assisted
from shopassist.storefront import page_cache

_MODES = {assisted.BYPASS: page_cache.BYPASS, assisted.READ_ONLY: page_cache.READ_ONLY}


def assisted_requests(request):
    return _MODES.get(assisted.page_cache_use(request))


page_cache.register_policy(assisted_requests)
