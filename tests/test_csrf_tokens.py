"""core.csrf.response_token masks the secret itself (a cheaper draw than Django's): the tokens
must be exactly what Django's masking makes and checks."""

import re
from collections import Counter

import pytest
from django.conf import settings
from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CSRF_SECRET_LENGTH,
    CSRF_TOKEN_LENGTH,
    _check_token_format,
    _get_new_csrf_string,
    _unmask_cipher_token,
)
from django.test import Client, RequestFactory

from shopassist.core.csrf import _masked, response_token
from tests.conftest import login_customer_client

_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_a_masked_token_has_djangos_format_and_unmasks_to_the_secret():
    for _ in range(200):
        secret = _get_new_csrf_string()
        token = _masked(secret)
        _check_token_format(token)  # raises on a wrong length or character
        assert len(token) == CSRF_TOKEN_LENGTH
        assert _unmask_cipher_token(token) == secret


def test_masks_use_every_character_about_equally_and_never_repeat():
    secret = _get_new_csrf_string()
    tokens = [_masked(secret) for _ in range(4000)]
    masks = [token[:CSRF_SECRET_LENGTH] for token in tokens]
    assert len(set(masks)) == len(masks)
    counts = Counter("".join(masks))
    assert set(counts) == set(CSRF_ALLOWED_CHARS)
    expected = len(masks) * CSRF_SECRET_LENGTH / len(CSRF_ALLOWED_CHARS)  # ≈ 2,065 each
    # 15 % either side is about 7 standard deviations: a biased draw (byte % 62 without
    # dropping bytes 248–255 gives the first 8 characters 1.25× the others: +21 %) fails.
    assert all(abs(count - expected) < 0.15 * expected for count in counts.values()), counts


def test_response_token_is_one_per_response_renews_the_cookie_and_follows_a_new_secret():
    request = RequestFactory().get("/")
    first_secret = _get_new_csrf_string()
    request.META["CSRF_COOKIE"] = first_secret
    token = response_token(request)
    assert response_token(request) == token
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True
    assert _unmask_cipher_token(token) == first_secret

    request.META["CSRF_COOKIE"] = second_secret = _get_new_csrf_string()  # a login rotated it
    rotated = response_token(request)
    assert rotated != token and _unmask_cipher_token(rotated) == second_secret


def test_response_token_without_a_secret_makes_one_as_get_token_does():
    request = RequestFactory().get("/")
    token = response_token(request)
    assert _unmask_cipher_token(token) == request.META["CSRF_COOKIE"]
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


@pytest.mark.django_db
def test_a_pages_forms_share_the_responses_token_and_the_next_response_has_another(jane):
    """An uncached page with several CSRF forms (the cart: Sign Out in the header, a quantity
    and a remove form per line): one token for all of them, a new mask on the next response,
    each unmasking to the browser's secret."""
    browser = login_customer_client(Client(), jane)
    added = browser.post("/en/checkout/cart/add/", {"sku": "SA-BAG-001", "qty": 1, "next": "/en/"})
    assert added.status_code == 302
    first = browser.get("/en/checkout/cart/")
    second = browser.get("/en/checkout/cart/")
    forms = [_TOKEN.findall(r.content.decode()) for r in (first, second)]
    assert all(len(found) >= 2 for found in forms), "fewer than two forms: proves nothing"
    tokens = [set(found) for found in forms]
    secret = browser.cookies[settings.STOREFRONT_CSRF_COOKIE_NAME].value

    assert all(len(found) == 1 for found in tokens), tokens
    assert tokens[0] != tokens[1]
    assert {_unmask_cipher_token(t) for found in tokens for t in found} == {secret}
