"""Faults on real servers (issue 12): our own PostgreSQL cluster and Redis, the application under
gunicorn with production settings (3 workers, pool 2-10), four API clients placing orders (two
customer tokens, two Login as Customer tokens), a logged-in storefront customer and an assisted
storefront session — then PostgreSQL is restarted, stopped, crashed and its connections cut,
Redis is stopped and killed, and the workers are killed.

Run by ``make test-faults`` (about 3 minutes); the tests run in file order against one set of
servers (the module fixture), each phase's requests and errors are counted and printed at the
end with the rows the last test checks. Orders are placed as a careful client does: each with
an ``Idempotency-Key``, retried with the same key after a lost answer or a 5xx, so that every
order the database holds must be one a client was told about, and the other way round.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from shopassist.demo import catalog_data, data
from tests.faults import report
from tests.faults.client import (
    ApiClient,
    Client,
    Response,
    Stats,
    TransportError,
    csrf_token,
    form_fields,
    product_price,
)
from tests.faults.servers import (
    ROOT,
    Gunicorn,
    PostgresCluster,
    RedisServer,
    ServerError,
    free_port,
    install_handlers,
    make_run_dir,
    run,
    stop_all,
    sweep_leftovers,
)

pytestmark = pytest.mark.faults

DATABASE = "shopassist_faults"
WORKERS = 3
ORDER_SKU = catalog_data.PRODUCTS[0]["sku"]  # every order of the run
PRICE_SKU = catalog_data.PRODUCTS[1]["sku"]  # repriced during a Redis outage, never ordered
CATEGORY = catalog_data.PRODUCTS[0]["category"]
STORE = "en"
BANNER = 'data-testid="lac-banner"'
ADMIN_COOKIE = "sa_admin_session"
CACHE_HEADER = "X-Page-Cache"
RETRY_FOR = 45  # seconds a client keeps retrying one order (outages here last seconds)

# What a developer shell or the test process may hold is not passed on: the servers get their
# configuration from scratch (environments()).
SCRUB = (
    "DATABASE_URL",
    "PAGE_CACHE_REDIS_URL",
    "CACHE_KEY_PREFIX",
    "PYTEST_XDIST_WORKER",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "LOG_LEVEL",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)
SCRUB_PREFIXES = ("SHOPASSIST_", "DB_POOL_", "REDIS_", "EMAIL_")


def address_of(email: str) -> dict:
    first, last, _view = data.CUSTOMERS[email]
    street, city, postcode, country, phone = data.ADDRESSES[email]
    return {
        "first_name": first,
        "last_name": last,
        "street": street,
        "city": city,
        "postcode": postcode,
        "country": country,
        "telephone": phone,
    }


# --- the servers ---
@dataclass
class Stack:
    pg: PostgresCluster
    redis: RedisServer
    web: Gunicorn
    setup_env: dict
    stats: Stats
    seed: dict
    clients: list[OrderClient] = field(default_factory=list)
    browsers: dict[str, Client] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def port(self) -> int:
        return self.web.port

    def client(self) -> Client:
        return Client(self.port, self.stats)

    def by_name(self, name: str) -> OrderClient:
        return next(c for c in self.clients if c.name == name)

    def sql(self, query: str, params=()) -> list[tuple]:
        return self.pg.sql(DATABASE, query, params)


def environments(run_dir: Path, pg: PostgresCluster, redis: RedisServer) -> tuple[dict, dict]:
    """(setup, server): the setup runs in development mode (load_demo refuses production),
    the server exactly as docs/deploy.md describes, on plain http over loopback."""
    base = {
        key: value
        for key, value in os.environ.items()
        if key not in SCRUB and not key.startswith(SCRUB_PREFIXES)
    }
    base.update(
        DJANGO_SETTINGS_MODULE="shopassist.settings",
        SHOPASSIST_VAR_DIR=str(run_dir / "var"),
        DATABASE_URL=pg.url(DATABASE),
        REDIS_URL=f"redis://127.0.0.1:{redis.port}/0",
        DB_POOL_MIN="2",
        DB_POOL_MAX="10",
        PYTHONDONTWRITEBYTECODE="1",
    )
    server = dict(base)
    server.update(
        SHOPASSIST_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SHOPASSIST_PAGE_CACHE_HEADER="1",
        SHOPASSIST_RELEASE="faults",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOG_LEVEL="WARNING",
    )
    return base, server


# Run in the server's environment while the cluster starts: collectstatic (production storage,
# compressed and hashed) and, when a catalog is newer than its .mo file, compilemessages
# (``make test-faults`` has compiled them already).
PREPARE_FILES = """
import django, pathlib
from django.core.management import call_command
django.setup()
call_command("collectstatic", interactive=False, verbosity=0)
stale = [po for po in pathlib.Path("shopassist/locale").glob("*/LC_MESSAGES/*.po")
         if not po.with_suffix(".mo").exists()
         or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime]
