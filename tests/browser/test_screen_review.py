"""The Login as Customer screens as a person sees them (a screen review): at a desktop (1280) and
a phone (390) width, in French, Korean and Traditional Chinese, with long names and e-mail
addresses — no page wider than its screen, no word cut in two, no date broken over three lines,
every button in reach, the customer named in the dialog."""

import re
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.utils import timezone

from login_as_customer.flows.consent import set_consent
from login_as_customer.journal import Event, journal
from login_as_customer.models import AssistedSession, EndReason, SessionMode
from shopassist.core.actor import Actor
from shopassist.customers.models import Customer
from shopassist.demo.data import CUSTOMER_PASSWORD
from shopassist.stores.models import StoreView
from tests.browser.conftest import admin_login, confirm_in_new_tab, open_dialog, storefront_login
from tests.browser.test_dashboard import month_of_sessions
from tests.browser.test_lac_ux import admin_colour, background_of
from tests.browser.test_layout import _OVERFLOW

pytestmark = pytest.mark.browser

DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
NB = "\u00a0"
MARIE = "marie.dupont@example.com"
LONG_EMAIL = "haneulbit.nuri.areumdaun.namgung-seoyeon@example-long-domain.co.kr"

# The lines a piece of text takes: its line boxes, told apart by their tops.
_LINES = """element => {
  const range = document.createRange();
  range.selectNodeContents(element);
  return new Set([...range.getClientRects()].map(box => Math.round(box.top))).size;
}"""


# Whether a cell's "2026-12-07 13:38:24" keeps its date on one line (the time may go under it).
_DATE_WHOLE = """cell => {
  const range = document.createRange();
  range.setStart(cell.firstChild, 0);
  range.setEnd(cell.firstChild, "2026-12-07".length);
  return new Set([...range.getClientRects()].map(box => Math.round(box.top))).size === 1;
}"""


# Whether a select is as wide as its choices need (not narrowed by max-width, which cuts them).
_CHOICE_SHOWN_WHOLE = """select => {
  const shown = select.offsetWidth;
  select.style.maxWidth = "none";
  const needed = select.offsetWidth;
  select.style.maxWidth = "";
  return shown >= needed;
}"""


def too_wide(page):
    """None when the page fits its screen; else what sticks out (test_layout's measure)."""
    return page.evaluate(_OVERFLOW, page.viewport_size["width"])


def lines(locator) -> int:
    return locator.evaluate(_LINES)


@contextmanager
def browsing(browser, size, language=None):
    """A browser context of ``size`` (and ``Accept-Language``), closed when the block ends."""
    headers = {"Accept-Language": language} if language else {}
    context = browser.new_context(extra_http_headers=headers, **size)
    context.set_default_timeout(15_000)
    try:
        yield context
    finally:
        context.close()


def long_korean_customer() -> Customer:
    """A customer of the Korean store view with a long name and a long e-mail address."""
    view = StoreView.objects.get(code="ko")
    customer = Customer(
        website=view.store.website,
        created_in=view,
        first_name="하늘빛누리아름다운",
        last_name="남궁",
        email=LONG_EMAIL,
    )
    customer.set_password(CUSTOMER_PASSWORD)
    customer.save()
    set_consent(customer=customer, allowed=True, actor=Actor(customer=customer))
    return customer


def ended_session(email: str, actions: int = 3) -> AssistedSession:
    """An assisted session that ended a few minutes ago, with a few actions."""
    started = timezone.now() - timedelta(minutes=30)
    session = AssistedSession.objects.create(
        admin_username="support",
        customer_email=email,
        customer_name="Namgung Haneulbit",
        store_view_code="ko",
        website_name="Main Website",
        reason="ticket 4711",
        mode=SessionMode.FULL,
        created_at=started,
        started_at=started,
        ended_at=started + timedelta(minutes=12),
        end_reason=EndReason.CLOSED_BY_ADMIN,
    )
    for number in range(actions):
        journal().write(Event(action=f"demo.{number}", session=session))
    return session


