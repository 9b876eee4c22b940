"""HTTP benchmark: the storefront page cache and Login as Customer, end to end through gunicorn.

Run: `make bench-http`, or

    .venv/bin/python benchmarks/bench_http.py [--config pg|sqlite|both] [--duration 10]
        [--warmup 3] [--slices 5] [--markdown PATH]

Needs wrk (`apt-get install wrk`) and, for `pg`, PostgreSQL on 127.0.0.1:5432 (user postgres)
and Redis on 127.0.0.1:6379. Prints one table (both configurations), the target checks computed
from it and the machine it ran on; exits 1 if a row could not be measured as it claims. A full
run (both configurations, defaults) takes about 5 minutes on the 2-core development machine.

Per configuration:

* pg: PostgreSQL database `shopassist_httpbench` (created if missing, never the developer's
  database; `--pg-url`) + Redis database 3 with key prefix `httpbench` (`--redis-url`; keys of
  that prefix are deleted before and after the run, nothing else is touched).
  sqlite: the embedded default, a SQLite file in a temporary SHOPASSIST_VAR_DIR + local memory.
* The database is prepared in the development environment (load_demo refuses production mode):
  migrate, load_demo, then benchmarks/http/seed.py: products BENCH-00001… for the cache-miss row
  (once per database), the customer's consent, Login as Customer enabled, and its start rate
  limit at the maximum (see row 8).
* The server runs production-like: SHOPASSIST_ENV=production (DEBUG off), a generated
  SECRET_KEY, ALLOWED_HOSTS=127.0.0.1, SECURE_SSL_REDIRECT=0 (plain http on loopback),
  collectstatic'ed files through WhiteNoise, compiled translations, and
  SHOPASSIST_PAGE_CACHE_HEADER=1 so catalog pages say `X-Page-Cache: hit | miss | bypass | off`.
  gunicorn listens on a free loopback port in its own process group, stopped on exit, error,
  Ctrl-C and SIGTERM.
* Two server lifetimes, because with local memory each gunicorn worker keeps the configuration
  in its own memory, so a setting changed by a script reaches the workers only after a restart
  (done for both configurations to keep them identical). Lifetime 1, "Disable Page Cache for
  Admin User" = No: rows 1-5. Lifetime 2, the setting = Yes (the default): rows 6-8. Each pair
  the targets compare (2/1, 2/3, 5/4, 7/6) is measured against the same server processes.

Rows. Every row is warmed up, then probed: the probes must carry the X-Page-Cache value the row
claims and be the page of the right visitor (anonymous; the customer's name; the assisted-session
banner). Then the rows of a lifetime are measured round-robin, in --slices wrk runs of
duration/slices seconds each, so that drift on the machine (other processes, CPU frequency)
affects every row alike; the slices of a row are merged exactly (requests over summed run time,
percentiles over the summed latency histograms that the wrk script exports). The wrk script also
checks X-Page-Cache on every measured response and counts HTTP 4xx/5xx and socket errors; any of
them fails the row.

1. ceiling: GET /healthz, "ok" through the full middleware stack (the "× ceiling" baseline).
2. product page, cache hit: an anonymous returning visitor, sending every cookie the storefront
   set on its first page (a session, or only the storefront CSRF cookie). Every row sends its
   visitor's whole cookie jar, as a browser does; the output lists the cookie names.
3. product page, cache miss: benchmarks/http/walk.lua requests each BENCH product URL once.
4. a logged-in customer's product page (hit; the customer logs in over HTTP with the form's
   CSRF token).
5. the same page in an assisted session, "Disable Page Cache for Admin User" = No (hit).
6. the customer's page with an unknown query parameter (?nocache=1): bypass, rendered fresh.
7. the same page in an assisted session, setting = Yes (bypass).
8. Login as Customer start + redemption, the whole flow, driven from Python (wrk cannot do
   multi-step CSRF flows): the administrator POSTs the start with its admin session and CSRF
   token, the storefront redeems the one-time token, and the redirect lands on the assisted My
   Account page (banner checked). Reported as flows/s and the latency of the whole flow. The
   start rate limit counts per administrator per minute and is at most 1000, so each client
   thread logs in as its own administrator holding the permission (the demo `support` and
   `admin`, then `httpbench-agent-N` created by seed.py); the output states the largest number
   of starts one administrator made in one minute. Assisted sessions for rows 5 and 7 are
   started the same way.

Login throttles: storefront and admin logins have none (only the API's token endpoints do); the
harness logs in a handful of times per server lifetime, always with the right password.

Concurrency on this 2-core machine, where server, PostgreSQL, Redis and the load generator share
both cores:

* gunicorn: 2 sync workers, one per core. A request is CPU-bound Python (PostgreSQL and Redis
  answer over loopback in well under a millisecond), so more processes than cores cannot add
  throughput, only queueing. Measured here (PostgreSQL + Redis): 3 or 4 sync workers gave the
  same requests/s within 5 % on /healthz, a cache hit and an uncached page, with p50 growing in
  proportion to the extra connections; gthread (2 workers x 2 threads) was erratic and halved
  the uncached page (threads of one process contend for the GIL). Sync workers close the
  connection after each response, as behind a proxy.
* wrk: 1 thread (its event loop sustains far more requests/s than the server on a fraction of
  one core, leaving the cores to the server) and 4 connections, 2 per worker: each worker
  always has the next request waiting, so requests/s is the server's capacity, while latency
  stays close to twice the service time instead of measuring a long queue.
* row 8: 4 Python client threads (http.client), again 2 in flight per worker; a flow is a
  sequence of requests, so fewer clients would leave workers idle between steps.

Latencies are wrk's (the whole request as the client sees it: connect, wait behind the other
in-flight request, server time), so compare rows with each other, not with server timings.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent / "http"
sys.path.insert(0, str(ROOT))

from shopassist.demo import catalog_data, data  # noqa: E402  (plain data, no Django setup)

VENV_BIN = Path(sys.executable).parent
PYTHON = sys.executable
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/shopassist_httpbench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/3"
KEY_PREFIX = "httpbench"
STORE_COOKIE = "sa_store_session"
BINDING_COOKIE = "sa_lac_bind_"  # login-link binding cookies ("__Host-" prefixed in production)
ADMIN_COOKIE = "sa_admin_session"
STORE = "en"
PRODUCT_SKU = catalog_data.PRODUCTS[0]["sku"]
CUSTOMER_EMAIL = data.CONSENTING_CUSTOMERS[0]
CUSTOMER_PASSWORD = data.CUSTOMER_PASSWORD
# Demo staff who hold "Allow Login as Customer" (Customer Support; Administrators: all).
LAC_STAFF = [name for name, (_f, _l, role) in data.STAFF.items() if role == "Customer Support"]
LAC_STAFF += [name for name, (_f, _l, role) in data.STAFF.items() if role == "Administrators"]
MISS_PATH_FORMAT = f"/{STORE}/product/BENCH-%05d/"
MISS_WARMUP_PRODUCTS = 3000  # product numbers 1..3000 warm the miss path up
MISS_PROBES = 10  # 3001..3010 are probed; measurement starts at 3011
CACHE_HEADER = "X-Page-Cache"

TARGETS = [
    # key, label, how, target
    ("hit_ceiling", "hit req/s ÷ ceiling req/s (row 2 / row 1)", ">=", 0.5),
    ("hit_miss", "hit req/s ÷ miss req/s (row 2 / row 3)", ">=", 5.0),
    ("assisted_no", "p50 assisted (No) ÷ p50 customer (row 5 / row 4)", "<=", 1.05),
    ("assisted_yes", "p50 assisted (Yes) ÷ p50 customer uncached (row 7 / row 6)", "<=", 1.05),
]


class BenchError(Exception):
    """A failed step or a row that is not what it claims: the run stops with this message."""


# --- processes ----------------------------------------------------------------------------
_servers: list[Server] = []


def run(cmd, env, what, timeout=600) -> str:
    """Run a command to completion; raise BenchError with its output if it fails."""
    try:
        done = subprocess.run(  # noqa: S603 - our own commands
            cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise BenchError(f"{what}: timed out after {timeout} s") from exc
    if done.returncode != 0:
        raise BenchError(f"{what} failed (exit {done.returncode}):\n{done.stdout}{done.stderr}")
    return done.stdout


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn in its own process group (so stopping it stops every worker)."""

    def __init__(self, env, log_path: Path, workers: int, worker_class: str, threads: int):
        self.env, self.log_path = env, log_path
        self.workers, self.worker_class, self.threads = workers, worker_class, threads
        self.process: subprocess.Popen | None = None
        self.port = 0

    def start(self) -> None:
        for _attempt in range(3):
            self.port = free_port()
            cmd = [
                str(VENV_BIN / "gunicorn"),
                "shopassist.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--worker-class",
                self.worker_class,
                "--threads",
                str(self.threads),
                "--backlog",
                "256",
                "--timeout",
                "60",
                "--log-level",
                "warning",
            ]
            log = open(self.log_path, "ab")  # noqa: SIM115 - kept open for the child
            self.process = subprocess.Popen(  # noqa: S603 - our own command
                cmd,
                env=self.env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            log.close()
            _servers.append(self)
            if self._wait_ready():
                return
            self.stop()
        raise BenchError(f"gunicorn did not start; its log:\n{self.log_tail()}")

    def _wait_ready(self, timeout=60) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                response = HttpClient(self.port).request("GET", "/healthz")
                if response.status == 200:
                    # Every worker must be up before measuring: a few more requests.
                    time.sleep(0.5)
                    return True
            except OSError:
                pass
            time.sleep(0.2)
        return False

    def log_tail(self, lines=40) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        process = self.process
        if process is None:
            return
        if process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=15)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        self.process = None
        if self in _servers:
            _servers.remove(self)


