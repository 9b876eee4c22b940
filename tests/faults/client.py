"""HTTP on loopback for the fault tests: a client with a cookie jar, the API's JSON calls, the
storefront and admin forms, and the figures of each phase (requests, errors by kind)."""

from __future__ import annotations

import http.client
import json
import re
import socket
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie

API = "/api/v1"
USER_AGENT = "shopassist-fault-tests"


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: str

    def header(self, name: str) -> str:
        return self.headers.get(name) or ""

    @property
    def is_json(self) -> bool:
        return self.header("Content-Type").split(";")[0].strip() == "application/json"

    def json(self):
        return json.loads(self.body)


class TransportError(Exception):
    """No HTTP answer at all: refused, reset, closed or timed out."""


# --- figures ---
@dataclass
class Figures:
    requests: int = 0
    kinds: Counter = field(default_factory=Counter)  # "2xx", "4xx", "500", "transport", ...
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def errors(self) -> int:
        """5xx answers and requests that got no answer (a request sent and hung up on purpose
        is neither)."""
        ok = ("2xx", "3xx", "4xx", "hung up")
        return sum(n for kind, n in self.kinds.items() if kind not in ok)


class Stats:
    """Every request of the run, counted under the phase it was sent in."""

    def __init__(self):
        self.lock = threading.Lock()
        self.phase = "setup"
        self.began = time.monotonic()
        self.phases: dict[str, Figures] = defaultdict(Figures)
        self.order: list[str] = ["setup"]

    def begin(self, name: str) -> None:
        with self.lock:
            now = time.monotonic()
            self.phases[self.phase].seconds += now - self.began
            self.phase, self.began = name, now
            if name not in self.order:
                self.order.append(name)

    def count(self, kind: str, phase: str | None = None) -> None:
        """Count a request under the phase it was sent in."""
        with self.lock:
            figures = self.phases[phase or self.phase]
            figures.requests += 1
            figures.kinds[kind] += 1

    def note(self, text: str, phase: str | None = None) -> None:
        with self.lock:
            self.phases[phase or self.phase].notes.append(text)

    def lines(self) -> list[str]:
        out = []
        for name in self.order:
            figures = self.phases[name]
            kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(figures.kinds.items()))
            out.append(
                f"{name:<30} {figures.seconds:>5.1f} s {figures.requests:>5} requests"
                f" {figures.errors:>4} errors  ({kinds or 'none'})"
            )
            out += [f"{'':<32}{note}" for note in figures.notes]
        return out


def kind_of(status: int) -> str:
    return f"{status // 100}xx" if status < 500 else str(status)


# --- the client ---
class Client:
    """One browser or API client: a cookie jar, a new connection per request (gunicorn's sync
    workers close every connection after the response)."""

    def __init__(self, port: int, stats: Stats | None = None, timeout: float = 30):
        self.port, self.stats, self.timeout = port, stats, timeout
        self.cookies: dict[str, str] = {}

    def request(self, method, path, *, body=None, headers=None, form=None, data=None) -> Response:
        send = {"Host": f"127.0.0.1:{self.port}", "User-Agent": USER_AGENT}
        if self.cookies:
            send["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        payload = None
        if form is not None:
            payload = urllib.parse.urlencode(form, doseq=True).encode()
            send["Content-Type"] = "application/x-www-form-urlencoded"
        elif data is not None:
            payload = json.dumps(data).encode()
            send["Content-Type"] = "application/json"
        elif body is not None:
            payload = body
        send.update(headers or {})
        phase = self.stats.phase if self.stats else None
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            conn.request(method, path, body=payload, headers=send)
            raw = conn.getresponse()
            response = Response(raw.status, raw.headers, raw.read().decode("utf-8", "replace"))
        except (OSError, http.client.HTTPException) as exc:
            if self.stats:
                self.stats.count("transport", phase)
            raise TransportError(f"{method} {path}: {type(exc).__name__}: {exc}") from exc
        finally:
            conn.close()
        if self.stats:
            self.stats.count(kind_of(response.status), phase)
        self._keep_cookies(response)
        return response

    def send_and_hang_up(self, method, path, *, data=None, headers=None) -> None:
        """Send a request and close the connection without reading the answer: the response
        is lost, as when a proxy or the network drops it; the server still runs the request."""
        payload = json.dumps(data).encode() if data is not None else b""
        lines = [
            f"{method} {path} HTTP/1.1",
            f"Host: 127.0.0.1:{self.port}",
            f"User-Agent: {USER_AGENT}",
            "Content-Type: application/json",
            f"Content-Length: {len(payload)}",
            "Connection: close",
        ]
        lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
        with socket.create_connection(("127.0.0.1", self.port), timeout=self.timeout) as sock:
            sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + payload)
            sock.shutdown(socket.SHUT_WR)
        if self.stats:
            self.stats.count("hung up")

    def get(self, path, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path, **kwargs) -> Response:
        return self.request("POST", path, **kwargs)

    def _keep_cookies(self, response: Response) -> None:
        for header in response.headers.get_all("Set-Cookie") or []:
            parsed = SimpleCookie()
            parsed.load(header)
            for name, morsel in parsed.items():
                expired = morsel["max-age"] == "0" or "1970" in morsel["expires"]
                if expired or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value


class ApiClient(Client):
    """JSON calls with a bearer token."""

    def __init__(self, port: int, stats: Stats | None = None, token: str | None = None):
        super().__init__(port, stats)
        self.token = token

    def call(self, method, path, data=None, headers=None) -> Response:
        send = dict(headers or {})
        if self.token:
            send["Authorization"] = f"Bearer {self.token}"
        return self.request(method, API + path, data=data, headers=send)


# --- forms ---
class _FormParser(HTMLParser):
    """The fields a browser would submit with a form: inputs, checked boxes, selected
    options, textareas."""

    def __init__(self, form_id: str | None):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.depth = form_id, False, 0
        self.fields: list[tuple[str, str]] = []
        self.action: str | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self.inside:
            if self.form_id is None or a.get("id") == self.form_id:
                self.inside, self.action = True, a.get("action")
            return
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields.append((name, a.get("value", "on")))
            elif kind not in ("submit", "button", "image", "file", "reset"):
                self.fields.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
            self._multiple = "multiple" in a
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                self.fields.append((self._select, value))
                self._select_chosen = True
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select:
            if not self._select_chosen and not self._multiple and self._select_first is not None:
                self.fields.append((self._select, self._select_first))
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, "".join(self._text).lstrip("\n")))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)


def form_fields(html: str, form_id: str | None = None) -> tuple[list[tuple[str, str]], str | None]:
    """(fields, action) of the first form (or the form of this id) in ``html``."""
    parser = _FormParser(form_id)
    parser.feed(html)
    return parser.fields, parser.action


_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_PRICE = re.compile(r'class="sf-price sf-price-large">([^<]+)<')


def csrf_token(response: Response) -> str:
    match = _CSRF.search(response.body)
    if match is None:
        raise AssertionError(f"no CSRF token in the page (HTTP {response.status})")
    return match.group(1)


def product_price(response: Response) -> str:
    match = _PRICE.search(response.body)
    if match is None:
        raise AssertionError(f"no price on the product page (HTTP {response.status})")
    return match.group(1).strip()