def test_the_customers_own_pages_fit_a_phone_in_french_and_korean(site, browser):
    marie = Customer.objects.get(email=MARIE)
    # A permission for 7 days: the end-date choice offers "keep the current end date".
    set_consent(customer=marie, allowed=True, duration="7", actor=Actor(customer=marie))
    long_korean_customer()
    problems = {}

    with browsing(browser, PHONE) as phone:
        page = phone.new_page()
        storefront_login(page, site, MARIE, store="fr")
        # The header's "Se déconnecter" is one phrase on one line, not "Se / déconnecter".
        assert lines(page.locator(".sf-account-links .sf-link-button")) == 1
        page.goto(f"{site}/fr/customer/account/edit/")
        duration = page.locator("#id_assistance-duration")
        assert "conserver la date de fin actuelle" in duration.inner_text()
        # "Durée" and its choice no longer make the page wider than the phone.
        problems["fr account information"] = too_wide(page)
        box = duration.bounding_box()
        assert box["x"] + box["width"] <= 390
        # ... and shows its choice whole, inside its fieldset, the fieldset inside its card.
        assert duration.evaluate(_CHOICE_SHOWN_WHOLE)
        fieldset = page.locator(".sf-consent").bounding_box()
        card = page.locator("form.sf-card").bounding_box()
        assert fieldset["x"] + fieldset["width"] <= card["x"] + card["width"] - 8
        # The tooltip of "Autoriser l'assistance d'achat à distance" opens inside the screen.
        page.locator(".sf-tooltip").focus()
        problems["fr account information, tooltip open"] = too_wide(page)

    with browsing(browser, PHONE) as phone:
        page = phone.new_page()
        storefront_login(page, site, LONG_EMAIL, store="ko")
        # The long e-mail address wraps inside the account page.
        problems["ko my account, long e-mail"] = too_wide(page)
        # "내 계정" and "로그아웃" are never cut in two beside a long greeting.
        assert lines(page.locator(".sf-account-links a").first) == 1
        assert lines(page.locator(".sf-account-links .sf-link-button")) == 1
        page.goto(f"{site}/ko/customer/assisted-sessions/")
        problems["ko assisted sessions"] = too_wide(page)
        # Korean lines break between words ("스토어 관 / 리자가" was cut inside a word).
        paragraph = page.locator(".sf-account-main .sf-card p").first
        assert paragraph.evaluate("p => getComputedStyle(p).wordBreak") == "keep-all"

    with browsing(browser, DESKTOP) as desktop:
        page = desktop.new_page()
        page.goto(f"{site}/fr/")
        # The search field shows its whole placeholder, "Rechercher dans toute la boutique...".
        fits = page.locator("#sf-search-q").evaluate(
            """input => {
                const style = getComputedStyle(input);
                const context = document.createElement("canvas").getContext("2d");
                context.font = style.font;
                const room = input.clientWidth - parseFloat(style.paddingLeft)
                    - parseFloat(style.paddingRight);
                return context.measureText(input.placeholder).width <= room;
            }"""
        )
        assert fits

    problems = {name: problem for name, problem in problems.items() if problem}
    assert not problems, problems


