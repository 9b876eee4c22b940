"""The banner's countdown, ticking in Chromium, writes hours from an hour up (lac_banner.js), as
the server wrote it: "1:29:59", not "89:59"."""

import re

import pytest

from login_as_customer import config as lac_config
from shopassist.core.config.services import save_config_values
from shopassist.customers.models import Customer
from tests.browser.conftest import admin_login, confirm_in_new_tab, open_dialog

pytestmark = pytest.mark.browser


def test_the_countdown_ticks_in_hours_minutes_and_seconds(site, context):
    save_config_values(
        scope="default", scope_id=0, values={lac_config.MAX_DURATION: "90"}, actor=None
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
