"""The one measuring method of `make bench-peer`, shared by both workers (django-hijack's, in
its own virtualenv, and ours): standard library only, so it imports in either.

A worker prepares two test clients on the same page of the same customer — the customer's own
session and the other one (hijacked, or assisted) — checks each is what it claims to be, then
answers the orchestrator (benchmarks/bench_peer.py) over stdin/stdout, one JSON object a line:
it announces ``ready`` with the page's weight, then each ``{"pairs": n}`` asks it to request the
page n times in each session, round-robin (own, other, own, other, ...), and it answers with
the server times in nanoseconds. The orchestrator alternates the two workers slice by slice, so
drift on the shared machine touches both projects and both sessions alike.

With ``BENCH_PEER_COUNT=n`` in its environment (benchmarks/bench_peer_instructions.py, under
callgrind) a worker speaks no protocol: after the warm-up it requests the page n times in each
session, each session inside a C function of its own for callgrind to count apart, and exits.
"""

from __future__ import annotations

import gc
import json
import math
import os
import sys
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Session:
    """One way of requesting the page: a Django test client and what its page must show."""

    client: object
    must_show: tuple[bytes, ...]  # e.g. the customer's e-mail address, the banner's marker
    must_not_show: tuple[bytes, ...] = ()


def checked_get(session: Session, path: str):
    """Request ``path`` and refuse a page that is not the one this session must see."""
    response = session.client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path}: HTTP {response.status_code}: {response.content[:300]!r}")
    body = response.content
    for marker in session.must_show:
        if marker not in body:
            raise SystemExit(f"{path}: {marker!r} missing from the page")
    for marker in session.must_not_show:
        if marker in body:
            raise SystemExit(f"{path}: {marker!r} unexpectedly on the page")
    return response


def interleaved(own: Session, other: Session, path: str, pairs: int) -> dict[str, list[int]]:
    """``pairs`` requests in each session, round-robin: for each, the server time (wall clock)
    and the CPU time of this thread (the test client serves in it: the request's own work,
    whatever else the shared machine runs), in nanoseconds. Every response is checked after
    the clocks stopped, so the check costs neither side."""
    times: dict[str, list[int]] = {"own": [], "other": [], "own_cpu": [], "other_cpu": []}
    order = (("own", own), ("other", other))
    for _ in range(pairs):
        for name, session in order:
            began, began_cpu = time.perf_counter_ns(), time.thread_time_ns()
            response = session.client.get(path)
            elapsed_cpu = time.thread_time_ns() - began_cpu
            elapsed = time.perf_counter_ns() - began
            if response.status_code != 200 or not all(
                marker in response.content for marker in session.must_show
            ):
                raise SystemExit(f"{path} ({name}): not the expected page during the run")
            times[name].append(elapsed)
            times[f"{name}_cpu"].append(elapsed_cpu)
    return times


def forget_expired_cookies(client) -> None:
    """Drop the cookies a response expired (``Max-Age=0``: a one-time message shown, a login
    link's binding cookie spent), as a browser does; Django's test client keeps sending them,
    empty, with every later request."""
    for name in [name for name, morsel in client.cookies.items() if morsel["max-age"] == 0]:
        del client.cookies[name]


def page_weight(session: Session, path: str) -> dict[str, int]:
    """What one request of the page costs the server, apart from time: body bytes and SQL
    statements (Django is in both virtualenvs; imported here so the rest needs only the
    standard library)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = checked_get(session, path)
    return {"bytes": len(response.content), "queries": len(queries)}


def take_stdout():
    """The protocol's stream. Whatever the project prints from now on (e.g. while loading its
    data) goes to stderr, so stdout carries the protocol only."""
    protocol, sys.stdout = sys.stdout, sys.stderr
    return protocol


def serve(
    protocol, *, own: Session, other: Session, path: str, about: dict, warmup: int = 50
) -> None:
    """Answer the orchestrator on ``protocol`` (from ``take_stdout``) until it closes stdin
    (see the module docstring); ``about`` (project, versions) goes with ``ready``."""
    interleaved(own, other, path, warmup)
    for session in (own, other):
        forget_expired_cookies(session.client)
    counted = os.environ.get(COUNT_ENV)
    if counted:
        count_instructions(own, other, path, int(counted))
        return
    weight = {"own": page_weight(own, path), "other": page_weight(other, path)}
    # Objects made while setting up stay out of the collector's way for the whole run.
    gc.collect()
    gc.freeze()
    _say(protocol, {"ready": True, "weight": weight, **about})
    for line in sys.stdin:
        pairs = json.loads(line)["pairs"]
        _say(protocol, interleaved(own, other, path, pairs))


# Instruction counting (benchmarks/bench_peer_instructions.py runs the worker under callgrind).
COUNT_ENV = "BENCH_PEER_COUNT"  # requests of each session, instead of the protocol
# The C functions inside which callgrind counts, one call each (the script checks it), so that
# each one's inclusive count is exactly its session's requests.
OWN_COUNTER, OTHER_COUNTER = "math_fsum", "math_prod"


def count_instructions(own: Session, other: Session, path: str, requests: int) -> None:
    """``requests`` requests in the own session inside ``math.fsum``, then as many in the
    other session inside ``math.prod``, for callgrind to count each apart (``OWN_COUNTER``,
    ``OTHER_COUNTER``); each session's last page is checked afterwards, outside them."""
    gc.collect()
    gc.freeze()
    math.fsum(map(lambda _: (own.client.get(path), 0.0)[1], range(requests)))
    math.prod(map(lambda _: (other.client.get(path), 1)[1], range(requests)))
    for session in (own, other):
        checked_get(session, path)


def _say(stream, message: dict) -> None:
    stream.write(json.dumps(message) + "\n")
    stream.flush()