def test_an_assisted_session_in_french_from_a_phone(site, browser):
    marie = Customer.objects.get(email=MARIE)
    with browsing(browser, PHONE, "fr") as phone:
        admin_tab = phone.new_page()
        admin_login(admin_tab, site, "admin")  # Active sessions needs Manage active sessions
        # The dialog says whom it logs in as, and keeps a margin on both sides of the phone.
        dialog = open_dialog(admin_tab, site, marie)
        customer = dialog.locator("[data-testid=lac-dialog-customer]")
        assert customer.inner_text() == f"Marie Dupont <{MARIE}>"
        box = dialog.bounding_box()
        assert box["x"] >= 8 and box["x"] + box["width"] <= 390 - 8

        store_tab = confirm_in_new_tab(phone, dialog, site, "fr")
        store_tab.goto(f"{site}/fr/product/SA-BAG-001/")
        with store_tab.expect_navigation():
            store_tab.click(".sf-add-to-cart button[type=submit]")

        # Active sessions on a phone: the page fits, Terminate is on the screen.
        admin_tab.goto(f"{site}/admin/login_as_customer/active/")
        assert too_wide(admin_tab) is None
        terminate = admin_tab.locator("[data-testid^=terminate-]")
        box = terminate.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390

        store_tab.click(".lac-banner-close")
        store_tab.wait_for_url(f"{site}/fr/login_as_customer/close/")

    with browsing(browser, DESKTOP) as desktop:
        page = desktop.new_page()
        storefront_login(page, site, MARIE, store="fr")
        page.goto(f"{site}/fr/customer/assisted-sessions/")
        done = page.locator("[data-testid=assisted-sessions] tbody tr").first.locator("li")
        # French puts a no-break space before the colon, as every other French label here.
        assert re.fullmatch(rf"Ajouté au panier{NB}: SA-BAG-001 × \d+", done.inner_text())
        # The list starts at its cell's edge rather than 40 pixels in.
        padding = done.evaluate("li => parseFloat(getComputedStyle(li.parentElement).paddingLeft)")
        assert padding <= 20


def test_the_admin_pages_fit_a_desktop_and_a_phone(site, browser):
    month_of_sessions(count=12)
    session = ended_session(LONG_EMAIL)
    problems = {}

    with browsing(browser, DESKTOP) as desktop:
        page = desktop.new_page()
        admin_login(page, site, "admin")
        # The log with a long e-mail address: the page fits 1280 pixels (the table scrolls in
        # its box), a date is never broken ("2026- / 12-07 / 13:38:24").
        page.goto(f"{site}/admin/login_as_customer/log/")
        problems["desktop log"] = too_wide(page)
        row = page.locator("#result_list tbody tr").first
        assert LONG_EMAIL in row.inner_text().replace("\n", "")
        for column in (1, 9):  # Time, End time
            assert lines(row.locator("td").nth(column)) <= 2
            assert row.locator("td").nth(column).evaluate(_DATE_WHOLE)

        # Configuration: Save Config is the admin's primary button, each setting a row.
        page.goto(f"{site}/admin/config/login_as_customer/")
        page.add_style_tag(content="* { transition: none !important; }")
        primary = admin_colour(page, "--default-button-bg")
        assert background_of(page, "button[name=save]") == primary
        row_border = page.locator(".sa-config-form .form-row").first.evaluate(
            "row => getComputedStyle(row).borderBottomWidth"
        )
        assert row_border == "1px"

    with browsing(browser, DESKTOP, "ko") as korean:
        page = korean.new_page()
        admin_login(page, site, "admin")
        page.goto(f"{site}/admin/login_as_customer/log/{session.pk}/")
        problems["ko session's actions"] = too_wide(page)
        actions = page.locator("table.sa-table").last
        # "결과" (Outcome) and "채널" (Channel) are words, not a letter a line.
        assert actions.locator("th").nth(2).inner_text().strip() == "결과"
        assert lines(actions.locator("th").nth(2)) == 1
        assert lines(actions.locator("th").nth(3)) == 1
        assert lines(actions.locator("tbody td").first) == 1  # "2026-12-07 13:38:24"

    with browsing(browser, PHONE) as phone:
        page = phone.new_page()
        admin_login(page, site, "admin")
        # Configuration on a phone: label, value and "Use system value" one under the other.
        page.goto(f"{site}/admin/config/login_as_customer/")
        problems["phone configuration"] = too_wide(page)
        value = page.locator(".sa-config-value").first.bounding_box()
        assert value["width"] >= 250
        page.goto(f"{site}/admin/login_as_customer/log/")
        problems["phone log"] = too_wide(page)
        # The dashboard's charts scroll in their sections instead of shrinking to tiny text.
        page.goto(f"{site}/admin/login_as_customer/dashboard/")
        problems["phone dashboard"] = too_wide(page)
        chart = page.locator("svg.lac-chart").first.bounding_box()
        assert chart["width"] >= 700  # drawn 900 wide: its 12-pixel labels at 9 pixels or more

    problems = {name: problem for name, problem in problems.items() if problem}
    assert not problems, problems
