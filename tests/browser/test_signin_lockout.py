"""What a customer sees when their account is locked: the sign-in form with the translated
sentence, even for the right password, and no session (issue 11, point 3)."""

import pytest

from shopassist.demo.data import CUSTOMER_PASSWORD

pytestmark = pytest.mark.browser

LOCKED_FR = "Trop de tentatives de connexion échouées. Réessayez dans 15 minutes."


def sign_in(page, base_url, email, password, store="fr"):
    page.goto(f"{base_url}/{store}/customer/account/login/")
    page.fill("#id_email", email)
    page.fill("#id_password", password)
    page.click("#send2")
    page.wait_for_load_state()


def test_five_wrong_passwords_lock_the_account_and_the_form_says_so(site, page):
    email = "marie.dupont@example.com"
    for _attempt in range(4):
        sign_in(page, site, email, "not-her-password")
        assert LOCKED_FR not in page.inner_text("body")
    sign_in(page, site, email, "not-her-password")  # the fifth failure locks the account

    sign_in(page, site, email, CUSTOMER_PASSWORD)

    assert LOCKED_FR in page.inner_text("main")
    assert page.url.endswith("/fr/customer/account/login/")
    page.goto(f"{site}/fr/customer/account/")
    assert "/customer/account/login/" in page.url  # not signed in: sent to the sign-in form
