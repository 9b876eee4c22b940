"""The peer in the same run: what an impersonated request adds with django-hijack and with our
Login as Customer, measured with one method on pages of the same weight.

Run: `make bench-peer` (or `python benchmarks/bench_peer.py [--slices S] [--pairs N]`).

1. django-hijack (the version pinned in ``PEER_REQUIREMENTS``, from PyPI) and the same Django
   as ours go into a throw-away virtualenv, ``var/bench/peer-venv``, created by this script
   and reused while its requirements and Python are unchanged.
2. Two workers start, each on a throw-away SQLite database (a kept connection, database
   sessions, local-memory cache, DEBUG off): django-hijack's (benchmarks/peer/run_hijack.py,
   in the peer virtualenv, on the minimal project benchmarks/peer/hijack_site set up as
   django-hijack's documentation says) and ours (benchmarks/peer/run_ours.py, ShopAssist with
   its demo data; the assisted session started and redeemed as bench_login_as_customer.py
   does).
3. Each worker requests its customer page with Django's in-process test client in the
   customer's own session and in the impersonating one (hijacked / assisted), round-robin,
   checking every answer is the right page (the customer's address; the hijack notification
   or our banner exactly on the impersonated one). This script alternates the two workers
   slice by slice (benchmarks/peer/method.py), so load on the shared machine touches both
   projects and both sessions alike. Two clocks per request: the server time (wall clock,
   what the targets use) and the CPU time of the serving thread (the request's own work,
   without the waits of a busy machine: a cross-check printed next to it).

The same page weight: the peer project serves a customer account page built like ours (Jane's
My Account page): the same template engine with the same structure (a base layout with the
language switcher, account links with a CSRF form, search, minicart, category menu, an
included account menu and the account card), the same body size within a few bytes and the
same SQL statements for the customer and their data (session, customer, cart count,
categories, their names: 5). The table prints both pages' bytes and statements as measured.
What neither project can share is the rest of the request: our storefront's middleware stack
(store views, areas, configuration, audit context, lockout) makes our own page slower than the
peer's, so the ratios divide by different denominators. The added µs per request is the
figure independent of the page; both are printed (also when negative: an assisted request
reads its customer with its check, so it can be cheaper than the customer's own), and the
peer's added µs is also shown on our page ("on our page": (our own + peer's added) ÷ our own).

Targets (benchmarks/targets.py): ours ≤ 1.02× and ≤ 100 µs added; one comparison row, the
peer's added µs minus ours ≥ 0 (we add no more than django-hijack does).
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import subprocess
import sys
import venv
from dataclasses import dataclass
from pathlib import Path

from targets import Target, record

ROOT = Path(__file__).resolve().parent.parent
PEER_DIR = ROOT / "benchmarks" / "peer"
PEER_VENV = ROOT / "var" / "bench" / "peer-venv"
PEER_REQUIREMENTS = ("django-hijack==3.7.9", "Django>=5.2,<5.3")
CONFIGURATION = "SQLite + local memory, test client"


def peer_python() -> Path:
    """The peer virtualenv's Python, creating the virtualenv when its requirements changed."""
    python = PEER_VENV / "bin" / "python"
    stamp = PEER_VENV / "bench-peer-requirements.txt"
    wanted = "\n".join((f"# Python {platform.python_version()}", *PEER_REQUIREMENTS)) + "\n"
    if python.exists() and stamp.exists() and stamp.read_text() == wanted:
        return python
    print(f"Creating {PEER_VENV.relative_to(ROOT)}: {', '.join(PEER_REQUIREMENTS)}", flush=True)
    shutil.rmtree(PEER_VENV, ignore_errors=True)
    venv.EnvBuilder(with_pip=True, clear=True).create(PEER_VENV)
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, *PEER_REQUIREMENTS], check=True)  # noqa: S603 (our constants)
    stamp.write_text(wanted)
    return python


CLOCKS = {"": "server time", "_cpu": "CPU time"}


