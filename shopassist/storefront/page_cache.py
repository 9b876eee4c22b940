"""The shared page cache of the storefront's catalog pages.

A page is stored once per release, store view, price context (customer group), configuration
version and URL, and served to every visitor — anonymous or logged in. What is stored is
rendered from a *public request*: the URL, host and store view of the real request and nothing
else — no cookies, no session, no customer. The visitor's own parts are punched out and filled
in for each response (``visitor_parts``). A stored copy lists the cache tags it was built from with
their versions (``core.cache_tags``); a change to any of them makes it stale in every process.

    request ─► mode ─┬─ off / bypass ───────────────► view(request)            (never stored)
                     └─ full / read-only ─► lookup ─┬─ current copy ─► fill ─► hit
                                                    ├─ read-only ─► view(request) ─► miss
                                                    └─ full ─► view(public request)
                                                               ─► store ─► fill ─► miss

With Redis, each process also keeps the pages it served lately (``PAGE_CACHE_LOCAL_ENTRIES``)
and checks them exactly like shared copies: the tag check is what makes a copy current, so a
local copy saves fetching the page from Redis, never the check.

With the cache unreachable (``core.resilient_cache.CacheUnavailable``) pages are served as the
view renders them for the visitor, neither read nor stored (``bypass``); a missing *page* store
(``PAGE_CACHE_REDIS_URL`` down, the version store up) only stops copies being shared.

Modes are decided by the request and by *policies* other apps register (Login as Customer's
"Disable Page Cache for Admin User"): ``bypass`` neither reads nor writes, ``read_only`` reads
and renders a miss for the visitor without storing it.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from contextlib import suppress
from functools import cache, wraps
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port

from shopassist.core import cache_tags, signals
from shopassist.core.areas import STOREFRONT
from shopassist.core.config import config
from shopassist.core.resilient_cache import CacheUnavailable
from shopassist.customers.models import NOT_LOGGED_IN
from shopassist.storefront import visitor_parts

ALIAS = "page_cache"
ALL_PAGES = "pages"  # a tag of every stored page: bumping it flushes the page cache
HEADER = "X-Page-Cache"
HIT, MISS, BYPASS, OFF = "hit", "miss", "bypass", "off"
FULL, READ_ONLY = "full", "read_only"
MAX_URL_LENGTH = 512

_policies: list[Callable[[HttpRequest], str | None]] = []


def register_policy(policy: Callable[[HttpRequest], str | None]) -> None:
    """``policy(request)`` returns BYPASS, READ_ONLY or None (no opinion)."""
    if policy not in _policies:
        _policies.append(policy)


def price_context(request) -> str:
    """The customer group whose prices a page shows. Pricing must read it from here: a page built
    for the cache is rendered from a public request that carries this and nothing else of the
    visitor, and it is part of the key the page is stored under."""
    known = getattr(request, "page_cache_price_context", None)
    if known is not None:
        return known
    customer = request.customer
    return customer.group if customer else NOT_LOGGED_IN


def page_number(value: str) -> bool:
    """A ``page`` parameter worth a copy of its own: 1 to 999 written plainly."""
    return re.fullmatch(r"[1-9][0-9]{0,2}", value) is not None


def one_of(*choices: str) -> Callable[[str], bool]:
    return frozenset(choices).__contains__


def canonical_host(request) -> str:
    """The host without its port, lower-cased: ``ALLOWED_HOSTS`` ignores the port, so keying on
    it would let anyone store a copy per port."""
    domain, _port = split_domain_port(request.get_host())
    return domain.lower()


@cache
def release() -> str:
    """What this process renders pages with: ``SHOPASSIST_RELEASE`` (e.g. a commit id), else a
    fingerprint of the code, templates, translations and the static files manifest. Pages of
    another release are never served, so a deploy never shows HTML from the old templates or
    pointing at static files that are gone."""
    if settings.PAGE_CACHE_RELEASE:
        return settings.PAGE_CACHE_RELEASE
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent.parent
    files = [p for p in package.rglob("*") if p.suffix in {".py", ".html", ".mo"}]
    files.append(Path(settings.STATIC_ROOT) / "staticfiles.json")
    for path in sorted(files):
        if path.is_file():  # named relative to the package: the same on every host
            name = path.relative_to(package) if path.is_relative_to(package) else path.name
            digest.update(str(name).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def page_key(request) -> str:
    url = f"{request.scheme}://{canonical_host(request)}{request.get_full_path()}"
    digest = hashlib.sha256(url.encode()).hexdigest()[:40]
    return ":".join(
        (
            "page",
            release(),
            visitor_parts.marker_version(),  # copies made with another SECRET_KEY cannot be filled
            str(request.store_view.pk),
            price_context(request),
            config.current_version_cached(),
            digest,
        )
    )


_PUBLIC_META = ("SERVER_NAME", "SERVER_PORT", "QUERY_STRING", "SCRIPT_NAME", "wsgi.url_scheme")


class PublicRequest(HttpRequest):
    """A request with the scheme of the one it stands in for (``HttpRequest`` says "http")."""

    def __init__(self, scheme: str):
        super().__init__()
        self._scheme = scheme

    def _get_scheme(self):
        return self._scheme


def public_request(request) -> HttpRequest:
    """A stand-in for ``request`` that carries nothing of the visitor: what a page rendered
    from it shows, every visitor of that URL may see."""
    public = PublicRequest(request.scheme)  # as the key has it (proxy header included)
    public.method = "GET"
    public.path, public.path_info = request.path, request.path_info
    public.META = {key: request.META[key] for key in _PUBLIC_META if key in request.META}
    public.META["HTTP_HOST"] = canonical_host(request)
    public.GET = request.GET.copy()
    public.area = request.area
    public.store_view = request.store_view
    public.resolver_match = request.resolver_match
    public.customer = None
    public.page_cache_price_context = price_context(request)
    public.assisted_session = None
    public.user = AnonymousUser()
    public.page_cache_render = True
    cache_tags.start_recording(public)
    return public


def _known_parameters(request, params: dict) -> bool:
    """Every parameter is one the page knows, given once, with a value worth a copy."""
    return all(
        name in params and len(values) == 1 and params[name](values[0])
        for name, values in request.GET.lists()
    )


def _mode(request, params: dict) -> str:
    if not settings.PAGE_CACHE_ENABLED:
        return OFF
    if (
        request.method not in ("GET", "HEAD")
        or request.area != STOREFRONT
        or getattr(request, "store_view", None) is None
        or len(request.get_full_path()) > MAX_URL_LENGTH
        or not _known_parameters(request, params)
    ):
        return BYPASS
    mode = READ_ONLY if request.method == "HEAD" else FULL  # a HEAD never fills the cache
    for policy in _policies:
        decided = policy(request)
        if decided == BYPASS:
            return BYPASS
        if decided == READ_ONLY:
            mode = READ_ONLY
    return mode


def _storable(response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and not response.cookies
        and not response.has_header("Cache-Control")
    )


class _LocalCopies:
    """The pages this process served lately, kept in front of the shared cache (when that is
    Redis): a local copy is used only after the same tag check as a shared one, so it saves
    fetching the page, never the check."""

    def __init__(self):
        self._items: OrderedDict[str, dict] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> dict | None:
        with self._lock:
            entry = self._items.get(key)
            if entry is not None:
                self._items.move_to_end(key)
        return entry if entry is not None and entry["expires"] > time.time() else None

    def put(self, key: str, entry: dict) -> None:
        size = settings.PAGE_CACHE_LOCAL_ENTRIES
        with self._lock:
            self._items[key] = entry
            self._items.move_to_end(key)
            while len(self._items) > size:
                self._items.popitem(last=False)


_local = _LocalCopies()


def _current_copy(key: str) -> dict | None:
    """The stored copy of a page if it is still current: this process's, else the shared one."""
    entry = _local.get(key)
    if entry is not None and cache_tags.is_current(entry["tags"]):
        return entry
    try:
        entry = caches[ALIAS].get(key)
    except CacheUnavailable:
        return None  # the page store is down: render it (and keep a local copy)
    if entry is not None and cache_tags.is_current(entry["tags"]):
        _local.put(key, entry)
        return entry
    return None


