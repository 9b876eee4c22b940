"""Issue 12 point 1: a pooled connection that died while idle is never handed to a request.

The fault tests (tests/faults, ``make test-faults``) restart a PostgreSQL cluster of their own
under gunicorn; these tests show the same on the suite's database in seconds. A pool of their
own holds idle connections; their backends are ended on the server (``pg_terminate_backend`` of
exactly those backends: what a restart does to every connection); the next "request" must get a
live connection, and at once.
"""

import copy
import time

import pytest
from django.db import connection, connections

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def probe():
    """A connection to the test database with a pool of its own (pools are kept per alias)."""
    if connection.vendor != "postgresql":
        pytest.skip(f"PostgreSQL's connection pool; the database is {connection.vendor}")
    assert connection.settings_dict["OPTIONS"].get("pool"), "DATABASE_URL gives no pool"
    backend = type(connections["default"])  # the configured one (shopassist.core.postgresql)
    wrapper = backend(copy.deepcopy(connection.settings_dict), alias="pool_probe")
    yield wrapper
    wrapper.close()
    wrapper.close_pool()


def _backend_pid(wrapper) -> int:
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _alive(pids) -> set[int]:
    with connection.cursor() as cursor:
        # The test runs in a transaction, which would keep its first statistics snapshot.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE pid = ANY(%s)", [list(pids)])
        return {row[0] for row in cursor.fetchall()}


def _end_backends(pids) -> None:
    with connection.cursor() as cursor:
        for pid in pids:
            # Waits (up to 5 s) until the backend has exited.
            cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
            assert cursor.fetchone() == (True,)
    assert not _alive(pids)


def test_a_pooled_connection_ended_while_idle_is_replaced_before_use(probe):
    idle_pid = _backend_pid(probe)
    probe.close()  # back to the pool, idle
    assert probe.pool.get_stats()["pool_available"] >= 1

    _end_backends([idle_pid])

    # The next request on this pool: the dead connection is checked, dropped and replaced; the
    # query runs on a live one.
    pid = _backend_pid(probe)
    assert pid != idle_pid
    assert _alive([pid]) == {pid}


def test_after_a_restart_the_first_request_does_not_find_dead_connections_one_by_one(probe):
    """Every idle connection dies in a restart. Checked one per attempt, with the pool's
    backoff between attempts (0, 1, 2, 4 ... s), four dead ones would hold the first request
    3 s and five or more past the pool timeout (a 500): the first failed check has the pool
    check all of them, so the request waits only for a new connection."""
    probe.ensure_connection()  # opens the pool
    pool = probe.pool
    held = [pool.getconn() for _ in range(5)]
    idle = set()
    for conn in held:
        idle.add(conn.info.backend_pid)
        pool.putconn(conn)
    assert pool.get_stats()["pool_available"] >= 5
    probe.close()

    _end_backends(idle)

    began = time.monotonic()
    pid = _backend_pid(probe)
    waited = time.monotonic() - began
    assert pid not in idle
    assert waited < 0.9, f"the first request waited {waited:.2f} s"
    probe.close()
    # Not one dead connection is left in the pool for the next requests.
    remaining = [pool.getconn() for _ in range(pool.get_stats()["pool_available"])]
    pids = {conn.info.backend_pid for conn in remaining}
    for conn in remaining:
        pool.putconn(conn)
    assert not pids & idle
    assert _alive(pids) == pids
