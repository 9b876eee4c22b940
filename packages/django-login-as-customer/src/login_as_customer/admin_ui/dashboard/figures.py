"""The dashboard's figures for a period and a website: per day (with the shares), per
administrator, per end reason, the median duration, and the started sessions by their number
of actions — the count an ended session keeps (``AssistedSession.action_count``), the journal's
only for those still running (``Journal.sessions_by_event_count``). A session counts on the day
it was requested (``created_at``, indexed), in the current time zone. They are summed from the
period's days, website by website (``days.py``): the days that are settled read from
``DashboardDay``, the others aggregated from their sessions, in the same few statements
whatever the number of sessions or days."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from itertools import chain

from login_as_customer.admin_ui.dashboard.days import COUNTS, days_of_period, sessions_of_days
from login_as_customer.journal import journal

TOP = 10  # the administrators and end reasons drawn one by one; the rest are "Other"
ACTIONS_TOP_CODED = 20  # sessions with this many actions or more share the histogram's last bar


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


def top_with_other(counts: dict[str, int], other) -> list[tuple[str, int]]:
    """The ``TOP`` largest, then the sum of the rest (if any), labelled ``other(how many)``:
    a label that names how many it stands for, which no administrator's name can pass for."""
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    rest = ranked[TOP:]
    return ranked[:TOP] + ([(other(len(rest)), sum(n for _label, n in rest))] if rest else [])


def dashboard_figures(*, first_day: date, last_day: date, website: str = "") -> Figures:
    """The figures of the sessions requested from ``first_day`` to ``last_day`` (included) on
    ``website`` (its name as the sessions recorded it; "" for every website), summed from the
    period's days (``days.days_of_period``: stored once settled, else aggregated)."""
    figures = Figures(first_day=first_day, last_day=last_day)
    admins, end_reasons, websites = {}, {}, set()
    durations, running_days, id_ranges, running = [], [], [], 0
    for day, parts in sorted(days_of_period(first_day, last_day).items()):
        sessions = 0
        for name, part in parts.items():
            websites.add(name)
            if website and name != website:
                continue
            sessions += part.counts["sessions"]
            for count in COUNTS:
                setattr(figures, count, getattr(figures, count) + part.counts[count])
            for (admin, reason), n in part.groups.items():
                admins[admin] = admins.get(admin, 0) + n
                end_reasons[reason] = end_reasons.get(reason, 0) + n
            durations.append(part.durations)
            for n, count in part.actions.items():
                figures.actions[n] = figures.actions.get(n, 0) + count
            if part.running:
                running += part.running
                running_days.append(day)
                id_ranges.append(part.id_range)
        figures.per_day.append((day, sessions))
    figures.websites = sorted(websites)
    figures.by_admin = sorted(admins.items(), key=lambda item: (-item[1], item[0]))
    figures.by_end_reason = sorted(end_reasons.items(), key=lambda item: (-item[1], item[0]))
    figures.median_seconds = median(durations)
    if running_days:
        add_running(figures.actions, running, sorted(set(running_days)), website, id_ranges)
    figures.actions = {n: sessions for n, sessions in figures.actions.items() if sessions}
    return figures


def add_running(
    actions: dict[int, int], count: int, days: list, website: str, id_ranges: list
) -> None:
    """Add to ``actions`` the ``count`` sessions of ``days`` still running (or ended before
    counts were kept): counted in the journal (``Journal.sessions_by_event_count``), in one
    statement; those without an event have 0."""
    running = sessions_of_days(days).filter(started_at__isnull=False, action_count__isnull=True)
    if website:
        running = running.filter(website_name=website)
    id_range = (min(first for first, _last in id_ranges), max(last for _f, last in id_ranges))
    counted = journal().sessions_by_event_count(running, id_range=id_range)
    for n, sessions in counted.items():
        actions[n] = actions.get(n, 0) + sessions
    actions[0] = actions.get(0, 0) + count - sum(counted.values())


def median(parts: list) -> float | None:
    """The median of every value of ``parts`` (each sorted, so that sorting them together only
    merges runs): the middle one, or the mean of the two middle ones."""
    values = sorted(chain.from_iterable(parts))
    if not values:
        return None
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2
