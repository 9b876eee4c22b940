"""The benchmark's HTTP client: a small cookie-jar client, the logins (storefront visitor,
customer, administrator), the assisted-session set-up (start + redemption), the probes that
check a row is what it claims, and row 8 (start + redemption flows, driven from Python because
wrk cannot do multi-step CSRF flows)."""

from __future__ import annotations

import http.client
import re
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass
from http.cookies import SimpleCookie

from harness import (
    ADMIN_COOKIE,
    ANONYMOUS,
    ASSISTED,
    BANNER,
    BINDING_COOKIE,
    CACHE_HEADER,
    CUSTOMER,
    CUSTOMER_NAME,
    LAC_STAFF,
    MISS_PATH_FORMAT,
    MISS_PROBES,
    MISS_WARMUP_PRODUCTS,
    PRODUCT_SKU,
    STORE,
    STORE_COOKIE,
    BenchError,
    ConfigRun,
    LoadShape,
    Measure,
    RowSpec,
    say,
)


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: str

    def header(self, name: str) -> str | None:
        return self.headers.get(name)


class HttpClient:
    """http.client on loopback; reconnects by itself when the server closes the connection."""

    def __init__(self, port: int, timeout: float = 30):
        self.port, self.timeout = port, timeout
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method, path, *, cookies=None, form=None, headers=None) -> Response:
        send = {"Host": f"127.0.0.1:{self.port}", "User-Agent": "shopassist-bench-http"}
        if cookies:
            send["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            send["Content-Type"] = "application/x-www-form-urlencoded"
        send.update(headers or {})
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            try:
                self.conn.request(method, path, body=body, headers=send)
                raw = self.conn.getresponse()
                response = Response(raw.status, raw.headers, raw.read().decode("utf-8", "replace"))
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()  # a kept-alive connection closed by the server: retry once
                if attempt == 2:
                    raise
                continue
            if raw.will_close:
                self.close()
            if cookies is not None:
                update_jar(cookies, response)
            return response
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def update_jar(jar: dict, response: Response) -> None:
    for header in response.headers.get_all("Set-Cookie") or []:
        parsed = SimpleCookie()
        parsed.load(header)
        for name, morsel in parsed.items():
            expired = morsel["max-age"] == "0" or "1970" in morsel["expires"]
            if expired or not morsel.value:
                jar.pop(name, None)
            else:
                jar[name] = morsel.value


_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def csrf_token(response: Response, what: str) -> str:
    match = _CSRF.search(response.body)
    if match is None:
        raise BenchError(f"{what}: no csrfmiddlewaretoken in the page (HTTP {response.status})")
    return match.group(1)


def hidden_value(body: str, name: str) -> str | None:
    match = re.search(rf'name="{name}" value="([^"]+)"', body)
    return match.group(1) if match else None


def cookie_header(jar: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in jar.items())


# --- the visitors -----------------------------------------------------------------------------
def storefront_visitor(port: int) -> tuple[dict[str, str], str]:
    """An anonymous returning visitor: every cookie its first storefront page set (the
    storefront session, or only the storefront CSRF cookie when browsing needs no session)."""
    client = HttpClient(port)
    for path in (f"/{STORE}/", f"/{STORE}/product/{PRODUCT_SKU}/"):
        jar: dict[str, str] = {}
        response = client.request("GET", path, cookies=jar)
        if response.status != 200:
            raise BenchError(f"GET {path}: HTTP {response.status}")
        if jar:
            return jar, path
    raise BenchError(
        "no storefront page set a cookie for an anonymous visitor, so there is no returning "
        f"visitor to measure (tried /{STORE}/ and /{STORE}/product/{PRODUCT_SKU}/)"
    )


def customer_login(port: int, email: str, password: str) -> dict[str, str]:
    """Log a customer in through the storefront form; every cookie of that browser."""
    client, jar = HttpClient(port), {}
    login = f"/{STORE}/customer/account/login/"
    page = client.request("GET", login, cookies=jar)
    if page.status != 200:
        raise BenchError(f"GET {login}: HTTP {page.status}")
    form = {"email": email, "password": password, "csrfmiddlewaretoken": csrf_token(page, login)}
    response = client.request("POST", login, cookies=jar, form=form)
    if response.status != 302 or STORE_COOKIE not in jar:
        raise BenchError(f"customer login of {email} failed: HTTP {response.status}")
    account = client.request("GET", f"/{STORE}/customer/account/", cookies=jar)
    if account.status != 200:
        raise BenchError(f"{email} is not logged in after the login (HTTP {account.status})")
    return jar


class AdminSession:
    """A staff user logged in to /admin/ over HTTP, able to start assisted sessions."""

    def __init__(self, port: int, username: str, customer_id: int):
        self.client, self.jar = HttpClient(port), {}
        self.port, self.username, self.customer_id = port, username, customer_id
        login = "/admin/login/?next=/admin/"
        page = self.client.request("GET", login, cookies=self.jar)
        form = {
            "username": username,
            "password": f"demo-{username}",
            "next": "/admin/",
            "csrfmiddlewaretoken": csrf_token(page, "admin login page"),
        }
        response = self.client.request("POST", login, cookies=self.jar, form=form)
        if response.status != 302 or ADMIN_COOKIE not in self.jar:
            raise BenchError(f"admin login of {username} failed: HTTP {response.status}")
        # The CSRF token of an admin page after the login (the login rotated it).
        confirm = f"/admin/login_as_customer/{customer_id}/confirm/"
        page = self.client.request("GET", confirm, cookies=self.jar)
        if page.status != 200:
            raise BenchError(
                f"{username} may not log in as customer {customer_id}: GET {confirm} is "
                f"HTTP {page.status}"
            )
        self.csrf = csrf_token(page, confirm)

    def start_and_redeem(self, storefront: HttpClient) -> dict[str, str]:
        """One whole flow, exactly as benchmarks/bench_login_as_customer.py, then the page the
        redemption redirects to; returns the cookies of the assisted storefront browser."""
        start = f"/admin/login_as_customer/{self.customer_id}/start/"
        page = self.client.request(
            "POST", start, cookies=self.jar, form={"csrfmiddlewaretoken": self.csrf}
        )
        if page.status == 429:
            raise BenchError(
                f"start refused by the rate limit (HTTP 429) for {self.username}: more than "
                "start_rate_limit starts in one minute"
            )
        token = hidden_value(page.body, "token")
        action = re.search(r'action="([^"]+)"', page.body)
        if page.status != 200 or token is None or action is None:
            raise BenchError(f"POST {start} as {self.username}: HTTP {page.status}, no token form")
        # The start response bound the link to this browser with a cookie: a browser keeps one
        # jar for both areas, so the storefront request carries it (and the redemption spends
        # it, so the admin's jar does not pile them up).
        jar: dict[str, str] = {
            name: self.jar.pop(name) for name in list(self.jar) if BINDING_COOKIE in name
        }
        landed = storefront.request("POST", action.group(1), cookies=jar, form={"token": token})
        if landed.status != 302 or STORE_COOKIE not in jar:
            raise BenchError(f"redemption failed: HTTP {landed.status}")
        target = urllib.parse.urlsplit(landed.header("Location") or "").path
        page = storefront.request("GET", target, cookies=jar)
        if page.status != 200 or BANNER not in page.body:
            raise BenchError(f"the assisted page {target} did not load: HTTP {page.status}")
        return jar


def assisted_visitor(port: int, customer_id: int) -> dict[str, str]:
    """The cookies of a storefront browser in an assisted session for ``customer_id``."""
    admin = AdminSession(port, LAC_STAFF[0], customer_id)
    return admin.start_and_redeem(HttpClient(port))


# --- probes: a row is what it claims ----------------------------------------------------------
def verify(port: int, spec: RowSpec, probes=6) -> None:
    """Probe requests (several, so every worker answers) must be what the row claims:
    the X-Page-Cache value, and the page of the right visitor."""
    what = f"row {spec.label!r}"
    if spec.walk:
        first = MISS_WARMUP_PRODUCTS + 1
        paths = [MISS_PATH_FORMAT % n for n in range(first, first + MISS_PROBES)]
    else:
        paths = [spec.path] * probes
    client, seen = HttpClient(port), []
    for path in paths:
        cookies = dict(spec.cookie) if spec.cookie else None
        response = client.request("GET", path, cookies=cookies)
        if response.status != 200:
            raise BenchError(f"{what}: GET {path} answered HTTP {response.status}")
        check_visitor(spec, response.body, path)
        seen.append(response.header(CACHE_HEADER) or "(no header)")
    if spec.expect and any(value != spec.expect for value in seen):
        if all(value == "(no header)" for value in seen):
            hint = (
                f"The server sends no {CACHE_HEADER} header: the page cache "
                "(shopassist/storefront/page_cache.py) has not landed, or it ignores "
                "SHOPASSIST_PAGE_CACHE_HEADER=1."
            )
        elif all(value == "off" for value in seen):
            hint = "The page cache is switched off (SHOPASSIST_PAGE_CACHE=0?)."
        else:
            hint = (
                "Is the page cache (shopassist/storefront/page_cache.py) serving this page "
                "as the contract says?"
            )
        raise BenchError(
            f"{what} is not what it claims: expected {CACHE_HEADER}: "
            f"{spec.expect} on every probe of {paths[0]}, got {', '.join(seen)}. {hint}"
        )


def check_visitor(spec: RowSpec, body: str, path: str) -> None:
    if spec.visitor is None:
        return
    has_name, has_banner = CUSTOMER_NAME in body, BANNER in body
    ok = {
        ANONYMOUS: not has_name and not has_banner,
        CUSTOMER: has_name and not has_banner,
        ASSISTED: has_name and has_banner,
    }[spec.visitor]
    if not ok:
        raise BenchError(
            f"row {spec.label!r}: GET {path} is not a page for the {spec.visitor} visitor "
            f"(customer name shown: {has_name}, assisted-session banner: {has_banner})"
        )


# --- row 8: start + redemption flows ----------------------------------------------------------
def measure_flows(
    port: int, key: str, label: str, customer_id: int, args, shape: LoadShape, result: ConfigRun
) -> None:
    """Whole Login as Customer flows from ``shape.flow_clients`` threads, each as its own
    administrator (the start rate limit counts per administrator per minute)."""
    what = f"row {label!r}"
    clients = shape.flow_clients
    usernames = (LAC_STAFF + [f"httpbench-agent-{n}" for n in range(1, clients + 1)])[:clients]
    say(f"{label}: {clients} clients, as {', '.join(usernames)}")
    admins = [AdminSession(port, name, customer_id) for name in usernames]
    starts: Counter[tuple[str, int]] = Counter()
    lock = threading.Lock()
    failures: list[BaseException] = []

    def loop(admin: AdminSession, until: float, times: list[float] | None):
        storefront = HttpClient(port)
        try:
            while time.monotonic() < until and not failures:
                minute = int(time.time() // 60)  # the rate limit's bucket
                began = time.perf_counter()
                admin.start_and_redeem(storefront)
                elapsed = time.perf_counter() - began
                with lock:
                    starts[(admin.username, minute)] += 1
                if times is not None:
                    times.append(elapsed)
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)

    def phase(seconds, record: bool) -> tuple[list[float], float]:
        until = time.monotonic() + seconds
        buckets: list[list[float]] = [[] for _ in admins]
        threads = [
            threading.Thread(target=loop, args=(a, until, b if record else None), daemon=True)
            for a, b in zip(admins, buckets, strict=True)
        ]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
        if failures:
            raise BenchError(f"{what}: {failures[0]}") from failures[0]
        return [t for bucket in buckets for t in bucket], elapsed

    say(f"{label}: warm-up {args.warmup:g} s")
    phase(args.warmup, record=False)
    say(f"{label}: measuring {args.duration:g} s")
    times, elapsed = phase(args.duration, record=True)
    if len(times) < 2:
        raise BenchError(f"{what}: only {len(times)} flows completed")
    times.sort()
    result.results[key] = Measure(
        label=label,
        rps=len(times) / elapsed,
        p50=percentile(times, 50) * 1000,
        p95=percentile(times, 95) * 1000,
        p99=percentile(times, 99) * 1000,
        count=len(times),
        unit="flows/s",
    )
    peak = max(starts.values())
    result.notes.append(
        f"row 8: start rate limit set to {args.start_rate_limit} starts per "
        f"administrator per minute (the maximum) in the benchmark database; {clients} "
        f"administrators, at most {peak} starts by one of them in one minute (warm-up "
        "included), so the limit never refused a start"
    )


def percentile(sorted_values: list[float], pct: float) -> float:
    """Nearest-rank percentile of sorted values."""
    rank = max(1, min(len(sorted_values), round(pct / 100 * len(sorted_values) + 0.5)))
    return sorted_values[rank - 1]
