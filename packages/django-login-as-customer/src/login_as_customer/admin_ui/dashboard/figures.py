"""The dashboard's figures for a period and a website, in the same few statements whatever the
number of sessions: per day (with the shares), per website × administrator × end reason, the
median duration (off PostgreSQL, one more), and the started sessions by their number of
actions — the count an ended session keeps (``AssistedSession.action_count``), the journal's
only for those still running (``Journal.sessions_by_event_count``). A session counts on the day
it was requested (``created_at``, indexed), in the current time zone."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import NotSupportedError, connections
from django.db.models import Count, F, FloatField, Func, Max, Min, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from login_as_customer.journal import journal
from login_as_customer.models import AssistedSession, SessionMode

TOP = 10  # the administrators and end reasons drawn one by one; the rest are "Other"
ACTIONS_TOP_CODED = 20  # sessions with this many actions or more share the histogram's last bar


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
class Figures:
    first_day: date
    last_day: date
    # every day of the period, 0 when there was none
    per_day: list[tuple[date, int]] = field(default_factory=list)
    by_admin: list[tuple[str, int]] = field(default_factory=list)  # most sessions first
    # by end reason (its value, "" while not ended), most sessions first
    by_end_reason: list[tuple[str, int]] = field(default_factory=list)
    # the websites with sessions in the period, whatever the filter
    websites: list[str] = field(default_factory=list)
    sessions: int = 0
    started: int = 0
    ended: int = 0  # started and ended: the sessions the median duration is of
    with_reason: int = 0
    view_only: int = 0
    median_seconds: float | None = None
    # sessions that started, by the number of their actions (0 included)
    actions: dict[int, int] = field(default_factory=dict)

    @property
    def reason_share(self) -> float | None:
        return self.with_reason / self.sessions if self.sessions else None

    @property
    def view_only_share(self) -> float | None:
        return self.view_only / self.sessions if self.sessions else None

    @property
    def actions_mean(self) -> float | None:
        total = sum(self.actions.values())
        return sum(n * s for n, s in self.actions.items()) / total if total else None

    @property
    def actions_median(self) -> float | None:
        return median_of_counts(self.actions)


def median_of_counts(counts: dict[int, int]) -> float | None:
    """The median of values given as {value: how many times}."""
    total = sum(counts.values())
    if not total:
        return None
    middle = [(total - 1) // 2, total // 2]  # the one or two middle positions
    found, seen = [], 0
    for value in sorted(counts):
        seen += counts[value]
        while middle and middle[0] < seen:
            found.append(value)
            middle.pop(0)
    return sum(found) / 2


def period_bounds(first_day: date, last_day: date) -> tuple[datetime, datetime]:
    """The first instant of ``first_day`` and of the day after ``last_day``, here."""
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(first_day, time.min, tzinfo=tz),
        datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=tz),
    )


def top_with_other(counts: dict[str, int], other: str) -> list[tuple[str, int]]:
    """The ``TOP`` largest, then ``other`` with the sum of the rest (if any)."""
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    rest = sum(n for _label, n in ranked[TOP:])
    return ranked[:TOP] + ([(other, rest)] if rest else [])


def dashboard_figures(*, first_day: date, last_day: date, website: str = "") -> Figures:
    """The figures of the sessions requested from ``first_day`` to ``last_day`` (included) on
    ``website`` (its name as the sessions recorded it; "" for every website)."""
    start, end = period_bounds(first_day, last_day)
    in_period = AssistedSession.objects.filter(created_at__gte=start, created_at__lt=end)
    sessions = in_period.filter(website_name=website) if website else in_period
    sessions = sessions.order_by()

    per_day = {first_day + timedelta(days=i): 0 for i in range((last_day - first_day).days + 1)}
    figures = Figures(first_day=first_day, last_day=last_day)
    day_rows = (
        sessions.annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(
            sessions=Count("pk"),
            started=Count("pk", filter=Q(started_at__isnull=False)),
            ended=Count("pk", filter=Q(started_at__isnull=False, ended_at__isnull=False)),
            with_reason=Count("pk", filter=~Q(reason="")),
            view_only=Count("pk", filter=Q(mode=SessionMode.VIEW_ONLY)),
            first_id=Min("pk"),
            last_id=Max("pk"),
        )
    )
    first_ids, last_ids = [], []
    for row in day_rows:
        first_ids.append(row["first_id"])
        last_ids.append(row["last_id"])
        if row["day"] in per_day:
            per_day[row["day"]] = row["sessions"]
        for name in ("sessions", "started", "ended", "with_reason", "view_only"):
            setattr(figures, name, getattr(figures, name) + row[name])
    figures.per_day = list(per_day.items())

    # Every website's rows (its list for the filter), summed here for the one asked for.
    admins, end_reasons, websites = {}, {}, set()
    for row in (
        in_period.order_by()
        .values("website_name", "admin_username", "end_reason")
        .annotate(sessions=Count("pk"))
    ):
        websites.add(row["website_name"])
        if website and row["website_name"] != website:
            continue
        admins[row["admin_username"]] = admins.get(row["admin_username"], 0) + row["sessions"]
        reason = row["end_reason"]
        end_reasons[reason] = end_reasons.get(reason, 0) + row["sessions"]
    figures.websites = sorted(websites)
    figures.by_admin = sorted(admins.items(), key=lambda item: (-item[1], item[0]))
    figures.by_end_reason = sorted(end_reasons.items(), key=lambda item: (-item[1], item[0]))

    completed = sessions.filter(started_at__isnull=False, ended_at__isnull=False)
    figures.median_seconds = median_seconds(completed, count=figures.ended)

    figures.actions = actions_per_session(
        sessions.filter(started_at__isnull=False),
        count=figures.started,
        id_range=(min(first_ids), max(last_ids)) if first_ids else None,
    )
    return figures


def actions_per_session(started, *, count: int, id_range=None) -> dict[int, int]:
    """``{n: sessions}`` of the ``count`` ``started`` sessions with n actions: an ended session
    keeps its count (``action_count``); the journal counts those still running."""
    if not count:
        return {}
    actions = dict(
        started.filter(action_count__isnull=False)
        .values_list("action_count")
        .annotate(sessions=Count("pk"))
        .order_by()
    )
    running = count - sum(actions.values())
    if running:
        counted = journal().sessions_by_event_count(
            started.filter(action_count__isnull=True), id_range=id_range
        )
        for n, sessions in counted.items():
            actions[n] = actions.get(n, 0) + sessions
        actions[0] = actions.get(0, 0) + running - sum(counted.values())
    return {n: sessions for n, sessions in actions.items() if sessions}


def median_seconds(completed, *, count: int) -> float | None:
    """The median duration of ``completed`` sessions (``count`` of them): PostgreSQL's
    ``percentile_cont``; elsewhere the one or two middle durations, read in order."""
    if not count:
        return None
    durations = completed.annotate(seconds=DurationSeconds()).values_list("seconds", flat=True)
    connection = connections[completed.db]
    if connection.vendor == "postgresql":
        sql, params = durations.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY d.seconds) FROM ({sql}) d",  # noqa: S608 - the ORM's SQL
                params,
            )
            return cursor.fetchone()[0]
    first = (count - 1) // 2
    middle = list(durations.order_by("seconds")[first : first + 2 - count % 2])
    return sum(middle) / len(middle)
