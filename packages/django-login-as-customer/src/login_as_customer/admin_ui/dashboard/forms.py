"""The dashboard's filters, read from the query string: a period and a website. Bad values are
the form's errors, never an exception."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

DEFAULT_DAYS = 30  # the period shown when none is asked for: the last 30 days, today included
MAX_DAYS = 366  # at most a year of days in one chart
# The dates a period may name: no session is older, and a day after the last one must exist
# (a period ends at the next day's midnight, in any time zone).
FIRST_DATE, LAST_DATE = date(1970, 1, 1), date.max - timedelta(days=1)
_IN_RANGE = [MinValueValidator(FIRST_DATE), MaxValueValidator(LAST_DATE)]


class DashboardFilterForm(forms.Form):
    date_from = forms.DateField(
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=_IN_RANGE,
    )
    date_to = forms.DateField(
        label=_("To"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=_IN_RANGE,
    )
    # The websites' names as the sessions recorded them; its options are the websites with
    # sessions in the period (``set_websites``): a name without any shows no sessions.
    website = forms.CharField(label=_("Website"), required=False, max_length=255)

    def __init__(self, data, *, today: date):
        data = data.copy()
        # Missing dates are the default period (shown in the fields): up to today, 30 days.
        if not data.get("date_to"):
            data["date_to"] = today.isoformat()
        super().__init__(data)
        if not data.get("date_from"):
            # The end as the field reads it (any format it accepts, "2024-1-5", "01/05/2024");
            # one it cannot read is its own error (the start is then today's default one).
            try:
                last_day = self.fields["date_to"].to_python(data["date_to"])
            except forms.ValidationError:
                last_day = today
            # Before the calendar's first day: the first day (date_to's own error says why).
            first = max(last_day.toordinal() - (DEFAULT_DAYS - 1), date.min.toordinal())
            self.data["date_from"] = date.fromordinal(first).isoformat()
        # A date the field reads in another format ("01/05/2024") is shown as the date input
        # can show it: a browser's date field shows nothing for anything but ISO 8601.
        for name in ("date_from", "date_to"):
            try:
                day = self.fields[name].to_python(self.data[name])
            except forms.ValidationError:
                continue  # shown as typed, with its error
            if day is not None:
                self.data[name] = day.isoformat()
        self.fields["website"].widget = forms.Select(choices=[("", _("All websites"))])

    def clean(self):
        data = super().clean()
        first_day, last_day = data.get("date_from"), data.get("date_to")
        if first_day and last_day:
            if first_day > last_day:
                raise forms.ValidationError(_("The start date is after the end date."))
            if (last_day - first_day).days + 1 > MAX_DAYS:
                raise forms.ValidationError(
                    _("Choose a period of at most %(days)s days."), params={"days": MAX_DAYS}
                )
        return data

    def set_websites(self, names) -> None:
        """The website options: every website with sessions in the period, and the one asked
        for (kept, so that the form shows what it filtered on)."""
        names = set(names)
        asked = self.cleaned_data.get("website") if self.is_valid() else ""
        if asked:
            names.add(asked)
        self.fields["website"].widget.choices = [("", _("All websites"))] + [
            (name, name) for name in sorted(names)
        ]
