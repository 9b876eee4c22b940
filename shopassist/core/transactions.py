"""Whether the code runs inside a transaction of its own (or in autocommit, as a request does)."""

from django.db import connection


def real_transaction_open() -> bool:
    """True inside ``transaction.atomic()``. The atomic blocks a test case wraps each test in
    (marked ``_from_testcase``, as Django's own durable check reads them) stand in for the
    autocommit of production and do not count."""
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)
