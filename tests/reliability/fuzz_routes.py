"""The routes the fuzzer explores, read from the URL resolver, and the forms their pages hold.

A route is its path split into literal text and parameters (each with the regular expression
its converter accepts). The forms of a page are read from its HTML so that generated bodies
can be real forms with some fields replaced: they get past the first validation and reach the
services behind it.
"""

import re
from dataclasses import dataclass, field
from functools import cached_property
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit

from django.urls import URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from shopassist.api.api import api as ninja_api

ADMIN, API, STOREFRONT = "admin", "api", "storefront"
_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Param:
    name: str
    regex: str
    slashes: bool = False  # the value may hold "/" (path converter, regular expressions)


@dataclass(frozen=True)
class Route:
    area: str
    parts: tuple  # literal text and Params, in order
    methods: tuple = ("GET", "HEAD", "POST")

    def __str__(self):
        return "/" + "".join(p if isinstance(p, str) else f"<{p.name}>" for p in self.parts)

    @cached_property
    def regex(self) -> re.Pattern:
        return re.compile(
            "/"
            + "".join(
                re.escape(part) if isinstance(part, str) else f"(?:{part.regex})"
                for part in self.parts
            )
        )


def _pattern_parts(pattern) -> list:
    if not isinstance(pattern, RoutePattern):  # a regular expression: one parameter
        regex = str(pattern).removeprefix("^").removesuffix("$")
        names = re.findall(r"\?P<(\w+)>", regex)
        return [Param(names[0] if names else "regex", regex, slashes=True)]
    route, parts, last = str(pattern), [], 0
    for match in _PARAMETER.finditer(route):
        parts.append(route[last : match.start()])
        converter = pattern.converters[match["name"]]
        parts.append(Param(match["name"], converter.regex, match["converter"] == "path"))
        last = match.end()
    parts.append(route[last:])
    return [part for part in parts if part != ""]


def _walk(patterns, prefix=()):
    for pattern in patterns:
        parts = prefix + tuple(_pattern_parts(pattern.pattern))
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, parts)
        else:
            yield parts


def _api_methods() -> dict[str, tuple]:
    schema = ninja_api.get_openapi_schema(path_prefix="/api/v1/")
    return {
        re.sub(r"\{(\w+)\}", r"<\1>", path): tuple(method.upper() for method in operations)
        for path, operations in schema["paths"].items()
    }


def _area(parts) -> str:
    first = parts[0] if isinstance(parts[0], str) else ""
    if first.startswith("admin/"):
        return ADMIN
    return API if first.startswith("api/") else STOREFRONT


def all_routes() -> list[Route]:
    """Every route of the resolver, in its order, then paths that match no route."""
    api_methods = _api_methods()
    routes, seen = [], set()
    for parts in _walk(get_resolver().url_patterns):
        if parts not in seen:
            seen.add(parts)
            route = Route(_area(parts), parts)
            if route.area == API:
                route = Route(API, parts, ("GET", "POST", *api_methods.get(str(route), ())))
            routes.append(route)
    anything = Param("rest", ".*", slashes=True)
    store_code = Param("store_code", "[-a-zA-Z0-9_]+")
    return routes + [
        Route(ADMIN, ("admin/", anything)),
        Route(API, ("api/v1/", anything), ("GET", "POST", "PATCH", "PUT", "DELETE")),
        Route(STOREFRONT, (store_code, "/", anything)),
        Route(STOREFRONT, (anything,)),
    ]


ROUTES = all_routes()


def route_of(path: str) -> Route | None:
    """The first route (in the resolver's order) whose pattern the path matches."""
    return next((route for route in ROUTES if route.regex.fullmatch(path)), None)


# --- Forms of a page --------------------------------------------------------------------


@dataclass
class Form:
    action: str  # the path it posts to
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)


class _FormReader(HTMLParser):
    """Forms as a browser would submit them untouched: checked boxes, selected options."""

    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url, self.forms = page_url, []
        self._form = self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "form":
            action = urlsplit(urljoin(self.page_url, attrs.get("action") or self.page_url))
            self._form = Form(unquote(action.path), attrs.get("method", "get").upper())
            self.forms.append(self._form)
        elif self._form is None or "name" not in attrs:
            if tag == "option" and self._select is not None:
                self._option(attrs)
        elif tag == "input" and attrs.get("type") != "file":
            checkable = attrs.get("type") in ("checkbox", "radio")
            if not checkable or "checked" in attrs:
                self._form.fields.append((attrs["name"], attrs.get("value", "")))
        elif tag == "select":
            self._select = [attrs["name"], None]
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]

    def _option(self, attrs):
        if self._select[1] is None or "selected" in attrs:
            self._select[1] = attrs.get("value", "")

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            if self._form is not None and self._select[1] is not None:
                self._form.fields.append(tuple(self._select))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            if self._form is not None:
                self._form.fields.append(tuple(self._textarea))
            self._textarea = None


def forms_of(page_url: str, html: str) -> list[Form]:
    reader = _FormReader(page_url)
    reader.feed(html)
    return reader.forms
