"""The figures of a fault-test run (requests and errors per phase, rows checked), printed after
the tests by the terminal summary of tests/faults/conftest.py."""

LINES: list[str] = []
