"""Browser tests drive the real pages in Debian's Chromium through Playwright."""

import os
from pathlib import Path

import pytest

from shopassist.demo.data import CUSTOMER_PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def site(live_server, transactional_db):
    """The live server with the demo data loaded."""
    from shopassist.demo.loader import load_demo

    load_demo()
    return live_server.url


def save_screenshot(target, name):
    """Save what a test shows (a page or a locator) as docs/images/NAME.png for the README.

    Only under `make screenshots`, which sets SCREENSHOTS_DIR; otherwise nothing happens."""
    directory = os.environ.get("SCREENSHOTS_DIR")
    if not directory:
        return
    path = Path(directory) / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    target.screenshot(path=str(path), animations="disabled", caret="hide")


def admin_login(page, base_url, username):
    page.goto(f"{base_url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f"demo-{username}")
    page.click("input[type=submit]")
    page.wait_for_url(f"{base_url}/admin/")


def storefront_login(page, base_url, email, store="en", password=CUSTOMER_PASSWORD):
    page.goto(f"{base_url}/{store}/customer/account/login/")
    page.fill("#id_email", email)
    page.fill("#id_password", password)
    page.click("#send2")
    page.wait_for_url(f"{base_url}/{store}/customer/account/")


# --- Login as Customer in the admin panel ---------------------------------------------------


def open_dialog(page, base_url, target):
    page.goto(f"{base_url}/admin/customers/customer/{target.pk}/change/")
    page.click("[data-testid=lac-button]")
    dialog = page.locator(f"#lac-dialog-{target.pk}")
    dialog.wait_for(state="visible")
    return dialog


def confirm_in_new_tab(context, dialog, base_url, store_code="en"):
    """Confirm: the form has target=_blank, so the storefront opens in a new tab."""
    with context.expect_page() as new:
        dialog.locator(".lac-submit").click()
    tab = new.value
    tab.wait_for_url(f"{base_url}/{store_code}/customer/account/")
    return tab
