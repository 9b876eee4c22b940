"""The HTTP benchmark's same-run targets (benchmarks/http/report.py): a target compares two rows
slice by slice, so a change of the machine's speed between slices cancels out."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks" / "http"))

from harness import ConfigRun, Measure  # noqa: E402
from report import RowTarget, checks_of  # noqa: E402

TARGET = RowTarget("assisted ÷ customer", "assisted", "customer", "p50", "<=", 1.05)


def row(label, slices, merged_p50=10.0):
    """A row as the runner merges it: its slices, and the p50 of all its requests."""
    return Measure(label, rps=1.0, p50=merged_p50, p95=0, p99=0, count=1, slices=slices)


def test_the_value_is_the_median_of_the_slices_ratios_and_the_merged_ratio_is_kept():
    # The machine slows down from slice 4 on; within each slice assisted is 2 % slower, but
    # more of the customer's requests ran while the machine was fast.
    customer = [(100, 8.0), (100, 8.0), (100, 8.0), (100, 12.0), (100, 12.0)]
    assisted = [(100, 8.16), (100, 8.16), (100, 8.16), (100, 12.24), (100, 12.24)]
    run = ConfigRun(
        "x", "X", {"customer": row("c", customer, 8.0), "assisted": row("a", assisted, 12.24)}
    )

    [(label, value, how, goal, passed, merged)] = checks_of(run, [TARGET])

    assert value == pytest.approx(1.02)
    assert passed is True
    assert merged == pytest.approx(12.24 / 8.0)  # what merging the rows alone would report


def test_rows_not_measured_in_as_many_slices_fall_back_to_the_merged_ratio():
    customer = row("c", [(100, 10.0)], 10.0)
    customer_without = Measure("c", rps=1.0, p50=10.0, p95=0, p99=0, count=1)
    assisted = row("a", [(100, 11.0), (100, 11.0)], 11.0)
    for denominator in (customer, customer_without):
        run = ConfigRun("x", "X", {"customer": denominator, "assisted": assisted})

        [(_label, value, _how, _goal, passed, merged)] = checks_of(run, [TARGET])

        assert value == merged == pytest.approx(1.1)
        assert passed is False


def test_a_row_that_was_not_measured_fails_nothing_silently():
    run = ConfigRun("x", "X", {"customer": row("c", [(100, 10.0)])})

    [(_label, value, _how, _goal, passed, merged)] = checks_of(run, [TARGET])

    assert (value, passed, merged) == (None, None, None)
