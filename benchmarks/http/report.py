"""The report of the HTTP benchmark: the table of rows (text and Markdown), the same-run target
checks, the machine line, and the targets recorded for `make bench` (benchmarks/targets.py)."""

from __future__ import annotations

import math
import os
import platform
import shutil
import statistics
import subprocess
from dataclasses import dataclass
from pathlib import Path

from harness import ConfigRun


@dataclass(frozen=True)
class RowTarget:
    """A same-run target: ``attr`` of row ``numerator`` ÷ ``attr`` of row ``denominator``."""

    label: str
    numerator: str
    denominator: str
    attr: str  # "rps" or "p50"
    how: str  # ">=" or "<="
    goal: float


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def checks_of(
    result: ConfigRun, targets: list[RowTarget]
) -> list[tuple[str, float | None, str, float, bool | None, float | None]]:
    """Each target's value, how and goal, PASS/FAIL, and the ratio of the merged rows. The
    value is the median of the ratios slice by slice: the two rows' runs of one round-robin
    slice ran seconds apart, so a change of the machine's speed between slices (seen here:
    p50 of one row from 8.3 to 11.8 ms within a minute) cancels in each slice's ratio, where
    it does not in the ratio of the merged rows (a row's slow slices weigh in its p50 by how
    many requests they served). Rows without slices of their own (row 8): the merged ratio."""
    r = result.results

    def get(key, attr):
        return getattr(r[key], attr) if key in r else None

    checks = []
    for t in targets:
        merged = ratio(get(t.numerator, t.attr), get(t.denominator, t.attr))
        value = slice_ratio(r.get(t.numerator), r.get(t.denominator), t.attr)
        if value is None:
            value = merged
        passed = None if value is None else (value >= t.goal if t.how == ">=" else value <= t.goal)
        checks.append((t.label, value, t.how, t.goal, passed, merged))
    return checks


def slice_ratio(numerator, denominator, attr: str) -> float | None:
    """The median over the slices of numerator ÷ denominator (``attr``: "rps" or "p50"), or
    None when the two rows were not measured in as many slices."""
    if numerator is None or denominator is None:
        return None
    if not numerator.slices or len(numerator.slices) != len(denominator.slices):
        return None
    field = ("rps", "p50").index(attr)
    return statistics.median(
        a[field] / b[field] for a, b in zip(numerator.slices, denominator.slices, strict=True)
    )


def table_lines(results: list[ConfigRun], markdown=False) -> list[str]:
    head = ("configuration", "row", "req/s", "× ceiling", "p50 ms", "p95 ms", "p99 ms")
    rows = []
    for result in results:
        ceiling = result.results.get("ceiling")
        for m in result.results.values():
            times = ratio(m.rps, ceiling.rps if ceiling else None)
            rows.append(
                (
                    result.label,
                    m.label,
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


def check_lines(results: list[ConfigRun], targets: list[RowTarget]) -> list[str]:
    lines = []
    for result in results:
        for label, value, how, goal, passed, merged in checks_of(result, targets):
            verdict = {True: "PASS", False: "FAIL", None: "n/a"}[passed]
            shown = f"{value:.3f}" if value is not None else "-"
            whole = f"{merged:.3f}" if merged is not None else "-"
            lines.append(
                f"{result.label:<22} {label:<62} {shown:>7}  ({how} {goal:g})  {verdict:<4}"
                f"  merged rows: {whole}"
            )
    return lines


def record_targets(results: list[ConfigRun], targets: list[RowTarget]) -> None:
    """Keep the checks for the PASS/FAIL table of `make bench`; a target whose rows were not
    measured is recorded as NaN, so it fails instead of disappearing."""
    from targets import Target, record  # benchmarks/targets.py (the script's own folder)

    recorded = []
    for result in results:
        for label, value, how, goal, _passed, _merged in checks_of(result, targets):
            shown = math.nan if value is None else value
            recorded.append(Target(result.label, label, shown, f"{how} {goal:g}"))
    record("bench-http", recorded)


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


def settings_line(args, shape) -> str:
    return (
        f"gunicorn {args.workers} {args.worker_class} workers"
        + (f" x {args.gthreads} threads" if args.worker_class == "gthread" else "")
        + f"; wrk -t{shape.wrk_threads} -c{shape.connections}; row 8: {shape.flow_clients} "
        f"Python clients; {args.duration:g} s per row after {args.warmup:g} s warm-up"
    )


def text_report(run, targets: list[RowTarget]) -> str:
    """``run``: the finished run (results, notes, versions, args, shape, elapsed, error)."""
    out = ["ShopAssist HTTP benchmark", settings_line(run.args, run.shape), ""]
    out += table_lines(run.results)
    out += ["", "Targets (same run):"]
    out += check_lines(run.results, targets)
    out += [""] + [f"Note: {n}" for n in run.notes]
    out += [machine_line(run.versions), f"Run time: {run.elapsed:.0f} s"]
    if run.error:
        out += ["", f"INCOMPLETE RUN: {run.error}"]
    return "\n".join(out)


def markdown_report(run, targets: list[RowTarget]) -> str:
    args, shape = run.args, run.shape
    out = ["# ShopAssist HTTP benchmark", ""]
    out += table_lines(run.results, markdown=True)
    out += [
        "",
        "| configuration | target | value (median of slices) | goal | result | merged rows |",
        "|---|---|---:|---|---|---:|",
    ]
    for result in run.results:
        for label, value, how, goal, passed, merged in checks_of(result, targets):
            verdict = {True: "PASS", False: "FAIL", None: "n/a"}[passed]
            shown = f"{value:.3f}" if value is not None else "-"
            whole = f"{merged:.3f}" if merged is not None else "-"
            out.append(
                f"| {result.label} | {label} | {shown} | {how} {goal:g} | {verdict} | {whole} |"
            )
    out += [""] + [f"- {n}" for n in run.notes]
    out += [
        "",
        machine_line(run.versions),
        "",
        f"gunicorn {args.workers} {args.worker_class} workers; wrk -t{shape.wrk_threads} "
        f"-c{shape.connections}; {args.duration:g} s per row; run time {run.elapsed:.0f} s",
    ]
    if run.error:
        out += ["", f"**Incomplete run:** {run.error}"]
    return "\n".join(out) + "\n"
