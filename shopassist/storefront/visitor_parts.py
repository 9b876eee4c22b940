"""The per-visitor parts of a storefront page, punched out of the copy kept in the page cache.

Templates show the visitor's own things — greeting and account links, the mini cart, messages —
through ``{% visitor_part "name" %}``, which renders ``storefront/visitor/<name>.html``. On an
ordinary request the part is rendered in place. In the copy built for the shared page cache
(a request carrying nothing of the visitor, see ``page_cache.public_request``) each part is a
marker instead, and so is every CSRF token. Each response served from that copy is *filled*:
the parts are rendered for the request being answered and put in place of the markers.

A part is filled in with a context of its own (``_part_context``: the request, its CSRF token,
messages and cart count), never with the page's: it cannot show anything of the cached copy.

Markers carry a nonce derived from SECRET_KEY, so text a visitor controls (a search query, a
name) can never imitate one; they are filled CSRF token first, parts second, so nothing a fill
inserts is ever read as a marker.
"""

from __future__ import annotations

from functools import cache

from django.contrib.messages import get_messages
from django.middleware.csrf import get_token
from django.template import Context, engines
from django.utils.crypto import salted_hmac
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe

PARTS = ("account_links", "minicart", "messages")
TEMPLATE = "storefront/visitor/{}.html"


def _part_context(request, token) -> dict:
    """All a part may use when it is filled in: its visitor and nothing of the page."""
    from shopassist.cart.context_processors import mini_cart

    return {
        "request": request,
        "csrf_token": token,
        "messages": get_messages(request),
        **mini_cart(request),
    }


@cache
def _nonce() -> str:
    return salted_hmac("shopassist.storefront.visitor_parts", "markers").hexdigest()[:24]


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
    """In a copy built for the cache, every ``{% csrf_token %}`` renders a marker."""
    if is_cache_render(request):
        return {"csrf_token": csrf_marker()}
    return {}


@cache
def _parts_template(names: tuple[str, ...]):
    source = _separator().join(f'{{% include "{TEMPLATE.format(name)}" %}}' for name in names)
    return engines["django"].engine.from_string(source)


def fill(request, body: str) -> str:
    """Put the requesting visitor's CSRF token and parts in place of the markers."""
    token, token_marker = SimpleLazyObject(lambda: get_token(request)), csrf_marker()
    if token_marker in body:
        body = body.replace(token_marker, str(token))
    names = tuple(name for name in PARTS if marker(name) in body)
    if not names:
        return body
    context = Context(_part_context(request, token), autoescape=True)
    rendered = _parts_template(names).render(context).split(_separator())
    for name, html in zip(names, rendered, strict=True):
        body = body.replace(marker(name), html)
    return body
