"""What browsers, proxies and CDNs may keep, per area (docs/deploy.md › CDN).

A response that says nothing gets the rule of its area:

* storefront — ``private, no-cache``: every page carries the visitor's own parts (greeting,
  cart, CSRF token), so no shared cache may store it and a browser revalidates it;
* admin — ``private, no-store``: back-office data is never written to disk;
* API — ``no-store``: bearer-token answers are personal (RFC 6749 §5.1, RFC 6750).

Views that know better set their own header (assisted pages: ``private, no-store``). Static
files are served by WhiteNoise before this middleware, with their own long-lived headers.
"""

from django.utils.cache import patch_cache_control

from shopassist.core.areas import ADMIN, API, area_for_path

_RULES = {
    ADMIN: {"private": True, "no_store": True},
    API: {"no_store": True},
}
_STOREFRONT = {"private": True, "no_cache": True}


class CacheHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            area = getattr(request, "area", None) or area_for_path(request.path_info)
            patch_cache_control(response, **_RULES.get(area, _STOREFRONT))
        return response
