"""Redis down, frozen or back with old data: the site keeps working and never serves stale pages.

Each test runs the cache and the sessions on a redis-server of its own (a free port, its own
directory) and kills, stops, freezes or restarts that one — never the machine's Redis. "Back
with its data" is a ``SHUTDOWN SAVE`` and a restart that loads the dump: whatever could not be
written meanwhile is really lost (a frozen server would still run the writes it had buffered).
"""

import json
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from decimal import Decimal

import pytest
import redis
import time_machine
from django.conf import settings as django_settings
from django.core import mail
from django.core.cache import caches
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone
from redis.backoff import NoBackoff
from redis.retry import Retry

from login_as_customer import config as lac_config
from login_as_customer.errors import DenialCode, message_for
from login_as_customer.models import AssistedSession
from shopassist.catalog.models import Product
from shopassist.core import cache_tags
from shopassist.core.config import config
from shopassist.core.models import PendingInvalidation
from shopassist.core.resilient_cache import CacheUnavailable
from shopassist.core.sessions import KEY_PREFIX as SESSION_KEY_PREFIX
from shopassist.storefront import page_cache
from tests.conftest import login_customer_client
from tests.login_as_customer.assisted import start, start_assisted
from tests.page_cache.test_invalidation import (
    SERVER_SCRIPT,
    admin_save,
    card,
    product_change_url,
    product_page,
)
from tests.test_config import config_url, field_name, read_line

REDIS_SERVER = shutil.which("redis-server")
pytestmark = [
    pytest.mark.skipif(REDIS_SERVER is None, reason="needs redis-server (apt-get install redis)"),
    pytest.mark.django_db,
]

