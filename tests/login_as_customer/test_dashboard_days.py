"""The dashboard's settled days (``admin_ui/dashboard/days.py``): a day that is over and whose
sessions have all ended with their count kept is stored once (``DashboardDay``) and read back
instead of aggregated again; the figures are the same either way, and the same as counted here
from the sessions one by one; a day that can still change is never stored."""

import struct
import zoneinfo
from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.core.management import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from login_as_customer.admin_ui.dashboard import days as dashboard_days
from login_as_customer.admin_ui.dashboard.days import SETTLED_AFTER, VERSION, WebsiteDay, settled
from login_as_customer.admin_ui.dashboard.figures import dashboard_figures
from login_as_customer.journal import journal
from login_as_customer.models import AssistedSession, DashboardDay, EndReason, SessionMode
from tests.login_as_customer.test_dashboard import MAIN, OUTLET, days_ago, session
from tests.ux.test_overdue_sessions import sweep

pytestmark = pytest.mark.django_db

REASONS = (EndReason.CLOSED_BY_ADMIN, EndReason.IDLE_TIMEOUT, EndReason.MAX_DURATION)


@pytest.fixture(autouse=True)
def yesterday_is_settled(monkeypatch):
    """Yesterday settles an hour after midnight: these tests count it as settled at any hour
    (the hour itself: test_a_day_is_settled_only_an_hour_after_its_end)."""
    monkeypatch.setattr(dashboard_days, "SETTLED_AFTER", timedelta(0))


@pytest.fixture
def many_sessions(support_agent, administrator):
    """Two weeks of sessions on two websites by two administrators: full and view-only, with
    and without a reason, never started, ended with 0 to 5 actions, durations of 1 to 47
    minutes (an odd and an even number of them per website)."""
    made = []
    for number in range(41):
        staff = administrator if number % 3 else support_agent
        never_started = number % 7 == 6
        made.append(
            session(
                staff,
                created=days_ago(1 + number % 14, hour=8 + number % 12),
                minutes=None if never_started else 1 + (number * 17) % 47,
                end_reason=EndReason.NEVER_REDEEMED if never_started else REASONS[number % 3],
                reason=f"ticket {number}" if number % 4 == 0 else "",
                mode=SessionMode.VIEW_ONLY if number % 5 == 0 else SessionMode.FULL,
                website=OUTLET if number % 4 == 1 else MAIN,
                actions=number % 6,
            )
        )
    return made


def counted_one_by_one(sessions, website=""):
    """The figures the dashboard shows, counted here from the session rows themselves (a
    running session's actions: its events in the journal)."""
    rows = [AssistedSession.objects.get(pk=row.pk) for row in sessions]
    rows = [row for row in rows if not website or row.website_name == website]
    started = [row for row in rows if row.started_at]
    durations = sorted(
        (row.ended_at - row.started_at).total_seconds() for row in started if row.ended_at
    )
    middle = len(durations) // 2
    actions, admins, end_reasons, per_day = {}, {}, {}, {}
    for row in started:
        n = journal().event_count(row.pk) if row.action_count is None else row.action_count
        actions[n] = actions.get(n, 0) + 1
    for row in rows:
        admins[row.admin_username] = admins.get(row.admin_username, 0) + 1
        end_reasons[row.end_reason] = end_reasons.get(row.end_reason, 0) + 1
        day = timezone.localtime(row.created_at).date()
        per_day[day] = per_day.get(day, 0) + 1
    return {
        "sessions": len(rows),
        "started": len(started),
        "ended": len(durations),
        "with_reason": sum(1 for row in rows if row.reason),
        "view_only": sum(1 for row in rows if row.mode == SessionMode.VIEW_ONLY),
        "median": durations[middle]
        if len(durations) % 2
        else (durations[middle - 1] + durations[middle]) / 2,
        "actions": actions,
        "admins": admins,
        "end_reasons": end_reasons,
        "per_day": per_day,
    }


def shown(figures):
    return {
        "sessions": figures.sessions,
        "started": figures.started,
        "ended": figures.ended,
        "with_reason": figures.with_reason,
        "view_only": figures.view_only,
        "median": figures.median_seconds,
        "actions": figures.actions,
        "admins": dict(figures.by_admin),
        "end_reasons": dict(figures.by_end_reason),
        "per_day": {day: n for day, n in figures.per_day if n},
    }


