"""Issue 13 points 1, 5 and 8 in a real browser: the confirmation dialog's buttons, the banner
gone once Close session ended the session, and a second session started in the same browser
announced in the dialog and in the tab it replaces."""

import os
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext

from login_as_customer.models import AssistedSession, EndReason
from shopassist.audit.models import ActionLogEntry
from shopassist.customers.models import Customer
from tests.browser.conftest import admin_login, confirm_in_new_tab, open_dialog

pytestmark = pytest.mark.browser

BANNER = "[data-testid=lac-banner]"
TAB_CLOSED = "[data-testid=lac-tab-closed]"
OPEN_SESSION = "[data-testid=lac-open-session]"
# LAC_UX_SHOTS=DIR keeps what these tests saw (the dialog, the closed pages) to look at.
SHOTS = os.environ.get("LAC_UX_SHOTS")


def shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"))


def customer(email) -> Customer:
    return Customer.objects.get(email=email)


def in_language(language, message, **values) -> str:
    with translation.override(language):
        return gettext(message) % values


def background_of(page, selector) -> str:
    return page.locator(selector).evaluate("e => getComputedStyle(e).backgroundColor")


def admin_colour(page, variable) -> str:
    """A colour of the admin's theme (a CSS variable), as computed styles report colours."""
    return page.evaluate(
        """variable => {
            const probe = document.createElement("div");
            probe.style.background = `var(${variable})`;
            document.body.append(probe);
            const colour = getComputedStyle(probe).backgroundColor;
            probe.remove();
            return colour;
        }""",
        variable,
    )


def test_the_dialog_confirms_with_its_primary_button_and_close_session_drops_the_banner(
    site, context
):
    jane = customer("jane.doe@example.com")
    admin_tab = context.new_page()
    admin_login(admin_tab, site, "support")

    # Point 8: "Login as Customer" is the primary (filled) button, Cancel the neutral one,
    # the confirming action last (rightmost).
    dialog = open_dialog(admin_tab, site, jane)
    cancel, submit = dialog.locator(".lac-cancel"), dialog.locator(".lac-submit")
    # Colours at rest: without the focus the dialog gives its first button, mid-transition.
    admin_tab.add_style_tag(content="* { transition: none !important; }")
    admin_tab.evaluate("document.activeElement.blur()")
    primary = admin_colour(admin_tab, "--default-button-bg")
    neutral = admin_colour(admin_tab, "--close-button-bg")
    assert background_of(admin_tab, f"#lac-dialog-{jane.pk} .lac-submit") == primary
    assert background_of(admin_tab, f"#lac-dialog-{jane.pk} .lac-cancel") == neutral
    assert primary != neutral
    assert submit.evaluate("e => getComputedStyle(e).color") == "rgb(255, 255, 255)"
    assert submit.bounding_box()["x"] > cancel.bounding_box()["x"]
    assert dialog.locator(OPEN_SESSION).count() == 0  # nothing open in this browser yet
    shot(admin_tab, "dialog")

    # Point 1: after Close session, the page says it closed, with no banner, no time left,
    # no Close session button, and the header of a visitor.
    store_tab = confirm_in_new_tab(context, dialog, site)
    assert store_tab.locator(BANNER).is_visible()
    store_tab.click(f"{BANNER} .lac-banner-close")
    store_tab.wait_for_url(f"{site}/en/login_as_customer/close/")

    assert "You are no longer connected as Jane Doe." in store_tab.inner_text("body")
    assert store_tab.locator(BANNER).count() == 0
    assert store_tab.locator(".lac-countdown, .lac-banner-close").count() == 0
    assert "You are connected as" not in store_tab.inner_text("body")
    links = store_tab.locator(".sf-account-links")
    assert "Sign In" in links.inner_text() and "Sign Out" not in links.inner_text()
    shot(store_tab, "closed")
    session = AssistedSession.objects.get()
    assert session.end_reason == EndReason.CLOSED_BY_ADMIN
    # The browser no longer holds it: a dialog opened now warns of nothing.
    assert open_dialog(admin_tab, site, jane).locator(OPEN_SESSION).count() == 0


def test_a_second_session_in_the_same_browser_is_announced_and_closes_the_first(site, context):
    marie, kim = customer("marie.dupont@example.com"), customer("kim.minji@example.com")
    admin_tab = context.new_page()
    admin_login(admin_tab, site, "support")
    marie_tab = confirm_in_new_tab(context, open_dialog(admin_tab, site, marie), site, "fr")
    assert "Marie Dupont" in marie_tab.locator(f"{BANNER} .lac-banner-text").inner_text()
    (marie_session,) = AssistedSession.objects.all()

    # The dialog for Kim says what confirming will do to Marie's session.
    dialog = open_dialog(admin_tab, site, kim)
    warning = dialog.locator(OPEN_SESSION)
    assert warning.inner_text() == (
        "An assisted session as Marie Dupont is open in this browser. Confirming will close it."
    )
    shot(admin_tab, "dialog-second-session")

    kim_tab = confirm_in_new_tab(context, dialog, site, "ko")

    kim_session = AssistedSession.objects.exclude(pk=marie_session.pk).get()
    marie_session.refresh_from_db()
    assert marie_session.end_reason == EndReason.REPLACED
    assert marie_session.ended_at is not None and kim_session.ended_at is None
    end = ActionLogEntry.objects.get(assisted_session_id=marie_session.pk, action="end")
    assert end.details == {"reason": "replaced", "replaced_by": kim_session.pk}
    # The new tab says it too (in Kim's store view's language).
    message = "The assisted session as %(name)s was closed because you started one as %(other)s."
    names = {"name": "Marie Dupont", "other": "Kim Minji"}
    assert in_language("ko", message, **names) in kim_tab.inner_text("main")
    assert "Kim Minji" in kim_tab.locator(f"{BANNER} .lac-banner-text").inner_text()
    shot(kim_tab, "new-tab")

    # Marie's tab, left as it was, says why it closed (in its own language) and takes no input:
    # its Close session button and links would now act in Kim's session.
    notice = marie_tab.locator(TAB_CLOSED)
    notice.wait_for()
    assert notice.inner_text() == in_language("fr", message, **names)
    assert marie_tab.locator(f"{BANNER} .lac-banner-close").count() == 0
    assert marie_tab.locator("main").evaluate("e => e.inert")
    assert marie_tab.locator("header").evaluate("e => e.inert")
    shot(marie_tab, "replaced-tab")
    # Kim's own tab goes on.
    assert kim_tab.locator(TAB_CLOSED).count() == 0
    assert kim_tab.locator(f"{BANNER} .lac-banner-close").is_visible()
