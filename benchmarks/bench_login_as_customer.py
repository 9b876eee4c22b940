"""Login as Customer benchmark: start + redemption server time against one request of the
customer's own My Account page, and the per-request overhead of an assisted storefront request
against the same customer's own request, on each engine in the same run.

Run: `make bench-lac` (or `python benchmarks/bench_login_as_customer.py [--engines E]
[--rounds N] [--requests N]`).

Engines: ``sqlite`` (a throw-away SQLite database in a temporary directory, local-memory
cache) and ``postgresql`` (PostgreSQL + Redis: the database of ``BENCH_DATABASE_URL``, default
``postgres://postgres@127.0.0.1:5432/shopassist_lacbench``, created if missing, migrated and
given the demo data; Redis ``BENCH_REDIS_URL``, default DB 4, under a key prefix of its own
that is deleted before and after). By default both when PostgreSQL and Redis answer at those
addresses, else SQLite alone (said so). Each engine runs in its own process (Django's settings
are per process) with Django's in-process test client, so the figures are server time.

Method, per engine: after a warm-up, ``--rounds`` rounds each time one start + redemption
(POST /admin/login_as_customer/<id>/start/, then the auto-submitted redemption in the browser
that holds the binding cookie) and ``--requests`` ÷ ``--rounds`` pairs of requests of Jane's My
Account page in her own session and in an assisted session, interleaved, so that drift on the
shared machine touches every measure alike. Medians; ratios of medians of the same run.

Targets (benchmarks/targets.py, ``bench-lac``), per engine: start + redemption ÷ own My Account
request <= 3; assisted ÷ own request <= 1.05.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/shopassist_lacbench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/4"
CONFIGURATIONS = {"sqlite": "SQLite + local memory", "postgresql": "PostgreSQL + Redis"}
KEY_PREFIX = "lacbench"
RESULT_LINE = "bench-lac result: "
PAGE = "/en/customer/account/"


# --- The parent: which engines, one process each, the targets --------------------------------


def _pg_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG_URL)


def _redis_url() -> str:
    return os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL)


def ensure_pg_database(url: str) -> None:
    """Create the benchmark's database if missing (raises when PostgreSQL does not answer)."""
    import psycopg

    name = urllib.parse.urlsplit(url).path.lstrip("/")
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise ValueError(f"unexpected database name in {url!r}")
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def clean_redis(url: str) -> None:
    """Delete this benchmark's keys (its prefix) from its Redis database."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=3)
    keys = list(client.scan_iter(match=f"{KEY_PREFIX}*", count=1000))
    for start in range(0, len(keys), 1000):
        client.delete(*keys[start : start + 1000])
    client.close()


def postgresql_problem() -> str | None:
    """Why PostgreSQL + Redis cannot be measured here (None: it can)."""
    try:
        ensure_pg_database(_pg_url())
        clean_redis(_redis_url())
    except Exception as exc:  # noqa: BLE001 - any failure means: not reachable
        return f"{type(exc).__name__}: {exc}".strip()
    return None


def run_engine(engine: str, args) -> dict:
    """Measure one engine in a process of its own; returns what it measured."""
    # DEBUG off, as a shop serves: with DEBUG on Django keeps every statement of a request,
    # which weighs more on a flow (about 16 statements) than on one page.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "shopassist.settings", "DEBUG": "0"}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    if engine == "postgresql":
        env.update(
            DATABASE_URL=_pg_url(),
            REDIS_URL=_redis_url(),
            CACHE_KEY_PREFIX=f"{KEY_PREFIX}-{uuid.uuid4().hex[:8]}-",
        )
    command = [sys.executable, __file__, "--measure", engine]
    command += ["--rounds", str(args.rounds), "--requests", str(args.requests)]
    try:
        output = subprocess.run(  # noqa: S603 - our own interpreter and script
            command, env=env, check=True, stdout=subprocess.PIPE, text=True
        ).stdout
    finally:
        if engine == "postgresql":
            clean_redis(_redis_url())
    report = [line for line in output.splitlines() if not line.startswith(RESULT_LINE)]
    print("\n".join(report))
    result = next(line for line in output.splitlines() if line.startswith(RESULT_LINE))
    return json.loads(result[len(RESULT_LINE) :])


def main_parent(args) -> int:
    from targets import Target, record

    engines = args.engines.split(",") if args.engines else None
    if engines is None:
        problem = postgresql_problem()
        engines = ["sqlite"] if problem else ["sqlite", "postgresql"]
        if problem:
            print(f"PostgreSQL + Redis not measured ({_pg_url()}, {_redis_url()}): {problem}")
    elif "postgresql" in engines:
        ensure_pg_database(_pg_url())
        clean_redis(_redis_url())
    measured = []
    for engine in engines:
        result = run_engine(engine, args)
        configuration = CONFIGURATIONS[engine]
        measured += [
            Target(
                configuration,
                "start + redemption ÷ own My Account request (medians)",
                result["flow_ms"] / result["own_ms"],
                "<= 3",
            ),
            Target(
                configuration,
                "assisted ÷ own My Account request (medians)",
                result["assisted_ms"] / result["own_ms"],
                "<= 1.05",
            ),
        ]
    record("bench-lac", measured)
    return 0


# --- A child: one engine -------------------------------------------------------------------


def _setup_django(engine: str) -> None:
    if engine == "sqlite":
        os.environ["SHOPASSIST_VAR_DIR"] = tempfile.mkdtemp(prefix="shopassist-lacbench-")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver"]


def _admin_client(username):
    from django.test import Client

    client = Client()
    response = client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": f"demo-{username}"}
    )
    assert response.status_code == 302, "admin login failed"
    return client


def _start_and_redeem(admin, customer_id, storefront=None):
    """One full start + redemption; returns (storefront client, seconds). ``storefront``: a
    client to use as a new browser (its cookies cleared), so that the server's middleware
    chain is built once, as a server builds it, not once per flow."""
    from http.cookies import SimpleCookie

    from django.conf import settings
    from django.test import Client

    if storefront is None:
        storefront = Client()
    storefront.cookies = SimpleCookie()
    began = time.perf_counter()
    page = admin.post(f"/admin/login_as_customer/{customer_id}/start/")
    token = page.content.decode().split('name="token" value="', 1)[1].split('"', 1)[0]
    action = page.content.decode().split('action="', 1)[1].split('"', 1)[0]
    # One browser: the storefront tab holds the binding cookie the start response set.
    prefix = settings.LOGIN_AS_CUSTOMER_BINDING_COOKIE_PREFIX
    for name, morsel in page.cookies.items():
        if name.startswith(prefix) and morsel.value:
            storefront.cookies[name] = morsel.value
    landed = storefront.post(action, {"token": token})
    elapsed = time.perf_counter() - began
    assert landed.status_code == 302, landed.content[:300]
    return storefront, elapsed


def _timed_get(client) -> float:
    began = time.perf_counter()
    response = client.get(PAGE)
    elapsed = time.perf_counter() - began
    assert response.status_code == 200
    return elapsed


def main_measure(args) -> int:
    _setup_django(args.measure)
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG off: the manifest
    from shopassist.core.config.services import save_config_values
    from shopassist.customers.models import Customer

    # Enough starts for the run: lift the per-admin rate limit.
    save_config_values(
        scope="default",
        scope_id=0,
        values={"login_as_customer/general/start_rate_limit": "1000"},
        actor=None,
    )
    jane = Customer.objects.get(email="jane.doe@example.com")
    admin = _admin_client("support")
    own = Client()
    own.post("/en/customer/account/login/", {"email": jane.email, "password": "demo-customer"})
    assisted, _elapsed = _start_and_redeem(admin, jane.pk)
    for _ in range(10):  # warm-up: per-process memos, statement plans, the cache
        _start_and_redeem(admin, jane.pk)
        _timed_get(own)
        _timed_get(assisted)
    sys.path.insert(0, str(ROOT / "benchmarks" / "peer"))
    from method import forget_expired_cookies  # bench-peer's method, standard library only

    for client in (own, assisted):  # the spent binding cookie, the message shown
        forget_expired_cookies(client)

    per_round = max(1, args.requests // args.rounds)
    flows, own_times, assisted_times = [], [], []
    browser = Client()
    for _ in range(args.rounds):
        flows.append(_start_and_redeem(admin, jane.pk, browser)[1])
        for _ in range(per_round):
            own_times.append(_timed_get(own))
            assisted_times.append(_timed_get(assisted))

    def ms(values):
        return statistics.median(values) * 1000

    def p95(values):
        return statistics.quantiles(values, n=20)[18] * 1000

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(
        f"\nLogin as Customer benchmark ({engine} + {cache}): {len(flows)} starts + "
        f"redemptions, {len(own_times)} requests of each kind, interleaved"
    )
    print(f"{'measure':<44}{'median ms':>10}{'p95 ms':>10}")
    rows = (
        ("start + redemption (server time)", flows),
        ("customer own request: My Account", own_times),
        ("assisted request: My Account", assisted_times),
    )
    for label, values in rows:
        print(f"{label:<44}{ms(values):>10.2f}{p95(values):>10.2f}")
    flow_ratio = ms(flows) / ms(own_times)
    print(f"start + redemption / own request (median): {flow_ratio:.2f}x  (target <= 3x)")
    ratio = ms(assisted_times) / ms(own_times)
    print(f"assisted / own (median): {ratio:.3f}x  (target <= 1.05x)")
    result = {"flow_ms": ms(flows), "own_ms": ms(own_times), "assisted_ms": ms(assisted_times)}
    print(RESULT_LINE + json.dumps(result))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--engines",
        help="comma-separated: sqlite,postgresql (default: both when PostgreSQL and Redis "
        "answer, else sqlite)",
    )
    parser.add_argument("--rounds", type=int, default=60, help="starts + redemptions measured")
    parser.add_argument("--requests", type=int, default=600, help="requests of each kind")
    parser.add_argument("--measure", choices=sorted(CONFIGURATIONS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.engines and set(args.engines.split(",")) - set(CONFIGURATIONS):
        parser.error(f"--engines: choose among {', '.join(CONFIGURATIONS)}")
    return main_measure(args) if args.measure else main_parent(args)


if __name__ == "__main__":
    sys.exit(main())
