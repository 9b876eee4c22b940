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

import os

from django.conf import settings
from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CSRF_SECRET_LENGTH,
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


_COUNT = len(CSRF_ALLOWED_CHARS)
# A random byte below 248 (4 × 62) names one of the 62 characters uniformly (byte % 62); the
# others are dropped, so a mask is as uniform as Django's (``secrets.choice`` per character).
_BYTE_TO_CHAR = bytes(ord(CSRF_ALLOWED_CHARS[byte % _COUNT]) for byte in range(256))
_NOT_UNIFORM = bytes(range(256 - 256 % _COUNT, 256))
# (secret character, mask character) -> cipher character, as Django's masking adds them.
_CIPHER = {
    (s, m): CSRF_ALLOWED_CHARS[(i + j) % _COUNT]
    for i, s in enumerate(CSRF_ALLOWED_CHARS)
    for j, m in enumerate(CSRF_ALLOWED_CHARS)
}


def _new_mask() -> str:
    mask = b""
    while len(mask) < CSRF_SECRET_LENGTH:
        mask += os.urandom(CSRF_SECRET_LENGTH).translate(_BYTE_TO_CHAR, _NOT_UNIFORM)
    return mask[:CSRF_SECRET_LENGTH].decode()


def _masked(secret: str) -> str:
    """Django's ``_mask_cipher_secret`` (mask + cipher, the same token format), with the mask
    drawn from ``os.urandom`` at once instead of by 32 ``secrets.choice`` calls and the cipher
    looked up: a few µs instead of about 45."""
    mask = _new_mask()
    return mask + "".join(map(_CIPHER.__getitem__, zip(secret, mask, strict=True)))


def response_token(request) -> str:
    """The masked CSRF token of this response, the same for every form on it. Masking exists
    so that no two responses carry the same token (BREACH), which one mask per response keeps;
    a cached page's forms, its parts and the assisted-session banner share it. A new secret (a
    login rotates it) gets a new token. What ``get_token`` does: the secret's cookie is sent
    again (its expiry renewed), and a request without one gets a new secret."""
    secret = request.META.get("CSRF_COOKIE")
    known = getattr(request, "_response_csrf_token", None)
    if known is not None and secret is not None and known[0] == secret:
        return known[1]
    if secret is None:
        token = get_token(request)  # a new secret, set in the response's cookie
    else:
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
        token = _masked(secret)
    request._response_csrf_token = (request.META["CSRF_COOKIE"], token)
    return token
