"""The banner's countdown, ticking in Chromium, writes hours from an hour up (lac_banner.js), as
the server wrote it: "1:29:59", not "89:59"; at zero the page asks the server again (found by
the screen review: "Time left: 0:00" stayed on a session that had ended)."""

import re

import pytest

from login_as_customer import config as lac_config
from shopassist.core.config.services import save_config_values
from shopassist.customers.models import Customer
from tests.browser.conftest import admin_login, confirm_in_new_tab, open_dialog

pytestmark = pytest.mark.browser


def test_the_countdown_ticks_in_hours_minutes_and_seconds(site, context):
    save_config_values(
        scope="default",
        scope_id=0,
        values={lac_config.MAX_DURATION: "90", lac_config.IDLE_TIMEOUT: "90"},
        actor=None,
    )
    admin_tab = context.new_page()
    admin_login(admin_tab, site, "support")
    jane = Customer.objects.get(email="jane.doe@example.com")
    store_tab = confirm_in_new_tab(context, open_dialog(admin_tab, site, jane), site)
    countdown = store_tab.locator(".lac-countdown")
    first = countdown.inner_text()

    store_tab.wait_for_function(
        "(first) => document.querySelector('.lac-countdown').textContent !== first", arg=first
    )

    assert re.fullmatch(r"1:2\d:\d\d", first), first
    assert re.fullmatch(r"1:2\d:\d\d", countdown.inner_text()), countdown.inner_text()


def test_at_zero_the_page_asks_the_server_again(site, context):
    """The browser's clock run forward past the time left (Playwright's clock, installed on the
    context before the tab opens): the tab loads its address again; the session, still live on
    the server, shows its new time left."""
    admin_tab = context.new_page()
    admin_login(admin_tab, site, "support")
    jane = Customer.objects.get(email="jane.doe@example.com")
    context.clock.install()
    store_tab = confirm_in_new_tab(context, open_dialog(admin_tab, site, jane), site)
    store_tab.goto(f"{site}/en/customer/account/#top")
    left = int(store_tab.locator(".lac-countdown").get_attribute("data-seconds-left"))

    # Loaded again without its fragment: a new page, not a scroll to #top.
    with store_tab.expect_navigation(url=f"{site}/en/customer/account/"):
        store_tab.clock.run_for((left + 3) * 1000)

    assert store_tab.locator("[data-testid=lac-banner]").is_visible()
    assert int(store_tab.locator(".lac-countdown").get_attribute("data-seconds-left")) > 0