def last_30_days(website=""):
    today = timezone.localdate()
    return dashboard_figures(first_day=today - timedelta(days=29), last_day=today, website=website)


@pytest.mark.parametrize("website", ["", MAIN, OUTLET])
def test_stored_days_give_the_figures_counted_one_by_one(many_sessions, website):
    aggregated = last_30_days(website)  # every settled day aggregated, then stored
    assert DashboardDay.objects.count() == 29  # all but today
    from_stored = last_30_days(website)

    expected = counted_one_by_one(many_sessions, website)
    # SQLite computes a duration from Julian days: within a millisecond of Python's.
    assert shown(aggregated) == {**expected, "median": pytest.approx(expected["median"], abs=1e-3)}
    assert shown(from_stored) == shown(aggregated)  # exactly, the median included
    assert from_stored.per_day == aggregated.per_day
    assert from_stored.by_admin == aggregated.by_admin
    assert from_stored.by_end_reason == aggregated.by_end_reason
    assert from_stored.websites == aggregated.websites == [MAIN, OUTLET]
    assert sum(n for _day, n in from_stored.per_day) == expected["sessions"]


def test_a_stored_day_is_read_not_aggregated_again(many_sessions, support_agent):
    last_30_days()
    settled_day = days_ago(3).date()
    # A stored figure changed behind the dashboard's back (sessions are append-only: the rows
    # of a settled day cannot change) is what the dashboard shows for that day; today's new
    # session is counted from the sessions.
    row = DashboardDay.objects.get(day=settled_day)
    for website in row.websites:
        website["counts"][0] = 1000
    row.save()
    session(support_agent, created=timezone.now(), minutes=2, end_reason=REASONS[0], actions=1)
    with CaptureQueriesContext(connection) as queries:
        figures = last_30_days()

    assert dict(figures.per_day)[settled_day] == 1000 * len(row.websites)
    assert dict(figures.per_day)[timezone.localdate()] == 1
    # the stored days, then today aggregated: one statement, its durations, its actions
    assert len(queries) == 4
    assert DashboardDay.objects.count() == 29


def test_days_without_sessions_are_stored_empty():
    figures = last_30_days()

    assert figures.sessions == 0 and figures.median_seconds is None and figures.actions == {}
    stored = DashboardDay.objects.filter(time_zone=timezone.get_current_timezone_name())
    assert stored.count() == 29
    assert all(row.websites == [] and bytes(row.durations) == b"" for row in stored)
    assert timezone.localdate() not in {row.day for row in stored}


def test_a_day_with_a_session_running_or_without_its_count_is_not_stored(support_agent):
    running = session(support_agent, created=days_ago(2), minutes=5, actions=2, running=True)
    not_kept = session(support_agent, created=days_ago(4), minutes=5, actions=3, kept=False)
    never_ended = session(support_agent, created=days_ago(6))  # a link never used, not ended
    session(support_agent, created=days_ago(8), minutes=5, end_reason=REASONS[0], actions=1)

    figures = last_30_days()

    stored_days = set(DashboardDay.objects.values_list("day", flat=True))
    for unsettled in (running, not_kept, never_ended):
        assert timezone.localtime(unsettled.created_at).date() not in stored_days
    assert days_ago(8).date() in stored_days
    assert len(stored_days) == 29 - 3
    # The running session and the one without its count are counted in the journal.
    assert figures.actions == {1: 1, 2: 1, 3: 1}

    # Once they end and keep their count, their days are stored with them.
    AssistedSession.objects.filter(pk=running.pk).update(
        ended_at=running.started_at + timedelta(minutes=9), action_count=2
    )
    AssistedSession.objects.filter(pk=not_kept.pk).update(action_count=3)
    AssistedSession.objects.filter(pk=never_ended.pk).update(
        ended_at=never_ended.created_at, end_reason=EndReason.NEVER_REDEEMED
    )
    again = last_30_days()
    assert DashboardDay.objects.count() == 29
    assert again.actions == {1: 1, 2: 1, 3: 1}
    assert again.ended == 3  # the running one has ended


