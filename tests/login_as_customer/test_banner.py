"""The banner is built outside the template engine (``login_as_customer/banner.py``): the
customer's name goes in escaped, and braces in it are text, never a slot the per-request
values (time left, CSRF token) are put into."""

import re

import pytest
from django.conf import settings
from django.middleware.csrf import _unmask_cipher_token

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
