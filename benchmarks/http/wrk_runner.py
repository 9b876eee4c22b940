"""The wrk runner: one wrk run (fixed.lua or walk.lua, both loading common.lua), its checks,
the exact merge of a row's slices, and the measurement of a group of rows round-robin."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from collections import Counter

from client import cookie_header, verify
from harness import (
    CACHE_HEADER,
    HERE,
    MISS_PATH_FORMAT,
    MISS_PROBES,
    MISS_WARMUP_PRODUCTS,
    BenchError,
    ConfigRun,
    LoadShape,
    Measure,
    RowSpec,
    say,
)


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
        self.slices: list[tuple[float, float]] = []  # (req/s, p50 ms) of each run

    def add(self, report: dict) -> None:
        self.requests += report["requests"]
        self.seconds += report["seconds"]
        histogram: Counter[int] = Counter()
        for value, count in report["histogram"]:
            histogram[value] += count
        self.histogram.update(histogram)
        rps = report["requests"] / report["seconds"]
        self.slices.append((rps, _percentile_ms(histogram, 50)))

    def percentile_ms(self, pct: float) -> float:
        return _percentile_ms(self.histogram, pct)

    def measure(self, label: str) -> Measure:
        return Measure(
            label=label,
            rps=self.requests / self.seconds,
            p50=self.percentile_ms(50),
            p95=self.percentile_ms(95),
            p99=self.percentile_ms(99),
            count=self.requests,
            slices=tuple(self.slices),
        )


def _percentile_ms(histogram: Counter, pct: float) -> float:
    total = sum(histogram.values())
    rank = math.floor(pct / 100 * total + 0.5)
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value / 1000
    return 0.0


class RowRunner:
    """The wrk-measured rows against one running server."""

    def __init__(self, args, shape: LoadShape, result: ConfigRun, port: int):
        self.args, self.shape, self.result, self.port = args, shape, result, port

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
        say(f"{spec.label}: warm-up {self.args.warmup:g} s")
        walk = (1, MISS_WARMUP_PRODUCTS // self.shape.wrk_threads) if spec.walk else None
        report = self.run_wrk(spec, self.args.warmup, walk=walk)
        check_report(report, f"row {spec.label!r}", None, warmup=True)

    def rows(self, specs: list[RowSpec]) -> None:
        """Warm every row up, verify each, then measure them round-robin in slices, so that
        drift on the machine (other processes) affects every row of the group alike."""
        for spec in specs:
            self.warm(spec)
        for spec in specs:
            verify(self.port, spec)
        slices = max(1, min(self.args.slices, int(self.args.duration)))
        seconds = max(1, round(self.args.duration / slices))
        names = ", ".join(spec.label.split(" ", 1)[0] for spec in specs)
        say(f"rows {names}: measuring {slices} x {seconds} s each, round-robin")
        merged = {spec.key: Accumulator() for spec in specs}
        for index in range(slices):
            turn = index % len(specs)  # rotate who goes first
            for spec in specs[turn:] + specs[:turn]:
                walk = self.miss_slice(index, slices) if spec.walk else None
                report = self.run_wrk(spec, seconds, expect=spec.expect, walk=walk)
                check_report(report, f"row {spec.label!r}", spec.expect)
                merged[spec.key].add(report)
        for spec in specs:
            self.result.results[spec.key] = merged[spec.key].measure(spec.label)
