"""The per-visitor parts of a storefront page, punched out of the copy kept in the page cache.

Templates show the visitor's own things — greeting and account links, the mini cart, messages —
through ``{% visitor_part "name" %}``, which renders ``storefront/visitor/<name>.html``. On an
ordinary request the part is rendered in place. In the copy built for the shared page cache
(a request carrying nothing of the visitor, see ``page_cache.public_request``) each part is a
marker instead, and so is every CSRF token. Each response served from that copy is *filled*:
the parts are rendered for the request being answered and put in place of the markers.

A part is filled in with a context of its own (``_part_context``: the request, its CSRF token,
messages and cart count), never with the page's: it cannot show anything of the cached copy.
A part may read only that: the visitor (``request.customer``), the store view, the token, the
messages and the cart count. For a *blank* visitor — not logged in, an empty cart, no
messages: most catalog traffic — the parts are the same for everyone in a store view and
language, so they are rendered once per process from a stand-in request and reused
(``_parts_of_blank_visitor``). A logged-in customer's parts are likewise rendered once per
process for the account's columns and cart count and only then given the request's CSRF token
(``_parts_of_customer``): the template engine cost more than the queries that read them.

Markers carry a nonce derived from SECRET_KEY, so text a visitor controls (a search query, a
name) can never imitate one; they are filled CSRF token first, parts second, so nothing a fill
inserts is ever read as a marker.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from types import SimpleNamespace

from django.contrib.messages import get_messages
from django.template import Context, engines
from django.utils.crypto import salted_hmac
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from shopassist.core.config import config
from shopassist.core.csrf import response_token

PARTS = ("account_links", "minicart", "messages")
TEMPLATE = "storefront/visitor/{}.html"


def _no_cart(request) -> int:
    return 0


# How many items the visitor's cart holds, for the mini cart: given by the cart app
# (``cart/apps.py``), so the storefront's parts need no import of it; no cart app, no items.
_cart_count: Callable[[object], int] = _no_cart


def count_cart_items_with(counter: Callable[[object], int]) -> None:
    global _cart_count
    _cart_count = counter


def _part_context(request, token) -> dict:
    """All a part may use when it is filled in: its visitor and nothing of the page."""
    return {
        "request": request,
        "csrf_token": token,
        "messages": get_messages(request),
        # Read now: every fill needs it (to tell a blank visitor, to key a customer's parts).
        "cart_count": _cart_count(request),
    }


@cache
def _nonce() -> str:
    return salted_hmac("shopassist.storefront.visitor_parts", "markers").hexdigest()[:24]


def marker_version() -> str:
    """Names the markers a copy was built with (pages are keyed by it)."""
    return _nonce()[:8]


def marker(name: str) -> str:
    return f"<!--sa-part:{_nonce()}:{name}-->"


def csrf_marker() -> str:
    return f"sa-csrf-{_nonce()}"


def _separator() -> str:
    return f"<!--sa-sep:{_nonce()}-->"


def is_cache_render(request) -> bool:
    return getattr(request, "page_cache_render", False)


def render_in_place(context, name: str) -> str:
    """``{% visitor_part %}``: the part itself, or its marker in a copy built for the cache."""
    if name not in PARTS:
        raise ValueError(f"Unknown visitor part {name!r}; known: {', '.join(PARTS)}")
    if is_cache_render(context.get("request")):
        return mark_safe(marker(name))  # noqa: S308 - a constant made of hex digits
    template = context.template.engine.get_template(TEMPLATE.format(name))
    return template.render(context)


def context_processor(request) -> dict:
    """In a copy built for the cache, every ``{% csrf_token %}`` renders a marker; elsewhere
    the response's one masked token (``core.csrf.response_token``), shared with the parts and
    the assisted-session banner, instead of Django's one mask per form."""
    if is_cache_render(request):
        return {"csrf_token": csrf_marker()}
    return {"csrf_token": SimpleLazyObject(lambda: response_token(request))}