RETRY_AFTER = 0.2  # the breaker's interval in these tests (production: 2 s)
TIMEOUT = 0.3  # connect and read timeouts (production: 0.5 s and 1 s)
PRODUCT = "SA-BAG-001"  # "Canvas Weekender Bag", $89.00, in "bags"
PRODUCT_URL = f"/en/product/{PRODUCT}/"
CATEGORY_URL = "/en/category/bags/"
CATALOGUE = ["/en/", CATEGORY_URL, PRODUCT_URL, "/en/catalogsearch/?q=Canvas"]
CART_URL = "/en/checkout/cart/"
ACCOUNT_URL = "/en/customer/account/"
STORE_NAME = "general/store_information/name"
STORE_COOKIE = django_settings.STOREFRONT_SESSION_COOKIE_NAME


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class OwnRedis:
    """A redis-server of one test: killed, shut down with its data, frozen and restarted."""

    def __init__(self, directory):
        self.port = free_port()
        self.directory = directory
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        # No retries: a server that is going away must not be waited for.
        return redis.Redis(
            host="127.0.0.1", port=self.port, socket_timeout=2, retry=Retry(NoBackoff(), 0)
        )

    def start(self) -> None:
        """Start on the same port; with the dump of ``stop_keeping_data`` if there is one."""
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                *("--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no"),  # no snapshots but the one asked for
                *("--dir", str(self.directory), "--dbfilename", "dump.rdb"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                self.client().ping()
                return
            except redis.exceptions.RedisError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise
                time.sleep(0.02)

    def kill(self) -> None:
        """Gone, and its data with it."""
        self.process.kill()
        self.process.wait(timeout=10)
        (self.directory / "dump.rdb").unlink(missing_ok=True)

    def stop_keeping_data(self) -> None:
        """Gone; a restart brings back everything it held now (old pages, old versions)."""
        self.client().shutdown(save=True)
        self.process.wait(timeout=10)
        assert (self.directory / "dump.rdb").exists()

    def freeze(self) -> None:
        """Accepts connections and never answers: a hung server."""
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def close(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.thaw()
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def own_redis(tmp_path, demo):
    """The caches, the sessions and the page cache on this test's own redis-server."""
    server = OwnRedis(tmp_path)
    server.start()
    options = {
        "socket_connect_timeout": TIMEOUT,
        "socket_timeout": TIMEOUT,
        "retry_after": RETRY_AFTER,
    }
    backend = "shopassist.core.resilient_cache.ResilientRedisCache"
    own_caches = {
        "default": {"BACKEND": backend, "LOCATION": server.url, "OPTIONS": options},
        page_cache.ALIAS: {
            "BACKEND": backend,
            "LOCATION": server.url,
            "KEY_PREFIX": "pages",
            "OPTIONS": options,
        },
    }
    try:
        # Restored before the server goes: the suite's own fixtures then use its own cache.
        with override_settings(
            CACHES=own_caches,
            SESSION_ENGINE="shopassist.core.sessions",
            PAGE_CACHE_ENABLED=True,
            PAGE_CACHE_HEADER=True,
            PAGE_CACHE_LOCAL_ENTRIES=500,  # as in production: a local copy in front of Redis
        ):
            yield server
    finally:
        server.close()


@pytest.fixture
def cache_log(caplog):
    caplog.set_level(logging.INFO, logger="shopassist.cache")

    def records(level=logging.WARNING) -> list[str]:
        return [
            r.getMessage()
            for r in caplog.records
            if r.name == "shopassist.cache" and r.levelno >= level
        ]

    return records


def no_errors_logged(caplog) -> bool:
    return not [r for r in caplog.records if r.levelno >= logging.ERROR]


def visit(url, client=None):
    response = (client or Client()).get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response


def outcome(response) -> str:
    return response[page_cache.HEADER]


def warm(url) -> None:
    assert [outcome(visit(url)), outcome(visit(url))] == [page_cache.MISS, page_cache.HIT]


def after_retry() -> None:
    time.sleep(RETRY_AFTER * 1.5)


# --- Point 2: Redis down -----------------------------------------------------------------


def test_catalogue_is_served_uncached_while_redis_is_down_with_one_log_line(
    own_redis, cache_log, caplog
):
    warm(PRODUCT_URL)
    own_redis.kill()

    for _round in range(3):  # each round after the breaker's interval: it tries again
        for url in CATALOGUE:
            assert outcome(visit(url)) == page_cache.BYPASS, url
        after_retry()
    page = visit(PRODUCT_URL).content.decode()
    assert product_page(page)["price"] == "$89.00"
    assert card(visit(CATEGORY_URL).content.decode(), PRODUCT)["price"] == "$89.00"

    [down] = cache_log()  # 14 pages, 3 retries: one line
    assert down.startswith(f"Cache unreachable at 127.0.0.1:{own_redis.port}/0 (ConnectionError")
    assert no_errors_logged(caplog)

    own_redis.start()  # empty: no restart of the application
    after_retry()
    warm(PRODUCT_URL)
    assert len(cache_log()) == 2
    assert cache_log()[1].startswith(f"Cache reachable again at 127.0.0.1:{own_redis.port}/0")


def test_a_frozen_redis_costs_one_timeout_then_nothing(own_redis, cache_log, monkeypatch):
    warm(PRODUCT_URL)
    breaker = caches["default"].breaker
    # No second attempt is due while the pages below are served, even on a slow machine (a
    # busy one once took 2.7 s for them, past the 0.2 s interval: the breaker rightly tried
    # again, and a wall-clock bound read that as waiting on every page).
    monkeypatch.setattr(breaker, "retry_after", 6.0)
    timeouts = []
    failed = breaker.failed
    monkeypatch.setattr(breaker, "failed", lambda exc: timeouts.append(exc) or failed(exc))
    own_redis.freeze()  # connects, never answers

    first = visit(PRODUCT_URL)
    pages = [visit(url) for url in CATALOGUE * 2]

    assert outcome(first) == page_cache.BYPASS
    assert {outcome(page) for page in pages} == {page_cache.BYPASS}
    # One read timed out; the other 8 pages (each several cache reads) never waited on Redis:
    # the open breaker answered them at once, without a connection.
    assert [type(exc).__name__ for exc in timeouts] == ["TimeoutError"]
    assert len(cache_log()) == 1
    assert "TimeoutError" in cache_log()[0]

    monkeypatch.setattr(breaker, "retry_after", RETRY_AFTER)
    own_redis.thaw()
    time.sleep(max(0.0, breaker.open_until - time.monotonic()) + RETRY_AFTER)  # the 6 s interval
    assert outcome(visit(PRODUCT_URL)) in (page_cache.HIT, page_cache.MISS)
    warm("/en/category/bags/?page=1")
    assert [line.split(" at ")[0] for line in cache_log()] == [
        "Cache unreachable",
        "Cache reachable again",
    ]


def test_a_quick_restart_that_no_request_saw_goes_unnoticed(own_redis, cache_log):
    """The pooled connections to the old server are dead: each is replaced on first use (one
    retry on a connection error), so nobody gets an uncached page or a log line for it."""
    warm(PRODUCT_URL)
    warm(CATEGORY_URL)
    own_redis.kill()
    own_redis.start()  # empty

    assert [outcome(visit(PRODUCT_URL)), outcome(visit(CATEGORY_URL))] == [page_cache.MISS] * 2
    assert cache_log() == []


def test_customer_signs_in_and_fills_a_cart_while_redis_is_down(own_redis, jane, caplog):
    own_redis.kill()

    browser = login_customer_client(Client(), jane)
    added = browser.post("/en/checkout/cart/add/", {"sku": PRODUCT, "qty": "2"})
    assert added.status_code == 302
    cart = visit(CART_URL, browser).content.decode()
    assert "Canvas Weekender Bag" in cart
    assert re.search(r'data-testid="minicart-count">2<', cart)
    assert "Jane" in visit(ACCOUNT_URL, browser).content.decode()

    own_redis.start()  # empty: the sessions are read back from the database
    after_retry()
    assert re.search(r'data-testid="minicart-count">2<', visit(CART_URL, browser).content.decode())
    key = browser.cookies[STORE_COOKIE].value
    assert caches["default"].get(SESSION_KEY_PREFIX + key)  # cached again
    assert no_errors_logged(caplog)


def test_session_signed_out_while_redis_is_down_stays_signed_out_when_it_returns(own_redis, jane):
    browser = login_customer_client(Client(), jane)
    visit(ACCOUNT_URL, browser)
    key = browser.cookies[STORE_COOKIE].value
    cached_key = caches["default"].make_key(SESSION_KEY_PREFIX + key)
    own_redis.stop_keeping_data()

    assert browser.post("/en/customer/account/logout/").status_code == 302

    own_redis.start()
    assert own_redis.client().exists(cached_key)  # back with the signed-in copy
    after_retry()
    replay = Client()
    replay.cookies[STORE_COOKIE] = key
    response = replay.get(ACCOUNT_URL)
    assert response.status_code == 302
    assert "/customer/account/login/" in response["Location"]
    assert not own_redis.client().exists(cached_key)
    assert not PendingInvalidation.objects.exists()


def test_configuration_saved_while_redis_is_down_takes_effect_and_outlives_its_return(
    own_redis, administrator, admin_client_for, django_capture_on_commit_callbacks
):
    admin = admin_client_for(administrator)
    warm("/en/")
    old_version = config.current_version()
    own_redis.stop_keeping_data()

    with django_capture_on_commit_callbacks(execute=True):
        saved = admin.post(config_url("general"), {field_name(STORE_NAME): "Outage Outlet"})
    assert saved.status_code == 302
    assert "You saved the configuration." in visit(saved["Location"], admin).content.decode()
    during = visit("/en/")
    assert (outcome(during), "Outage Outlet" in during.content.decode()) == (
        page_cache.BYPASS,
        True,
    )
    assert "config" in PendingInvalidation.objects.values_list("kind", flat=True)

    own_redis.start()  # with the old version and the home page stored under it
    after_retry()
    back = visit("/en/")
    assert (outcome(back), "Outage Outlet" in back.content.decode()) == (page_cache.MISS, True)
    assert config.current_version() != old_version
    assert not PendingInvalidation.objects.exists()


def test_api_answers_json_while_redis_is_down(own_redis, jane):
    own_redis.kill()
    api = Client()

    def call(method, path, token=None, **body):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
        response = getattr(api, method)(
            f"/api/v1{path}", json.dumps(body) if body else None, "application/json", **headers
        )
        assert response["Content-Type"].startswith("application/json"), response.content[:200]
        return response.status_code, response.json()

    status, issued = call(
        "post", "/auth/customer-token", email=jane.email, password="demo-customer", store_view="en"
    )
    assert status == 200
    token = issued["access_token"]
    assert call("post", "/cart/items", token, sku=PRODUCT, qty=1)[0] in (200, 201)
    status, cart = call("get", "/cart", token)
    assert (status, [line["sku"] for line in cart["lines"]]) == (200, [PRODUCT])
    assert call("get", "/customers/me", token)[1]["email"] == jane.email
    wrong = call(
        "post", "/auth/customer-token", email=jane.email, password="wrong-one", store_view="en"
    )
    assert wrong[0] == 401
    assert call("get", "/no-such-endpoint")[0] == 404


def test_sign_in_stays_open_and_forgot_password_is_refused_while_redis_is_down(own_redis, jane):
    """Per-address throttles cannot count without the cache: sign-in fails open (the account
    lockout is in the database and still locks), "forgot password" fails closed (no mail)."""
    own_redis.kill()
    browser = Client()
    answers = [
        browser.post("/en/customer/account/login/", {"email": jane.email, "password": "wrong"})
        for _attempt in range(5)
    ]
    assert [a.status_code for a in answers[:4]] == [200] * 4  # checked, not throttled
    assert all("Invalid login or password." in a.content.decode() for a in answers[:4])
    locked = browser.post(
        "/en/customer/account/login/", {"email": jane.email, "password": "demo-customer"}
    )
    assert locked.status_code == 429  # the lockout, read from the database
    assert STORE_COOKIE not in browser.cookies or not browser.cookies[STORE_COOKIE].value

    reset = Client().post("/en/customer/account/forgotpassword/", {"email": jane.email})
    assert reset.status_code == 429
    assert "Too many requests. Try later." in reset.content.decode()
    assert mail.outbox == []


def test_assisted_session_starts_are_counted_in_the_database_while_redis_is_down(
    own_redis, administrator, admin_client_for, jane, marie, set_config
):
    set_config({lac_config.START_RATE_LIMIT: "1"})
    admin = admin_client_for(administrator)
    own_redis.kill()

    # The limit counts per clock minute: both starts inside one (it failed once at a minute's
    # turn, the two starts counted in two minutes).
    minute = timezone.now().replace(second=0, microsecond=0) + timedelta(minutes=1)
    with time_machine.travel(minute + timedelta(seconds=5), tick=True):
        start_assisted(admin, jane)
        refused = start(admin, marie)

    assert message_for(DenialCode.RATE_LIMITED) in refused.content.decode()
    assert list(AssistedSession.objects.values_list("customer_id", flat=True)) == [jane.pk]


# --- Point 3: invalidations are never lost -----------------------------------------------


def test_price_changed_while_redis_is_down_shows_when_redis_returns_with_its_old_pages(
    own_redis, administrator, admin_client_for, django_capture_on_commit_callbacks
):
    admin = admin_client_for(administrator)
    warm(PRODUCT_URL)
    warm(CATEGORY_URL)
    own_redis.stop_keeping_data()

    with django_capture_on_commit_callbacks(execute=True):
        admin_save(admin, product_change_url(PRODUCT), lambda data: data.update(price="86.76"))
    assert Product.objects.get(sku=PRODUCT).price == Decimal("86.76")
    assert product_page(visit(PRODUCT_URL).content.decode())["price"] == "$86.76"
    assert PendingInvalidation.objects.filter(kind="tags").exists()

    own_redis.start()  # every old page and tag version is back
    stored = own_redis.client().keys("*pages*page:*")
    assert len(stored) >= 2
    after_retry()

    product = visit(PRODUCT_URL)
    assert (outcome(product), product_page(product.content.decode())["price"]) == (
        page_cache.MISS,
        "$86.76",
    )
    category = visit(CATEGORY_URL)
    assert outcome(category) == page_cache.MISS
    assert card(category.content.decode(), PRODUCT)["price"] == "$86.76"
    assert not PendingInvalidation.objects.exists()
    warm("/en/category/bags/?page=1")  # and the cache works as before


def test_invalidation_that_finds_redis_down_is_recorded_and_applied_once_it_is_back(
    own_redis, django_capture_on_commit_callbacks
):
    before = cache_tags.versions(["product:1"])
    own_redis.stop_keeping_data()

    with django_capture_on_commit_callbacks(execute=True):
        cache_tags.bump("product:1")  # on commit: it fails
    assert list(PendingInvalidation.objects.values_list("kind", "keys")) == [
        ("tags", ["product:1"])
    ]
    with pytest.raises(CacheUnavailable):
        cache_tags.versions(["product:1"])

    own_redis.start()
    after_retry()
    assert cache_tags.versions(["product:1"]) != before  # applied before this read
    assert not PendingInvalidation.objects.exists()


def test_a_server_process_that_saw_no_outage_does_not_serve_the_old_price(
    own_redis, transactional_db, demo
):
    """Another process served no request while Redis was down: it never saw the outage, and
    Redis is back with the old page. It looks at what was recorded before reading the cache."""
    if connection.vendor != "postgresql":
        pytest.skip("needs a database shared between processes (PostgreSQL)")
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            SERVER_SCRIPT,
            connection.settings_dict["NAME"],
            json.dumps(django_settings.CACHES),
            "500",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "shopassist.settings"},
        cwd=django_settings.BASE_DIR,
    )

    def serve(url):
        server.stdin.write(url + "\n")
        server.stdin.flush()
        return json.loads(read_line(server))

    try:
        assert read_line(server, timeout=60) == "ready"
        assert serve(PRODUCT_URL) == [200, page_cache.MISS, "$89.00"]
        assert serve(PRODUCT_URL) == [200, page_cache.HIT, "$89.00"]

        own_redis.stop_keeping_data()
        product = Product.objects.get(sku=PRODUCT)
        product.price = Decimal("86.76")
        product.save()  # autocommit: the bump fails and is recorded
        own_redis.start()
        time.sleep(django_settings.PENDING_CHECK_IDLE)  # the other process was idle meanwhile

        assert serve(PRODUCT_URL) == [200, page_cache.MISS, "$86.76"]
        assert serve(PRODUCT_URL) == [200, page_cache.HIT, "$86.76"]
        assert not PendingInvalidation.objects.exists()
    finally:
        server.stdin.close()
        server.wait(timeout=20)
    assert server.returncode == 0