def stop_all_servers() -> None:
    for server in list(_servers):
        server.stop()


# --- a small HTTP client with a cookie jar ----------------------------------------------------
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


# --- wrk --------------------------------------------------------------------------------------
@dataclass
class Measure:
    rps: float
    p50: float  # ms
    p95: float
    p99: float
    count: int
    unit: str = "req/s"
    note: str = ""


@dataclass
class LoadShape:
    wrk_threads: int
    connections: int
    flow_clients: int


def wrk(port, path, seconds, shape: LoadShape, *, cookie=None, expect=None, walk=None) -> dict:
    """Run wrk once; return its JSON report. walk = (first number, numbers per thread)."""
    url = f"http://127.0.0.1:{port}{path}"
    cmd = [
        shutil.which("wrk") or "wrk",
        f"-t{shape.wrk_threads}",
        f"-c{shape.connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "-s",
        str(HERE / ("walk.lua" if walk else "fixed.lua")),
    ]
    if cookie:
        cmd += ["-H", f"Cookie: {cookie_header(cookie)}"]
    cmd += [url, "--", expect or "-"]
    if walk:
        cmd += [MISS_PATH_FORMAT, str(walk[0]), str(walk[1])]
    done = subprocess.run(  # noqa: S603 - wrk with our arguments
        cmd, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    for line in done.stdout.splitlines():
        if line.startswith("WRK_JSON "):
            return json.loads(line[len("WRK_JSON ") :])
    raise BenchError(f"wrk gave no report (exit {done.returncode}):\n{done.stdout}{done.stderr}")


def check_report(report: dict, what: str, expect: str | None, *, warmup=False) -> None:
    errors = {
        kind: report[f"{kind}_errors"]
        for kind in ("connect", "read", "write", "timeout", "status")
        if report[f"{kind}_errors"]
    }
    if errors:
        details = ", ".join(f"{n} {kind}" for kind, n in errors.items())
        raise BenchError(
            f"{what}: {details} error(s) in {report['requests']} requests"
            f"{' during the warm-up' if warmup else ''} "
            "(status = HTTP 4xx/5xx; the others are socket errors)"
        )
    if report["exhausted"] and not warmup:
        raise BenchError(
            f"{what}: the wrk script ran out of distinct products and repeated URLs; "
            "raise --miss-products"
        )
    if expect and report["cache_mismatches"]:
        raise BenchError(
            f"{what}: {report['cache_mismatches']} of {report['requests']} responses were not "
            f"{CACHE_HEADER}: {expect} (first: {report['first_mismatch']!r})"
        )


class Accumulator:
    """The wrk runs (slices) of one row, merged: requests/s over the summed durations and
    percentiles over the summed latency histograms (wrk's rule: the smallest latency whose
    cumulative count reaches round(p/100 * count + 0.5))."""

    def __init__(self):
        self.requests, self.seconds = 0, 0.0
        self.histogram: Counter[int] = Counter()

    def add(self, report: dict) -> None:
        self.requests += report["requests"]
        self.seconds += report["seconds"]
        for value, count in report["histogram"]:
            self.histogram[value] += count

    def percentile_ms(self, pct: float) -> float:
        total = sum(self.histogram.values())
        rank = math.floor(pct / 100 * total + 0.5)
        seen = 0
        for value in sorted(self.histogram):
            seen += self.histogram[value]
            if seen >= rank:
                return value / 1000
        return 0.0

    def measure(self) -> Measure:
        return Measure(
            rps=self.requests / self.seconds,
            p50=self.percentile_ms(50),
            p95=self.percentile_ms(95),
            p99=self.percentile_ms(99),
            count=self.requests,
        )


# --- rows -------------------------------------------------------------------------------------
ROWS = {
    "ceiling": "1 ceiling: GET /healthz",
    "hit": "2 product page, cache hit (anonymous)",
    "miss": "3 product page, cache miss",
    "customer": "4 customer product page (hit)",
    "assisted_no": "5 assisted, Disable Page Cache = No",
    "customer_uncached": "6 customer page, ?nocache=1 (bypass)",
    "assisted_yes": "7 assisted, Disable Page Cache = Yes",
    "flow": "8 LaC start + redemption (flows/s)",
}
ANONYMOUS, CUSTOMER, ASSISTED = "anonymous", "customer", "assisted"
BANNER = 'data-testid="lac-banner"'


@dataclass
class RowSpec:
    key: str
    path: str = ""
    cookie: dict[str, str] | None = None  # the visitor's cookies
    expect: str | None = None  # X-Page-Cache of every response
    visitor: str | None = None  # who the page must be rendered for
    walk: bool = False  # a new BENCH product URL per request

    @property
    def label(self) -> str:
        return ROWS[self.key]


@dataclass
class ConfigRun:
    name: str
    label: str
    results: dict[str, Measure] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


class Bench:
    """Rows against one running server."""

    def __init__(self, args, shape: LoadShape, result: ConfigRun, port: int):
        self.args, self.shape, self.result, self.port = args, shape, result, port
        self.customer_name = " ".join(data.CUSTOMERS[CUSTOMER_EMAIL][:2])

    def say(self, text: str) -> None:
        print(f"  {text}", file=sys.stderr, flush=True)

    def what(self, spec: RowSpec) -> str:
        return f"row {spec.label!r}"

    def run_wrk(self, spec: RowSpec, seconds: float, *, expect=None, walk=None) -> dict:
        return wrk(
            self.port,
            spec.path if not spec.walk else "/",
            seconds,
            self.shape,
            cookie=spec.cookie,
            expect=expect,
            walk=walk,
        )

    # Product numbers of the miss row: 1..MISS_WARMUP_PRODUCTS warm up, then MISS_PROBES
    # probes, then the measured slices share the rest (each slice its own numbers).
    def miss_slice(self, index: int, slices: int) -> tuple[int, int]:
        first = MISS_WARMUP_PRODUCTS + MISS_PROBES + 1
        chunk = (self.args.miss_products - first + 1) // slices
        block = chunk // self.shape.wrk_threads
        if block < 50:
            raise BenchError(f"--miss-products {self.args.miss_products} is too small")
        return first + index * chunk, block

    def warm(self, spec: RowSpec) -> None:
        self.say(f"{spec.label}: warm-up {self.args.warmup:g} s")
        walk = (1, MISS_WARMUP_PRODUCTS // self.shape.wrk_threads) if spec.walk else None
        report = self.run_wrk(spec, self.args.warmup, walk=walk)
        check_report(report, self.what(spec), None, warmup=True)

    def verify(self, spec: RowSpec, probes=6) -> None:
        """Probe requests (several, so every worker answers) must be what the row claims:
        the X-Page-Cache value, and the page of the right visitor."""
        if spec.walk:
            first = MISS_WARMUP_PRODUCTS + 1
            paths = [MISS_PATH_FORMAT % n for n in range(first, first + MISS_PROBES)]
        else:
            paths = [spec.path] * probes
        client, seen = HttpClient(self.port), []
        for path in paths:
            cookies = dict(spec.cookie) if spec.cookie else None
            response = client.request("GET", path, cookies=cookies)
            if response.status != 200:
                raise BenchError(f"{self.what(spec)}: GET {path} answered HTTP {response.status}")
            self.check_visitor(spec, response.body, path)
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
                f"{self.what(spec)} is not what it claims: expected {CACHE_HEADER}: "
                f"{spec.expect} on every probe of {paths[0]}, got {', '.join(seen)}. {hint}"
            )

    def check_visitor(self, spec: RowSpec, body: str, path: str) -> None:
        if spec.visitor is None:
            return
        has_name, has_banner = self.customer_name in body, BANNER in body
        ok = {
            ANONYMOUS: not has_name and not has_banner,
            CUSTOMER: has_name and not has_banner,
            ASSISTED: has_name and has_banner,
        }[spec.visitor]
        if not ok:
            raise BenchError(
                f"{self.what(spec)}: GET {path} is not a page for the {spec.visitor} visitor "
                f"(customer name shown: {has_name}, assisted-session banner: {has_banner})"
            )

    def rows(self, specs: list[RowSpec]) -> None:
        """Warm every row up, verify each, then measure them round-robin in slices, so that
        drift on the machine (other processes) affects every row of the group alike."""
        for spec in specs:
            self.warm(spec)
        for spec in specs:
            self.verify(spec)
        slices = max(1, min(self.args.slices, int(self.args.duration)))
        seconds = max(1, round(self.args.duration / slices))
        names = ", ".join(spec.label.split(" ", 1)[0] for spec in specs)
        self.say(f"rows {names}: measuring {slices} x {seconds} s each, round-robin")
        merged = {spec.key: Accumulator() for spec in specs}
        for index in range(slices):
            turn = index % len(specs)  # rotate who goes first
            for spec in specs[turn:] + specs[:turn]:
                walk = self.miss_slice(index, slices) if spec.walk else None
                report = self.run_wrk(spec, seconds, expect=spec.expect, walk=walk)
                check_report(report, self.what(spec), spec.expect)
                merged[spec.key].add(report)
        for spec in specs:
            self.result.results[spec.key] = merged[spec.key].measure()

    def flow_row(self, customer_id: int) -> None:
        spec = RowSpec("flow")
        what = self.what(spec)
        port, clients = self.port, self.shape.flow_clients
        usernames = (LAC_STAFF + [f"httpbench-agent-{n}" for n in range(1, clients + 1)])[:clients]
        self.say(f"{spec.label}: {clients} clients, as {', '.join(usernames)}")
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

        self.say(f"{spec.label}: warm-up {self.args.warmup:g} s")
        phase(self.args.warmup, record=False)
        self.say(f"{spec.label}: measuring {self.args.duration:g} s")
        times, elapsed = phase(self.args.duration, record=True)
        if len(times) < 2:
            raise BenchError(f"{what}: only {len(times)} flows completed")
        times.sort()
        self.result.results["flow"] = Measure(
            rps=len(times) / elapsed,
            p50=percentile(times, 50) * 1000,
            p95=percentile(times, 95) * 1000,
            p99=percentile(times, 99) * 1000,
            count=len(times),
            unit="flows/s",
        )
        peak = max(starts.values())
        self.result.notes.append(
            f"row 8: start rate limit set to {self.args.start_rate_limit} starts per "
            f"administrator per minute (the maximum) in the benchmark database; {clients} "
            f"administrators, at most {peak} starts by one of them in one minute (warm-up "
            "included), so the limit never refused a start"
        )


def percentile(sorted_values: list[float], pct: float) -> float:
    """Nearest-rank percentile of sorted values."""
    rank = max(1, min(len(sorted_values), round(pct / 100 * len(sorted_values) + 0.5)))
    return sorted_values[rank - 1]


# --- environments and preparation -------------------------------------------------------------
SCRUB = (
    "DATABASE_URL",
    "REDIS_URL",
    "PAGE_CACHE_REDIS_URL",
    "CACHE_KEY_PREFIX",
    "PYTEST_XDIST_WORKER",
    "SHOPASSIST_ENV",
    "SHOPASSIST_PAGE_CACHE",
    "SHOPASSIST_PAGE_CACHE_HEADER",
    "SHOPASSIST_PAGE_CACHE_TIMEOUT",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "DB_POOL_MIN",
    "DB_POOL_MAX",
    "EMAIL_BACKEND",
    "LOG_LEVEL",
)


def environments(config: str, var_dir: Path, args) -> tuple[dict, dict]:
    """(setup environment, server environment) of a configuration."""
    base = {k: v for k, v in os.environ.items() if k not in SCRUB}
    base["DJANGO_SETTINGS_MODULE"] = "shopassist.settings"
    base["SHOPASSIST_VAR_DIR"] = str(var_dir)
    base["PYTHONDONTWRITEBYTECODE"] = "1"
    if config == "pg":
        base["DATABASE_URL"] = args.pg_url
        base["REDIS_URL"] = args.redis_url
        base["CACHE_KEY_PREFIX"] = KEY_PREFIX
    server = dict(base)
    server.update(
        SHOPASSIST_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SHOPASSIST_PAGE_CACHE_HEADER="1",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOG_LEVEL="ERROR",
    )
    return base, server


def ensure_pg_database(url: str) -> str:
    import psycopg

    name = urllib.parse.urlsplit(url).path.lstrip("/")
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise BenchError(f"unexpected database name in {url!r}")
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if not exists.fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
            return conn.execute("SHOW server_version").fetchone()[0]
    except psycopg.OperationalError as exc:
        raise BenchError(f"PostgreSQL at {admin_url} is not reachable: {exc}") from exc


def redis_clean(url: str) -> str:
    """Delete this benchmark's keys (prefix httpbench) from its Redis database; its version."""
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=5)
        version = client.info("server")["redis_version"]
        keys = list(client.scan_iter(match=f"{KEY_PREFIX}*", count=1000))
        for start in range(0, len(keys), 1000):
            client.delete(*keys[start : start + 1000])
        client.close()
        return version
    except redis.exceptions.ConnectionError as exc:
        raise BenchError(f"Redis at {url} is not reachable: {exc}") from exc


