"""Charts drawn on the server as SVG: no script, no CDN. Every label and value is escaped
(``format_html``); the caller gives plain text. Each chart is an image with a title and a
description (``role="img"``, ``aria-labelledby``); the page shows the same figures in a table.

Colours come from the admin's CSS variables (``lac_dashboard.css``), so that the charts follow
its light and dark themes with the contrast of its text and links."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

# Drawing units of the viewBox; the SVG scales to the width of its container.
COLUMN_WIDTH, COLUMN_HEIGHT = 900, 260
BAR_WIDTH, BAR_ROW = 900, 28
LABEL_CHARS = 38  # longer bar labels are cut in the drawing (the table has them whole)


@dataclass(frozen=True)
class Point:
    """One column or bar: its label, its value, and (columns) whether its label is written
    under the axis (a long series labels only some columns)."""

    label: str
    value: int
    tick: bool = True
    quiet: bool = False  # drawn in the quiet colour, e.g. "Other"


def number(value) -> str:
    return number_format(value, force_grouping=True)


def axis_ticks(largest: int) -> list[int]:
    """Whole-number ticks from 0 to at least ``largest``, at most five, a step of 1, 2 or 5
    × 10^k."""
    wanted = max(largest, 1) / 4
    power = 10 ** max(math.floor(math.log10(wanted)), 0)
    step = next(s * power for s in (1, 2, 5, 10) if s * power >= wanted)
    return list(range(0, step * math.ceil(max(largest, 1) / step) + 1, step))


def _shorten(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def _tooltip(point: Point) -> str:
    """The tooltip, label and value, as the active language writes them (French puts a
    no-break space before the colon); plain text, escaped where it is drawn."""
    return _("%(label)s: %(value)s") % {"label": point.label, "value": number(point.value)}


def _frame(chart_id: str, title: str, description: str, width: int, height: int, body):
    return format_html(
        '<svg class="lac-chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-title {}-desc"'
        ' focusable="false" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        width,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        description,
        body,
    )


def column_chart(*, chart_id: str, title: str, description: str, points: list[Point]):
    """Vertical columns over a series (days, counts), a value axis on the left."""
    left, right, top, bottom = 56, 12, 14, 34
    plot_width = COLUMN_WIDTH - left - right
    plot_height = COLUMN_HEIGHT - top - bottom
    ticks = axis_ticks(max((p.value for p in points), default=0))
    top_value = ticks[-1]
    slot = plot_width / max(len(points), 1)
    column = max(slot * 0.72, 1)
    baseline = top + plot_height

    def y(value):
        return baseline - plot_height * value / top_value

    grid = format_html_join(
        "",
        '<line class="lac-chart-grid" x1="{}" x2="{}" y1="{}" y2="{}"/>'
        '<text class="lac-chart-axis" x="{}" y="{}" text-anchor="end">{}</text>',
        (
            (left, COLUMN_WIDTH - right, f"{y(t):.1f}", f"{y(t):.1f}", left - 6, f"{y(t) + 4:.1f}")
            + (number(t),)
            for t in ticks
        ),
    )
    columns = format_html_join(
        "",
        '<rect class="{}" x="{}" y="{}" width="{}" height="{}"><title>{}</title></rect>',
        (
            (
                "lac-chart-bar lac-chart-quiet" if p.quiet else "lac-chart-bar",
                f"{left + i * slot + (slot - column) / 2:.1f}",
                f"{y(p.value):.1f}",
                f"{column:.1f}",
                f"{baseline - y(p.value):.1f}",
                _tooltip(p),
            )
            for i, p in enumerate(points)
        ),
    )
    labels = format_html_join(
        "",
        '<text class="lac-chart-axis" x="{}" y="{}" text-anchor="middle">{}</text>',
        (
            (f"{left + (i + 0.5) * slot:.1f}", baseline + 18, p.label)
            for i, p in enumerate(points)
            if p.tick
        ),
    )
    axis = format_html(
        '<line class="lac-chart-axis-line" x1="{}" x2="{}" y1="{}" y2="{}"/>',
        left,
        COLUMN_WIDTH - right,
        baseline,
        baseline,
    )
    body = grid + columns + axis + labels  # safe strings of format_html: their sum is too
    return _frame(chart_id, title, description, COLUMN_WIDTH, COLUMN_HEIGHT, body)


def bar_chart(*, chart_id: str, title: str, description: str, points: list[Point]):
    """Horizontal bars, largest first as given, labels on the left and values at their ends."""
    label_width, value_width, top = 270, 80, 6
    plot_width = BAR_WIDTH - label_width - value_width
    height = top * 2 + BAR_ROW * max(len(points), 1)
    top_value = max((p.value for p in points), default=0) or 1
    rows = format_html_join(
        "",
        '<text class="lac-chart-label" x="{}" y="{}" text-anchor="end">{}</text>'
        '<rect class="{}" x="{}" y="{}" width="{}" height="{}"><title>{}</title></rect>'
        '<text class="lac-chart-value" x="{}" y="{}">{}</text>',
        (
            (
                label_width - 8,
                top + i * BAR_ROW + 18,
                _shorten(p.label),
                "lac-chart-bar lac-chart-quiet" if p.quiet else "lac-chart-bar",
                label_width,
                top + i * BAR_ROW + 4,
                f"{max(plot_width * p.value / top_value, 1 if p.value else 0):.1f}",
                BAR_ROW - 8,
                _tooltip(p),
                f"{label_width + plot_width * p.value / top_value + 6:.1f}",
                top + i * BAR_ROW + 18,
                number(p.value),
            )
            for i, p in enumerate(points)
        ),
    )
    axis = format_html(
        '<line class="lac-chart-axis-line" x1="{}" x2="{}" y1="{}" y2="{}"/>',
        label_width,
        label_width,
        top,
        height - top,
    )
    return _frame(chart_id, title, description, BAR_WIDTH, height, rows + axis)
