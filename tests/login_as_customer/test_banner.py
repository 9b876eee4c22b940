"""The banner is built outside the template engine (``login_as_customer/banner.py``): the
customer's name goes in escaped, and braces in it are text, never a slot the per-request
values (time left, CSRF token) are put into."""

import re

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token
from django.urls import set_script_prefix

from login_as_customer import config as lac_config
from login_as_customer.flows.live_check import load_live_session
from login_as_customer.middleware import AssistedSessionMiddleware
from tests.login_as_customer.assisted import start_assisted

pytestmark = pytest.mark.django_db

HOSTILE = "{csrf}{seconds}<script>alert(1)</script>"


def test_a_hostile_name_is_shown_as_text_and_fills_no_slot(support_client, jane):
    jane.first_name, jane.last_name = HOSTILE, "Doe"
    jane.save(update_fields=["first_name", "last_name"])
    browser, _session = start_assisted(support_client, jane)

    body = browser.get("/en/customer/account/").content.decode()

    banner = re.search(r'<section class="lac-banner".*?</section>', body, re.S)[0]
    assert "<script>alert(1)</script>" not in body
    assert "You are connected as {csrf}{seconds}&lt;script&gt;alert(1)&lt;/script&gt; Doe" in banner
    [token] = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', banner)
    secret = browser.cookies[settings.STOREFRONT_CSRF_COOKIE_NAME].value
    assert _unmask_cipher_token(token) == secret
    assert re.search(r'data-seconds-left="\d+"', banner)


@pytest.mark.parametrize(
    "make_response",
    [
        lambda body: HttpResponse(body, content_type="text/html; charset=iso-8859-1"),
        lambda body: HttpResponse(body, content_type="text/html", charset="iso-8859-1"),
    ],
    ids=["in the header", "given to the response"],
)
def test_the_banner_is_encoded_in_the_pages_own_charset(support_client, jane, make_response):
    jane.first_name, jane.last_name = "Zoë", "김"  # Latin-1 has the first, not the second
    jane.save(update_fields=["first_name", "last_name"])
    browser, session = start_assisted(support_client, jane)
    request = browser.get("/en/customer/account/").wsgi_request
    response = make_response("<html><body class='x'><p>Café</p></body></html>".encode("latin-1"))
    response["Content-Length"] = str(len(response.content))  # as CommonMiddleware sets it

    AssistedSessionMiddleware(lambda request: response)._add_banner(
        request, response, load_live_session(session.pk)
    )

    page = response.content.decode("latin-1")
    assert "You are connected as Zoë &#44608; on " in page  # not mojibake, not an error
    assert page.startswith("<html><body class='x'><section class=\"lac-banner\"")
    assert page.endswith("<p>Café</p></body></html>")
    assert response["Content-Length"] == str(len(response.content))


def test_a_page_naming_no_charset_gets_the_banner_in_djangos_default(support_client, jane):
    jane.first_name, jane.last_name = "지민", "Zoë"
    jane.save(update_fields=["first_name", "last_name"])
    browser, session = start_assisted(support_client, jane)
    request = browser.get("/en/customer/account/").wsgi_request
    response = HttpResponse(b"<html><body><p>x</p></body></html>", content_type="text/html")
    assert response["Content-Type"] == "text/html"  # no charset parameter to read

    AssistedSessionMiddleware(lambda request: response)._add_banner(
        request, response, load_live_session(session.pk)
    )

    assert settings.DEFAULT_CHARSET == "utf-8"
    assert "You are connected as 지민 Zoë on " in response.content.decode("utf-8")


def test_close_session_is_addressed_under_each_requests_script_prefix(support_client, jane):
    browser, _session = start_assisted(support_client, jane)
    close = re.compile(r'<form method="post" action="([^"]+)" class="lac-banner-form">')

    # As Django's WSGI handler does for a site mounted under /shop (the test client does not).
    set_script_prefix("/shop/")
    try:
        mounted = browser.get("/en/customer/account/", SCRIPT_NAME="/shop").content.decode()
    finally:
        set_script_prefix("/")
    plain = browser.get("/en/customer/account/").content.decode()

    [under_shop], [at_root] = close.findall(mounted), close.findall(plain)
    assert under_shop == "/shop" + at_root
    assert at_root.startswith("/en/")


@pytest.mark.parametrize(
    ("minutes", "clock"), [(1440, r"23:59:\d\d"), (90, r"1:29:\d\d"), (30, r"29:\d\d")]
)
def test_the_time_left_reads_hours_from_an_hour_up(
    minutes, clock, set_config, support_client, jane
):
    # The idle limit as long: the clock shows the earlier of the two.
    set_config({lac_config.MAX_DURATION: str(minutes), lac_config.IDLE_TIMEOUT: str(minutes)})
    browser, _session = start_assisted(support_client, jane)

    page = browser.get("/en/customer/account/").content.decode()

    shown = re.search(r'<time class="lac-countdown"[^>]*>([^<]*)</time>', page).group(1)
    assert re.fullmatch(clock, shown), shown


@pytest.mark.parametrize(
    ("max_minutes", "idle_minutes", "clock"),
    [(60, 15, r"1[45]:\d\d"), (10, 15, r"[89]:\d\d")],
    ids=["idle limit first", "absolute limit first"],
)
def test_the_time_left_is_until_the_earlier_of_the_two_limits(
    max_minutes, idle_minutes, clock, set_config, support_client, jane
):
    """Found by the screen review: the banner counted to the absolute limit only, so an agent
    idle for 16 minutes of a 60-minute session read 44 minutes left of a session already over."""
    set_config(
        {lac_config.MAX_DURATION: str(max_minutes), lac_config.IDLE_TIMEOUT: str(idle_minutes)}
    )
    browser, _session = start_assisted(support_client, jane)

    page = browser.get("/en/customer/account/").content.decode()

    shown = re.search(r'<time class="lac-countdown"[^>]*>([^<]*)</time>', page).group(1)
    assert re.fullmatch(clock, shown), shown
    seconds = int(re.search(r'data-seconds-left="(\d+)"', page).group(1))
    assert seconds <= min(max_minutes, idle_minutes) * 60
    assert seconds >= min(max_minutes, idle_minutes) * 60 - 70  # the idle clock's 10 s, a minute


def test_a_name_with_direction_controls_cannot_reorder_the_banners_sentence(support_client, jane):
    """A right-to-left override the customer typed in their name reversed everything after it
    on the banner: "on Main Website" too. The name is isolated; any other name is as it was."""
    jane.first_name = "\u202eJane"
    jane.save(update_fields=["first_name"])
    browser, _session = start_assisted(support_client, jane)

    banner = re.search(
        r'<section class="lac-banner".*?</section>',
        browser.get("/en/customer/account/").content.decode(),
        re.S,
    )[0]

    assert "You are connected as <bdi>\u202eJane Doe</bdi> on Main Website" in banner
    # The attribute, which lac_tabs.js puts in its sentences as text: between FSI and PDI.
    assert 'data-lac-name="\u2068\u202eJane Doe\u2069"' in banner


def test_a_plain_name_is_not_wrapped(support_client, jane):
    browser, _session = start_assisted(support_client, jane)

    body = browser.get("/en/customer/account/").content.decode()

    assert "You are connected as Jane Doe on Main Website" in body
    banner = re.search(r'<section class="lac-banner".*?</section>', body, re.S)[0]
    assert "<bdi>" not in banner and 'data-lac-name="Jane Doe"' in banner
