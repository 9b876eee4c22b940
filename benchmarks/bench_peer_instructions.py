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
callgrind counts only inside those two functions (``--toggle-collect``), each called once
(checked), so each one's inclusive count divided by N is one request of its session.

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


def counted(callgrind_out: str, function: str) -> int:
    """The inclusive instruction count of ``function``'s one call in a callgrind output file
    (format: valgrind's callgrind manual): each call site names the called function
    (``cfn=(id) name``, later ``cfn=(id)``), then ``calls=N …``, then the position and the
    instructions of those calls. Exactly one call is expected; another one (a set-up that also
    ran inside the function) would have been counted with it, so it is an error."""
    ids = set(re.findall(rf"^c?fn=\((\d+)\) {re.escape(function)}$", callgrind_out, re.M))
    calls = instructions = 0
    lines = callgrind_out.splitlines()
    for number, line in enumerate(lines):
        site = re.match(r"cfn=\((\d+)\)", line)
        if site and site.group(1) in ids and lines[number + 1].startswith("calls="):
            calls += int(lines[number + 1].split()[0].removeprefix("calls="))
            instructions += int(lines[number + 2].split()[-1])
    if calls != 1:
        raise ValueError(f"{function} was called {calls} times under callgrind, not once")
    return instructions


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
    workers = (  # (label, Python, script): the peer's virtualenv is made here if needed
        (
            bench_peer.PEER_REQUIREMENTS[0].replace("==", " "),
            bench_peer.peer_python(),
            "run_hijack.py",
        ),
        ("ShopAssist Login as Customer", Path(sys.executable), "run_ours.py"),
    )
    with tempfile.TemporaryDirectory(prefix="bench-peer-instructions-") as folder:
        runs = []
        for label, python, script in workers:
            out, log = Path(folder) / f"{script}.callgrind", Path(folder) / f"{script}.log"
            process = start(python, script, args.requests, out, log)
            runs.append((label, out, log, process))
        print(f"Counting {args.requests} requests per session under callgrind…", flush=True)
        rows = []
        for label, out, log, process in runs:
            if process.wait() != 0:
                sys.stderr.write(log.read_text()[-3000:])
                raise SystemExit(f"{label}: the worker failed under valgrind (its log above)")
            text = out.read_text()
            own = counted(text, method.OWN_COUNTER) / args.requests
            other = counted(text, method.OTHER_COUNTER) / args.requests
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
