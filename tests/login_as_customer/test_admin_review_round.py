"""A reviewer's round on the admin pages of Login as Customer: the confirmation page of a
disabled feature, an over-long reason, the dashboard's default start date, and the charts'
tooltips in French. Every refusal also shows that nothing else happened."""

import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import trans_real

from login_as_customer import config as lac_config
from login_as_customer.admin_ui.dashboard import charts
from login_as_customer.admin_ui.dashboard.charts import Point, bar_chart, column_chart
from login_as_customer.admin_ui.dashboard.forms import DashboardFilterForm
from login_as_customer.errors import DenialCode, message_for
from login_as_customer.models import AssistedSession
from shopassist.audit.models import ActionLogEntry, Outcome
from tests.audit.helpers import log_snapshot
from tests.login_as_customer.assisted import confirm_url, lac_snapshot, start, start_assisted

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("admin:login_as_customer_dashboard")
CONFIRM_FORM = 'data-testid="lac-confirm-form"'
WARNING = "You are about to Login as Customer."
REASON_LIMIT = AssistedSession._meta.get_field("reason").max_length
TOOLTIP = "%(label)s: %(value)s"
FRENCH_TOOLTIP = "%(label)s\u00a0: %(value)s"  # typography: a no-break space before the colon


def new_log_entries(before: list[dict]) -> list[ActionLogEntry]:
    seen = {entry["id"] for entry in before}
    return [entry for entry in ActionLogEntry.objects.order_by("id") if entry.id not in seen]


# --- 3. The confirmation page of a disabled feature ------------------------------------------


def test_the_confirmation_page_is_refused_while_the_feature_is_disabled(
    support_client, jane, set_config
):
    assert CONFIRM_FORM in support_client.get(confirm_url(jane.pk)).content.decode()
    set_config({lac_config.ENABLED: "0"})
    before = (lac_snapshot(), log_snapshot())

    response = support_client.get(confirm_url(jane.pk))

    assert response.status_code == 403
    page = response.content.decode()
    assert escape(message_for(DenialCode.FEATURE_DISABLED)) in page
    assert CONFIRM_FORM not in page and WARNING not in page
    assert (lac_snapshot(), log_snapshot()) == before


def test_the_view_only_trainee_gets_the_same_refusal(trainee, jane, set_config, admin_client_for):
    client = admin_client_for(trainee)
    assert CONFIRM_FORM in client.get(confirm_url(jane.pk)).content.decode()
    set_config({lac_config.ENABLED: "0"})
    before = (lac_snapshot(), log_snapshot())

    response = client.get(confirm_url(jane.pk))

    assert response.status_code == 403
    assert CONFIRM_FORM not in response.content.decode()
    assert (lac_snapshot(), log_snapshot()) == before


# --- 4. An over-long reason ------------------------------------------------------------------


def test_a_reason_longer_than_the_field_is_refused_and_nothing_starts(support_client, jane):
    before_lac, before_log = lac_snapshot(), log_snapshot()

    response = start(support_client, jane, reason="x" * 5000)

    assert response.status_code == 403
    page = response.content.decode()
    assert f"at most {REASON_LIMIT} characters" in page
    assert 'id="lac-redeem-form"' not in page
    assert lac_snapshot() == before_lac
    # The refusal is recorded as every refused start is, and nothing else.
    [denial] = new_log_entries(before_log)
    assert denial.action == "start_denied"
    assert denial.outcome == Outcome.DENIED
    assert denial.details["code"] == DenialCode.REASON_TOO_LONG
    assert denial.details["reason_length"] == 5000
    assert denial.details["max_length"] == REASON_LIMIT
    assert denial.details["customer_id"] == jane.pk


def test_a_reason_of_the_fields_length_is_kept_whole(support_client, jane):
    reason = "y" * REASON_LIMIT

    start_assisted(support_client, jane, reason=f"  {reason}  ")

    assert AssistedSession.objects.get().reason == reason


def test_one_character_more_is_refused(support_client, jane):
    before = lac_snapshot()

    response = start(support_client, jane, reason="y" * (REASON_LIMIT + 1))

    assert response.status_code == 403
    assert f"at most {REASON_LIMIT} characters" in response.content.decode()
    assert lac_snapshot() == before


def test_the_dialogs_reason_field_carries_the_fields_max_length(support_client, jane, set_config):
    set_config({lac_config.REQUIRE_REASON: "1"})

    page = support_client.get(confirm_url(jane.pk)).content.decode()

    field = page.split('name="reason"')[1].split(">")[0]
    assert f'maxlength="{REASON_LIMIT}"' in field


# --- 5. The dashboard's default start date ---------------------------------------------------


@pytest.mark.parametrize("date_to", ["2024-1-5", "01/05/2024", "2024-01-05"])
def test_the_default_start_is_30_days_before_a_date_to_in_any_accepted_format(date_to):
    form = DashboardFilterForm(QueryDict(f"date_to={date_to}"), today=date(2025, 6, 1))

    assert form.is_valid(), form.errors
    assert form.cleaned_data["date_from"] == date(2023, 12, 7)
    assert form.cleaned_data["date_to"] == date(2024, 1, 5)


@pytest.mark.parametrize("date_to", ["2024-1-5", "01/05/2024"])
def test_the_dashboard_shows_the_period_ending_on_that_date(support_client, date_to):
    with translation.override("en"):
        response = support_client.get(DASHBOARD, {"date_to": date_to})

    assert response.status_code == 200
    page = response.content.decode()
    assert "The start date is after the end date." not in page
    assert 'value="2023-12-07"' in page


def test_an_unreadable_date_to_is_still_its_own_error(support_client):
    response = support_client.get(DASHBOARD, {"date_to": "2024-13-05"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a valid date." in page
    assert "The start date is after the end date." not in page


# --- 6. The charts' tooltips in French -------------------------------------------------------


@pytest.fixture
def french_tooltip(monkeypatch):
    """The French catalogue with the translation the lead will add for the new msgid."""
    catalog = trans_real.translation("fr")._catalog
    monkeypatch.setitem(catalog._catalogs[0], TOOLTIP, FRENCH_TOOLTIP)


def tooltips(svg: str) -> list[str]:
    return [part.split("</title>")[0] for part in svg.split("<title>")[1:]]


def drawings(points):
    return [
        bar_chart(chart_id="t", title="T", description="D", points=points),
        column_chart(chart_id="t", title="T", description="D", points=points),
    ]


def test_french_tooltips_follow_the_catalogues_pattern(french_tooltip):
    with translation.override("fr"):
        svgs = drawings([Point("Jeanne", 3), Point("100%", 1200)])
        thousands = charts.number(1200)  # French groups digits with a no-break space too

    for svg in svgs:
        assert tooltips(svg) == ["Jeanne\u00a0: 3", f"100%\u00a0: {thousands}"]


def test_english_tooltips_are_unchanged():
    with translation.override("en"):
        svgs = drawings([Point("Jane <b>", 3)])

    for svg in svgs:
        assert tooltips(svg) == ["Jane &lt;b&gt;: 3"]


def test_the_tooltip_pattern_is_found_by_makemessages(tmp_path):
    """xgettext, with the keywords makemessages gives it, finds the pattern in charts.py."""
    output = tmp_path / "charts.po"
    subprocess.run(
        [
            "xgettext",
            "--language=Python",
            "--from-code=UTF-8",
            "--keyword=gettext_noop",
            "--keyword=gettext_lazy",
            "--keyword=pgettext:1c,2",
            "--output",
            str(output),
            str(Path(charts.__file__)),
        ],
        check=True,
    )

    assert f'msgid "{TOOLTIP}"' in output.read_text()
