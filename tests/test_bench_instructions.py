"""bench-peer in instructions (benchmarks/bench_peer_instructions.py): each session's requests
run inside their own C function, whose one call's instructions are read off callgrind's file."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from bench_peer_instructions import counted  # noqa: E402
from peer import method  # noqa: E402

# The call sites of a callgrind output file, as one run wrote them (paths shortened): a call
# site names the function called (by number once it has been named), its calls, then the
# position and instructions of those calls.
CALLGRIND_OUT = """\
fn=(3082)
cob=(11) /lib/python3.11/lib-dynload/math.cpython-311-x86_64-linux-gnu.so
cfi=(570) /Python-3.11.7/Modules/clinic/mathmodule.c.h
cfn=(56642) math_prod
calls=1 674
5091 2767262073
cob=(11)
cfi=(546) /Python-3.11.7/Modules/mathmodule.c
cfn=(56632) math_fsum
calls=1 1450
5020 2726804033

fn=(3083)
1630 5824945
"""

# The same, had the set-up also run something inside math.fsum (another call site).
CALLED_TWICE = (
    CALLGRIND_OUT
    + """\
fn=(4000)
cfn=(56632)
calls=1 1450
+3 1000
"""
)


def test_each_counters_instructions_are_read_from_its_call_site():
    assert counted(CALLGRIND_OUT, "math_fsum") == 2_726_804_033
    assert counted(CALLGRIND_OUT, "math_prod") == 2_767_262_073


def test_a_counter_called_more_than_once_or_never_is_an_error_not_a_count():
    with pytest.raises(ValueError, match="math_fsum was called 2 times"):
        counted(CALLED_TWICE, "math_fsum")
    with pytest.raises(ValueError, match="math_fsum was called 0 times"):
        counted(CALLGRIND_OUT.replace("math_fsum", "math_other"), "math_fsum")


class Response:
    status_code = 200

    def __init__(self, content):
        self.content = content


class CountingClient:
    def __init__(self, content, calls):
        self.content, self.calls = content, calls

    def get(self, path):
        self.calls.append((self, path))
        return Response(self.content)


def test_each_session_requests_the_page_n_times_inside_its_own_counter():
    calls = []
    own = method.Session(CountingClient(b"jane", calls), must_show=(b"jane",))
    other = method.Session(CountingClient(b"jane banner", calls), must_show=(b"banner",))

    method.count_instructions(own, other, "/account/", 3)

    # Three in the own session, three in the other, then one check of each outside them.
    assert calls == [(own.client, "/account/")] * 3 + [(other.client, "/account/")] * 3 + [
        (own.client, "/account/"),
        (other.client, "/account/"),
    ]


def test_a_wrong_page_after_counting_stops_the_worker():
    calls = []
    own = method.Session(CountingClient(b"jane", calls), must_show=(b"jane",))
    other = method.Session(CountingClient(b"jane", calls), must_show=(b"banner",))

    with pytest.raises(SystemExit, match="banner"):
        method.count_instructions(own, other, "/account/", 2)