def compile_messages_if_needed(env) -> None:
    stale = [
        po
        for po in (ROOT / "shopassist" / "locale").glob("*/LC_MESSAGES/*.po")
        if not po.with_suffix(".mo").exists()
        or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
    if stale:
        manage(["compilemessages", "--ignore", ".venv", "-v0"], env, "compilemessages")


def manage(arguments, env, what) -> str:
    return run([PYTHON, "manage.py", *arguments], env, what)


def seed(arguments, env, what) -> dict:
    out = run([PYTHON, str(HERE / "seed.py"), *arguments], env, what)
    return json.loads(out.strip().splitlines()[-1])


def prepare(config: str, setup_env: dict, server_env: dict, args) -> dict:
    manage(["migrate", "--no-input", "-v0"], setup_env, "migrate")
    manage(["load_demo"], setup_env, "load_demo")
    info = seed(
        [
            "prepare",
            "--products",
            str(args.miss_products),
            "--customer",
            CUSTOMER_EMAIL,
            "--sku",
            PRODUCT_SKU,
            "--staff",
            str(max(0, args.flow_clients - len(LAC_STAFF))),
        ],
        setup_env,
        "seed",
    )
    manage(["collectstatic", "--no-input", "-v0"], server_env, "collectstatic")
    return info


# --- one configuration ------------------------------------------------------------------------
def bench_config(result: ConfigRun, args, shape: LoadShape, tmp: Path) -> None:
    """Fill ``result`` row by row (what was measured survives a failure)."""
    config, label = result.name, result.label
    var_dir = tmp / f"var-{config}"
    var_dir.mkdir()
    setup_env, server_env = environments(config, var_dir, args)
    print(f"[{label}] preparing the database", file=sys.stderr, flush=True)
    compile_messages_if_needed(setup_env)
    info = prepare(config, setup_env, server_env, args)
    args.start_rate_limit = info["start_rate_limit"]
    customer_id = info["customer_id"]
    product = f"/{STORE}/product/{PRODUCT_SKU}/"

    def server() -> Server:
        log = tmp / f"gunicorn-{config}.log"
        instance = Server(server_env, log, args.workers, args.worker_class, args.gthreads)
        instance.start()
        return instance

    def assisted_cookie(port) -> dict[str, str]:
        admin = AdminSession(port, LAC_STAFF[0], customer_id)
        return admin.start_and_redeem(HttpClient(port))

    # Lifetime 1: "Disable Page Cache for Admin User" = No — rows 1-5.
    seed(["page-cache-setting", "no"], setup_env, "page-cache-setting no")
    print(f"[{label}] server 1/2 (Disable Page Cache for Admin User = No)", file=sys.stderr)
    srv = server()
    try:
        port = srv.port
        visitor, first_page = storefront_visitor(port)
        customer = customer_login(port, CUSTOMER_EMAIL, CUSTOMER_PASSWORD)
        assisted = assisted_cookie(port)
        result.notes.append(
            f"cookies sent: anonymous visitor (rows 2-3) {', '.join(visitor)} (set by GET "
            f"{first_page}); customer (4, 6) {', '.join(customer)}; assisted (5, 7) "
            f"{', '.join(assisted)}"
        )
        Bench(args, shape, result, port).rows(
            [
                RowSpec("ceiling", "/healthz"),
                RowSpec("hit", product, visitor, "hit", ANONYMOUS),
                RowSpec("miss", "", visitor, "miss", ANONYMOUS, walk=True),
                RowSpec("customer", product, customer, "hit", CUSTOMER),
                RowSpec("assisted_no", product, assisted, "hit", ASSISTED),
            ]
        )
    finally:
        srv.stop()

    # Lifetime 2: the setting = Yes (the default) — rows 6-8.
    seed(["page-cache-setting", "yes"], setup_env, "page-cache-setting yes")
    print(f"[{label}] server 2/2 (Disable Page Cache for Admin User = Yes)", file=sys.stderr)
    srv = server()
    try:
        port = srv.port
        customer = customer_login(port, CUSTOMER_EMAIL, CUSTOMER_PASSWORD)
        assisted = assisted_cookie(port)
        bench = Bench(args, shape, result, port)
        bench.rows(
            [
                RowSpec("customer_uncached", f"{product}?nocache=1", customer, "bypass", CUSTOMER),
                RowSpec("assisted_yes", product, assisted, "bypass", ASSISTED),
            ]
        )
        bench.flow_row(customer_id)
    finally:
        srv.stop()


# --- output -----------------------------------------------------------------------------------
def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def checks_of(result: ConfigRun) -> list[tuple[str, float | None, str, float, bool | None]]:
    r = result.results

    def get(key, attr):
        return getattr(r[key], attr) if key in r else None

    values = {
        "hit_ceiling": ratio(get("hit", "rps"), get("ceiling", "rps")),
        "hit_miss": ratio(get("hit", "rps"), get("miss", "rps")),
        "assisted_no": ratio(get("assisted_no", "p50"), get("customer", "p50")),
        "assisted_yes": ratio(get("assisted_yes", "p50"), get("customer_uncached", "p50")),
    }
    checks = []
    for key, label, how, target in TARGETS:
        value = values[key]
        passed = None if value is None else (value >= target if how == ">=" else value <= target)
        checks.append((label, value, how, target, passed))
    return checks


def table_lines(results: list[ConfigRun], markdown=False) -> list[str]:
    head = ("configuration", "row", "req/s", "× ceiling", "p50 ms", "p95 ms", "p99 ms")
    rows = []
    for result in results:
        ceiling = result.results.get("ceiling")
        for key, label in ROWS.items():
            m = result.results.get(key)
            if m is None:
                continue
            times = ratio(m.rps, ceiling.rps if ceiling else None)
            rows.append(
                (
                    result.label,
                    label,
                    f"{m.rps:,.1f}",
                    f"{times:.3f}" if times is not None else "-",
                    f"{m.p50:.2f}",
                    f"{m.p95:.2f}",
                    f"{m.p99:.2f}",
                )
            )
    if not rows:
        rows.append(("(no row measured)", "", "", "", "", "", ""))
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * 2 + "---:|" * 5]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return lines
    widths = [max(len(str(x[i])) for x in [head, *rows]) for i in range(len(head))]
    fmt = "  ".join(f"{{:{'<' if i < 2 else '>'}{w}}}" for i, w in enumerate(widths))
    lines = [fmt.format(*head), "  ".join("-" * w for w in widths)]
    lines += [fmt.format(*row) for row in rows]
    return lines


