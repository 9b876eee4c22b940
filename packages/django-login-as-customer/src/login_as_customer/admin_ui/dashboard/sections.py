"""The dashboard's figures as the page shows them: big numbers, and charts each with the table
of the same figures (its alternative for screen readers, and for copying)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from login_as_customer.admin_ui.dashboard import charts
from login_as_customer.admin_ui.dashboard.figures import (
    ACTIONS_TOP_CODED,
    TOP,
    Figures,
    top_with_other,
)
from login_as_customer.models import EndReason

MAX_DAY_LABELS = 10  # a long period labels only every n-th day under its columns


@dataclass
class Section:
    """One chart: its heading, the SVG, and its table (column headings, rows of cells)."""

    id: str
    title: str
    chart: str
    headers: tuple[str, str]
    rows: list[tuple[str, str]]
    # what the section says instead of a chart without rows (and in its empty table)
    empty: str = field(default_factory=lambda: _("No assisted sessions in this period."))


@dataclass
class BigNumber:
    id: str
    label: str
    value: str
    detail: str


def percent(share: float | None) -> str:
    if share is None:
        return "—"
    # × 100 in Decimal: as a float, 23 of 80 is 28.749999999999996 and would read 28.7%.
    return _("%(percent)s%%") % {"percent": decimal(Decimal(repr(share)) * 100)}


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    hours, rest = divmod(round(seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return _("%(hours)d h %(minutes)02d min") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)d min %(seconds)02d s") % {"minutes": minutes, "seconds": seconds}


ONE_DECIMAL = Decimal("0.1")


def decimal(value: float | Decimal | None) -> str:
    """One decimal, rounded half up (2.25 reads 2.3, as a person rounds; ``round`` gives 2.2):
    Django's ``number_format`` cuts a float's decimals off (2 of 3 sessions read 66.6%)."""
    if value is None:
        return "—"
    exact = value if isinstance(value, Decimal) else Decimal(repr(value))
    return number_format(exact.quantize(ONE_DECIMAL, ROUND_HALF_UP), decimal_pos=1)


def count(value: int) -> str:
    return charts.number(value)


def big_numbers(figures: Figures) -> list[BigNumber]:
    sessions = count(figures.sessions)
    return [
        BigNumber(
            "sessions",
            _("Sessions"),
            sessions,
            _("%(count)s started") % {"count": count(figures.started)},
        ),
        BigNumber(
            "median-duration",
            _("Median duration"),
            duration(figures.median_seconds),
            _("of %(count)s ended sessions") % {"count": count(figures.ended)},
        ),
        BigNumber(
            "actions",
            _("Actions per session"),
            decimal(figures.actions_mean),
            _("mean; median %(median)s, of %(count)s started sessions")
            % {"median": decimal(figures.actions_median), "count": count(figures.started)},
        ),
        BigNumber(
            "reason-share",
            _("Started with a reason"),
            percent(figures.reason_share),
            _("%(count)s of %(total)s sessions")
            % {"count": count(figures.with_reason), "total": sessions},
        ),
        BigNumber(
            "view-only-share",
            _("View only"),
            percent(figures.view_only_share),
            _("%(count)s of %(total)s sessions")
            % {"count": count(figures.view_only), "total": sessions},
        ),
    ]


def _description(points: list[charts.Point]) -> str:
    if not any(p.value for p in points):
        return _("No assisted sessions in this period.")
    largest = max(points, key=lambda p: p.value)
    return _("Largest: %(label)s (%(value)s). The table below the chart gives every value.") % {
        "label": largest.label,
        "value": count(largest.value),
    }


def _columns(
    section_id, title, header, points: list[charts.Point], rows=None, empty=None
) -> Section:
    """A column chart of ``points`` and its table (``rows``; default: each point's count);
    ``empty``: what it says without any (default: ``Section``'s)."""
    svg = charts.column_chart(
        chart_id=f"lac-chart-{section_id}",
        title=title,
        description=_description(points),
        points=points,
    )
    rows = rows if rows is not None else [(p.label, count(p.value)) for p in points]
    section = Section(section_id, title, svg, (header, _("Sessions")), rows)
    if empty is not None:
        section.empty = empty
    return section


def _other_administrators(count: int) -> str:
    return ngettext("%(count)s other administrator", "%(count)s other administrators", count) % {
        "count": count
    }


def _other_end_reasons(count: int) -> str:
    return ngettext("%(count)s other end reason", "%(count)s other end reasons", count) % {
        "count": count
    }


def _bars(section_id, title, header, counts: list[tuple[str, int]]) -> Section:
    points = [  # after the TOP largest comes "Other"
        charts.Point(label, n, quiet=index == TOP) for index, (label, n) in enumerate(counts)
    ]
    svg = charts.bar_chart(
        chart_id=f"lac-chart-{section_id}",
        title=title,
        description=_description(points),
        points=points,
    )
    rows = [(p.label, count(p.value)) for p in points]
    return Section(section_id, title, svg, (header, _("Sessions")), rows)


def sections(figures: Figures) -> list[Section]:
    every = math.ceil(len(figures.per_day) / MAX_DAY_LABELS)
    days = [
        charts.Point(day.strftime("%m-%d"), n, tick=index % every == 0)
        for index, (day, n) in enumerate(figures.per_day)
    ]
    per_day = _columns(
        "per-day",
        _("Sessions per day"),
        _("Day"),
        days,
        rows=[(day.isoformat(), count(n)) for day, n in figures.per_day],
    )
    end_reasons = {value: str(label) for value, label in EndReason.choices}
    end_reasons[""] = _("Not ended yet")
    by_end_reason = [(end_reasons.get(r, r), n) for r, n in figures.by_end_reason]

    highest = max(figures.actions, default=0)
    buckets = {}
    for actions, sessions in figures.actions.items():
        bucket = min(actions, ACTIONS_TOP_CODED)
        buckets[bucket] = buckets.get(bucket, 0) + sessions
    # From 0 actions up to the most; no bar at all when no session started.
    bars = range(min(highest, ACTIONS_TOP_CODED) + 1) if figures.actions else ()
    action_points = [
        charts.Point(
            _("%(count)s or more") % {"count": n} if n == ACTIONS_TOP_CODED else str(n),
            buckets.get(n, 0),
        )
        for n in bars
    ]
    per_actions = _columns(
        "actions",
        _("Started sessions by number of actions"),
        _("Actions"),
        action_points,
        empty=_("No assisted session started in this period."),
    )
    return [
        per_day,
        _bars(
            "by-admin",
            _("Sessions by administrator"),
            _("Administrator"),
            top_with_other(dict(figures.by_admin), _other_administrators),
        ),
        _bars(
            "by-end-reason",
            _("Sessions by end reason"),
            _("End reason"),
            top_with_other(dict(by_end_reason), _other_end_reasons),
        ),
        per_actions,
    ]
