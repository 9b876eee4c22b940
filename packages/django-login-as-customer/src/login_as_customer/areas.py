"""The admin and the storefront of a shop, each with its own session.

Django gives a site one session cookie: the session an assisted session opens in the storefront
would be the administrator's own, and Close session would sign the administrator out of the
admin (django-hijack's way). ``AreaSessionMiddleware`` replaces Django's ``SessionMiddleware``:
requests below the admin's address (``admin:index``, or ``LOGIN_AS_CUSTOMER["ADMIN_PREFIX"]``:
one path or several, e.g. ``("/dashboard/", "/admin/")`` for a shop whose staff work in a
dashboard and in Django's admin) read and write one cookie, scoped to that path (to the paths'
common parent when there are several), and every other request the storefront's. A session
remembers its area: a key presented to the other area loads as an empty session, so the admin's
cookie reaching a storefront page (when its path is ``/``) is never a storefront session.

ShopAssist has its own (``core.areas``, three areas with the API's); a shop without one puts this
in ``MIDDLEWARE`` instead of ``django.contrib.sessions.middleware.SessionMiddleware``.
"""

import posixpath
import time
from functools import cache
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.exceptions import SessionInterrupted
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date

from login_as_customer.host import ADMIN, STOREFRONT

AREA_KEY = "_lac_area"


def _options() -> dict:
    return getattr(settings, "LOGIN_AS_CUSTOMER", {})


@cache
def _admin_prefixes() -> tuple[str, ...]:
    prefix = _options().get("ADMIN_PREFIX")
    if prefix:
        return (prefix,) if isinstance(prefix, str) else tuple(prefix)
    try:
        return (reverse("admin:index"),)
    except NoReverseMatch:
        return ("/admin/",)


@cache
def _admin_cookie_path() -> str:
    """The admin cookie's path: the one prefix, or the longest path above all of them."""
    common = posixpath.commonpath(_admin_prefixes())
    return common if common.endswith("/") else f"{common}/"


def area_of_path(path: str) -> str:
    return ADMIN if path.startswith(_admin_prefixes()) else STOREFRONT


def cookie_of(area: str) -> tuple[str, str]:
    """(name, path) of an area's session cookie: the admin's is Django's name with ``_admin``
    after it (or ``LOGIN_AS_CUSTOMER["ADMIN_SESSION_COOKIE_NAME"]``) and is sent only below the
    admin's address; the storefront keeps Django's."""
    if area == ADMIN:
        name = _options().get("ADMIN_SESSION_COOKIE_NAME", f"{settings.SESSION_COOKIE_NAME}_admin")
        return name, _admin_cookie_path()
    return settings.SESSION_COOKIE_NAME, settings.SESSION_COOKIE_PATH


@cache
def _store_of(area: str):
    engine = import_module(settings.SESSION_ENGINE)

    class AreaStore(engine.SessionStore):
        @property
        def key_salt(self):  # the engine's own, so Session.get_decoded() reads these too
            return "django.contrib.sessions." + engine.SessionStore.__qualname__

        def load(self):
            data = super().load()
            if data and data.get(AREA_KEY) != area:  # the other area's key, or a forged one
                self._session_key = None
                return {}
            return data

        def save(self, must_create=False):
            self[AREA_KEY] = area
            super().save(must_create=must_create)

        def is_empty(self):
            data = getattr(self, "_session_cache", {})
            return not self.session_key and not (set(data) - {AREA_KEY})

    AreaStore.__name__ = f"{area.title()}SessionStore"
    return AreaStore


@receiver(setting_changed)
def _forget_admin_prefix(sender, setting, **kwargs):
    if setting in ("LOGIN_AS_CUSTOMER", "ROOT_URLCONF"):
        _admin_prefixes.cache_clear()
        _admin_cookie_path.cache_clear()


class AreaSessionMiddleware(SessionMiddleware):
    """Django's ``SessionMiddleware`` (a subclass, so Django's admin and others find it), with a
    session and a cookie per area."""

    async_capable = False  # a synchronous __call__ (Django adapts it under ASGI)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.area = area_of_path(request.path_info)
        name, _path = cookie_of(request.area)
        request.session = _store_of(request.area)(request.COOKIES.get(name))
        response = self.get_response(request)
        return self._save(request, response)

    def _save(self, request, response):
        session = request.session
        name, path = cookie_of(request.area)
        vary = session.accessed
        if name in request.COOKIES and session.is_empty():
            response.delete_cookie(
                name,
                path=path,
                domain=settings.SESSION_COOKIE_DOMAIN,
                samesite=settings.SESSION_COOKIE_SAMESITE,
            )
            vary = True
        elif (
            (session.modified or settings.SESSION_SAVE_EVERY_REQUEST)
            and not session.is_empty()
            and response.status_code < 500
        ):
            try:
                session.save()
            except UpdateError as exc:
                raise SessionInterrupted(
                    "The session was deleted before the request completed."
                ) from exc
            set_cookie(request, response)
            vary = True
        if vary:
            patch_vary_headers(response, ("Cookie",))
        return response


def set_cookie(request, response) -> None:
    """The cookie of the request's (saved) session, in its area's name and path."""
    session = request.session
    name, path = cookie_of(getattr(request, "area", None) or area_of_path(request.path_info))
    if session.get_expire_at_browser_close():
        max_age = expires = None
    else:
        max_age = session.get_expiry_age()
        expires = http_date(time.time() + max_age)
    response.set_cookie(
        name,
        session.session_key,
        max_age=max_age,
        expires=expires,
        path=path,
        domain=settings.SESSION_COOKIE_DOMAIN,
        secure=settings.SESSION_COOKIE_SECURE or None,
        httponly=settings.SESSION_COOKIE_HTTPONLY or None,
        samesite=settings.SESSION_COOKIE_SAMESITE,
    )
