"""Parse list filters from a query string; bad values are reported, never raised."""

from __future__ import annotations

from datetime import datetime, time

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DateRangeForm(forms.Form):
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data

    def date_bounds(self):
        data = self.cleaned_data if self.is_valid() else {}
        start = data.get("date_from")
        end = data.get("date_to")
        tz = timezone.get_current_timezone()
        return (
            datetime.combine(start, time.min, tzinfo=tz) if start else None,
            datetime.combine(end, time.max, tzinfo=tz) if end else None,
        )


def apply_date_range(queryset, field: str, bounds):
    start, end = bounds
    if start:
        queryset = queryset.filter(**{f"{field}__gte": start})
    if end:
        queryset = queryset.filter(**{f"{field}__lte": end})
    return queryset


def page_before(before_id: str | None) -> int | None:
    """The id a next page starts before (the query string's ``before``), or None for the
    first page: ASCII digits only ("²" is a digit to ``str.isdigit`` but not to ``int``), at
    most the 19 of a 64-bit id (``int()`` refuses a string of more than 4,300 digits)."""
    if before_id and before_id.isascii() and before_id.isdigit() and len(before_id) <= 19:
        return int(before_id)
    return None


def keyset_page(queryset, *, before_id: str | None, size: int):
    """Newest first, paged by id (no COUNT over millions of rows). ``queryset`` is of
    ``values()`` (rows as dicts, with their "id")."""
    before = page_before(before_id)
    if before is not None:
        queryset = queryset.filter(id__lt=before)
    rows = list(queryset.order_by("-id")[: size + 1])
    has_more = len(rows) > size
    rows = rows[:size]
    return rows, (rows[-1]["id"] if has_more and rows else None)