if stale:
    call_command("compilemessages", ignore_patterns=[".venv"], verbosity=0)
"""


def _log_tails(web: Gunicorn | None, pg: PostgresCluster | None, redis: RedisServer | None):
    report.LINES.append("")
    if web is not None:
        report.LINES += ["--- gunicorn log (last lines) ---", web.log_tail(80)]
    if pg is not None:
        report.LINES += ["--- postgres log (last lines) ---", pg.log_tail(20)]
    if redis is not None:
        report.LINES += ["--- redis log (last lines) ---", redis.log_tail(10)]


@pytest.fixture(scope="module")
def stack(request):
    install_handlers()
    swept = sweep_leftovers()
    began = time.monotonic()
    stats = Stats()
    pg = redis = web = None
    steps: dict[str, float] = {}

    def step(name: str, since: float) -> float:
        now = time.monotonic()
        steps[name] = now - since
        return now

    try:
        run_dir = make_run_dir()
        pg = PostgresCluster(run_dir, free_port(55432))
        redis = RedisServer(run_dir, free_port(56379))
        setup_env, server_env = environments(run_dir, pg, redis)
        # Static files and translations need no server: prepared while the cluster starts.
        files = subprocess.Popen(  # noqa: S603 - our own command
            [sys.executable, "-c", PREPARE_FILES],
            env=server_env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        t = time.monotonic()
        pg.init()
        pg.start()
        pg.sql("postgres", f'CREATE DATABASE "{DATABASE}"')
        redis.start()
        t = step("initdb + start", t)
        out = run(
            [sys.executable, str(Path(__file__).with_name("seed.py")), ORDER_SKU, PRICE_SKU],
            env=setup_env,
            what="seed",
        ).stdout
        seed = json.loads(out.strip().splitlines()[-1])
        t = step("migrate + demo data", t)
        output, _ = files.communicate(timeout=300)
        if files.returncode != 0:
            raise ServerError(f"collectstatic / compilemessages failed:\n{output}")
        t = step("static files (waited)", t)
        web = Gunicorn(run_dir, server_env, free_port(), WORKERS)
        web.start()
        t = step("gunicorn", t)
        current = Stack(pg, redis, web, setup_env, stats, seed)
        _sign_everyone_in(current)
        step("sign-ins", t)
        current.timings["setup"] = time.monotonic() - began
        report.LINES.append(
            f"servers: PostgreSQL {pg.sql('postgres', 'SHOW server_version')[0][0]} on "
            f"127.0.0.1:{pg.port} (initdb in {run_dir}), redis-server on 127.0.0.1:{redis.port}, "
            f"gunicorn {WORKERS} sync workers on 127.0.0.1:{web.port}, production settings, "
            f"pool 2-10"
            + (f"; swept leftovers of killed runs: {', '.join(swept)}" if swept else "")
        )
        report.LINES.append(
            f"setup {current.timings['setup']:.0f} s: "
            + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in steps.items())
        )
    except BaseException:
        _log_tails(web, pg, redis)
        stop_all()
        raise
    try:
        yield current
    finally:
        stats.begin("teardown")
        report.LINES.append("")
        report.LINES.append(f"{'phase':<30}  time  requests errors (by kind)")
        report.LINES.extend(line for line in stats.lines() if not line.startswith("teardown"))
        report.LINES.append(f"total run time {time.monotonic() - began:.0f} s")
        if request.session.testsfailed:
            _log_tails(web, pg, redis)
        keep = os.environ.get("SHOPASSIST_FAULTS_KEEP_LOGS")
        if keep:  # a directory: the servers' logs are copied there before the run is removed
            Path(keep).mkdir(parents=True, exist_ok=True)
            for log in (web.log, pg.log, redis.log):
                with contextlib.suppress(OSError):
                    shutil.copy(log, Path(keep) / log.name)
        stop_all()


# --- clients ---
class OrderClient:
    """Places orders through the API, one after another, each with its own Idempotency-Key;
    after a lost answer or a 5xx it retries the same key until it gets an answer."""

    def __init__(self, name: str, email: str, api: ApiClient, assisted: bool):
        self.name, self.email, self.api, self.assisted = name, email, api, assisted
        self.address = address_of(email)
        self.acknowledged: dict[str, str] = {}  # Idempotency-Key -> increment_id answered
        self.unheard: list[str] = []  # keys whose retry found the order placed but unanswered
        self.failures: list[str] = []  # answers no careful client could work with
        self.retries = 0
        self.serial = 0

    def _until_answered(self, method, path, body=None, headers=None) -> Response | None:
        deadline = time.monotonic() + RETRY_FOR
        first = True
        while time.monotonic() < deadline:
            if not first:
                self.retries += 1
                time.sleep(0.25)
            first = False
            try:
                response = self.api.call(method, path, body, headers)
            except TransportError:
                continue
            if response.status < 500:
                return response
        self.failures.append(f"{method} {path}: no answer below 500 in {RETRY_FOR} s")
        return None

    def ensure_cart(self) -> bool:
        cart = self._until_answered("GET", "/cart")
        if cart is None or cart.status != 200:
            self.failures.append(f"GET /cart: {cart and cart.status}")
            return False
        if cart.json()["item_count"] > 0:
            return True
        added = self._until_answered("POST", "/cart/items", {"sku": ORDER_SKU, "qty": 1})
        if added is None or added.status != 200:
            self.failures.append(
                f"POST /cart/items: {added and added.status} {added and added.body}"
            )
            return False
        return True

    def next_key(self) -> str:
        self.serial += 1
        return f"faults-{self.name}-{self.serial}-{secrets.token_hex(4)}"

    def place(self, key: str | None = None) -> str | None:
        """One order; returns its increment_id when the client was told."""
        if not self.ensure_cart():
            return None
        key = key or self.next_key()
        body = {"shipping_address": self.address}
        deadline, attempt = time.monotonic() + RETRY_FOR, 0
        while time.monotonic() < deadline:
            attempt += 1
            if attempt > 1:
                self.retries += 1
                time.sleep(0.25)
            try:
                response = self.api.call("POST", "/orders", body, {"Idempotency-Key": key})
            except TransportError:
                continue
            if response.status >= 500:
                continue
            if response.status == 200:
                self.acknowledged[key] = response.json()["increment_id"]
                return self.acknowledged[key]
            code = response.json().get("code") if response.is_json else None
            if attempt > 1 and code == "checkout.empty_cart":
                # The first attempt placed the order (the cart is gone) but its answer was lost,
                # and the retry does not return it: the client never learns its order number.
                self.unheard.append(key)
            else:
                self.failures.append(f"POST /orders {key}: HTTP {response.status} {response.body}")
            return None
        self.failures.append(f"POST /orders {key}: no answer below 500 in {RETRY_FOR} s")
        return None


class Load:
    """The four order clients in threads, for the duration of a ``with`` block."""

    def __init__(self, stack: Stack):
        self.stack = stack
        self.stop = threading.Event()
        self.threads = [
            threading.Thread(target=self._loop, args=(c,), daemon=True) for c in stack.clients
        ]
        self.errors: list[BaseException] = []

    def _loop(self, client: OrderClient) -> None:
        try:
            while not self.stop.is_set():
                client.place()
        except BaseException as exc:  # reported by the test
            self.errors.append(exc)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc_info):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=RETRY_FOR + 30)
        assert not self.errors, self.errors
        assert not any(t.is_alive() for t in self.threads), "an order client did not finish"


def _admin_login(client: Client, username: str) -> None:
    login = "/admin/login/?next=/admin/"
    page = client.get(login)
    form = {
        "username": username,
        "password": f"demo-{username}",
        "next": "/admin/",
        "csrfmiddlewaretoken": csrf_token(page),
    }
    response = client.post(login, form=form)
    assert response.status == 302 and ADMIN_COOKIE in client.cookies, (
        f"admin login of {username}: HTTP {response.status}"
    )


def _customer_login(client: Client, email: str) -> Response:
    login = f"/{STORE}/customer/account/login/"
    page = client.get(login)
    assert page.status == 200, f"GET {login}: HTTP {page.status}"
    form = {
        "email": email,
        "password": data.CUSTOMER_PASSWORD,
        "csrfmiddlewaretoken": csrf_token(page),
    }
    return client.post(login, form=form)


def _start_assisted(browser: Client, customer_id: int) -> None:
    """The administrator's browser starts an assisted session and redeems it (one cookie jar:
    the login link is bound to the browser that started it)."""
    confirm = browser.get(f"/admin/login_as_customer/{customer_id}/confirm/")
    assert confirm.status == 200, f"confirm page: HTTP {confirm.status}"
    started = browser.post(
        f"/admin/login_as_customer/{customer_id}/start/",
        form={"csrfmiddlewaretoken": csrf_token(confirm)},
    )
    fields, action = form_fields(started.body, "lac-redeem-form")
    assert started.status == 200 and action, f"start: HTTP {started.status} {started.body[:300]}"
    landed = browser.post(action, form=fields)
    assert landed.status == 302, f"redeem: HTTP {landed.status}"
    page = browser.get(f"/{STORE}/customer/account/")
    assert page.status == 200 and BANNER in page.body, "the assisted session did not open"


def _api_token(stack: Stack, path: str, body: dict, token: str | None = None) -> str:
    response = ApiClient(stack.port, stack.stats, token).call("POST", path, body)
    assert response.status == 200, f"POST {path}: HTTP {response.status} {response.body}"
    return response.json()["access_token"]


def _sign_everyone_in(stack: Stack) -> None:
    """Tokens for the four order clients, a signed-in storefront customer, the support agent's
    browser in an assisted session and the administrator's browser — in parallel (each sign-in
    costs a password hash of production strength)."""
    customers = stack.seed["customers"]
    jane, marie, kim, chen = (
        "jane.doe@example.com",
        "marie.dupont@example.com",
        "kim.minji@example.com",
        "chen.wei@example.com",
    )

    def customer_token(email):
        body = {"email": email, "password": data.CUSTOMER_PASSWORD, "store_view": STORE}
        return _api_token(stack, "/auth/customer-token", body)

    def assisted_token(email, admin):
        body = {"username": admin, "password": f"demo-{admin}"}
        admin_token = _api_token(stack, "/auth/admin-token", body)
        body = {"customer_id": customers[email]}
        return _api_token(stack, "/login-as-customer/token", body, admin_token)

    def chen_browser():
        browser = stack.client()
        assert _customer_login(browser, chen).status == 302
        return browser

    def assisted_browser():
        browser = stack.client()
        _admin_login(browser, "support")
        _start_assisted(browser, customers[jane])
        return browser

    def admin_browser():
        browser = stack.client()
        _admin_login(browser, "admin")
        return browser

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        tokens = {
            jane: pool.submit(customer_token, jane),
            chen: pool.submit(customer_token, chen),
            marie: pool.submit(assisted_token, marie, "support"),
            kim: pool.submit(assisted_token, kim, "admin"),
        }
        browsers = {
            "chen": pool.submit(chen_browser),
            "assisted": pool.submit(assisted_browser),
            "admin": pool.submit(admin_browser),
        }
        for name, email, assisted in (
            ("jane", jane, False),
            ("chen", chen, False),
            ("marie-assisted", marie, True),
            ("kim-assisted", kim, True),
        ):
            api = ApiClient(stack.port, stack.stats, tokens[email].result())
            stack.clients.append(OrderClient(name, email, api, assisted))
        stack.browsers.update({name: future.result() for name, future in browsers.items()})


# --- probes ---
def _db_probes(stack: Stack, count: int) -> list[str]:
    """``count`` requests that each need the database (token, session and customer reads),
    one after another, round-robin over the kinds; returns the ones that failed."""
    jane, marie, kim = (stack.by_name(n) for n in ("jane", "marie-assisted", "kim-assisted"))
    chen, assisted = stack.browsers["chen"], stack.browsers["assisted"]
    kinds = [
        ("API me (customer token)", lambda: jane.api.call("GET", "/customers/me"), "Jane"),
        ("API cart (assisted token)", lambda: marie.api.call("GET", "/cart"), None),
        ("API orders (assisted token)", lambda: kim.api.call("GET", "/orders"), None),
        ("My Account (customer)", lambda: chen.get(f"/{STORE}/customer/account/"), "Chen Wei"),
        ("My Account (assisted)", lambda: assisted.get(f"/{STORE}/customer/account/"), BANNER),
    ]
    failed = []
    for n in range(count):
        what, call, expect = kinds[n % len(kinds)]
        try:
            response = call()
        except TransportError as exc:
            failed.append(f"#{n + 1} {what}: {exc}")
            continue
        if response.status != 200 or (expect and expect not in response.body):
            failed.append(f"#{n + 1} {what}: HTTP {response.status}")
    return failed


# Pages no order changes (orders move the stock of ORDER_SKU: its product, category, home and
# search pages): the ones that must be served from the cache again once Redis is back.
CACHEABLE_PAGES = [
    f"/{STORE}/product/{PRICE_SKU}/",
    f"/{STORE}/category/{next(c for c in catalog_data.CATEGORIES if c != CATEGORY)}/",
]
CATALOG_PAGES = [
    f"/{STORE}/",
    f"/{STORE}/category/{CATEGORY}/",
    f"/{STORE}/product/{ORDER_SKU}/",
    f"/{STORE}/catalogsearch/?q=bag",
]


def _catalog(stack: Stack, client: Client | None = None, rounds=1) -> list[tuple[str, int, str]]:
    """(path, status, X-Page-Cache) of each catalog page, ``rounds`` times."""
    client = client or stack.client()
    seen = []
    for _round in range(rounds):
        for path in CATALOG_PAGES:
            try:
                response = client.get(path)
            except TransportError as exc:
                seen.append((path, 0, str(exc)))
                continue
            seen.append((path, response.status, response.header(CACHE_HEADER)))
    return seen


def _phase(stack: Stack, name: str) -> None:
    stack.stats.begin(name)


def _assert_clients_ok(stack: Stack) -> None:
    problems = {c.name: c.failures + [f"unheard {k}" for k in c.unheard] for c in stack.clients}
    assert not any(problems.values()), problems


# --- the phases ---
@pytest.fixture(autouse=True)
def _servers_up(stack):
    """Each test starts with every server up, whatever the one before it left behind (a failed
    assertion in the middle of an outage): the tests fail one by one, not in a cascade."""
    if not stack.pg.running():
        stack.pg.start()
    if not stack.redis.ping():
        stack.redis.start()
    if len(stack.web.worker_pids()) != WORKERS:
        stack.web.wait_workers([])
    _wait_ready(stack)


def test_orders_and_an_assisted_session_on_healthy_servers(stack):
    _phase(stack, "healthy")
    with Load(stack):
        time.sleep(5)
        assert not _db_probes(stack, 10)
        assert all(status == 200 for _p, status, _h in _catalog(stack, rounds=2))
    _assert_clients_ok(stack)
    placed = sum(len(c.acknowledged) for c in stack.clients)
    assert placed >= 8, f"only {placed} orders in 5 s on healthy servers"
    stack.stats.note(f"{placed} orders acknowledged")


def _first_requests_after(stack: Stack, what: str, count=30) -> None:
    """The first requests once the database is back: each needs the database, none may fail
    (the load clients' requests, if they run, count in the same phase)."""
    _phase(stack, f"{what}: back")
    began = time.monotonic()
    failed = _db_probes(stack, count)
    seconds = time.monotonic() - began
    stack.stats.note(f"first {count} probes: {count - len(failed)} answered 200 in {seconds:.1f} s")
    assert not failed, f"after {what}, failed requests: {failed}"


def _warm_pools(stack: Stack) -> None:
    """Enough requests that every worker's pool holds its idle connections."""
    _phase(stack, "warm-up")
    assert not _db_probes(stack, 15)


def test_first_requests_after_a_postgresql_restart_succeed(stack):
    """Issue 12 point 1: every worker's pool holds connections the restart killed; the pool
    checks a connection before handing it out, so not one request fails."""
    _warm_pools(stack)
    _phase(stack, "pg restart")
    stack.pg.restart()
    _first_requests_after(stack, "pg restart")
    _warm_pools(stack)
    _phase(stack, "pg connections cut")
    cut = stack.sql(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = %s AND pid <> pg_backend_pid()",
        [DATABASE],
    )
    stack.stats.note(f"{len(cut)} server connections terminated")
    assert len(cut) >= WORKERS, "the pools held fewer connections than workers"
    _first_requests_after(stack, "pg connections cut")
    _phase(stack, "after pg restart (load)")
    with Load(stack):
        time.sleep(4)
    _assert_clients_ok(stack)


def test_orders_ride_through_a_postgresql_stop_and_a_crash(stack):
    """PostgreSQL stopped for 35 s, then crashed (immediate shutdown: recovery on start), under
    load: requests during the outage may fail, every order is retried to an answer, and
    nothing sent after the database is back fails — 35 s, because the pool's reconnection
    delay doubles while the database is down (1, 2, 4 ... 32 s): without a limit the next
    attempt would be half a minute after the database is back."""
    for what, mode, down in (("pg stopped 35 s", "fast", 35), ("pg crashed", "immediate", 2)):
        _phase(stack, f"{what} (load)")
        with Load(stack):
            time.sleep(1.5)
            stack.pg.stop(mode)
            try:
                time.sleep(down)
            finally:
                stack.pg.start()
            _first_requests_after(stack, what, count=15)
            _phase(stack, f"after {what} (load)")
            time.sleep(3)
        _assert_clients_ok(stack)
    errors = {
        name: figures.errors
        for name, figures in stack.stats.phases.items()
        if name.startswith("after pg") and figures.errors
    }
    assert not errors, f"requests sent after PostgreSQL was back failed: {errors}"


def _redis_outage_checks(stack: Stack, what: str) -> list[str]:
    """What must hold while Redis is unreachable (issue 12 point 2); returns what did not."""
    problems = []
    for path, status, header in _catalog(stack, rounds=2):
        if status != 200:
            problems.append(f"{what}: {path} HTTP {status}")
        elif header == "hit":
            problems.append(f"{what}: {path} served from the cache while Redis is down")
    failed = _db_probes(stack, 10)
    problems += [f"{what}: {f}" for f in failed]
    # A new sign-in on the storefront (the session goes to the database).
    browser = stack.client()
    try:
        signed_in = _customer_login(browser, "kim.minji@example.com")
        account = browser.get(f"/{STORE}/customer/account/")
        if signed_in.status != 302 or "Kim Minji" not in account.body:
            problems.append(f"{what}: storefront sign-in HTTP {signed_in.status}/{account.status}")
    except (TransportError, AssertionError) as exc:
        problems.append(f"{what}: storefront sign-in: {exc}")
    # The API answers JSON, whatever it answers: with a token, without, and a token request.
    api_calls = [
        (stack.by_name("jane").api, "GET", "/cart", None),
        (stack.by_name("marie-assisted").api, "GET", "/customers/me", None),
        (ApiClient(stack.port, stack.stats), "GET", "/cart", None),
        (
            ApiClient(stack.port, stack.stats),
            "POST",
            "/auth/customer-token",
            {
                "email": "chen.wei@example.com",
                "password": data.CUSTOMER_PASSWORD,
                "store_view": STORE,
            },
        ),
    ]
    for api, method, path, body in api_calls:
        try:
            response = api.call(method, path, body)
        except TransportError as exc:
            problems.append(f"{what}: API {method} {path}: {exc}")
            continue
        if not response.is_json:
            problems.append(
                f"{what}: API {method} {path}: HTTP {response.status} "
                f"{response.header('Content-Type')} (not JSON)"
            )
        elif response.status >= 500:
            problems.append(f"{what}: API {method} {path}: HTTP {response.status} (JSON)")
    return problems


def _cache_serves_again(stack: Stack, page: str, timeout=10) -> list[Response]:
    """Once Redis is back, the page is stored and served from it again, by every worker, with no
    restart: GET it until the last 2 x workers answers were all hits (``timeout`` at most: each
    process tries Redis again a moment after its last failure). Returns every answer."""
    browser, seen = stack.client(), []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        seen.append(browser.get(page))
        recent = seen[-2 * WORKERS :]
        if len(recent) == 2 * WORKERS and all(r.header(CACHE_HEADER) == "hit" for r in recent):
            break
        time.sleep(0.1)
    return seen


def _serving_again(stack: Stack, what: str) -> list[str]:
    """What must hold once Redis is back: pages answered, served from the cache again (pages no
    order touches: every order changes its product's stock and so its pages)."""
    problems = []
    for page in CACHEABLE_PAGES:
        seen = _cache_serves_again(stack, page)
        problems += [f"{what}: {page} HTTP {r.status}" for r in seen if r.status != 200]
        if seen[-1].header(CACHE_HEADER) != "hit":
            kinds = [r.header(CACHE_HEADER) for r in seen[-6:]]
            problems.append(f"{what}: {page} not served from the cache again ({kinds})")
    problems += [f"{what}: {f}" for f in _db_probes(stack, 10)]
    return problems


def test_the_site_keeps_working_while_redis_is_down(stack):
    """Issue 12 point 2: catalog pages uncached, sessions from the database, API answers JSON,
    one log line that the cache is unreachable; back to normal without a restart."""
    _phase(stack, "before redis stop")
    for page in CACHEABLE_PAGES:
        _cache_serves_again(stack, page)
    workers = stack.web.worker_pids()
    log_before = len(stack.web.log_text().splitlines())
    _phase(stack, "redis stopped (load)")
    with Load(stack):
        time.sleep(1)
        stack.redis.stop(keep_data=True)
        problems = _redis_outage_checks(stack, "redis stopped")
        time.sleep(2)
        problems += _redis_outage_checks(stack, "redis still stopped")
        _phase(stack, "redis back (load)")
        stack.redis.start()
        problems += _serving_again(stack, "redis back")
    _assert_clients_ok(stack)
    assert stack.web.worker_pids() == workers, "workers died or were restarted"
    outage_log = stack.web.log_text().splitlines()[log_before:]
    tracebacks = [line for line in outage_log if line.startswith("Traceback")]
    unreachable = [line for line in outage_log if "unreachable" in line.lower()]
    stack.stats.note(
        f"log: {len(outage_log)} lines during the outage, {len(unreachable)} saying the cache "
        f"is unreachable, {len(tracebacks)} tracebacks",
        "redis stopped (load)",
    )
    assert not problems, problems
    assert len(tracebacks) == 0, "\n".join(outage_log[-40:])
    # Once per process and outage, not once per request.
    assert 1 <= len(unreachable) <= WORKERS, "\n".join(outage_log[-40:])


def _reprice(stack: Stack, product_id: int, price: str) -> Response:
    """The administrator changes a price in the admin product form."""
    admin = stack.browsers["admin"]
    path = f"/admin/catalog/product/{product_id}/change/"
    page = admin.get(path)
    assert page.status == 200, f"GET {path}: HTTP {page.status}"
    fields, _action = form_fields(page.body, "product_form")
    assert fields, "no product form in the admin page"
    fields = [(name, price if name == "price" else value) for name, value in fields]
    return admin.post(path, form=fields)


def test_a_price_changed_during_a_redis_outage_is_shown_once_redis_is_back(stack):
    """Issue 12 point 3: Redis comes back with its data — the old page and the old tag
    versions — and the page of a product repriced meanwhile must show the new price."""
    product_id, old_price = stack.seed["price_product_id"], stack.seed["price"]
    page = f"/{STORE}/product/{PRICE_SKU}/"
    _phase(stack, "price change: warm")
    browser = stack.client()
    for _n in range(3 * WORKERS):  # every worker has the page (and its local copy)
        warm = browser.get(page)
    assert warm.status == 200 and warm.header(CACHE_HEADER) == "hit"
    shown_before = product_price(warm)
    new_price = f"{float(old_price) + 11.11:.2f}"
    _phase(stack, "price change: redis stopped")
    stack.redis.stop(keep_data=True)
    try:
        saved = _reprice(stack, product_id, new_price)
        assert saved.status == 302, f"admin save: HTTP {saved.status}"
        assert stack.sql("SELECT price::text FROM catalog_product WHERE id = %s", [product_id]) == [
            (new_price,)
        ]
        during = [browser.get(page) for _n in range(2 * WORKERS)]
    finally:
        _phase(stack, "price change: redis back")
        stack.redis.start()
    assert [r.status for r in during] == [200] * len(during)
    shown_during = {product_price(r) for r in during}
    after = _cache_serves_again(stack, page)
    assert [r.status for r in after] == [200] * len(after)
    shown_after = [product_price(r) for r in after]
    headers = sorted({r.header(CACHE_HEADER) for r in after})
    stack.stats.note(
        f"price {shown_before} before, {sorted(shown_during)} during the outage, after: "
        f"{sorted(set(shown_after))} (X-Page-Cache {headers})"
    )
    assert shown_before != shown_after[0] and len(set(shown_after)) == 1, shown_after
    assert new_price in shown_after[0] and all(new_price in s for s in shown_during)
    assert after[-1].header(CACHE_HEADER) == "hit", "the page cache does not serve again"


def test_sessions_survive_redis_killed_and_restarted_empty(stack):
    """Redis killed (its memory is gone): sessions are read back from the database."""
    _phase(stack, "redis killed (load)")
    with Load(stack):
        time.sleep(1)
        stack.redis.kill()
        problems = _redis_outage_checks(stack, "redis killed")
        _phase(stack, "redis back empty (load)")
        stack.redis.start()
        problems += _serving_again(stack, "redis back empty")
        time.sleep(1)
    _assert_clients_ok(stack)
    assert not problems, problems


def test_an_idempotency_key_retry_returns_the_first_order(stack):
    """Issue 12 point 6: the answer to an order is lost (the connection dropped before it was
    read); the retry with the same Idempotency-Key returns that order, even though the cart
    was filled again meanwhile, and places no second one."""
    _phase(stack, "idempotency retries")

    def orders_of(client) -> set[str]:
        rows = stack.sql(
            "SELECT o.increment_id FROM sales_order o JOIN customers_customer c "
            "ON c.id = o.customer_id WHERE c.email = %s",
            [client.email],
        )
        return {increment_id for (increment_id,) in rows}

    for client in (stack.by_name("jane"), stack.by_name("marie-assisted")):
        listed = orders_of(client)
        assert client.ensure_cart()
        key = client.next_key()
        client.api.send_and_hang_up(
            "POST",
            "/api/v1/orders",
            data={"shipping_address": client.address},
            headers={"Authorization": f"Bearer {client.api.token}", "Idempotency-Key": key},
        )
        deadline = time.monotonic() + 15
        while (now := orders_of(client)) == listed:
            assert time.monotonic() < deadline, "the order sent without waiting was not placed"
            time.sleep(0.1)
        placed = now - listed
        assert len(placed) == 1
        assert client.ensure_cart()  # a new cart: a second order would be possible
        retried = client.place(key)
        assert retried == placed.pop(), f"the retry placed {retried}, the first was {placed}"
        again = client.place(key)
        assert again == retried
        assert orders_of(client) == now
        stack.stats.note(f"{client.name}: answer lost, retried twice, one order {retried}")
    _assert_clients_ok(stack)


def _wait_ready(stack: Stack, timeout=60) -> None:
    """New workers load the application before they answer: wait until 2 x workers requests
    in a row are answered (by whichever workers take them) within a second each."""
    probe, answered = Client(stack.port, timeout=1), 0
    deadline = time.monotonic() + timeout
    while answered < 2 * WORKERS:
        assert time.monotonic() < deadline, "the new workers do not answer"
        try:
            answered = answered + 1 if probe.get("/healthz").status == 200 else 0
        except TransportError:
            answered = 0
            time.sleep(0.2)


def test_orders_survive_killed_workers(stack):
    """Every worker SIGKILLed twice under load: transactions of a killed worker roll back or
    commit whole, gunicorn starts new workers, the clients' retries get every order answered."""
    _phase(stack, "workers killed (load)")
    with Load(stack):
        time.sleep(1.5)
        for _round in range(2):
            killed = stack.web.kill_workers()
            stack.web.wait_workers(killed)
            _wait_ready(stack)
        _phase(stack, "after workers killed (load)")
        time.sleep(3)
    _assert_clients_ok(stack)
    after = stack.stats.phases["after workers killed (load)"]
    assert after.errors == 0, after.kinds


def test_no_order_or_audit_row_is_lost_or_doubled(stack):
    """The ledger: the orders each client was answered with are exactly the orders the
    database holds for that customer; each order placed with a Login as Customer token has
    exactly one "order.placed" log entry and the others none; stock moved by exactly the
    quantities ordered; every hash chain verifies."""
    _phase(stack, "final checks")
    seed, since = stack.seed, stack.seed["max_order_id"]
    rows = stack.sql(
        "SELECT o.id, o.increment_id, c.email FROM sales_order o "
        "JOIN customers_customer c ON c.id = o.customer_id WHERE o.id > %s",
        [since],
    )
    by_email: dict[str, set[str]] = {}
    for _id, increment_id, email in rows:
        by_email.setdefault(email, set()).add(increment_id)
    problems, answered = [], 0
    for client in stack.clients:
        told = set(client.acknowledged.values())
        answered += len(told)
        held = by_email.pop(client.email, set())
        if told - held:
            problems.append(f"{client.name}: answered but not in the database: {told - held}")
        if held - told:
            problems.append(f"{client.name}: in the database, never answered: {held - told}")
        problems += [f"{client.name}: {f}" for f in client.failures]
    if by_email:
        problems.append(f"orders of other customers: {by_email}")
    order_ids = {increment_id: pk for pk, increment_id, _email in rows}
    assisted_orders = {
        order_ids[i] for c in stack.clients if c.assisted for i in c.acknowledged.values()
    }
    entries = stack.sql(
        "SELECT target_id, count(*) FROM audit_actionlogentry "
        "WHERE action = 'order.placed' AND id > %s GROUP BY target_id",
        [seed["max_audit_id"]],
    )
    logged = {int(target): n for target, n in entries}
    if set(logged) != assisted_orders:
        problems.append(
            f"order.placed entries for {len(logged)} orders, {len(assisted_orders)} placed "
            f"with assisted tokens (missing {sorted(assisted_orders - set(logged))}, "
            f"extra {sorted(set(logged) - assisted_orders)})"
        )
    doubled = {pk: n for pk, n in logged.items() if n != 1}
    if doubled:
        problems.append(f"order.placed logged more than once: {doubled}")
    ((ordered, items),) = stack.sql(
        "SELECT coalesce(sum(qty_ordered), 0), count(*) FROM sales_orderitem "
        "WHERE order_id > %s AND sku = %s",
        [since, ORDER_SKU],
    )
    ((stock,),) = stack.sql(
        "SELECT stock_qty FROM catalog_product WHERE id = %s", [seed["order_product_id"]]
    )
    stock_exact = stock == seed["order_product_stock"] - ordered
    if not stock_exact:
        problems.append(f"stock {stock}, expected {seed['order_product_stock']} - {ordered}")
    ((audit_rows,),) = stack.sql(
        "SELECT count(*) FROM audit_actionlogentry WHERE id > %s", [seed["max_audit_id"]]
    )
    verified = subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "manage.py", "verify_audit_log"],
        env=stack.setup_env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    ((all_audit,),) = stack.sql("SELECT count(*) FROM audit_actionlogentry")
    retries = sum(c.retries for c in stack.clients)
    report.LINES.append(
        f"rows checked: {len(rows)} orders ({answered} answered to the clients, "
        f"{sum(len(c.unheard) for c in stack.clients)} placed but never answered), {items} "
        f"order items ({ordered} units, stock exact: {stock_exact}), "
        f"{len(logged)} order.placed entries for {len(assisted_orders)} assisted orders, "
        f"{audit_rows} log entries written during the run; verify_audit_log over {all_audit} "
        f"entries: {'passed' if verified.returncode == 0 else 'FAILED'}; {retries} client retries"
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert not problems, problems
