"""What the fuzzer sends: hypothesis strategies for path parameters, query strings, form,
multipart, JSON and raw bodies and a few headers, and the requests tried on every route."""

import json
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from django.test.client import encode_multipart
from hypothesis import strategies as st

from tests.reliability.fuzz_routes import ADMIN, API, STOREFRONT, Form, Param, Route

VISITORS = ("anonymous", "customer", "assisted", "staff")
# The visitors each area is mostly explored as (the others mostly meet a sign-in page).
MAIN_VISITORS = {STOREFRONT: ("customer", "assisted"), ADMIN: ("staff",), API: VISITORS}

# fmt: off
HOSTILE = (
    "", "0", "-1", "1.5", "1e309", "NaN", "Infinity", "abc", "\x00", "a\x00b", "AB\x00CD", "%00",
    "9" * 20, "9" * 400, "9999", "2147483648", "²", "١٢", "null", "true", "[]", "{}", "..", "%",
    "%zz", " ", "\t\r\n",
    "é", "İ", "한국어", "漢字", "𝕏", "\u202e", "\ufeff", "<script>alert(1)</script>",
    "' OR '1'='1", "x" * 3000,
)
QUERY_KEYS = (
    "q", "p", "page", "sort", "o", "e", "all", "next", "scope", "export", "before",
    "change_password", "_changelist_filters", "_popup", "_to_field", "status__exact",
    "store_view__id__exact", "created_at__gte", "created_at__lt", "created_at__year",
    "created_at__month", "created_at__day", "date_from", "date_to", "outcome", "action",
    "admin_username", "customer_email", "end_reason", "store_view", "term", "app_label",
    "model_name", "field_name",
)
RAW_QUERIES = ("%", "%zz", "%ff%fe", "q=%ff", "q=%00", "%00=1", "&&=&", "q=a&q=b", "a[]=1", "?=?")
FORM_FIELDS = (
    "email", "password", "password_confirmation", "current_password", "new_password",
    "new_password_confirmation", "change_password", "first_name", "last_name", "street", "city",
    "postcode", "country", "telephone", "address_choice", "sku", "qty", "item_id", "token",
    "next", "reason", "duration", "store_view", "allow_remote_shopping_assistance", "comment",
    "is_visible_on_front", "carrier", "tracking_number", "adjustment", "return_to_stock",
    "shipping_method", "payment_method", "username", "name", "code", "price", "action",
    "_selected_action", "select_across", "index", "post", "_save", "resource_access",
    "resources", "q",
)
JSON_FIELDS = (
    "email", "password", "store_view", "username", "customer_id", "reason", "consent_duration",
    "token", "subject_token", "sku", "qty", "item_id", "first_name", "last_name", "telephone",
    "allow_remote_shopping_assistance", "shipping_address", "street", "city", "postcode",
    "country", "comment",
)
RAW_BODIES = (
    "[" * 1024, "[" * 500 + "]" * 500, '{"a":' * 300 + "1" + "}" * 300,
    '{"email":' + "[" * 500 + "]" * 500 + "}", "1" * 5000, "{", "null", '"text"',
    '{"email": "a\\u0000b", "password": "x", "store_view": "en"}',
    '{"sku": "AB\\u0000CD", "qty": 1e309}', "\x00", b"\xff\xfe\xfd", "a=%ff&b=%00&c",
    "--xyz\r\nContent-Disposition: form-data\r\n\r\n",
)
CONTENT_TYPES = (
    "application/json", "application/json; charset=nonsense",
    "application/x-www-form-urlencoded", "multipart/form-data",
    "multipart/form-data; boundary=xyz", "text/plain",
)
HEADERS = ("Accept-Language", "User-Agent", "X-Forwarded-For", "Origin", "Referer")
# fmt: on
FORM, JSON, BOUNDARY = "application/x-www-form-urlencoded", "application/json", "FuzzBoundary"

# NUL comes from HOSTILE, at its own rate: hypothesis favours it in text, and the door refuses
# it (core/nul_characters.py), so text full of it would never get past the first middleware.
TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=30)
HEADER_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=40)


@dataclass(frozen=True)
class FuzzRequest:
    visitor: str
    method: str
    url: str
    content_type: str = ""
    body: bytes | str = ""
    headers: dict = field(default_factory=dict)

    def __str__(self):
        body = f" body={self.body[:300]!r} ({self.content_type})" if self.body else ""
        headers = f" headers={self.headers!r}" if self.headers else ""
        return f"{self.method} {self.url[:500]!r} as {self.visitor}{body}{headers}"


@dataclass
class RouteInputs:
    """What a route's requests are made of: real values by parameter name ("*": any field),
    the forms that post to it and the fields of the forms that query it."""

    values: dict
    forms: list[Form] = field(default_factory=list)
    query_keys: tuple = ()


def _mostly(likely: st.SearchStrategy, *others: st.SearchStrategy) -> st.SearchStrategy:
    """``likely`` three times in four."""
    return st.one_of(likely, likely, likely, *others) if others else likely


def values(real) -> st.SearchStrategy[str]:
    generated = st.one_of(st.sampled_from(HOSTILE), TEXT, st.integers().map(str))
    return _mostly(st.sampled_from(sorted(set(real))), generated) if real else generated


