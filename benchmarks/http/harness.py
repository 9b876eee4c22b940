"""What every part of the HTTP benchmark shares: the demo visitors and pages it measures, the
row and measurement records, and the error that stops a run.

The parts (modules of this folder, imported by benchmarks/bench_http.py, which puts this folder
on sys.path; it has no __init__.py because a package named ``http`` would hide the standard
library's): client.py (HTTP client, logins, assisted sessions, probes, row 8), wrk_runner.py
(wrk and the round-robin slices), server.py (environments, database preparation, gunicorn) and
report.py (tables and targets).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from shopassist.demo import catalog_data, data  # noqa: E402  (plain data, no Django setup)

VENV_BIN = Path(sys.executable).parent
PYTHON = sys.executable
STORE_COOKIE = "sa_store_session"
BINDING_COOKIE = "sa_lac_bind_"  # login-link binding cookies ("__Host-" prefixed in production)
ADMIN_COOKIE = "sa_admin_session"
STORE = "en"
PRODUCT_SKU = catalog_data.PRODUCTS[0]["sku"]
CUSTOMER_EMAIL = data.CONSENTING_CUSTOMERS[0]
CUSTOMER_PASSWORD = data.CUSTOMER_PASSWORD
CUSTOMER_NAME = " ".join(data.CUSTOMERS[CUSTOMER_EMAIL][:2])
# Demo staff who hold "Allow Login as Customer" (Customer Support; Administrators: all).
LAC_STAFF = [name for name, (_f, _l, role) in data.STAFF.items() if role == "Customer Support"]
LAC_STAFF += [name for name, (_f, _l, role) in data.STAFF.items() if role == "Administrators"]
MISS_PATH_FORMAT = f"/{STORE}/product/BENCH-%05d/"
MISS_WARMUP_PRODUCTS = 3000  # product numbers 1..3000 warm the miss path up
MISS_PROBES = 10  # 3001..3010 are probed; measurement starts at 3011
CACHE_HEADER = "X-Page-Cache"
BANNER = 'data-testid="lac-banner"'
# Who a row's page must be rendered for (checked on the probes).
ANONYMOUS, CUSTOMER, ASSISTED = "anonymous", "customer", "assisted"


class BenchError(Exception):
    """A failed step or a row that is not what it claims: the run stops with this message."""


@dataclass
class Measure:
    label: str
    rps: float
    p50: float  # ms
    p95: float
    p99: float
    count: int
    unit: str = "req/s"
    note: str = ""
    # Each wrk run (slice) of the row on its own, in the order run: (req/s, p50 ms).
    slices: tuple[tuple[float, float], ...] = ()


@dataclass
class LoadShape:
    wrk_threads: int
    connections: int
    flow_clients: int


@dataclass
class RowSpec:
    """One wrk-measured row: what is requested, with whose cookies, and what it must be."""

    key: str
    label: str
    path: str = ""
    cookie: dict[str, str] | None = None  # the visitor's cookies
    expect: str | None = None  # X-Page-Cache of every response
    visitor: str | None = None  # who the page must be rendered for
    walk: bool = False  # a new BENCH product URL per request


@dataclass
class ConfigRun:
    """The measurements of one configuration, row key → Measure in the order measured."""

    name: str
    label: str
    results: dict[str, Measure] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def say(text: str) -> None:
    print(f"  {text}", file=sys.stderr, flush=True)


@dataclass
class BenchRun:
    """A whole run, as the report shows it."""

    args: object  # the parsed command line
    shape: LoadShape
    results: list[ConfigRun] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    versions: dict[str, str] = field(default_factory=dict)
    elapsed: float = 0.0
    error: str | None = None
