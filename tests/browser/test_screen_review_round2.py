"""The second screen review, as a person sees the pages: a customer name holding a direction
control no longer reverses the e-mail address after it in the dialog and on the confirmation
page; the dashboard's period keeps each date whole on a phone; Korean's "강제 종료" (Terminate)
is one line on its button; the assistance-code card's two buttons are apart, and the one that
replaces an open code says "Get a new code"; the admin panel's 500 follows the dark theme; the
French search field leaves its button inside the page's margin on a phone."""

import pytest

from login_as_customer import config as lac_config
from login_as_customer.flows.consent import set_consent
from shopassist.core.actor import Actor
from shopassist.core.config import Scope
from shopassist.core.config.services import save_config_values
from shopassist.customers.models import Customer
from shopassist.demo.data import CUSTOMER_PASSWORD
from shopassist.stores.models import StoreView
from tests.browser.conftest import admin_login, confirm_in_new_tab, open_dialog, storefront_login
from tests.browser.test_dashboard import month_of_sessions
from tests.browser.test_screen_review import DESKTOP, PHONE, browsing, lines, too_wide

pytestmark = pytest.mark.browser

RLO = "\u202e"
JANE = "jane.doe@example.com"


def _rlo_customer() -> Customer:
    """A customer whose first name starts with RIGHT-TO-LEFT OVERRIDE (typed at registration)."""
    view = StoreView.objects.get(code="en")
    customer = Customer(
        website=view.store.website,
        created_in=view,
        first_name=f"{RLO}Ulrich",
        last_name="Schmidt",
        email="ulrich.schmidt@example.com",
    )
    customer.set_password(CUSTOMER_PASSWORD)
    customer.save()
    set_consent(customer=customer, allowed=True, actor=Actor(customer=customer))
    return customer


def _reads_in_order(line) -> bool:
    """Whether the e-mail address after the isolated name is drawn after it, left to right:
    its first character left of its last, both right of the name."""
    return line.evaluate(
        """line => {
            const name = line.querySelector("bdi").getBoundingClientRect();
            const text = [...line.childNodes].find(n => n.nodeType === 3 && n.data.includes("@"));
            const at = text.data.indexOf("<") + 1, end = text.data.lastIndexOf(">") - 1;
            const box = i => { const r = document.createRange(); r.setStart(text, i);
                               r.setEnd(text, i + 1); return r.getBoundingClientRect(); };
            const first = box(at), last = box(end);
            return first.x < last.x && first.x >= name.x + name.width
                && Math.abs(first.y - name.y) < 4;
        }"""
    )


def test_a_name_with_a_direction_control_does_not_reverse_the_address(site, browser):
    customer = _rlo_customer()
    with browsing(browser, DESKTOP) as desktop:
        page = desktop.new_page()
        admin_login(page, site, "admin")
        dialog = open_dialog(page, site, customer)
        line = dialog.locator("[data-testid=lac-dialog-customer]")
        # "tdimhcS hcirlU <ulrich.schmidt@example.com>", not "<moc.elpmaxe@tdimhcs.hcirlu> …"
        assert line.locator("bdi").count() == 1  # the name holding the control, alone
        assert _reads_in_order(line)

        page.goto(f"{site}/admin/login_as_customer/{customer.pk}/confirm/")
        heading = page.locator(".lac-confirm-page h1")
        assert heading.locator("bdi").count() == 1
        assert _reads_in_order(heading)
        # The breadcrumb's " › Login as Customer" after the name stays in place.
        assert page.locator(".breadcrumbs a bdi").count() == 1


def test_the_dashboards_period_keeps_its_dates_whole_on_a_phone(site, browser):
    month_of_sessions(count=12)
    with browsing(browser, PHONE) as phone:
        page = phone.new_page()
        admin_login(page, site, "admin")
        page.goto(
            f"{site}/admin/login_as_customer/dashboard/?date_from=11/20/2026&date_to=12/05/2026"
        )
        dates = page.locator(".lac-dashboard-period bdi")
        assert [dates.nth(n).inner_text() for n in range(2)] == ["2026-11-20", "2026-12-05"]
        for n in range(2):  # "2026-12-05", never "2026-12- / 05"
            assert lines(dates.nth(n)) == 1


def test_terminate_is_one_line_in_korean(site, browser):
    jane = Customer.objects.get(email=JANE)
    kim = Customer.objects.get(email="kim.minji@example.com")
    with browsing(browser, DESKTOP, "ko") as korean, browsing(browser, DESKTOP) as other:
        page = korean.new_page()
        admin_login(page, site, "admin")
        confirm_in_new_tab(korean, open_dialog(page, site, jane), site)
        # A login link not opened: its State, "링크가 열리기를 기다리는 중 (…까지 유효)", is long.
        support = other.new_page()
        admin_login(support, site, "support")
        other.route("**/login_as_customer/redeem/", lambda route: route.abort())
        with other.expect_page():
            open_dialog(support, site, kim).locator(".lac-submit").click()
        page.goto(f"{site}/admin/login_as_customer/active/")
        assert page.locator("[data-testid^=waiting-]").count() == 1
        for n in range(2):
            terminate = page.locator("[data-testid^=terminate-]").nth(n)
            assert terminate.inner_text().strip() == "강제 종료"
            assert lines(terminate) == 1


def test_the_code_cards_buttons_are_apart_and_say_what_they_do(site, browser):
    save_config_values(
        scope=Scope.DEFAULT,
        scope_id=0,
        values={lac_config.CUSTOMER_CONSENT: lac_config.EITHER},
        actor=None,
    )
    jane = Customer.objects.get(email=JANE)
    set_consent(customer=jane, allowed=False, actor=Actor(customer=jane))
    with browsing(browser, DESKTOP) as desktop:
        page = desktop.new_page()
        storefront_login(page, site, JANE)
        page.goto(f"{site}/en/customer/assisted-sessions/")
        with page.expect_navigation():
            page.click("[data-testid=get-assistance-code]")
        page.goto(f"{site}/en/customer/assisted-sessions/")
        card = page.locator("[data-testid=assistance-code]")
        assert card.locator("[data-testid=assistance-code-open]").is_visible()
        # An open code: the button replaces it, and says so.
        get_code = card.locator("[data-testid=get-assistance-code]")
        assert get_code.inner_text().strip() == "Get a new code"
        withdraw = card.locator("[data-testid=revoke-consent]").bounding_box()
        below = get_code.bounding_box()
        assert below["y"] - (withdraw["y"] + withdraw["height"]) >= 8  # not touching


@pytest.mark.urls("tests.ux.error_urls")
def test_the_admin_panels_500_follows_the_dark_theme(site, browser):
    with browsing(browser, DESKTOP) as desktop:
        page = desktop.new_page()
        page.emulate_media(color_scheme="dark")
        admin_login(page, site, "admin")
        dashboard = page.evaluate("getComputedStyle(document.body).backgroundColor")
        response = page.goto(f"{site}/admin/fails/")
        assert response.status == 500
        assert page.locator("[data-testid=error-page]").is_visible()
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == dashboard
        assert dashboard != "rgb(255, 255, 255)"


def test_the_french_search_stays_inside_the_margin_on_a_phone(site, browser):
    with browsing(browser, PHONE) as phone:
        page = phone.new_page()
        page.goto(f"{site}/fr/")
        assert too_wide(page) is None
        button = page.locator(".sf-search button").bounding_box()
        logo = page.locator(".sf-logo").bounding_box()
        # The same margin on the right of "Rechercher" as on the left of the logo.
        assert button["x"] + button["width"] <= 390 - logo["x"] + 0.5