def _segment(param: Param, real) -> st.SearchStrategy[str]:
    matching = st.from_regex(param.regex, fullmatch=True, alphabet=st.characters(codec="utf-8"))
    return _mostly(values(real), matching) if real else st.one_of(matching, values(()))


def url_of(route: Route, params: dict) -> str:
    path = "/" + "".join(
        part if isinstance(part, str) else quote(params[part.name], safe="/" * part.slashes)
        for part in route.parts
    )
    return "/%2F" + path[2:] if path.startswith("//") else path  # "//x" would name a host


def _query(inputs: RouteInputs) -> st.SearchStrategy[str]:
    keys = st.sampled_from(QUERY_KEYS + inputs.query_keys) | TEXT
    pairs = st.lists(st.tuples(keys, values(inputs.values.get("*", ()))), max_size=4)
    return st.one_of(st.just(""), pairs.map(urlencode), st.sampled_from(RAW_QUERIES))


def _json(real):
    scalars = st.none() | st.booleans() | st.integers() | st.floats() | values(real)
    keys = st.sampled_from(JSON_FIELDS) | TEXT
    nested = st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=4),
        max_leaves=12,
    )
    return st.dictionaries(keys, nested, max_size=6) | nested


def _multipart(pairs):
    data = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value)
    return f"multipart/form-data; boundary={BOUNDARY}", encode_multipart(BOUNDARY, data)


def _form_pairs(inputs: RouteInputs) -> st.SearchStrategy[list]:
    """A form of the route's pages with some fields replaced, or fields of any form."""
    real = inputs.values.get("*", ())
    any_pair = st.tuples(st.sampled_from(FORM_FIELDS) | TEXT, values(real))
    anything = st.lists(any_pair, max_size=6)
    if not inputs.forms:
        return anything

    def mutated(form: Form):
        fields = [
            _mostly(st.just((name, value)), st.tuples(st.just(name), values(real)))
            for name, value in form.fields
        ]
        extra = st.lists(any_pair, max_size=2)
        return st.tuples(st.tuples(*fields), extra).map(lambda both: [*both[0], *both[1]])

    return _mostly(st.sampled_from(inputs.forms).flatmap(mutated), anything)


def _body(inputs: RouteInputs) -> st.SearchStrategy[tuple[str, bytes | str]]:
    pairs = _form_pairs(inputs)
    return st.one_of(
        pairs.map(lambda items: (FORM, urlencode(items))),
        pairs.map(_multipart),
        _json(inputs.values.get("*", ())).map(lambda v: (JSON, json.dumps(v, ensure_ascii=False))),
        st.tuples(st.sampled_from(CONTENT_TYPES), st.sampled_from(RAW_BODIES)),
    )


@st.composite
def fuzz_requests(draw, route: Route, inputs: RouteInputs) -> FuzzRequest:
    params = {
        part.name: draw(_segment(part, inputs.values.get(part.name, ())))
        for part in route.parts
        if isinstance(part, Param)
    }
    query = draw(_query(inputs))
    method = draw(st.sampled_from(route.methods))
    content_type, body = "", ""
    if method not in ("GET", "HEAD") or draw(st.booleans()):
        content_type, body = draw(_body(inputs))
    headers = draw(st.dictionaries(st.sampled_from(HEADERS), HEADER_TEXT, max_size=2))
    visitor = _mostly(st.sampled_from(MAIN_VISITORS[route.area]), st.sampled_from(VISITORS))
    return FuzzRequest(
        visitor=draw(visitor),
        method=method,
        url=url_of(route, params) + (f"?{query}" if query else ""),
        content_type=content_type,
        body=body,
        headers=headers,
    )


def first_values(route: Route, inputs: RouteInputs) -> dict:
    """A real value for each parameter ("1" where none is known)."""
    return {
        part.name: (inputs.values.get(part.name) or ["1"])[0]
        for part in route.parts
        if isinstance(part, Param)
    }


def explicit_requests(route: Route, inputs: RouteInputs) -> list[FuzzRequest]:
    """Tried on every route whatever hypothesis draws, of the kinds of issue 12's 500s: each
    parameter in turn a word, a number past 64 bits and text with NUL (the others real), a NUL
    in the query, and on the API bodies of nested arrays (1 KB and deeper: hypothesis gives
    each example 2,000 stack frames more than Python's usual limit)."""
    real = first_values(route, inputs)
    visitor = MAIN_VISITORS[route.area][0]
    requests = [
        FuzzRequest(visitor, method, url_of(route, {**real, name: value}))
        for name in real
        if name != "store_code"
        for value, method in (("abc", "GET"), ("9" * 20, "GET"), ("AB\x00CD", "POST"))
    ]
    requests.append(FuzzRequest(visitor, "GET", url_of(route, real) + "?q=a%00b"))
    if route.area == API:
        for method in dict.fromkeys(m for m in route.methods if m not in ("GET", "DELETE")):
            for depth in (500, 1000, 1500):
                body = '{"email": ' + "[" * depth + "]" * depth + "}"
                requests.append(FuzzRequest(visitor, method, url_of(route, real), JSON, body))
    return requests
