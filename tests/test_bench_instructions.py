"""bench-peer in instructions (benchmarks/bench_peer_instructions.py): each session's requests
run inside their own C function, and its inclusive count is read off callgrind_annotate."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from bench_peer_instructions import inclusive_counts  # noqa: E402
from peer import method  # noqa: E402

# callgrind_annotate --inclusive=yes, as it printed one run (paths shortened): a function
# defined across two files is listed twice, and recursive entries carry a "'2".
ANNOTATED = """\
--------------------------------------------------------------------------------
Ir                        file:function
--------------------------------------------------------------------------------
133,856,568,323 (2436.4%)  Python/ceval.c:_PyEval_EvalFrameDefault'2 [/lib/libpython3.11.so]
  2,767,262,073 (50.37%)  Modules/clinic/mathmodule.c.h:math_prod [/lib/math.so]
  2,767,261,642 (50.37%)  Modules/mathmodule.c:math_prod
  2,726,804,033 (49.63%)  Modules/mathmodule.c:math_fsum [/lib/math.so]
     12,345 ( 0.00%)  Modules/mathmodule.c:math_fsum_helper
"""


def test_each_functions_largest_inclusive_count_is_read():
    counts = inclusive_counts(ANNOTATED, ("math_fsum", "math_prod"))

    assert counts == {"math_fsum": 2_726_804_033, "math_prod": 2_767_262_073}


def test_a_function_callgrind_did_not_count_is_an_error_not_a_zero():
    with pytest.raises(ValueError, match="math_prod"):
        inclusive_counts(ANNOTATED.replace("math_prod", "math_other"), ("math_fsum", "math_prod"))


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