def test_a_day_is_settled_only_an_hour_after_its_end(monkeypatch):
    monkeypatch.setattr(dashboard_days, "SETTLED_AFTER", SETTLED_AFTER)  # the real hour
    day = timezone.localdate() - timedelta(days=1)
    tz = timezone.get_current_timezone()
    day_end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)
    quiet = {MAIN: WebsiteDay()}

    assert timedelta(hours=1) == SETTLED_AFTER
    assert not settled(day, quiet, day_end)
    assert not settled(day, quiet, day_end + SETTLED_AFTER - timedelta(seconds=1))
    assert settled(day, quiet, day_end + SETTLED_AFTER)
    assert settled(day, {}, day_end + SETTLED_AFTER)  # no session at all
    assert not settled(day, {MAIN: WebsiteDay(unsettled=1)}, day_end + timedelta(days=30))


def test_a_row_of_another_version_is_aggregated_again(many_sessions):
    expected = shown(last_30_days())
    DashboardDay.objects.update(version=VERSION + 1, websites=[], durations=b"")

    assert shown(last_30_days()) == expected
    assert set(DashboardDay.objects.values_list("version", flat=True)) == {VERSION}


def test_each_time_zone_cuts_its_own_days(support_agent):
    # 23:30 in UTC is already the next day in Seoul (UTC+9).
    utc_day = timezone.localdate() - timedelta(days=5)
    late = datetime.combine(utc_day, time(23, 30), tzinfo=zoneinfo.ZoneInfo("UTC"))
    session(support_agent, created=late, minutes=5, end_reason=REASONS[0], actions=1)

    with timezone.override("UTC"):
        in_utc = dict(last_30_days().per_day)
    with timezone.override("Asia/Seoul"):
        in_seoul = dict(last_30_days().per_day)

    assert in_utc[utc_day] == 1
    assert in_seoul[utc_day + timedelta(days=1)] == 1 and in_seoul.get(utc_day) == 0
    zones = set(DashboardDay.objects.values_list("time_zone", flat=True))
    assert zones == {"UTC", "Asia/Seoul"}


def test_stored_durations_keep_every_bit():
    part = WebsiteDay()
    part.durations.extend([0.1, 599.9999990463257, 1e-9, 3600.0])
    encoded = dashboard_days._encoded({MAIN: part, OUTLET: WebsiteDay()})

    decoded = dashboard_days._decoded(encoded["websites"], encoded["durations"])

    assert list(decoded[MAIN].durations) == [0.1, 599.9999990463257, 1e-9, 3600.0]
    assert list(decoded[OUTLET].durations) == []
    assert encoded["durations"] == struct.pack("<4d", 0.1, 599.9999990463257, 1e-9, 3600.0)


def test_yesterday_is_stored_from_one_in_the_morning(monkeypatch, support_agent):
    monkeypatch.setattr(dashboard_days, "SETTLED_AFTER", SETTLED_AFTER)  # the real hour
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    tz = timezone.get_current_timezone()
    session(
        support_agent,
        created=datetime.combine(yesterday, time(23, 50), tzinfo=tz),
        minutes=5,
        end_reason=REASONS[0],
        actions=1,
    )

    with time_machine.travel(datetime.combine(today, time(0, 59), tzinfo=tz), tick=False):
        assert dict(last_30_days().per_day)[yesterday] == 1
        assert not DashboardDay.objects.filter(day=yesterday).exists()
    with time_machine.travel(datetime.combine(today, time(1, 0), tzinfo=tz), tick=False):
        assert dict(last_30_days().per_day)[yesterday] == 1
        assert DashboardDay.objects.filter(day=yesterday).exists()


@pytest.mark.parametrize("website", ["", MAIN])
def test_stored_days_today_and_running_sessions_add_up(many_sessions, support_agent, website):
    """Settled days read back, today and a day with a running session aggregated, running
    sessions counted in the journal: together what the sessions say one by one."""
    last_30_days()  # the settled days stored
    made = [
        *many_sessions,
        session(support_agent, created=days_ago(2, 9), minutes=7, actions=3, running=True),
        session(support_agent, created=timezone.now(), minutes=4, end_reason=REASONS[1]),
        session(
            support_agent,
            created=timezone.now(),
            minutes=2,
            actions=2,
            running=True,
            website=OUTLET,
        ),
    ]
    # Day 2 held only settled sessions when it was stored: forget it, as if the running
    # session had been requested before the first visit (a stored day never changes).
    DashboardDay.objects.filter(day=days_ago(2).date()).delete()

    figures = last_30_days(website)

    expected = counted_one_by_one(made, website)
    assert shown(figures) == {**expected, "median": pytest.approx(expected["median"], abs=1e-3)}
    stored_days = set(DashboardDay.objects.values_list("day", flat=True))
    assert days_ago(2).date() not in stored_days and timezone.localdate() not in stored_days


