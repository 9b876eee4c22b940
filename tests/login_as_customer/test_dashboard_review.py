"""Two things the dashboard showed wrong, each test failing before its fix:

* the bar of the administrators (and end reasons) past the ten largest said "Other", which an
  administrator named Other also reads as — two bars of the same name; it now says how many
  it stands for;
* a date typed in another format than ISO 8601 filtered the period but its date field looked
  empty (a browser's date input shows nothing else)."""

import re
from datetime import date

import pytest
from django.utils import translation

from login_as_customer.admin_ui.dashboard.figures import TOP, Figures, top_with_other
from login_as_customer.admin_ui.dashboard.sections import sections


def _section(figures, section_id):
    return next(section for section in sections(figures) if section.id == section_id)


def test_the_rest_is_labelled_with_how_many_it_stands_for():
    counts = {f"admin{i:02d}": 100 - i for i in range(TOP)} | {"x": 1, "y": 2, "z": 3}

    ranked = top_with_other(counts, lambda n: f"{n} others")

    assert len(ranked) == TOP + 1
    assert ranked[-1] == ("3 others", 6)


def test_nothing_past_the_ten_largest_adds_no_bar():
    counts = {f"admin{i}": i + 1 for i in range(TOP)}
    assert len(top_with_other(counts, lambda n: "unused")) == TOP


def test_an_administrator_named_other_is_not_confused_with_the_rest():
    by_admin = [("Other", 50)] + [(f"admin{i:02d}", 40 - i) for i in range(TOP + 1)]
    figures = Figures(first_day=date(2026, 12, 1), last_day=date(2026, 12, 7), by_admin=by_admin)

    with translation.override("en"):
        rows = _section(figures, "by-admin").rows

    labels = [label for label, _count in rows]
    assert labels.count("Other") == 1  # the administrator
    assert labels[-1] == "2 other administrators"
    assert len(labels) == len(set(labels)) == TOP + 1


def test_one_other_end_reason_is_singular():
    by_end_reason = [(f"reason{i:02d}", 40 - i) for i in range(TOP + 1)]
    figures = Figures(
        first_day=date(2026, 12, 1), last_day=date(2026, 12, 7), by_end_reason=by_end_reason
    )

    with translation.override("en"):
        rows = _section(figures, "by-end-reason").rows

    assert rows[-1][0] == "1 other end reason"


# -- the period's fields show the dates they filtered on --------------------------------------

DASHBOARD = "/admin/login_as_customer/dashboard/"


def _date_values(response) -> dict[str, str]:
    html = response.content.decode()
    return {
        name: re.search(rf'<input type="date" name="{name}" value="([^"]*)"', html).group(1)
        for name in ("date_from", "date_to")
    }


@pytest.mark.django_db
def test_a_date_typed_in_another_format_is_shown_as_the_date_field_can_show_it(support_client):
    """A browser's date field shows nothing for a value that is not ISO 8601: the period was
    filtered on 2026-12-05 while its "To" field looked empty."""
    response = support_client.get(DASHBOARD, {"date_from": "11/20/2026", "date_to": "2026-12-5"})

    assert response.status_code == 200
    assert _date_values(response) == {"date_from": "2026-11-20", "date_to": "2026-12-05"}


@pytest.mark.django_db
def test_a_date_the_field_cannot_read_is_shown_as_typed_with_its_error(support_client):
    response = support_client.get(DASHBOARD, {"date_to": "yesterday"})

    assert response.status_code == 400
    assert _date_values(response)["date_to"] == "yesterday"
