"""bench-peer in instructions: what an impersonated request adds with django-hijack and with our
Login as Customer, counted by callgrind instead of timed.

Run: `make bench-peer-instructions` (or `python benchmarks/bench_peer_instructions.py
[--requests N]`); needs valgrind. About eight minutes: the set-up runs under valgrind too.

A clock on a shared two-core virtual machine moves a bench-peer ratio by more than the work we
add (the same code read 1.022× to 1.035× in one session). The number of instructions a request
executes does not move with the machine. Each worker of `make bench-peer`
(benchmarks/peer/run_hijack.py and run_ours.py, the same set-up, pages and checks) runs once
under ``valgrind --tool=callgrind`` with ``PYTHONHASHSEED=0``, both at once. After its warm-up
it requests the page N times in the customer's own session inside ``math.fsum`` and N times in
the other session inside ``math.prod`` (benchmarks/peer/method.py ``count_instructions``);
callgrind counts only inside those two functions (``--toggle-collect``), which nothing else
calls, so each one's inclusive count divided by N is one request of its session.

Printed only, no target: the targets stay the ones `make bench-peer` times.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import bench_peer
from peer import method

WORKERS = (
    (bench_peer.PEER_REQUIREMENTS[0].replace("==", " "), "run_hijack.py"),
    ("ShopAssist Login as Customer", "run_ours.py"),
)
_ANNOTATED = re.compile(r"^\s*([\d,]+)\s.*:(\w+)(?:\s|$)")


def inclusive_counts(annotated: str, functions) -> dict[str, int]:
    """Each function's inclusive instruction count in ``callgrind_annotate --inclusive=yes``
    output (the largest line that names it: a function may be listed once per file that
    defines a part of it)."""
    counts: dict[str, int] = {}
    for line in annotated.splitlines():
        match = _ANNOTATED.match(line)
        if match and match.group(2) in functions:
            count = int(match.group(1).replace(",", ""))
            counts[match.group(2)] = max(count, counts.get(match.group(2), 0))
    missing = set(functions) - set(counts)
    if missing:
        raise ValueError(f"callgrind counted nothing in {', '.join(sorted(missing))}")
    return counts


def start(python: Path, script: str, requests: int, out: Path, log: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONHASHSEED": "0", method.COUNT_ENV: str(requests)}
    command = [
        "valgrind",
        "--tool=callgrind",
        "--collect-atstart=no",
        f"--toggle-collect={method.OWN_COUNTER}",
        f"--toggle-collect={method.OTHER_COUNTER}",
        f"--callgrind-out-file={out}",
        f"--log-file={log}",  # valgrind's own messages; the worker's stay on stderr
        str(python),
        str(bench_peer.PEER_DIR / script),
    ]
    return subprocess.Popen(  # noqa: S603 (our own scripts)
        command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="requests per session")
    args = parser.parse_args()
    pythons = {"run_hijack.py": bench_peer.peer_python(), "run_ours.py": Path(sys.executable)}
    with tempfile.TemporaryDirectory(prefix="bench-peer-instructions-") as folder:
        runs = []
        for label, script in WORKERS:
            out, log = Path(folder) / f"{script}.callgrind", Path(folder) / f"{script}.log"
            process = start(pythons[script], script, args.requests, out, log)
            runs.append((label, out, log, process))
        print(f"Counting {args.requests} requests per session under callgrind…", flush=True)
        rows = []
        for label, out, log, process in runs:
            if process.wait() != 0:
                sys.stderr.write(log.read_text()[-3000:])
                raise SystemExit(f"{label}: the worker failed under valgrind (its log above)")
            annotated = subprocess.run(  # noqa: S603 (our own file)
                ["callgrind_annotate", "--inclusive=yes", str(out)],  # noqa: S607
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            counts = inclusive_counts(annotated, (method.OWN_COUNTER, method.OTHER_COUNTER))
            own = counts[method.OWN_COUNTER] / args.requests
            other = counts[method.OTHER_COUNTER] / args.requests
            rows.append((label, own, other))
    print(
        f"\nbench-peer in instructions: {args.requests} requests per session, callgrind, "
        "PYTHONHASHSEED=0 (instructions per request)\n"
    )
    print("| project | own | other | other ÷ own | added |")
    print("|---|---:|---:|---:|---:|")
    for label, own, other in rows:
        print(f"| {label} | {own:,.0f} | {other:,.0f} | {other / own:.4f}× | {other - own:+,.0f} |")


if __name__ == "__main__":
    main()
