"""core.csrf.response_token masks the secret itself (a cheaper draw than Django's): the tokens
must be exactly what Django's masking makes and checks."""

from collections import Counter

from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CSRF_SECRET_LENGTH,
    CSRF_TOKEN_LENGTH,
    _check_token_format,
    _get_new_csrf_string,
    _unmask_cipher_token,
)
from django.test import RequestFactory

from shopassist.core.csrf import _masked, response_token


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
