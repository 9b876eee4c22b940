"""Step-up re-authentication in a real browser: an administrator whose password was entered too
long ago is asked for it in the confirmation dialog; a wrong one refuses, the right one opens the
storefront as the customer (through the browser-bound login link)."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.conf import settings
from django.utils import timezone

from login_as_customer import step_up
from login_as_customer.models import AssistedSession, LoginToken
from shopassist.core import areas
from shopassist.customers.models import Customer
from tests.browser.conftest import admin_login, open_dialog

pytestmark = pytest.mark.browser

BANNER = "[data-testid=lac-banner]"
PASSWORD = "input[name=password]"


def make_password_entry_stale(context, minutes=16):
    """What 16 minutes without entering the password leave in the admin session."""
    (key,) = [
        c["value"] for c in context.cookies() if c["name"] == settings.ADMIN_SESSION_COOKIE_NAME
    ]
    engine = import_module(settings.SESSION_ENGINE)
    session = areas.area_session_store(engine.SessionStore, areas.ADMIN)(key)
    step_up.record_password_entered(session, now=timezone.now() - timedelta(minutes=minutes))
    session.save()


def test_a_stale_admin_is_asked_a_wrong_password_refuses_the_right_one_starts(site, context):
    jane = Customer.objects.get(email="jane.doe@example.com")
    admin_tab = context.new_page()
    admin_login(admin_tab, site, "support")
    make_password_entry_stale(context)

    # The dialog asks for the password.
    dialog = open_dialog(admin_tab, site, jane)
    assert "Enter your password to continue." in dialog.inner_text()
    assert dialog.locator(PASSWORD).is_visible()

    # A wrong password: the new tab refuses and asks again; nothing started.
    dialog.locator(PASSWORD).fill("not-the-password")
    with context.expect_page() as new:
        dialog.locator(".lac-submit").click()
    tab = new.value
    tab.wait_for_load_state()
    assert "The password is not correct." in tab.inner_text("body")
    assert tab.locator(PASSWORD).is_visible()
    assert tab.locator(BANNER).count() == 0
    assert AssistedSession.objects.count() == 0 and LoginToken.objects.count() == 0
    assert admin_tab.locator(f"#lac-dialog-{jane.pk} {PASSWORD}").input_value() == ""

    # The right password, in that tab: the storefront opens as Jane.
    tab.locator(PASSWORD).fill("demo-support")
    tab.locator(".lac-submit").click()
    tab.wait_for_url(f"{site}/en/customer/account/")
    assert tab.locator(f"{BANNER} .lac-banner-text").inner_text() == (
        "You are connected as Jane Doe on Main Website"
    )
    assert len(context.pages) == 2  # answered in the tab it opened, no third one
    session = AssistedSession.objects.get()
    assert session.started_at is not None and session.admin_username == "support"
    # The binding cookie went with the spent link.
    assert not [c for c in context.cookies() if c["name"].startswith("sa_lac_bind_")]
    # Entered just now: the next start asks nothing.
    dialog = open_dialog(admin_tab, site, jane)
    assert dialog.locator(PASSWORD).count() == 0
