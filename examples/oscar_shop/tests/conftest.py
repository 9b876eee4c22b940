"""Fixtures of the Oscar shop's tests: the demo data, signed-in browsers, Chromium."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from oscar_shop import demo

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test counts its own starts: the rate limit's counters live in the cache."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def shop(db):
    demo.load("testserver")


@pytest.fixture
def customer(shop):
    """A demo customer by first name: customer("Jane")."""
    users = get_user_model()
    return lambda first_name: users.objects.get(first_name=first_name)


@pytest.fixture
def jane(customer):
    return customer("Jane")


@pytest.fixture
def support_browser(shop):
    """A test client signed in to the dashboard as the support agent."""
    browser = Client()
    response = browser.post(
        "/dashboard/login/", {"username": "support@example.com", "password": demo.SUPPORT[1]}
    )
    assert response.status_code == 302, response.content[:300]
    return browser


@pytest.fixture
def customer_browser(shop):
    def signed_in(email):
        browser = Client()
        response = browser.post(
            "/accounts/login/",
            {
                "login-username": email,
                "login-password": demo.CUSTOMER_PASSWORD,
                "login_submit": "1",
            },
        )
        assert response.status_code == 302, response.content[:300]
        return browser

    return signed_in


# -- the browser -----------------------------------------------------------------------------


@pytest.fixture
def assisting(support_browser, jane):
    """The support agent's browser in a full-access assisted session as Jane."""
    from tests.assisted import redeem, start

    redeem(support_browser, start(support_browser, jane))
    return support_browser


@pytest.fixture
def viewing(shop, jane):
    """A browser in a view-only assisted session as Jane."""
    from login_as_customer.models import AssistedSession
    from tests.assisted import redeem, start, view_only_viewer

    browser = view_only_viewer()
    redeem(browser, start(browser, jane))
    assert AssistedSession.objects.get().mode == "view_only"
    return browser


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def site(live_server, transactional_db):
    """The live server with the demo data (its host is the demo site's domain)."""
    demo.load(live_server.url.split("://", 1)[1])
    return live_server.url


@pytest.fixture
def context(browser, site):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    # Oscar's pages load jQuery from a CDN first: no network here, its local copy follows.
    context.route(lambda url: not url.startswith(site), lambda route: route.abort())
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


def dashboard_login(page, site):
    page.goto(f"{site}/dashboard/login/")
    page.fill("#id_username", "support@example.com")
    page.fill("#id_password", demo.SUPPORT[1])
    page.click("#dashboard_login_form input[type=submit]")
    page.wait_for_url(f"{site}/dashboard/")


def storefront_login(page, site, email):
    page.goto(f"{site}/accounts/login/")
    page.fill("#id_login-username", email)
    page.fill("#id_login-password", demo.CUSTOMER_PASSWORD)
    page.click("button[name=login_submit]")
    page.wait_for_url(f"{site}/accounts/profile/")


def pytest_report_header(config):
    from django.db import connection

    return f"oscar_shop database: {connection.vendor} ({connection.settings_dict['NAME']})"