@cache
def _parts_template(names: tuple[str, ...]):
    source = _separator().join(f'{{% include "{TEMPLATE.format(name)}" %}}' for name in names)
    return engines["django"].engine.from_string(source)


def _render_parts(names, context: dict) -> list[str]:
    rendered = _parts_template(names).render(Context(context, autoescape=True))
    return rendered.split(_separator())


_blank_parts: dict[tuple, list[str] | None] = {}


def _parts_of_blank_visitor(request, names) -> list[str] | None:
    """The parts every blank visitor of this store view and language sees (most catalog
    traffic), rendered once per process and configuration version. They are rendered from a
    stand-in holding only the store view — never from the visitor's request — and kept only
    if they hold no CSRF token; otherwise None (render them per request)."""
    key = (names, request.store_view.pk, get_language(), config.current_version_cached())
    if key not in _blank_parts:
        if len(_blank_parts) > 256:
            _blank_parts.clear()
        stand_in = SimpleNamespace(store_view=request.store_view, customer=None)
        blank = {"request": stand_in, "csrf_token": csrf_marker(), "messages": (), "cart_count": 0}
        rendered = _render_parts(names, blank)
        _blank_parts[key] = None if any(csrf_marker() in html for html in rendered) else rendered
    return _blank_parts[key]


_customer_parts: dict[tuple, list[str]] = {}
CUSTOMER_PARTS_KEPT = 2048  # per process; the memo starts afresh when full


def _customer_facts(customer) -> tuple:
    """Everything of the account a part could show: every column but the password hash."""
    return tuple(
        getattr(customer, field.attname)
        for field in customer._meta.concrete_fields
        if field.attname != "password"
    )


def _parts_of_customer(request, names, customer, cart_count: int, token) -> list[str]:
    """A logged-in customer's parts, rendered once per process for what they show — the
    account's columns, the cart count, the store view, language and configuration version —
    with a marker for the CSRF token, which is filled in per request. The key holds the
    customer's own id and columns, so an entry is only ever another request of the same
    account with the same facts; a change of name, group or cart count is a new key."""
    key = (
        names,
        request.store_view.pk,
        get_language(),
        config.current_version_cached(),
        _customer_facts(customer),
        cart_count,
    )
    rendered = _customer_parts.get(key)
    if rendered is None:
        if len(_customer_parts) >= CUSTOMER_PARTS_KEPT:
            _customer_parts.clear()
        stand_in = SimpleNamespace(store_view=request.store_view, customer=customer)
        context = {
            "request": stand_in,
            "csrf_token": csrf_marker(),
            "messages": (),
            "cart_count": cart_count,
        }
        rendered = _customer_parts[key] = _render_parts(names, context)
    token_marker = csrf_marker()
    return [html.replace(token_marker, str(token)) for html in rendered]


def _remembered_parts(request, names, context: dict, token) -> list[str] | None:
    """The parts from a per-process memo when the visitor has no messages (shown once): a
    blank visitor's, or a logged-in customer's; None when they must be rendered now."""
    if len(context["messages"]):
        return None
    customer = context["request"].customer
    if customer:
        return _parts_of_customer(request, names, customer, context["cart_count"], token)
    if context["cart_count"] == 0:
        return _parts_of_blank_visitor(request, names)
    return None


def fill(request, body: str) -> str:
    """Put the requesting visitor's CSRF token and parts in place of the markers."""
    token, token_marker = SimpleLazyObject(lambda: response_token(request)), csrf_marker()
    if token_marker in body:
        body = body.replace(token_marker, str(token))
    names = tuple(name for name in PARTS if marker(name) in body)
    if not names:
        return body
    context = _part_context(request, token)
    rendered = _remembered_parts(request, names, context, token)
    if rendered is None:
        rendered = _render_parts(names, context)
    for name, html in zip(names, rendered, strict=True):
        body = body.replace(marker(name), html)
    return body