class Worker:
    """One project's worker process (benchmarks/peer/method.py speaks for it)."""

    def __init__(self, label: str, python: Path, script: str):
        self.label = label
        self.process = subprocess.Popen(  # noqa: S603 (our own scripts)
            [str(python), str(PEER_DIR / script)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.about: dict = {}
        # "own", "other", "own_cpu", "other_cpu": nanoseconds of every request measured
        self.times: dict[str, list[int]] = {}
        self.slice_ratios: dict[str, list[float]] = {clock: [] for clock in CLOCKS}

    def _read(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            code = self.process.wait()
            raise SystemExit(f"{self.label}: the worker stopped (exit {code}); see above")
        return json.loads(line)

    def ready(self) -> None:
        self.about = self._read()
        self.label = self.about["project"]

    def measure(self, pairs: int) -> None:
        self.process.stdin.write(json.dumps({"pairs": pairs}) + "\n")
        self.process.stdin.flush()
        times = self._read()
        for key, values in times.items():
            self.times.setdefault(key, []).extend(values)
        for clock, ratios in self.slice_ratios.items():
            own, other = times[f"own{clock}"], times[f"other{clock}"]
            ratios.append(statistics.median(other) / statistics.median(own))

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait()


@dataclass(frozen=True)
class Result:
    """One project on one clock: medians of the own and the other session's requests."""

    label: str
    own_us: float
    other_us: float
    slice_ratios: list[float]

    @property
    def ratio(self) -> float:
        return self.other_us / self.own_us

    @property
    def added_us(self) -> float:
        return self.other_us - self.own_us

    @classmethod
    def of(cls, worker: Worker, clock: str) -> Result:
        return cls(
            label=worker.label,
            own_us=statistics.median(worker.times[f"own{clock}"]) / 1000,
            other_us=statistics.median(worker.times[f"other{clock}"]) / 1000,
            slice_ratios=worker.slice_ratios[clock],
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--slices", type=int, default=20, help="rounds alternating the projects")
    parser.add_argument("--pairs", type=int, default=100, help="own + other requests per slice")
    args = parser.parse_args()
    if args.slices < 2 or args.pairs < 1:
        parser.error("at least 2 slices of 1 pair")

    peer = Worker("django-hijack", peer_python(), "run_hijack.py")
    ours = Worker("ShopAssist", Path(sys.executable), "run_ours.py")
    workers = (peer, ours)
    try:
        for worker in workers:
            worker.ready()
        for number in range(args.slices):
            # Who goes first changes every slice: neither always follows the other's burst.
            for worker in workers if number % 2 == 0 else workers[::-1]:
                worker.measure(args.pairs)
    finally:
        for worker in workers:
            worker.close()

    print_report(args, peer, ours)
    theirs, mine = Result.of(peer, ""), Result.of(ours, "")
    record(
        "bench-peer",
        [
            Target(CONFIGURATION, "assisted ÷ own request (median)", mine.ratio, "<= 1.02"),
            Target(
                CONFIGURATION, "added per assisted request (median)", mine.added_us, "<= 100", " µs"
            ),
            Target(
                CONFIGURATION,
                f"{peer.label} added µs − ours (same page weight)",
                theirs.added_us - mine.added_us,
                ">= 0",
                " µs",
            ),
        ],
    )


def print_report(args, peer: Worker, ours: Worker) -> None:
    workers = (peer, ours)
    djangos = " and ".join(sorted({worker.about["django"] for worker in workers}))
    print(
        f"\nbench-peer: Django {djangos}, in-process test client, {args.slices * args.pairs:,} "
        f"requests per session, round-robin, in {args.slices} slices alternating the projects"
    )
    print("\nPage weight (one request each, as measured in this run)\n")
    print("| project | page | own bytes | other bytes | own SQL | other SQL |")
    print("|---|---|---:|---:|---:|---:|")
    pages = {peer: "Jane's account page (benchmarks/peer)", ours: "Jane's My Account page"}
    for worker in workers:
        own, other = worker.about["weight"]["own"], worker.about["weight"]["other"]
        print(
            f"| {worker.label} | {pages[worker]} | {own['bytes']:,} | {other['bytes']:,} "
            f"| {own['queries']} | {other['queries']} |"
        )
    print(
        "\nMedians per request; other = the hijacked (django-hijack) or assisted (ours) session; "
        "slices = p25–p75 of the ratio slice by slice\n"
    )
    print("| project | clock | own µs | other µs | other ÷ own | added µs | slices |")
    print("|---|---|---:|---:|---:|---:|---|")
    for clock, clock_name in CLOCKS.items():
        for worker in workers:
            r = Result.of(worker, clock)
            p25, _p50, p75 = statistics.quantiles(r.slice_ratios, n=4)
            print(
                f"| {r.label} | {clock_name} | {r.own_us:,.0f} | {r.other_us:,.0f} "
                f"| {r.ratio:.3f}× | {r.added_us:+,.0f} | {p25:.3f}–{p75:.3f} |"
            )
    print()
    for clock, clock_name in CLOCKS.items():
        theirs, mine = Result.of(peer, clock), Result.of(ours, clock)
        on_our_page = (mine.own_us + theirs.added_us) / mine.own_us
        print(
            f"{clock_name}: {theirs.label}'s added µs on our page = ({mine.own_us:,.0f} "
            f"{theirs.added_us:+,.0f}) ÷ {mine.own_us:,.0f} = {on_our_page:.3f}× "
            f"(ours: {mine.ratio:.3f}×)"
        )


if __name__ == "__main__":
    main()