def flush(actor) -> None:
    """Make every stored page stale, in every process, when the transaction commits."""
    cache_tags.bump(ALL_PAGES)
    signals.page_cache_flushed.send(sender=None, actor=actor)


def _store(key: str, body: str, content_type: str, versions: dict, timeout: int | None):
    timeout = timeout or settings.PAGE_CACHE_TIMEOUT
    entry = {
        "body": body,
        "content_type": content_type,
        "tags": versions,
        "expires": time.time() + timeout,
    }
    # The page store down: not shared, but this process's copy is still checked like any.
    with suppress(CacheUnavailable):
        caches[ALIAS].set(key, entry, timeout)
    _local.put(key, entry)


def _served(response, outcome: str):
    if settings.PAGE_CACHE_HEADER:
        response[HEADER] = outcome
    return response


def cached_page(*, params: dict | None = None, timeout: int | None = None):
    """Serve a storefront GET view from the shared page cache.

    ``params``: the query parameters the page knows, each with a check of its value
    (``page_number``, ``one_of(...)``); a URL with any other parameter, a repeated one or a
    value that fails its check is bypassed, so nobody can fill the cache with copies of the same
    page or make a visitor's parameters show to others.
    The view declares what it reads with ``core.cache_tags.depends_on``; a page that declares
    nothing is not stored.
    """
    known = dict(params or {})

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            mode = _mode(request, known)
            if mode in (OFF, BYPASS):
                return _served(view(request, *args, **kwargs), mode)
            try:
                if not config.version_is_shared():
                    raise CacheUnavailable("configuration version")
                key = page_key(request)
                entry = _current_copy(key)
                if entry is None and mode == FULL:
                    generation = cache_tags.generation()  # before the view reads anything
            except CacheUnavailable:
                # No cache to check a copy against: the page as it is now, for this visitor.
                return _served(view(request, *args, **kwargs), BYPASS)
            if entry is not None:
                body = visitor_parts.fill(request, entry["body"])
                return _served(HttpResponse(body, content_type=entry["content_type"]), HIT)
            if mode == READ_ONLY:
                return _served(view(request, *args, **kwargs), MISS)

            public = public_request(request)
            response = view(public, *args, **kwargs)
            if response.streaming or not response.get("Content-Type", "").startswith("text/"):
                return _served(response, MISS)
            body = response.content.decode(response.charset)
            if _storable(response) and public.cache_tags_read:
                deps = {ALL_PAGES, *public.cache_tags_read}
                try:
                    versions = cache_tags.versions_for_store(deps, generation)
                except CacheUnavailable:
                    versions = None  # gone while the page was rendered: served, not stored
                if versions is not None:
                    _store(key, body, response["Content-Type"], versions, timeout)
            response.content = visitor_parts.fill(request, body)
            return _served(response, MISS)

        return wrapper

    return decorator