def test_a_day_whose_midnight_a_clock_change_skips_keeps_its_whole_hour(monkeypatch):
    monkeypatch.setattr(dashboard_days, "SETTLED_AFTER", SETTLED_AFTER)  # the real hour
    # Havana moves its clocks from 00:00 to 01:00 on 2025-03-09: 8 March ends at 05:00 UTC.
    with timezone.override("America/Havana"):
        day = date(2025, 3, 8)
        ended = datetime(2025, 3, 9, 5, 0, tzinfo=UTC)
        assert not settled(day, {}, ended + timedelta(minutes=59))
        assert settled(day, {}, ended + timedelta(hours=1))


def test_a_failed_store_is_logged_and_the_figures_still_shown(many_sessions, caplog):
    """The table refuses every insert (a trigger): the dashboard shows its figures, stores
    nothing, and the connection goes on working."""
    refuse_inserts()
    expected = counted_one_by_one(many_sessions)

    figures = last_30_days()

    assert shown(figures) == {**expected, "median": pytest.approx(expected["median"], abs=1e-3)}
    assert DashboardDay.objects.count() == 0
    assert "could not store 29 settled days" in caplog.text
    assert shown(last_30_days()) == shown(figures)  # aggregated again, no error


def refuse_inserts():
    table = DashboardDay._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION lac_test_refuse() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'refused'; END; $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                f"CREATE TRIGGER lac_test_refuse BEFORE INSERT ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION lac_test_refuse()"
            )
        else:
            cursor.execute(
                f"CREATE TRIGGER lac_test_refuse BEFORE INSERT ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'refused'); END"
            )


def test_the_sweep_stores_the_last_two_days_once_settled(support_agent):
    """The scheduler's sweep stores yesterday and the day before once settled (the count an end
    could not keep kept first), so a dashboard's first view of a period reads them back."""
    today = timezone.localdate()
    session(support_agent, created=days_ago(1), minutes=10, end_reason=EndReason.CLOSED_BY_ADMIN)
    # Ended without its count (the end's commit hook failed): the sweep keeps it, then stores.
    session(
        support_agent,
        created=days_ago(2),
        minutes=5,
        end_reason=EndReason.IDLE_TIMEOUT,
        actions=3,
        kept=False,
    )
    session(support_agent, created=days_ago(3), minutes=5, end_reason=EndReason.CLOSED_BY_ADMIN)
    session(support_agent, created=timezone.now() - timedelta(minutes=30), minutes=1)  # today

    assert sweep() == (
        "Ended 0 overdue assisted sessions.\nKept the action count of 1 ended sessions.\n"
    )

    assert sorted(DashboardDay.objects.values_list("day", flat=True)) == [
        today - timedelta(days=2),
        today - timedelta(days=1),
    ]
    (website,) = DashboardDay.objects.get(day=today - timedelta(days=2)).websites
    assert website["actions"] == [[3, 1]]
    # Stored once: the next sweeps read the two days back and write nothing.
    with CaptureQueriesContext(connection) as queries:
        assert sweep() == "Ended 0 overdue assisted sessions.\n"
    writes = [q["sql"] for q in queries if q["sql"].startswith(("INSERT", "UPDATE"))]
    assert writes == []
    assert DashboardDay.objects.count() == 2


def test_the_sweep_reports_days_it_could_not_store(support_agent):
    """Found by review: ``store`` logged its failure and the sweep exited as if all was well."""
    session(support_agent, created=days_ago(1), minutes=10, end_reason=EndReason.CLOSED_BY_ADMIN)
    refuse_inserts()

    with pytest.raises(CommandError, match="storing the dashboard's days"):
        sweep()

    assert DashboardDay.objects.count() == 0
