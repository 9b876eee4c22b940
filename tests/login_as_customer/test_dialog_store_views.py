"""With Manual selection the administrator picks the store view, and each store view may ask its
own kind of consent: the dialog offers what any store view on offer accepts (the code field,
required only when every one needs a code) and the server decides for the one chosen."""

import re

import pytest
from django.test import Client

from login_as_customer import config as lac_config
from shopassist.core.config.registry import Scope
from tests.conftest import login_customer_client
from tests.login_as_customer.assisted import confirm_url, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def codes_on_english(set_config, en):
    """Manual selection; the English store view takes assistance codes, the others the
    standing opt-in (the default)."""
    set_config({lac_config.STORE_VIEW_LOGIN: lac_config.MANUAL_SELECTION})
    set_config(
        {lac_config.CUSTOMER_CONSENT: lac_config.ASSISTANCE_CODE},
        scope=Scope.STORE_VIEW,
        scope_id=en.pk,
    )


def _code_on_english(customer) -> str:
    own = login_customer_client(Client(), customer, store_code="en")
    page = own.post("/en/customer/assisted-sessions/code/").content.decode()
    match = re.search(r'data-testid="assistance-code-value"[^>]*>(\d{3}) (\d{3})</p>', page)
    return match[1] + match[2]


def test_a_code_for_one_store_view_is_offered_and_starts_there(
    codes_on_english, support_client, chen, en
):
    page = support_client.get(confirm_url(chen.pk)).content.decode()

    # Chen has no standing opt-in: before, the notice replaced the whole form.
    assert 'name="store_view"' in page
    code_field = re.search(r'<input type="text" name="assistance_code"[^>]*>', page)[0]
    assert "required" not in code_field  # the other store views do not take codes
    response = start(
        support_client, chen, store_view=str(en.pk), assistance_code=_code_on_english(chen)
    )
    assert response.status_code == 200


def test_the_notice_stays_when_no_store_view_on_offer_accepts_the_customer(
    set_config, support_client, chen
):
    set_config({lac_config.STORE_VIEW_LOGIN: lac_config.MANUAL_SELECTION})

    page = support_client.get(confirm_url(chen.pk)).content.decode()

    assert "The customer has not enabled Allow remote shopping assistance." in page
    assert 'name="assistance_code"' not in page
