"""The fault tests run only under ``make test-faults`` (SHOPASSIST_FAULT_TESTS=1): they start
servers of their own and take about three minutes, so ``make test`` does not collect them."""

import os

from tests.faults import report

FAULT_TESTS = os.environ.get("SHOPASSIST_FAULT_TESTS") == "1"

if not FAULT_TESTS:
    collect_ignore_glob = ["test_*.py"]


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if report.LINES:
        terminalreporter.write_sep("=", "fault test figures")
        for line in report.LINES:
            terminalreporter.write_line(line)
