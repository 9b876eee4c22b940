"""The targets of `make bench`: each benchmark records the ratios it measured against their
goals here, and `make bench` ends with one PASS/FAIL table of all of them.

A benchmark calls ``record("bench-audit", [Target(...), ...])``: the targets are printed at
the end of its own output and written to ``var/bench/<benchmark>.json``. ``make bench`` first
removes the old files (``python benchmarks/targets.py --clear``), runs every benchmark, then
prints the table of all the files (``python benchmarks/targets.py``); that last step exits 1 if
a target failed or a benchmark recorded nothing.

Only ratios and figures measured against a baseline of the same run belong here.
"""

from __future__ import annotations

import argparse
import json
import operator
import os
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = Path(os.environ.get("BENCH_RESULTS_DIR", ROOT / "var" / "bench"))
# What `make bench` runs, in its order: a benchmark missing from the results is reported.
BENCHMARKS = ("bench-http", "bench-lac", "bench-audit", "bench-dashboard", "bench-peer")
COMPARE = {">=": operator.ge, "<=": operator.le}


@dataclass(frozen=True)
class Target:
    """One target: ``value`` compared with ``goal`` (``">= 0.8"`` or ``"<= 100"``)."""

    configuration: str  # "PostgreSQL + Redis", "SQLite + local memory", ...
    name: str  # what is measured, e.g. "chained / unchained entries/s"
    value: float
    goal: str
    unit: str = "×"

    @property
    def passed(self) -> bool:
        op, bound = self.goal.split()
        return COMPARE[op](self.value, float(bound))


def record(benchmark: str, targets: list[Target]) -> None:
    """Print ``targets`` as a table and keep them for the summary of `make bench`."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{benchmark}.json"
    path.write_text(json.dumps([asdict(t) for t in targets], indent=1))
    print(f"\n{benchmark} targets")
    print(table([(benchmark, t) for t in targets]))


def table(rows: list[tuple[str, Target]]) -> str:
    lines = [
        "| benchmark | configuration | target | value | goal | result |",
        "|---|---|---|---:|---|---|",
    ]
    for benchmark, t in rows:
        verdict = "PASS" if t.passed else "FAIL"
        lines.append(
            f"| {benchmark} | {t.configuration} | {t.name} | {t.value:,.3f}{t.unit} "
            f"| {t.goal}{t.unit} | {verdict} |"
        )
    return "\n".join(lines)


def summary() -> int:
    rows, missing = [], []
    for benchmark in BENCHMARKS:
        path = RESULTS_DIR / f"{benchmark}.json"
        if not path.exists():
            missing.append(benchmark)
            continue
        rows += [(benchmark, Target(**fields)) for fields in json.loads(path.read_text())]
    print("\nmake bench: every target, measured in this run\n")
    print(table(rows))
    failed = [r for r in rows if not r[1].passed]
    for benchmark in missing:
        print(f"{benchmark}: no result (did it run to the end?)")
    print(f"\n{len(rows) - len(failed)} passed, {len(failed)} failed, {len(missing)} missing")
    return 1 if failed or missing else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clear", action="store_true", help="forget the results of earlier runs")
    args = parser.parse_args()
    if args.clear:
        for benchmark in BENCHMARKS:
            (RESULTS_DIR / f"{benchmark}.json").unlink(missing_ok=True)
        return 0
    return summary()


if __name__ == "__main__":
    sys.exit(main())
