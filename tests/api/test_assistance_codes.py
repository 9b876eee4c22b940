"""Assistance codes through the API (issue 16, point 1): the customer creates a code with their
own token; the administrator's token exchange takes it as ``assistance_code``; an assisted
token cannot create one; a store that takes no codes answers 409."""

import pytest

from login_as_customer import config as lac_config
from login_as_customer.errors import DenialCode
from login_as_customer.models import AssistanceCode, AssistedSession
from shopassist.audit.models import ActionLogEntry
from tests.api.conftest import assisted_token_for, customer_token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def codes_only(set_config):
    set_config({lac_config.CUSTOMER_CONSENT: lac_config.ASSISTANCE_CODE})


def test_chen_creates_a_code_and_support_exchanges_it_for_a_session(
    codes_only, api, support_token, chen
):
    created = api.post(
        "/customers/me/assistance-code", token=customer_token_for(api, chen, "zh-hant")
    )

    assert created.status_code == 200
    code = created.json()["code"]
    assert len(code) == 6 and code.isdigit()
    assert AssistanceCode.objects.get(customer=chen).code_hash != code
    token = assisted_token_for(api, support_token, chen, assistance_code=code)
    session = AssistedSession.objects.get(customer=chen)
    assert session.consent_basis == "code"
    assert api.get("/customers/me", token=token).json()["email"] == chen.email
    assert ActionLogEntry.objects.filter(action="assistance_code.use", channel="api").exists()


def test_the_exchange_refuses_a_wrong_code_and_starts_nothing(codes_only, api, support_token, chen):
    code = api.post(
        "/customers/me/assistance-code", token=customer_token_for(api, chen, "zh-hant")
    ).json()["code"]
    wrong = f"{(int(code) + 1) % 10**6:06d}"

    response = api.post(
        "/login-as-customer/token",
        {"customer_id": chen.pk, "assistance_code": wrong},
        token=support_token,
    )

    assert response.status_code == 403
    assert response.json()["code"] == DenialCode.CODE_WRONG
    assert not AssistedSession.objects.exists()
    assert AssistanceCode.objects.get(customer=chen).failed_attempts == 1


def test_an_assisted_token_cannot_create_a_code(set_config, api, support_token, jane):
    set_config({lac_config.CUSTOMER_CONSENT: lac_config.EITHER})
    token = assisted_token_for(api, support_token, jane)

    response = api.post("/customers/me/assistance-code", token=token)

    assert response.status_code == 403
    assert response.json()["code"] == DenialCode.CODE_BLOCKED
    assert not AssistanceCode.objects.exists()


def test_a_store_without_codes_answers_409(api, jane_token):
    response = api.post("/customers/me/assistance-code", token=jane_token)

    assert response.status_code == 409
    assert response.json()["code"] == DenialCode.CODES_OFF
    assert not AssistanceCode.objects.exists()
