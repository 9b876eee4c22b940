"""The log pages' partial, any-case filters (Django's icontains) over millions of rows.

On PostgreSQL the trigram indexes (audit 0005, login_as_customer 0004) serve a rare part badly
on a large log: "customer777@example.com" is made of trigrams that every e-mail has ("CUS",
"EXA", ".CO"), whose posting lists are read whole (about a second at 10 M entries). The
distinct admins and customer e-mails are far fewer than the rows that name them, so the
database keeps them in a small table of their own (``search_values``), and a page is
found in two steps decided here, not by the planner (pg_trgm's LIKE estimate is crude: given
an IN list of 200,000 values, it loops over all of them):

1. the matching values, at most ``MAX_VALUES`` + 1, from the small table's trigram index
   (asked for an e-mail's local part, the whole term then checked: ``index_probe``);
2. few values: the newest page of rows of each value through the log's btree index
   (column, -id), merged newest first; many values: the part is common, so its newest rows are
   near the end of the log: a backward scan of the primary key with the filter written with
   STRPOS (which no index serves, so the planner cannot pick the trigram one) stops after a page.

A column without kept values (the session's reason) is matched through its own trigram index,
at most ``MAX_ROWS`` rows; more than that is common too. SQLite, and every CSV export, filter
with plain icontains.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F, Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import StrIndex, Upper
from django.db.models.lookups import GreaterThan

from shopassist.audit.filters import keyset_page, page_before
from shopassist.audit.search_values import KEPT_COLUMNS, matching_values

MAX_VALUES = 200  # more matching values than this: the part is common
MAX_ROWS = 1000  # the same for a column matched row by row
_VALUE = "search_value"  # the alias of one matching value in the page's statement


@dataclass(frozen=True)
class Contains:
    """Rows where any of ``columns`` contains ``term``, in any case (as icontains)."""

    term: str
    columns: tuple[str, ...]

    def icontains(self) -> Q:
        condition = Q()
        for column in self.columns:
            condition |= Q(**{f"{column}__icontains": self.term})
        return condition

    def unindexed(self) -> Q:
        """The same rows, written so that no index can serve it (a filter on rows read in
        another order)."""
        condition = Q()
        for column in self.columns:
            found = StrIndex(Upper(F(column)), Upper(Value(self.term)))
            condition |= Q(GreaterThan(found, 0))
        return condition


def filter_icontains(queryset, conditions: list[Contains]):
    """The plain filter: SQLite, exports."""
    for condition in conditions:
        queryset = queryset.filter(condition.icontains())
    return queryset


def newest_page(rows, conditions: list[Contains], *, before_id: str | None, size: int):
    """``keyset_page`` of ``rows`` (a ``values()`` queryset with the page's other filters)
    narrowed by ``conditions``: (the page's rows newest first, the id the next page is
    before or None)."""
    if not conditions or connection.vendor != "postgresql":
        return keyset_page(filter_icontains(rows, conditions), before_id=before_id, size=size)
    found = [_matches(rows.model, condition) for condition in conditions]
    if any(match.is_empty for match in found):
        return [], None
    few = [match for match in found if not match.is_common]
    if not few:
        return keyset_page(
            rows.filter(*(condition.unindexed() for condition in conditions)),
            before_id=before_id,
            size=size,
        )
    driver = min(few, key=lambda match: match.size)
    others = [
        condition for condition, match in zip(conditions, found, strict=True) if match is not driver
    ]
    narrowed = rows.filter(*(condition.unindexed() for condition in others))
    before = page_before(before_id)
    if before is not None:
        narrowed = narrowed.filter(id__lt=before)
    ids = _newest_ids(narrowed, driver, size + 1)
    page = list(rows.filter(id__in=ids[:size]).order_by("-id"))
    return page, (page[-1]["id"] if len(ids) > size and page else None)


@dataclass
class _Matches:
    """What one condition matches: the distinct values of kept columns, the row ids of the
    others, or too many of either (common)."""

    values: dict[str, list[str]] = field(default_factory=dict)
    ids: list[int] = field(default_factory=list)
    is_common: bool = False

    @property
    def size(self) -> int:
        return sum(len(values) for values in self.values.values()) + len(self.ids)

    @property
    def is_empty(self) -> bool:
        return not self.is_common and self.size == 0


def _matches(model, condition: Contains) -> _Matches:
    match = _Matches()
    for column in condition.columns:
        if column in KEPT_COLUMNS:
            values, match.is_common = matching_values(column, condition.term, limit=MAX_VALUES)
            if values:
                match.values[column] = values
        else:
            ids = list(
                model._base_manager.filter(**{f"{column}__icontains": condition.term})
                .order_by()
                .values_list("id", flat=True)[: MAX_ROWS + 1]
            )
            match.is_common = len(ids) > MAX_ROWS
            match.ids += ids
        if match.is_common:
            break
    return match


def _newest_ids(rows, match: _Matches, count: int) -> list[int]:
    """The ``count`` newest ids of ``rows`` among those ``match`` found: for each matching
    value, its newest ``count`` rows through the (column, -id) index; the rows found by id."""
    parts, params = [], []
    for column, values in match.values.items():
        per_value = rows.filter(**{column: RawSQL(f"{_VALUE}.value", ())})  # noqa: S611
        sql, inner = per_value.order_by("-id").values("id")[:count].query.sql_with_params()
        parts.append(
            f"SELECT page.id FROM unnest(%s::text[]) AS {_VALUE}(value) "  # noqa: S608 - Django's SQL
            f"CROSS JOIN LATERAL ({sql}) AS page"
        )
        params += [values, *inner]
    if match.ids:
        by_id = rows.filter(id__in=match.ids).order_by("-id").values("id")[:count]
        sql, inner = by_id.query.sql_with_params()
        parts.append(sql)
        params += inner
    union = " UNION ".join(f"({part})" for part in parts)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM ({union}) AS found ORDER BY id DESC LIMIT %s",  # noqa: S608
            [*params, count],
        )
        return [row_id for (row_id,) in cursor.fetchall()]
