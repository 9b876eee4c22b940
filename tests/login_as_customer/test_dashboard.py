"""Issue 16 point 4: Customers › Login as Customer › Dashboard — who may see it, its figures on a
known set of sessions, its filters, its refusals of bad filters, a table for every chart, and a
number of statements that does not grow with the sessions."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from login_as_customer.admin_ui.dashboard.charts import Point, bar_chart, column_chart
from login_as_customer.admin_ui.dashboard.figures import dashboard_figures, median_of_counts
from login_as_customer.admin_ui.dashboard.sections import decimal, percent
from login_as_customer.journal import Event, OwnJournal, journal
from login_as_customer.models import AssistedSession, EndReason, SessionMode
from tests.audit.helpers import table

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("admin:login_as_customer_dashboard")
MAIN, OUTLET = "Main Website", "Outlet Website"
CHART_SECTIONS = ("per-day", "by-admin", "by-end-reason", "actions")


def days_ago(days: int, hour: int = 10):
    day = timezone.localdate() - timedelta(days=days)
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def session(
    staff,
    *,
    created,
    minutes=None,
    end_reason="",
    reason="",
    mode=SessionMode.FULL,
    website=MAIN,
    actions=0,
    running=False,
    kept=True,
):
    """A session requested at ``created``, started then and ended ``minutes`` later (never
    started when ``minutes`` is None; still running if ``running``), with ``actions`` events
    in the journal — and kept on the session once it has ended, as the end flow keeps them."""
    started = None if minutes is None else created
    ended = None if minutes is None or running else created + timedelta(minutes=minutes)
    row = AssistedSession.objects.create(
        admin=staff,
        admin_username=staff.username,
        customer_email="jane.doe@example.com",
        customer_name="Jane Doe",
        store_view_code="en",
        website_name=website,
        reason=reason,
        mode=mode,
        created_at=created,
        started_at=started,
        ended_at=ended if minutes is not None else (created if end_reason else None),
        end_reason=end_reason,
        action_count=actions if kept and not running else None,
    )
    for number in range(actions):
        journal().write(Event(action=f"bench.action{number}", session=row))
    return row


@pytest.fixture
def known_sessions(support_agent, administrator):
    """Four sessions in the last 30 days and one before them."""
    session(
        support_agent,
        created=days_ago(1),
        minutes=10,
        end_reason=EndReason.CLOSED_BY_ADMIN,
        reason="ticket 1",
        actions=4,
    )
    session(
        support_agent,
        created=days_ago(1, 12),
        minutes=20,
        end_reason=EndReason.IDLE_TIMEOUT,
        mode=SessionMode.VIEW_ONLY,
        actions=3,
    )
    session(
        administrator,
        created=days_ago(3),
        minutes=30,
        end_reason=EndReason.CLOSED_BY_ADMIN,
        reason="ticket 3",
        actions=2,
    )
    session(
        administrator,
        created=days_ago(3, 11),
        end_reason=EndReason.NEVER_REDEEMED,
        website=OUTLET,
        actions=1,
    )
    session(support_agent, created=days_ago(40), minutes=5, end_reason=EndReason.MAX_DURATION)


def figure(response, name: str) -> str:
    match = re.search(
        rf'data-testid="figure-{name}">.*?<strong class="lac-big-number">(.*?)</strong>'
        r'\s*<span class="lac-big-number-detail">(.*?)</span>',
        response.content.decode(),
        re.S,
    )
    assert match, name
    return f"{match[1]} | {match[2]}"


def rows(response, section: str) -> list[list[str]]:
    return table(response, **{"data-testid": f"table-{section}"})[1:]


def test_the_auditor_sees_the_dashboard_in_the_menu(auditor, admin_client_for):
    client = admin_client_for(auditor)

    response = client.get(DASHBOARD)

    assert response.status_code == 200
    assert DASHBOARD.encode() in client.get(reverse("admin:index")).content


def test_staff_without_view_log_get_403_and_no_menu_entry(clerk, admin_client_for):
    client = admin_client_for(clerk)
    before = AssistedSession.objects.count()

    response = client.get(DASHBOARD)

    assert response.status_code == 403
    assert b"lac-big-number" not in response.content
    assert DASHBOARD.encode() not in client.get(reverse("admin:index")).content
    assert AssistedSession.objects.count() == before


def test_the_dashboard_is_get_only(support_client):
    assert support_client.post(DASHBOARD).status_code == 405


def test_the_figures_of_the_last_30_days(support_client, known_sessions):
    response = support_client.get(DASHBOARD)

    assert response.status_code == 200
    assert figure(response, "sessions") == "4 | 3 started"
    assert figure(response, "median-duration") == "20 min 00 s | of 3 ended sessions"
    assert figure(response, "actions") == "3.0 | mean; median 3.0, of 3 started sessions"
    assert figure(response, "reason-share") == "50.0% | 2 of 4 sessions"
    assert figure(response, "view-only-share") == "25.0% | 1 of 4 sessions"
    per_day = dict(rows(response, "per-day"))
    assert len(per_day) == 30
    assert per_day[str(timezone.localdate() - timedelta(days=1))] == "2"
    assert per_day[str(timezone.localdate() - timedelta(days=3))] == "2"
    assert sum(int(n) for n in per_day.values()) == 4
    assert rows(response, "by-admin") == [["admin", "2"], ["support", "2"]]
    assert rows(response, "by-end-reason") == [
        ["Closed by the administrator", "2"],
        ["Idle timeout", "1"],
        ["Login link never used", "1"],
    ]
    assert rows(response, "actions") == [["0", "0"], ["1", "0"], ["2", "1"], ["3", "1"], ["4", "1"]]


def test_shares_and_means_are_rounded_not_cut_off():
    assert [percent(2 / 3), percent(1 / 3), percent(0.9996), percent(0), percent(None)] == [
        "66.7%",
        "33.3%",
        "100.0%",
        "0.0%",
        "—",
    ]
    assert [decimal(8 / 3), decimal(2.96), decimal(None)] == ["2.7", "3.0", "—"]
    # Half up, as a person rounds (``round`` takes ties to the even digit: 2.2 and 6.2%).
    assert [decimal(9 / 4), decimal(2.75), percent(1 / 16)] == ["2.3", "2.8", "6.3%"]
    assert percent(23 / 80) == "28.8%"  # not 28.749999999999996 cut to 28.7


def test_the_website_filter_changes_the_figures(support_client, known_sessions):
    main = support_client.get(DASHBOARD, {"website": MAIN})
    outlet = support_client.get(DASHBOARD, {"website": OUTLET})

    assert figure(main, "sessions") == "3 | 3 started"
    assert rows(main, "by-admin") == [["support", "2"], ["admin", "1"]]
    assert figure(outlet, "sessions") == "1 | 0 started"
    assert figure(outlet, "median-duration") == "— | of 0 ended sessions"
    assert rows(outlet, "by-end-reason") == [["Login link never used", "1"]]
    # Both websites are offered, the chosen one selected.
    page = outlet.content.decode()
    assert f'<option value="{MAIN}">{MAIN}</option>' in page
    assert f'<option value="{OUTLET}" selected>{OUTLET}</option>' in page


def test_the_date_range_changes_the_figures(support_client, known_sessions):
    today = timezone.localdate()
    longer = support_client.get(
        DASHBOARD, {"date_from": str(today - timedelta(days=45)), "date_to": str(today)}
    )
    two_days = support_client.get(
        DASHBOARD, {"date_from": str(today - timedelta(days=1)), "date_to": str(today)}
    )

    assert figure(longer, "sessions") == "5 | 4 started"
    # 5, 10, 20 and 30 minutes: the two middle ones' mean
    assert figure(longer, "median-duration") == "15 min 00 s | of 4 ended sessions"
    assert len(rows(longer, "per-day")) == 46
    assert figure(two_days, "sessions") == "2 | 2 started"
    assert figure(two_days, "view-only-share") == "50.0% | 1 of 2 sessions"
    assert rows(two_days, "by-admin") == [["support", "2"]]


@pytest.mark.parametrize(
    "query, error",
    [
        ({"date_from": "yesterday"}, "Enter a valid date."),
        ({"date_to": "2026-02-30"}, "Enter a valid date."),
        ({"date_from": "2026-03-02", "date_to": "2026-03-01"}, "The start date is after"),
        ({"date_from": "2024-01-01", "date_to": "2026-01-01"}, "at most 366 days"),
        ({"website": "x" * 300}, "Ensure this value has at most 255 characters"),
        # The calendar's edges: a default start before its first day, a day after its last.
        ({"date_to": "0001-01-05"}, "greater than or equal to 1970-01-01"),
        ({"date_from": "9999-12-31", "date_to": "9999-12-31"}, "less than or equal to 9999-12-30"),
    ],
)
def test_bad_filters_give_a_form_error_not_a_500(support_client, query, error):
    response = support_client.get(DASHBOARD, query)

    assert response.status_code == 400
    assert error in response.content.decode()
    assert b"lac-chart" not in response.content


def test_every_chart_has_its_table(support_client, known_sessions):
    page = support_client.get(DASHBOARD).content.decode()

    charts = re.findall(r'<svg class="lac-chart"[^>]*aria-labelledby="([^"]+)"', page)
    assert len(charts) == len(CHART_SECTIONS)
    for section in CHART_SECTIONS:
        chunk = page.split(f'data-testid="section-{section}"')[1].split("</section>")[0]
        assert 'role="img"' in chunk and "<title id=" in chunk and "<desc id=" in chunk
        assert f'<table data-testid="table-{section}">' in chunk
    assert '<table data-testid="table-summary">' in page


def test_the_charts_escape_their_labels():
    label = '<script>alert("x")</script> & co'
    drawings = [
        bar_chart(chart_id="t", title=label, description=label, points=[Point(label, 3)]),
        column_chart(chart_id="t", title=label, description=label, points=[Point(label, 3)]),
    ]

    for svg in drawings:
        assert "<script>" not in svg
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in svg


def test_the_median_of_counts():
    assert median_of_counts({}) is None
    assert median_of_counts({3: 1}) == 3
    assert median_of_counts({2: 1, 3: 1, 4: 1}) == 3
    assert median_of_counts({0: 2, 10: 2}) == 5
    assert median_of_counts({1: 5, 100: 1}) == 1


@pytest.mark.parametrize("sessions", [1, 30])
def test_the_statements_do_not_grow_with_the_sessions(
    support_client, support_agent, sessions, django_assert_max_num_queries
):
    for number in range(sessions):
        session(
            support_agent,
            created=days_ago(number % 20),
            minutes=number % 7 + 1,
            end_reason=EndReason.CLOSED_BY_ADMIN,
            actions=2,
        )
    support_client.get(DASHBOARD)  # per-process memos (store views, grants) filled first

    # the admin session and user, the overdue sweep, per day, per website × administrator ×
    # end reason, the median, the ended sessions by their kept count of actions (the journal
    # is read only for sessions still running: test_running_sessions_are_counted_in_the_journal)
    with django_assert_max_num_queries(7):
        response = support_client.get(DASHBOARD)

    assert response.status_code == 200


def test_running_sessions_are_counted_in_the_journal(support_agent):
    """Ended sessions keep their count; a running one (or one ended before counts were kept)
    is counted in the journal, and the two add up."""
    session(support_agent, created=days_ago(1), minutes=5, actions=2)
    session(support_agent, created=days_ago(1), minutes=5, actions=3, running=True)
    session(support_agent, created=days_ago(1), minutes=5, actions=3, kept=False)
    session(support_agent, created=days_ago(1), minutes=5, actions=0, running=True)

    figures = dashboard_figures(first_day=days_ago(29).date(), last_day=days_ago(0).date())

    assert figures.actions == {2: 1, 3: 2, 0: 1}


def test_both_journals_count_sessions_by_their_events(support_agent):
    """ShopAssist's action log and the package's own table (``OwnJournal``) answer alike."""
    sessions = [
        session(support_agent, created=days_ago(2), minutes=5, actions=n) for n in (1, 3, 3)
    ]
    own = OwnJournal()
    for row, n in zip(sessions, (2, 2, 5), strict=True):
        for number in range(n):
            own.write(Event(action=f"own.{number}", session=row))
    ids = AssistedSession.objects.filter(pk__in=[s.pk for s in sessions])

    assert journal().sessions_by_event_count(ids) == {1: 1, 3: 2}
    assert own.sessions_by_event_count(ids) == {2: 2, 5: 1}
    assert own.sessions_by_event_count(ids, id_range=(0, sessions[0].pk - 1)) == {}
    assert own.sessions_by_event_count(ids.none()) == {}


def test_an_empty_period_says_so_instead_of_empty_charts(support_client, support_agent):
    empty = support_client.get(DASHBOARD).content.decode()
    # today: a past day is stored by the first request, as sessions cannot be requested on it
    session(support_agent, created=timezone.now(), end_reason=EndReason.NEVER_REDEEMED)
    none_started = support_client.get(DASHBOARD).content.decode()

    # The days keep their chart (a column of 0 a day); the others have no bar to draw.
    assert 'aria-labelledby="lac-chart-per-day' in empty
    for section in ("by-admin", "by-end-reason", "actions"):
        assert f'aria-labelledby="lac-chart-{section}' not in empty
    for section in ("by-admin", "by-end-reason"):
        said = f'data-testid="empty-{section}">No assisted sessions in this period.</p>'
        assert said in empty
    assert 'data-testid="empty-actions">No assisted session started in this period.' in empty
    assert 'data-testid="empty-per-day"' not in empty
    # A session that never started: charted by administrator and end reason, not by actions.
    assert 'aria-labelledby="lac-chart-by-admin' in none_started
    assert 'aria-labelledby="lac-chart-actions' not in none_started
    assert 'data-testid="empty-actions">No assisted session started in this period.' in (
        none_started
    )
