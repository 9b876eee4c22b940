"""The dashboard's sessions, day by day and website by website: read from ``DashboardDay`` for
the days that are settled, aggregated from the sessions for the others — and a day found
settled is stored on the way, so that each day is aggregated from its sessions once.

A day is settled when it ended ``SETTLED_AFTER`` ago (no session can still be requested on it)
and every session requested on it has ended and, if it started, kept its count of actions
(``flows/end.keep_action_count``): nothing the dashboard reads of those sessions changes any
more. Today, and a day with a session still running, are aggregated on every request, over
their own sessions only (a handful of days, whatever the period)."""

from __future__ import annotations

import contextlib
import logging
import sys
from array import array
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.db import DatabaseError, NotSupportedError, connections, transaction
from django.db.models import Count, F, FloatField, Func, Max, Min, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from login_as_customer.models import AssistedSession, DashboardDay, SessionMode

logger = logging.getLogger(__name__)

# DashboardDay.version: the shape written below; rows of another shape are aggregated again.
VERSION = 1
# After its end, a day waits this long before it may be stored: a session being requested at
# midnight has committed by then (its created_at was read when its request began).
SETTLED_AFTER = timedelta(hours=1)
COUNTS = ("sessions", "started", "ended", "with_reason", "view_only")


class DurationSeconds(Func):
    """``ended_at - started_at`` in seconds, computed in the database (PostgreSQL, SQLite)."""

    output_field = FloatField()

    def __init__(self):
        super().__init__(F("ended_at"), F("started_at"))

    def as_sql(self, compiler, connection, **extra):
        raise NotSupportedError(
            f"The dashboard's durations need PostgreSQL or SQLite, not {connection.vendor}."
        )

    def as_postgresql(self, compiler, connection, **extra):
        template = "EXTRACT(EPOCH FROM (%(expressions)s))::float8"
        return super().as_sql(compiler, connection, template=template, arg_joiner=" - ")

    def as_sqlite(self, compiler, connection, **extra):
        template = "(julianday(%(expressions)s)) * 86400.0"
        return super().as_sql(compiler, connection, template=template, arg_joiner=") - julianday(")