def check_lines(results: list[ConfigRun]) -> list[str]:
    lines = []
    for result in results:
        for label, value, how, target, passed in checks_of(result):
            verdict = {True: "PASS", False: "FAIL", None: "n/a"}[passed]
            shown = f"{value:.3f}" if value is not None else "-"
            lines.append(
                f"{result.label:<22} {label:<62} {shown:>7}  ({how} {target:g})  {verdict}"
            )
    return lines


def machine_line(versions: dict[str, str]) -> str:
    from importlib.metadata import version

    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB RAM"
    except OSError:
        pass
    wrk_version = subprocess.run(  # noqa: S603 - wrk, found at start
        [shutil.which("wrk") or "/usr/bin/wrk", "--version"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split(" [")[0]
    parts = [
        cpu,
        f"{os.cpu_count()} cores",
        ram,
        f"{platform.system()} {platform.release()}",
        f"Python {platform.python_version()}",
        f"Django {version('django')}",
        f"gunicorn {version('gunicorn')}",
        f"PostgreSQL {versions.get('postgresql', 'n/a')}",
        f"Redis {versions.get('redis', 'n/a')}",
        wrk_version.strip() or "wrk",
    ]
    return "Machine: " + ", ".join(parts)


def report(results, notes, versions, args, shape, elapsed, partial_error=None) -> str:
    out = []
    title = "ShopAssist HTTP benchmark"
    settings_line = (
        f"gunicorn {args.workers} {args.worker_class} workers"
        + (f" x {args.gthreads} threads" if args.worker_class == "gthread" else "")
        + f"; wrk -t{shape.wrk_threads} -c{shape.connections}; row 8: {shape.flow_clients} "
        f"Python clients; {args.duration:g} s per row after {args.warmup:g} s warm-up"
    )
    out += [title, settings_line, ""]
    out += table_lines(results)
    out += ["", "Targets (same run):"]
    out += check_lines(results)
    out += [""] + [f"Note: {n}" for n in notes]
    out += [machine_line(versions), f"Run time: {elapsed:.0f} s"]
    if partial_error:
        out += ["", f"INCOMPLETE RUN: {partial_error}"]
    return "\n".join(out)


def markdown_report(results, notes, versions, args, shape, elapsed, partial_error=None) -> str:
    out = ["# ShopAssist HTTP benchmark", ""]
    out += table_lines(results, markdown=True)
    out += ["", "| configuration | target | value | goal | result |", "|---|---|---:|---|---|"]
    for result in results:
        for label, value, how, target, passed in checks_of(result):
            verdict = {True: "PASS", False: "FAIL", None: "n/a"}[passed]
            shown = f"{value:.3f}" if value is not None else "-"
            out.append(f"| {result.label} | {label} | {shown} | {how} {target:g} | {verdict} |")
    out += [""] + [f"- {n}" for n in notes]
    out += [
        "",
        machine_line(versions),
        "",
        f"gunicorn {args.workers} {args.worker_class} workers; wrk -t{shape.wrk_threads} "
        f"-c{shape.connections}; {args.duration:g} s per row; run time {elapsed:.0f} s",
    ]
    if partial_error:
        out += ["", f"**Incomplete run:** {partial_error}"]
    return "\n".join(out) + "\n"


# --- main -------------------------------------------------------------------------------------
def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description="HTTP benchmark of the storefront page cache and Login as Customer "
        "(gunicorn + wrk). See the module docstring."
    )
    parser.add_argument("--config", choices=["pg", "sqlite", "both"], default="both")
    parser.add_argument("--duration", type=float, default=10, help="seconds measured per row")
    parser.add_argument("--warmup", type=float, default=3, help="seconds of warm-up per row")
    parser.add_argument(
        "--slices",
        type=int,
        default=5,
        help="rows measured together run round-robin in this many wrk runs each",
    )
    parser.add_argument("--markdown", metavar="PATH", help="also write the table as Markdown")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL)
    parser.add_argument(
        "--miss-products",
        type=int,
        default=20000,
        help="BENCH products seeded for the cache-miss row (each requested at most once)",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--worker-class", default="sync", help="gunicorn worker class")
    parser.add_argument("--gthreads", type=int, default=1, help="threads per gthread worker")
    parser.add_argument("--wrk-threads", type=int, default=1)
    parser.add_argument("--connections", type=int, default=4, help="wrk connections")
    parser.add_argument("--flow-clients", type=int, default=4, help="row 8 client threads")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    if shutil.which("wrk") is None:
        print(
            "bench_http: wrk is not installed (it drives the load). Install it with:\n"
            "    apt-get install wrk",
            file=sys.stderr,
        )
        return 2
    if not (VENV_BIN / "gunicorn").exists():
        print(f"bench_http: no gunicorn next to {PYTHON} (run `make install`)", file=sys.stderr)
        return 2
    shape = LoadShape(args.wrk_threads, args.connections, args.flow_clients)
    if shape.connections < shape.wrk_threads:
        print("bench_http: --connections must be >= --wrk-threads", file=sys.stderr)
        return 2

    def on_term(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    configs = [("pg", "PostgreSQL + Redis"), ("sqlite", "SQLite + local memory")]
    if args.config != "both":
        configs = [c for c in configs if c[0] == args.config]
    began = time.monotonic()
    results: list[ConfigRun] = []
    versions: dict[str, str] = {}
    notes: list[str] = []
    tmp = Path(tempfile.mkdtemp(prefix="shopassist-httpbench-"))
    error = None
    try:
        for config, label in configs:
            if config == "pg":
                versions["postgresql"] = ensure_pg_database(args.pg_url)
                versions["redis"] = redis_clean(args.redis_url)
            result = ConfigRun(config, label)
            results.append(result)
            try:
                bench_config(result, args, shape, tmp)
            except BenchError as exc:
                error = f"[{label}] {exc}"
                break
            finally:
                notes += [f"{label}: {n}" for n in result.notes]
                if config == "pg":
                    redis_clean(args.redis_url)
    except BenchError as exc:
        error = str(exc)
    except KeyboardInterrupt:
        error = "interrupted"
    finally:
        stop_all_servers()
        shutil.rmtree(tmp, ignore_errors=True)
    if error is None:
        notes.insert(
            0,
            "rows 2-7 verified (X-Page-Cache and the visitor's page) before measuring, and "
            "X-Page-Cache of every measured response; rows 1-5 ran with Disable Page Cache for "
            "Admin User = No, rows 6-8 with Yes (server restarted in between); rows measured "
            f"together ran round-robin in {args.slices} slices each",
        )
    elapsed = time.monotonic() - began
    text = report(results, notes, versions, args, shape, elapsed, error)
    print(text)
    if args.markdown:
        Path(args.markdown).parent.mkdir(parents=True, exist_ok=True)
        Path(args.markdown).write_text(
            markdown_report(results, notes, versions, args, shape, elapsed, error)
        )
    if error:
        print(f"\nbench_http: FAILED: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
