"""HTTP benchmark: the storefront page cache and Login as Customer, end to end through gunicorn.

Run: `make bench-http`, or

    .venv/bin/python benchmarks/bench_http.py [--config pg|sqlite|both] [--duration 10]
        [--warmup 3] [--slices 10] [--markdown PATH]

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
percentiles over the summed latency histograms that the wrk script exports). A target compares
two rows slice by slice: its value is the median of the slices' ratios, because the machine's
speed changes between slices (one row's p50 went from 8.3 to 11.8 ms within a minute here) and
cancels only within a slice; the ratio of the merged rows is printed next to it. The wrk script also
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

Where things are (benchmarks/http/, imported by this file): client.py (the HTTP client, logins,
assisted-session set-up, probes, row 8), wrk_runner.py (wrk and the round-robin slices; the lua
scripts next to it), server.py (environments, database preparation, gunicorn), report.py (the
tables and targets, also recorded for `make bench` with benchmarks/targets.py), harness.py (what
they share). This file lists the rows, the targets and the two server lifetimes.

Adding a row: give it a key and a label in ROWS below, then one ``row(key, path, cookies,
X-Page-Cache, visitor)`` line in the lifetime it belongs to in ``bench_config`` (a visitor's
cookies come from client.py: ``storefront_visitor``, ``customer_login``, ``assisted_visitor``);
the runner warms it up, probes it (header and visitor), measures it round-robin with the other
rows of its lifetime and the report prints it. A same-run target comparing it with another row
is one ``RowTarget`` line in TARGETS.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "http"))

from client import assisted_visitor, customer_login, measure_flows, storefront_visitor  # noqa: E402
from harness import (  # noqa: E402
    ANONYMOUS,
    ASSISTED,
    CUSTOMER,
    CUSTOMER_EMAIL,
    CUSTOMER_PASSWORD,
    PRODUCT_SKU,
    PYTHON,
    STORE,
    VENV_BIN,
    BenchError,
    BenchRun,
    ConfigRun,
    LoadShape,
    RowSpec,
)
from report import RowTarget, markdown_report, record_targets, text_report  # noqa: E402
from server import (  # noqa: E402
    DEFAULT_PG_URL,
    DEFAULT_REDIS_URL,
    Server,
    compile_messages_if_needed,
    ensure_pg_database,
    environments,
    prepare,
    redis_clean,
    seed,
    stop_all_servers,
)
from wrk_runner import RowRunner  # noqa: E402

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

TARGETS = [
    RowTarget("hit req/s ÷ ceiling req/s (row 2 / row 1)", "hit", "ceiling", "rps", ">=", 0.5),
    RowTarget("hit req/s ÷ miss req/s (row 2 / row 3)", "hit", "miss", "rps", ">=", 5.0),
    RowTarget(
        "customer hit req/s ÷ ceiling req/s (row 4 / row 1)",
        "customer",
        "ceiling",
        "rps",
        ">=",
        0.35,
    ),
    RowTarget(
        "p50 assisted (No) ÷ p50 customer (row 5 / row 4)",
        "assisted_no",
        "customer",
        "p50",
        "<=",
        1.05,
    ),
    RowTarget(
        "p50 assisted (Yes) ÷ p50 customer uncached (row 7 / row 6)",
        "assisted_yes",
        "customer_uncached",
        "p50",
        "<=",
        1.05,
    ),
]


def row(key: str, path: str = "", cookie=None, expect=None, visitor=None, **kw) -> RowSpec:
    return RowSpec(key, ROWS[key], path, cookie, expect, visitor, **kw)


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

    # Lifetime 1: "Disable Page Cache for Admin User" = No — rows 1-5.
    seed(["page-cache-setting", "no"], setup_env, "page-cache-setting no")
    print(f"[{label}] server 1/2 (Disable Page Cache for Admin User = No)", file=sys.stderr)
    srv = server()
    try:
        port = srv.port
        visitor, first_page = storefront_visitor(port)
        customer = customer_login(port, CUSTOMER_EMAIL, CUSTOMER_PASSWORD)
        assisted = assisted_visitor(port, customer_id)
        result.notes.append(
            f"cookies sent: anonymous visitor (rows 2-3) {', '.join(visitor)} (set by GET "
            f"{first_page}); customer (4, 6) {', '.join(customer)}; assisted (5, 7) "
            f"{', '.join(assisted)}"
        )
        RowRunner(args, shape, result, port).rows(
            [
                row("ceiling", "/healthz"),
                row("hit", product, visitor, "hit", ANONYMOUS),
                row("miss", "", visitor, "miss", ANONYMOUS, walk=True),
                row("customer", product, customer, "hit", CUSTOMER),
                row("assisted_no", product, assisted, "hit", ASSISTED),
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
        assisted = assisted_visitor(port, customer_id)
        RowRunner(args, shape, result, port).rows(
            [
                row("customer_uncached", f"{product}?nocache=1", customer, "bypass", CUSTOMER),
                row("assisted_yes", product, assisted, "bypass", ASSISTED),
            ]
        )
        measure_flows(port, "flow", ROWS["flow"], customer_id, args, shape, result)
    finally:
        srv.stop()


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
        default=10,
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
    run = BenchRun(args, shape)
    tmp = Path(tempfile.mkdtemp(prefix="shopassist-httpbench-"))
    try:
        for config, label in configs:
            if config == "pg":
                run.versions["postgresql"] = ensure_pg_database(args.pg_url)
                run.versions["redis"] = redis_clean(args.redis_url)
            result = ConfigRun(config, label)
            run.results.append(result)
            try:
                bench_config(result, args, shape, tmp)
            except BenchError as exc:
                run.error = f"[{label}] {exc}"
                break
            finally:
                run.notes += [f"{label}: {n}" for n in result.notes]
                if config == "pg":
                    redis_clean(args.redis_url)
    except BenchError as exc:
        run.error = str(exc)
    except KeyboardInterrupt:
        run.error = "interrupted"
    finally:
        stop_all_servers()
        shutil.rmtree(tmp, ignore_errors=True)
    if run.error is None:
        run.notes.insert(
            0,
            "rows 2-7 verified (X-Page-Cache and the visitor's page) before measuring, and "
            "X-Page-Cache of every measured response; rows 1-5 ran with Disable Page Cache for "
            "Admin User = No, rows 6-8 with Yes (server restarted in between); rows measured "
            f"together ran round-robin in {args.slices} slices each",
        )
    run.elapsed = time.monotonic() - began
    print(text_report(run, TARGETS))
    record_targets(run.results, TARGETS)
    if args.markdown:
        Path(args.markdown).parent.mkdir(parents=True, exist_ok=True)
        Path(args.markdown).write_text(markdown_report(run, TARGETS))
    if run.error:
        print(f"\nbench_http: FAILED: {run.error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
