"""Customers › Login as Customer › Dashboard in Chromium: reached from the menu by an auditor,
its charts with their tables, the website filter, a bad date's error, and axe-core in the light
and the dark theme. Saves docs/images/lac-dashboard.png under `make screenshots`."""

import random
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from login_as_customer.journal import Event, journal
from login_as_customer.models import AssistedSession, EndReason, SessionMode
from tests.browser.axe import axe_violations, blocking, describe
from tests.browser.conftest import admin_login, save_screenshot

pytestmark = pytest.mark.browser

DASHBOARD = "/admin/login_as_customer/dashboard/"
AGENTS = ["support", "admin", "agent.kim", "agent.lee", "agent.martin", "agent.nakamura"]
END_REASONS = [
    EndReason.CLOSED_BY_ADMIN,
    EndReason.CLOSED_BY_ADMIN,
    EndReason.IDLE_TIMEOUT,
    EndReason.MAX_DURATION,
    EndReason.TERMINATED,
    EndReason.CONSENT_REVOKED,
]

CHART_TITLES = (
    "Sessions per day",
    "Sessions by administrator",
    "Sessions by end reason",
    "Started sessions by number of actions",
)


def month_of_sessions(count=140):
    """``count`` sessions over the last 30 days on two websites, with a few actions each."""
    rng = random.Random(16)
    today = timezone.localdate()
    for number in range(count):
        day = today - timedelta(days=int(rng.expovariate(1 / 9)) % 30)
        created = datetime.combine(
            day, time(8 + number % 10), tzinfo=timezone.get_current_timezone()
        )
        redeemed = rng.random() > 0.08
        session = AssistedSession.objects.create(
            admin_username=rng.choice(AGENTS),
            customer_email=f"customer{number}@example.com",
            customer_name=f"Customer {number}",
            store_view_code="en",
            website_name="Main Website" if number % 5 else "Outlet Website",
            reason=f"ticket {number}" if rng.random() > 0.4 else "",
            mode=SessionMode.VIEW_ONLY if rng.random() > 0.8 else SessionMode.FULL,
            created_at=created,
            started_at=created if redeemed else None,
            ended_at=created + timedelta(minutes=rng.randint(2, 55)) if redeemed else created,
            end_reason=rng.choice(END_REASONS) if redeemed else EndReason.NEVER_REDEEMED,
        )
        for action in range(rng.randint(2, 9) if redeemed else 1):
            journal().write(Event(action=f"demo.{action}", session=session))


def figure(page, name):
    return page.locator(f"[data-testid=figure-{name}] .lac-big-number").inner_text()


def test_an_auditor_reads_the_dashboard_with_tables_filters_and_no_axe_violations(site, browser):
    month_of_sessions()
    failures = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(viewport={"width": 1366, "height": 900}, color_scheme=scheme)
        try:
            page = context.new_page()
            admin_login(page, site, "auditor")
            with page.expect_navigation():
                page.click(f"a[href='{DASHBOARD}']")

            assert page.locator("h1").inner_text() == "Login as Customer Dashboard"
            assert figure(page, "sessions") == "140"
            assert page.locator("svg.lac-chart[role=img]").count() == 4
            for title in CHART_TITLES:  # each chart is an image named by its title
                assert page.get_by_role("img", name=title).count() == 1, title
            # Each chart's table behind "Show as a table".
            section = page.locator("[data-testid=section-by-admin]")
            section.locator("summary").click()
            table = section.locator("table[data-testid=table-by-admin]")
            assert table.is_visible()
            assert table.locator("tbody tr").count() == len(AGENTS)
            found = blocking(axe_violations(page))
            if found:
                failures[f"dashboard ({scheme})"] = found
            if scheme == "light":
                section.locator("summary").click()  # closed again for the picture
                page.evaluate("window.scrollTo(0, 0)")
                save_screenshot(page, "lac-dashboard")

                page.select_option("#id_website", "Outlet Website")
                with page.expect_navigation():
                    page.click("[data-testid=dashboard-filters] button[type=submit]")
                assert "website=Outlet+Website" in page.url
                assert figure(page, "sessions") == "28"

                response = page.goto(f"{site}{DASHBOARD}?date_from=2026-03-02&date_to=2026-03-01")
                assert response.status == 400
                error = page.locator("[data-testid=dashboard-error]")
                assert error.inner_text() == "The start date is after the end date."
                assert page.locator("svg.lac-chart").count() == 0
                found = blocking(axe_violations(page))
                if found:
                    failures["dashboard with a bad period"] = found
        finally:
            context.close()

    assert not failures, "axe-core found serious or critical violations:\n" + describe(failures)
