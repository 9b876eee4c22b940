"""CSRF secrets kept per area: in the admin session, in a cookie of its own on the storefront.

Django's ``CsrfViewMiddleware`` keeps the secret either in the session or in a cookie, for the
whole site. We want both:

* **admin** — in the admin session (as ``CSRF_USE_SESSIONS`` does): logging in to the admin
  rotates only the admin's token and never breaks a storefront form, and back-office forms
  depend on nothing a sibling subdomain could set.
* **storefront** — in the cookie ``STOREFRONT_CSRF_COOKIE_NAME`` (double submit, masked tokens,
  and Origin/Referer checks on HTTPS as Django does). Browsing the catalog then needs no
  session at all: a first visit, a crawler or a page served from the shared page cache reads
  and writes no session row. Customer login rotates it (``rotate_token``), which never touches
  the admin's. In production the cookie is ``__Host-`` prefixed (Secure, ``Path=/``, no Domain),
  so no other host can plant a known secret in it.
* **api** — no CSRF at all: bearer tokens, no cookies (``api/``).
"""

from django.conf import settings
from django.middleware.csrf import (
    CSRF_SESSION_KEY,
    CSRF_TOKEN_LENGTH,
    CsrfViewMiddleware,
    _check_token_format,
    _unmask_cipher_token,
    get_token,
)
from django.utils.cache import patch_vary_headers

from shopassist.core.areas import STOREFRONT


def _in_cookie(request) -> bool:
    return getattr(request, "area", None) == STOREFRONT


class AreaCsrfViewMiddleware(CsrfViewMiddleware):
    def _get_secret(self, request):
        if _in_cookie(request):
            secret = request.COOKIES.get(settings.STOREFRONT_CSRF_COOKIE_NAME)
            if secret is not None:
                _check_token_format(secret)  # raises InvalidTokenFormat: a new secret is made
        else:
            secret = request.session.get(CSRF_SESSION_KEY)
        if secret is not None and len(secret) == CSRF_TOKEN_LENGTH:
            secret = _unmask_cipher_token(secret)
        return secret

    def _set_csrf_cookie(self, request, response):
        secret = request.META["CSRF_COOKIE"]
        if not _in_cookie(request):
            if request.session.get(CSRF_SESSION_KEY) != secret:
                request.session[CSRF_SESSION_KEY] = secret
            return
        response.set_cookie(
            settings.STOREFRONT_CSRF_COOKIE_NAME,
            secret,
            max_age=settings.CSRF_COOKIE_AGE,
            path="/",
            secure=settings.CSRF_COOKIE_SECURE,
            httponly=True,
            samesite=settings.CSRF_COOKIE_SAMESITE,
        )
        patch_vary_headers(response, ("Cookie",))


def response_token(request) -> str:
    """The masked CSRF token of this response, the same for every form on it. ``get_token``
    draws a new mask on each call (32 random characters: the dearest step of filling a cached
    page, paid again by the assisted-session banner); masking exists so that no two responses
    carry the same token (BREACH), which one mask per response keeps. A new secret (a login
    rotates it) gets a new token."""
    secret = request.META.get("CSRF_COOKIE")
    known = getattr(request, "_response_csrf_token", None)
    if secret is None or known is None or known[0] != secret:
        token = get_token(request)
        known = (request.META["CSRF_COOKIE"], token)
        request._response_csrf_token = known
    return known[1]
