"""The search-value trigger's look-up never scans the values table whole: PL/pgSQL keeps one
plan per connection, and a plan made while the table was nearly empty (a connection that wrote
the demo data first) scanned it for every later row — a bulk insert went quadratic (20,000
sessions: 43.8 s instead of 1.5 s). The function runs with sequential scans off, so its plan
is the index on ``value``, whenever it was made."""

import pytest
from django.db import connection

from shopassist.audit.search_values import TRIGGER_FUNCTION

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the search values are kept on PostgreSQL only"
    ),
]


def test_the_trigger_function_runs_with_sequential_scans_off():
    with connection.cursor() as cursor:
        cursor.execute("SELECT proconfig FROM pg_proc WHERE proname = %s", [TRIGGER_FUNCTION])
        [(config,)] = cursor.fetchall()
    assert "enable_seqscan=off" in config
