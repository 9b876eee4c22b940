"""The live check's query: read as the ORM reads, counted as any query, and on PostgreSQL
planned once per connection (a prepared statement) instead of on every request."""

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext

from login_as_customer.flows import live_check
from login_as_customer.models import AssistedSession
from tests.login_as_customer.assisted import start_assisted

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements: PostgreSQL"
)


def test_live_session_is_the_row_the_orm_reads_and_one_counted_query(
    jane, administrator, admin_client_for
):
    _browser, session = start_assisted(admin_client_for(administrator), jane)
    for _ in range(3):  # prepared on PostgreSQL after the first: the same values each time
        with CaptureQueriesContext(connection) as captured:
            live = live_check.load_live_session(session.pk)
        assert len(captured) == 1
        # Logged as sent, with the session's id in it (a prepared run included).
        logged = captured.captured_queries[0]["sql"]
        assert logged.startswith('SELECT "login_as_customer_assistedsession"."id"')
        assert str(session.pk) in logged

        expected = AssistedSession.objects.get(pk=session.pk)
        assert model_to_dict(live) == model_to_dict(expected)
        for field in AssistedSession._meta.concrete_fields:  # value and type, as the ORM's
            got, want = getattr(live, field.attname), getattr(expected, field.attname)
            assert (got, type(got)) == (want, type(want)), field.attname
        assert (live.admin_is_active, live.consent_allowed) == (True, True)


def _plans_of_live_query() -> list[tuple[str, int]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement, generic_plans + custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE %s",
            # The live check's statement (the redemption's token read, also prepared, starts
            # from the token table).
            ['SELECT "login_as_customer_assistedsession".%login_as_customer_assistanceconsent%'],
        )
        return cursor.fetchall()


@postgresql_only
def test_live_query_is_prepared_once_per_connection_and_then_executed(
    jane, administrator, admin_client_for
):
    _browser, session = start_assisted(admin_client_for(administrator), jane)
    live_check.load_live_session(session.pk)
    [(_statement, runs_before)] = _plans_of_live_query()

    for _ in range(4):
        assert live_check.load_live_session(session.pk).pk == session.pk

    [(_statement, runs_after)] = _plans_of_live_query()  # still one statement, run 4 times more
    assert runs_after == runs_before + 4


@postgresql_only
def test_live_query_is_prepared_again_after_deallocate_all(jane, administrator, admin_client_for):
    """Prepared statements dropped behind the cursor's back (DEALLOCATE ALL, DISCARD ALL, as
    a pool's reset may run): psycopg notices and prepares the statement again."""
    _browser, session = start_assisted(admin_client_for(administrator), jane)
    live_check.load_live_session(session.pk)
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    assert _plans_of_live_query() == []

    assert live_check.load_live_session(session.pk).pk == session.pk
    [(_statement, runs)] = _plans_of_live_query()
    assert runs == 1
