"""An ended session keeps its number of journal entries (``AssistedSession.action_count``),
written once its end has committed — the entries of the request that ended it included — so the
dashboard and the log count actions without reading the journal; once written it is frozen."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import CommandError
from django.db import DatabaseError, connection, transaction

from login_as_customer.models import AssistedSession
from shopassist.audit.models import ActionLogEntry
from tests.login_as_customer.assisted import close_url, start_assisted
from tests.ux.test_overdue_sessions import sweep

pytestmark = pytest.mark.django_db


def test_close_session_keeps_the_sessions_count_of_entries(
    support_client, jane, django_capture_on_commit_callbacks
):
    browser, session = start_assisted(support_client, jane)
    browser.post("/en/checkout/cart/add/", {"sku": "SA-BAG-001", "qty": "1"})

    with django_capture_on_commit_callbacks(execute=True):
        assert browser.post(close_url()).status_code == 200

    session.refresh_from_db()
    logged = ActionLogEntry.objects.filter(assisted_session_id=session.pk).count()
    # start, redeem, cart.add and its request, end, and Close session's own request
    assert session.action_count == logged == 6
    log = support_client.get("/admin/login_as_customer/log/").content.decode()
    assert f"<td>{logged}</td></tr>" in log


def test_the_kept_count_is_written_once(support_client, jane, django_capture_on_commit_callbacks):
    browser, session = start_assisted(support_client, jane)
    with django_capture_on_commit_callbacks(execute=True):
        browser.post(close_url())
    session.refresh_from_db()
    kept = session.action_count

    with pytest.raises(DatabaseError), transaction.atomic():
        AssistedSession.objects.filter(pk=session.pk).update(action_count=kept + 100)

    session.refresh_from_db()
    assert session.action_count == kept


def test_a_running_session_keeps_no_count_yet(support_client, jane):
    _browser, session = start_assisted(support_client, jane)
    session.refresh_from_db()
    assert session.action_count is None


def test_the_sweep_keeps_the_count_an_end_could_not_keep(support_client, jane, marie):
    """A connection cut right after an end commits makes its count hook fail (robust: the
    request answers all the same); the scheduler's sweep keeps the count later, once the end is
    five minutes old, so the dashboard stops counting that day's actions in the journal."""
    browser, session = start_assisted(support_client, jane)
    browser.post("/en/checkout/cart/add/", {"sku": "SA-BAG-001", "qty": "1"})
    browser.post(close_url())  # its count hook never runs here: the lost hook
    _other_browser, running = start_assisted(support_client, marie)
    session.refresh_from_db()
    assert session.ended_at is not None and session.action_count is None

    with time_machine.travel(session.ended_at + timedelta(minutes=4), tick=False):
        assert sweep() == "Ended 0 overdue assisted sessions.\n"  # too fresh: hooks may run
    session.refresh_from_db()
    assert session.action_count is None

    with time_machine.travel(session.ended_at + timedelta(minutes=6), tick=False):
        assert sweep() == (
            "Ended 0 overdue assisted sessions.\nKept the action count of 1 ended sessions.\n"
        )
        assert sweep() == "Ended 0 overdue assisted sessions.\n"  # kept once
    session.refresh_from_db()
    running.refresh_from_db()
    assert (
        session.action_count
        == ActionLogEntry.objects.filter(assisted_session_id=session.pk).count()
    )
    assert session.action_count >= 5  # start, redeem, cart.add and its request, end
    assert running.action_count is None  # a running session keeps none


def test_a_count_that_cannot_be_kept_does_not_keep_the_sweep_from_ending_sessions(
    support_client, jane, marie
):
    """Ending overdue sessions is the sweep's job: a failure to keep a count (here the
    database refuses every write of a count) is logged and reported by the exit status, after
    the overdue session is ended."""
    browser, unkept = start_assisted(support_client, jane)
    browser.post(close_url())  # its count hook never runs here
    unkept.refresh_from_db()
    _tab, overdue = start_assisted(support_client, marie)
    refuse_count_writes()

    later = unkept.ended_at + timedelta(days=1)
    with time_machine.travel(later, tick=False), pytest.raises(CommandError, match="action count"):
        sweep()

    overdue.refresh_from_db()
    assert overdue.ended_at is not None  # ended all the same
    unkept.refresh_from_db()
    assert unkept.action_count is None


def refuse_count_writes(session=None):
    """A trigger that refuses every write of ``action_count`` (of ``session`` only, if given):
    a real database error."""
    table = AssistedSession._meta.db_table
    only = f"WHEN (NEW.id = {int(session.pk)}) " if session is not None else ""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                f"CREATE TRIGGER refuse_counts BEFORE UPDATE OF action_count ON {table} "
                f"FOR EACH ROW {only}BEGIN SELECT RAISE(ABORT, 'counts refused'); END"
            )
        else:
            cursor.execute(
                "CREATE FUNCTION refuse_counts() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'counts refused'; END $$"
            )
            cursor.execute(
                f"CREATE TRIGGER refuse_counts BEFORE UPDATE OF action_count ON {table} "
                f"FOR EACH ROW {only}EXECUTE FUNCTION refuse_counts()"
            )


def test_a_count_refused_keeps_none_of_the_others_from_being_kept(support_client, jane, marie):
    """Each count in a savepoint of its own: the sweep keeps the others, reports the refused
    one, and tries it again the next minute (found by review: one refusal rolled back the
    whole batch)."""
    sessions = []
    for customer in (jane, marie, jane):
        browser, session = start_assisted(support_client, customer)
        browser.post(close_url())  # its count hook never runs here
        sessions.append(session)
    refuse_count_writes(sessions[1])
    later = max(AssistedSession.objects.values_list("ended_at", flat=True)) + timedelta(hours=1)

    with time_machine.travel(later, tick=False), pytest.raises(CommandError, match="of 1 sessions"):
        sweep()

    counts = [AssistedSession.objects.get(pk=s.pk).action_count for s in sessions]
    assert counts[1] is None
    assert counts[0] is not None and counts[2] is not None