@dataclass
class WebsiteDay:
    """One website's sessions requested on one day."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    groups: dict[tuple[str, str], int] = field(default_factory=dict)  # (admin, end reason)
    durations: array = field(default_factory=lambda: array("d"))  # completed, in seconds
    actions: dict[int, int] = field(default_factory=dict)  # {n: sessions}: ended ones' kept
    running: int = 0  # started, no kept count yet: counted in the journal
    unsettled: int = 0  # not ended, or running
    id_range: tuple[int, int] | None = None  # (first, last) session id

    def add_group(self, row: dict) -> None:
        for name in COUNTS:
            self.counts[name] += row[name]
        key = (row["admin_username"], row["end_reason"])
        self.groups[key] = self.groups.get(key, 0) + row["sessions"]
        self.running += row["running"]
        self.unsettled += row["unsettled"]
        first, last = row["first_id"], row["last_id"]
        if self.id_range is not None:
            first, last = min(first, self.id_range[0]), max(last, self.id_range[1])
        self.id_range = (first, last)


Day = dict[str, WebsiteDay]  # by website name


def _zone() -> str:
    return timezone.get_current_timezone_name()


def _bounds(first: date, last: date) -> Q:
    tz = timezone.get_current_timezone()
    return Q(
        created_at__gte=datetime.combine(first, datetime.min.time(), tzinfo=tz),
        created_at__lt=datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=tz),
    )


def _runs(days: list[date]) -> list[tuple[date, date]]:
    """Sorted days as runs of consecutive days, (first, last) each."""
    runs = []
    for day in days:
        if runs and runs[-1][1] + timedelta(days=1) == day:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def sessions_of_days(days: list[date]):
    """The sessions requested on ``days`` (sorted): one range of ``created_at`` per run."""
    condition = Q()
    for first, last in _runs(days):
        condition |= _bounds(first, last)
    return AssistedSession.objects.filter(condition).order_by()


def aggregated(days: list[date]) -> dict[date, Day]:
    """``days``' sessions aggregated by day and website: in one statement, one more for the
    durations when some completed, and one more for the actions when some kept a count."""
    result: dict[date, Day] = {day: {} for day in days}
    if not days:
        return result
    sessions = sessions_of_days(days).annotate(
        day=TruncDate("created_at", tzinfo=timezone.get_current_timezone())
    )
    started = Q(started_at__isnull=False)
    running = started & Q(action_count__isnull=True)
    completed = kept = 0
    for row in sessions.values("day", "website_name", "admin_username", "end_reason").annotate(
        sessions=Count("pk"),
        started=Count("pk", filter=started),
        ended=Count("pk", filter=started & Q(ended_at__isnull=False)),
        with_reason=Count("pk", filter=~Q(reason="")),
        view_only=Count("pk", filter=Q(mode=SessionMode.VIEW_ONLY)),
        running=Count("pk", filter=running),
        unsettled=Count("pk", filter=Q(ended_at__isnull=True) | running),
        first_id=Min("pk"),
        last_id=Max("pk"),
    ):
        day = result.get(row["day"])
        if day is None:  # dated off the days asked for (the database's zone rules): not ours
            continue
        day.setdefault(row["website_name"], WebsiteDay()).add_group(row)
        completed += row["ended"]
        kept += row["started"] - row["running"]
    if completed:
        for (day, website), seconds in _durations(sessions.filter(started, ended_at__isnull=False)):
            if day in result:
                result[day][website].durations = array("d", sorted(seconds))
    if kept:
        for day, website, n, count in (
            sessions.filter(started, action_count__isnull=False)
            .values_list("day", "website_name", "action_count")
            .annotate(count=Count("pk"))
        ):
            if day in result:
                actions = result[day][website].actions
                actions[n] = actions.get(n, 0) + count
    return result


def _durations(completed):
    """``((day, website), [seconds, …])`` of ``completed`` sessions: one row per session, read
    from the cursor as the database sends it (a year is a million rows: the ORM's per-row
    converters would double the time) — a day comes as a date, or from SQLite as its ISO
    text, converted once per day."""
    query = completed.annotate(seconds=DurationSeconds()).values_list(
        "day", "website_name", "seconds"
    )
    sql, params = query.query.sql_with_params()
    by_part, days = {}, {}
    with connections[query.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for day, website, seconds in rows:
        by_part.setdefault((day, website), []).append(seconds)
    for day, _website in by_part:
        if day not in days:
            days[day] = date.fromisoformat(day) if isinstance(day, str) else day
    return [((days[day], website), seconds) for (day, website), seconds in by_part.items()]


def stored(days: list[date]) -> dict[date, Day]:
    """The settled days among ``days`` that are stored, in one statement."""
    rows = DashboardDay.objects.filter(
        time_zone=_zone(), day__in=days, version=VERSION
    ).values_list("day", "websites", "durations")
    return {day: _decoded(websites, bytes(durations)) for day, websites, durations in rows}


def settled(day: date, parts: Day, now: datetime) -> bool:
    """Whether ``day`` (its ``parts`` aggregated after ``now``) can be stored: over for
    ``SETTLED_AFTER`` of real time (counted in UTC: a day whose midnight a clock change skips
    keeps its whole margin), with no session that can still change."""
    tz = timezone.get_current_timezone()
    day_end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=tz)
    over_for_long_enough = day_end.astimezone(UTC) + SETTLED_AFTER <= now
    return over_for_long_enough and not any(part.unsettled for part in parts.values())


def store(days: dict[date, Day], *, raise_errors: bool = False) -> None:
    """Store settled days, in one statement; a day another request stored meanwhile is
    overwritten with the same figures. A failure costs only the next request's aggregation
    (logged; raised for ``raise_errors``: the sweep reports it)."""
    if not days:
        return
    rows = [
        DashboardDay(time_zone=_zone(), day=day, version=VERSION, **_encoded(parts))
        for day, parts in days.items()
    ]
    try:
        with transaction.atomic():
            DashboardDay.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["time_zone", "day"],
                update_fields=["version", "websites", "durations"],
            )
    except DatabaseError:
        if raise_errors:
            raise
        logger.exception("The dashboard could not store %s settled days", len(rows))


def days_of_period(
    first_day: date, last_day: date, *, raise_store_errors: bool = False
) -> dict[date, Day]:
    """Every day of the period with its websites' sessions: stored days read back, the others
    aggregated, and those of them that are settled stored (``store``)."""
    now = timezone.now()  # before the sessions are read: what they say held at ``now``
    wanted = [first_day + timedelta(days=i) for i in range((last_day - first_day).days + 1)]
    days = stored(wanted)
    missing = [day for day in wanted if day not in days]
    fresh = aggregated(missing)
    settled_days = {day: parts for day, parts in fresh.items() if settled(day, parts, now)}
    store(settled_days, raise_errors=raise_store_errors)
    days.update(fresh)
    return days


def store_recent_days() -> None:
    """Store the last two days once they are settled, for the scheduler's sweep
    (``end_overdue_sessions``): a dashboard's first view of a period then reads them back
    instead of aggregating them. In the current time zone (another one stores its own days on
    its first view); a day already stored costs one statement. A failure to store is raised,
    for the sweep to report."""
    yesterday = timezone.localdate() - timedelta(days=1)
    # On a database the dashboard cannot aggregate on, there is nothing to store.
    with contextlib.suppress(NotSupportedError):
        days_of_period(yesterday - timedelta(days=1), yesterday, raise_store_errors=True)


def _encoded(parts: Day) -> dict:
    websites, durations = [], array("d")
    for name, part in sorted(parts.items()):
        websites.append(
            {
                "website": name,
                "counts": [part.counts[count] for count in COUNTS],
                "groups": [[admin, reason, n] for (admin, reason), n in part.groups.items()],
                "actions": [[n, sessions] for n, sessions in part.actions.items()],
                "durations": len(part.durations),
            }
        )
        durations.extend(part.durations)
    if sys.byteorder == "big":
        durations.byteswap()
    return {"websites": websites, "durations": durations.tobytes()}


def _decoded(websites: list, durations: bytes) -> Day:
    seconds = array("d", durations)
    if sys.byteorder == "big":
        seconds.byteswap()
    parts, offset = {}, 0
    for website in websites:
        length = website["durations"]
        parts[website["website"]] = WebsiteDay(
            counts=dict(zip(COUNTS, website["counts"], strict=True)),
            groups={(admin, reason): n for admin, reason, n in website["groups"]},
            durations=seconds[offset : offset + length],
            actions={n: sessions for n, sessions in website["actions"]},
        )
        offset += length
    return parts
