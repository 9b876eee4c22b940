"""The two areas of the site and their separate sessions.

The admin panel (``/admin/``) and the storefront (everything else) each read and write their
own session cookie. The admin cookie is scoped to ``Path=/admin/`` so the browser never sends
it to the storefront, and every session remembers the area it was created in: a session key
presented to the other area loads as an empty session.

The headless API (``/api/``) is a third area with no session at all: it authenticates each
request by its bearer token, never reads a session cookie and never sets one.
"""

import time
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.backends.base import VALID_KEY_CHARS, UpdateError
from django.contrib.sessions.exceptions import SessionInterrupted
from django.contrib.sessions.middleware import SessionMiddleware
from django.utils.cache import patch_vary_headers
from django.utils.crypto import get_random_string
from django.utils.http import http_date

ADMIN = "admin"
STOREFRONT = "storefront"
API = "api"
ADMIN_PREFIX = "/admin/"
API_PREFIX = "/api/"
AREA_SESSION_KEY = "_area"


def area_for_path(path: str) -> str:
    if path.startswith(ADMIN_PREFIX):
        return ADMIN
    if path.startswith(API_PREFIX):
        return API
    return STOREFRONT


def cookie_for_area(area: str) -> tuple[str, str]:
    """Return (cookie name, cookie path) of an area's session."""
    if area == ADMIN:
        return settings.ADMIN_SESSION_COOKIE_NAME, ADMIN_PREFIX
    return settings.STOREFRONT_SESSION_COOKIE_NAME, "/"


def area_session_store(base_class, area: str):
    """A SessionStore class whose sessions belong to one area."""

    class AreaSessionStore(base_class):
        @property
        def key_salt(self):
            # The engine's own salt, so Django's Session.get_decoded() can read our sessions.
            return "django.contrib.sessions." + base_class.__qualname__

        def _validate_session_key(self, key):
            # Django makes keys of ASCII letters and digits: any other key (one with a NUL
            # character, which PostgreSQL refuses in a query) is no session at all.
            return super()._validate_session_key(key) and key.isascii() and key.isalnum()

        def load(self):
            data = super().load()
            if data and data.get(AREA_SESSION_KEY) != area:
                # A key from the other area (or forged): start afresh.
                self._session_key = None
                return {}
            return data

        def save(self, must_create=False):
            self[AREA_SESSION_KEY] = area
            super().save(must_create=must_create)

        def _get_new_session_key(self):
            # create() saves a new key with must_create, which refuses a key in use (and
            # draws another): looking it up first, as Django does, costs a query for nothing.
            return get_random_string(32, VALID_KEY_CHARS)

        def is_empty(self):
            data = self._session_cache if hasattr(self, "_session_cache") else {}
            return not self.session_key and not (set(data) - {AREA_SESSION_KEY})

    AreaSessionStore.__name__ = f"{area.title()}SessionStore"
    return AreaSessionStore


class AreaSessionMiddleware(SessionMiddleware):
    """Django's SessionMiddleware, with one cookie (name and path) per area."""

    def __init__(self, get_response):
        super().__init__(get_response)
        engine = import_module(settings.SESSION_ENGINE)
        self.stores = {
            area: area_session_store(engine.SessionStore, area) for area in (ADMIN, STOREFRONT, API)
        }

    def process_request(self, request):
        request.area = area_for_path(request.path_info)
        if request.area == API:
            # An empty session that is never saved: cookies are ignored, none is set.
            request.session = self.stores[API](None)
            return
        cookie_name, _path = cookie_for_area(request.area)
        request.session = self.stores[request.area](request.COOKIES.get(cookie_name))

    def process_response(self, request, response):
        if getattr(request, "area", None) == API:
            return response
        session = request.session
        cookie_name, cookie_path = cookie_for_area(request.area)
        accessed, modified, empty = session.accessed, session.modified, session.is_empty()
        need_vary_cookie = accessed
        if cookie_name in request.COOKIES and empty:
            response.delete_cookie(
                cookie_name, path=cookie_path, samesite=settings.SESSION_COOKIE_SAMESITE
            )
            need_vary_cookie = True
        elif (
            (modified or settings.SESSION_SAVE_EVERY_REQUEST)
            and not empty
            and response.status_code < 500
        ):
            try:
                session.save()
            except UpdateError as exc:
                raise SessionInterrupted(
                    "The request's session was deleted before the request completed."
                ) from exc
            set_session_cookie(request, response)
            need_vary_cookie = True
        if need_vary_cookie:
            patch_vary_headers(response, ("Cookie",))
        return response


def set_session_cookie(request, response) -> None:
    """Give the browser the cookie of the request's session, once it is saved (by the
    middleware, or by a view that saved it in its own transaction)."""
    session = request.session
    cookie_name, cookie_path = cookie_for_area(request.area)
    if session.get_expire_at_browser_close():
        max_age, expires = None, None
    else:
        max_age = session.get_expiry_age()
        expires = http_date(time.time() + max_age)
    response.set_cookie(
        cookie_name,
        session.session_key,
        max_age=max_age,
        expires=expires,
        path=cookie_path,
        secure=settings.SESSION_COOKIE_SECURE or None,
        httponly=True,
        samesite=settings.SESSION_COOKIE_SAMESITE,
    )
