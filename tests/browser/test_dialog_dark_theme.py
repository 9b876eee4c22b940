"""The admin's Login as Customer dialog in the dark theme: its two warnings — the customer has
not enabled "Allow remote shopping assistance", and confirming closes the session open in this
browser — are pale boxes whose text was the theme's white (about 1.1:1); axe-core measures the
contrast of the dialog as drawn (found by the screen review)."""

import pytest

from shopassist.customers.models import Customer
from tests.browser.axe import axe_violations, blocking, describe
from tests.browser.conftest import admin_login, confirm_in_new_tab, open_dialog

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}


def test_the_dialogs_warnings_are_legible_in_the_dark_theme(site, browser):
    chen = Customer.objects.get(email="chen.wei@example.com")  # has not consented
    jane = Customer.objects.get(email="jane.doe@example.com")
    context = browser.new_context(viewport=DESKTOP, color_scheme="dark")
    try:
        admin = context.new_page()
        admin_login(admin, site, "admin")
        found = {}

        dialog = open_dialog(admin, site, chen)
        notice = dialog.locator(".lac-notice")
        assert "Allow remote shopping assistance" in notice.inner_text()
        found["no consent"] = axe_violations(admin)

        store = confirm_in_new_tab(context, open_dialog(admin, site, jane), site)
        assert store.locator("[data-testid=lac-banner]").is_visible()
        dialog = open_dialog(admin, site, jane)
        assert dialog.locator("[data-testid=lac-open-session]").is_visible()
        found["session open in this browser"] = axe_violations(admin)
    finally:
        context.close()

    failures = {name: blocking(violations) for name, violations in found.items()}
    failures = {name: violations for name, violations in failures.items() if violations}
    assert not failures, "axe-core found serious or critical violations:\n" + describe(failures)
