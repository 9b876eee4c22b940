"""Assistance codes (issue 16, point 1): consent per session, given on the phone. With
*Customer consent* set to *Assistance code for each session* (or *Either*), the customer gets a
6-digit code in My Account and reads it out; the administrator types it in the confirmation.
A code lasts 10 minutes, serves one session, is stored only as a keyed hash, and five wrong
codes void it; every issue, use and failure is logged."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from login_as_customer import config as lac_config
from login_as_customer.errors import DenialCode, message_for
from login_as_customer.models import AssistanceCode, AssistedSession, LoginToken
from shopassist.audit.models import ActionLogEntry
from tests.conftest import login_customer_client
from tests.login_as_customer.assisted import (
    CODE_URL,
    STORE_OF,
    code_shown,
    redeem,
    start,
    start_assisted,
)

pytestmark = pytest.mark.django_db
CODE_PAGE = "/{store}/customer/assisted-sessions/"


def get_code(customer) -> str:
    """The customer signs in and presses Get an assistance code: the code the page shows."""
    own = login_customer_client(Client(), customer, store_code=STORE_OF[customer.email])
    return code_shown(own, customer)


def nothing_started(before) -> bool:
    return (AssistedSession.objects.count(), LoginToken.objects.count()) == before


def counts():
    return AssistedSession.objects.count(), LoginToken.objects.count()


def last_denial():
    return ActionLogEntry.objects.filter(action="start_denied").latest("id")


# --- The customer gets a code -----------------------------------------------------------------


def test_the_customer_gets_a_code_shown_once_and_kept_only_as_a_hash(codes_only, jane):
    code = get_code(jane)

    stored = AssistanceCode.objects.get(customer=jane)
    assert len(code) == 6 and code.isdigit()
    assert code not in stored.code_hash and len(stored.code_hash) == 64
    assert stored.expires_at - stored.created_at == timedelta(minutes=10)
    assert (stored.used_at, stored.voided_at, stored.failed_attempts) == (None, None, 0)
    issued = ActionLogEntry.objects.get(action="assistance_code.issue")
    assert (issued.customer_id, issued.outcome) == (jane.pk, "success")
    assert code not in str(issued.details)
    # Shown once: the page, read again, has no code.
    own = login_customer_client(Client(), jane)
    assert "assistance-code-value" not in own.get(CODE_PAGE.format(store="en")).text


def test_a_new_code_voids_the_one_before(codes_only, jane):
    get_code(jane)
    get_code(jane)

    first, second = AssistanceCode.objects.filter(customer=jane).order_by("id")
    assert first.voided_at is not None and second.voided_at is None
    assert (
        ActionLogEntry.objects.filter(action="assistance_code.issue")
        .latest("id")
        .details["replaced"]
        == 1
    )


def test_no_code_where_the_store_takes_none(jane):
    own = login_customer_client(Client(), jane)
    assert 'data-testid="assistance-code"' not in own.get(CODE_PAGE.format(store="en")).text

    refused = own.post(CODE_URL.format(store="en"))

    assert refused.status_code == 403
    assert message_for(DenialCode.CODES_OFF) in refused.text
    assert not AssistanceCode.objects.exists()


@pytest.mark.parametrize("consent_mode", [lac_config.EITHER, lac_config.STANDING_OPT_IN])
def test_no_code_is_made_in_an_assisted_session(consent_mode, set_config, support_client, jane):
    """Refused and recorded whatever the store's setting: with codes off (the standing opt-in),
    the attempt was answered "This store does not use assistance codes." and recorded nothing
    before the insider review (the setting was checked before the session)."""
    set_config({lac_config.CUSTOMER_CONSENT: consent_mode})
    browser, session = start_assisted(support_client, jane)
    page = browser.get(CODE_PAGE.format(store="en")).text
    assert 'data-testid="get-assistance-code"' not in page

    refused = browser.post(CODE_URL.format(store="en"))

    assert refused.status_code == 403
    assert message_for(DenialCode.CODE_BLOCKED) in refused.text
    assert not AssistanceCode.objects.exists()
    assert ActionLogEntry.objects.filter(
        assisted_session_id=session.pk, action="assistance_code.blocked", outcome="denied"
    ).exists()


# --- The administrator types it ---------------------------------------------------------------


def test_chen_reads_out_a_code_and_support_helps_him_without_an_opt_in(
    codes_only, support_client, chen
):
    code = get_code(chen)

    browser, session = start_assisted(
        support_client, chen, assistance_code=f"{code[:3]} {code[3:]}"
    )

    assert session.consent_basis == "code"
    spent = AssistanceCode.objects.get(customer=chen)
    assert spent.used_at is not None and spent.assisted_session_id == session.pk
    used = ActionLogEntry.objects.get(action="assistance_code.use")
    assert used.assisted_session_id == session.pk
    started = ActionLogEntry.objects.get(action="start", assisted_session_id=session.pk)
    assert started.details["consent"] == "code"
    # Chen has no standing opt-in: the code's consent carries the session on.
    account = browser.get("/zh-hant/customer/account/")
    assert account.status_code == 200
    assert 'data-testid="lac-banner"' in account.text


def test_chen_ends_the_session_his_code_started_from_his_account(codes_only, support_client, chen):
    """No standing permission to withdraw: the session in progress has a button of its own."""
    code = get_code(chen)
    browser, session = start_assisted(support_client, chen, assistance_code=code)
    own = login_customer_client(Client(), chen, store_code="zh-hant")
    page = own.get(CODE_PAGE.format(store="zh-hant"))
    assert 'data-testid="end-assisted-session"' in page.text
    assert 'data-testid="revoke-consent"' not in page.text

    response = own.post("/zh-hant/customer/assisted-sessions/end/", follow=True)

    assert response.status_code == 200
    assert 'data-testid="end-assisted-session"' not in response.text
    ended = AssistedSession.objects.get(pk=session.pk)
    assert ended.end_reason == "consent_revoked"
    assert ActionLogEntry.objects.filter(action="end", assisted_session_id=session.pk).exists()
    assert (
        'data-testid="lac-banner"'
        not in browser.get("/zh-hant/customer/account/", follow=True).text
    )


def test_the_assisting_administrator_cannot_end_it_from_the_customers_page(
    codes_only, support_client, chen
):
    code = get_code(chen)
    browser, session = start_assisted(support_client, chen, assistance_code=code)
    assert (
        'data-testid="end-assisted-session"'
        not in browser.get(CODE_PAGE.format(store="zh-hant")).text
    )

    refused = browser.post("/zh-hant/customer/assisted-sessions/end/")
    asked_by_get = login_customer_client(Client(), chen, store_code="zh-hant").get(
        "/zh-hant/customer/assisted-sessions/end/"
    )

    assert refused.status_code == 302  # back to the page, with the reason
    assert asked_by_get.status_code == 405
    assert AssistedSession.objects.get(pk=session.pk).ended_at is None
    blocked = ActionLogEntry.objects.filter(assisted_session_id=session.pk).latest("id")
    assert (blocked.action, blocked.outcome, blocked.details) == (
        "consent.blocked",
        "denied",
        {"end_sessions": True},
    )


def test_a_code_serves_one_session(codes_only, support_client, chen):
    code = get_code(chen)
    start_assisted(support_client, chen, assistance_code=code)
    before = counts()

    again = start(support_client, chen, assistance_code=code)

    assert again.status_code == 403
    assert message_for(DenialCode.CODE_EXPIRED) in again.text
    assert nothing_started(before)
    assert last_denial().details["code"] == DenialCode.CODE_EXPIRED


def test_with_codes_only_the_opt_in_is_not_enough(codes_only, support_client, jane):
    before = counts()

    response = start(support_client, jane)

    assert response.status_code == 400
    assert message_for(DenialCode.CODE_REQUIRED) in response.text
    assert nothing_started(before)
    assert last_denial().details["code"] == DenialCode.CODE_REQUIRED


def test_five_wrong_codes_void_it_each_logged(codes_only, support_client, chen):
    code = get_code(chen)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    before = counts()

    statuses = []
    for _attempt in range(5):
        statuses.append(start(support_client, chen, assistance_code=wrong).status_code)
    after_void = start(support_client, chen, assistance_code=code)

    assert statuses == [403] * 5
    assert after_void.status_code == 403
    assert message_for(DenialCode.CODE_EXPIRED) in after_void.text  # the right one, too late
    assert nothing_started(before)
    stored = AssistanceCode.objects.get(customer=chen)
    assert stored.failed_attempts == 5 and stored.voided_at is not None and stored.used_at is None
    denials = list(
        ActionLogEntry.objects.filter(action="start_denied")
        .order_by("id")
        .values_list("details", flat=True)
    )
    assert [d["code"] for d in denials] == [DenialCode.CODE_WRONG] * 4 + [
        DenialCode.CODE_VOIDED,
        DenialCode.CODE_EXPIRED,
    ]
    assert [d.get("failed_attempts") for d in denials[:5]] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("typed", ["12345", "1234567", "abcdef", "１２３４５６", "' OR 1=1 --"])
def test_malformed_codes_are_wrong_codes(codes_only, support_client, chen, typed):
    get_code(chen)
    before = counts()

    response = start(support_client, chen, assistance_code=typed)

    assert response.status_code == 403
    assert message_for(DenialCode.CODE_WRONG) in response.text
    assert nothing_started(before)
    assert AssistanceCode.objects.get(customer=chen).failed_attempts == 1


def test_a_code_lasts_ten_minutes(codes_only, support_client, chen):
    code = get_code(chen)
    before = counts()

    with time_machine.travel(timezone.now() + timedelta(minutes=10, seconds=1)):
        response = start(support_client, chen, assistance_code=code)

    assert response.status_code == 403
    assert message_for(DenialCode.CODE_EXPIRED) in response.text
    assert nothing_started(before)


def test_a_code_is_its_customers_only(codes_only, support_client, jane, chen):
    code = get_code(jane)
    before = counts()

    response = start(support_client, chen, assistance_code=code)

    assert response.status_code == 403
    assert nothing_started(before)
    assert AssistanceCode.objects.get(customer=jane).used_at is None


def test_either_the_opt_in_or_a_code(codes_or_opt_in, support_client, jane, chen):
    _browser, with_opt_in = start_assisted(support_client, jane)
    assert with_opt_in.consent_basis == "standing"

    before = counts()
    refused = start(support_client, chen)
    assert refused.status_code == 403
    assert message_for(DenialCode.CODE_OR_CONSENT_MISSING) in refused.text
    assert nothing_started(before)

    code = get_code(chen)
    _browser, with_code = start_assisted(support_client, chen, assistance_code=code)
    assert with_code.consent_basis == "code"


def test_the_dialog_asks_for_the_code_only_when_codes_count(support_client, jane, set_config):
    dialog = support_client.get(f"/admin/login_as_customer/{jane.pk}/confirm/").text
    assert 'name="assistance_code"' not in dialog

    set_config({lac_config.CUSTOMER_CONSENT: lac_config.ASSISTANCE_CODE})
    dialog = support_client.get(f"/admin/login_as_customer/{jane.pk}/confirm/").text
    assert re.search(r'<input type="text" name="assistance_code"[^>]* required>', dialog)

    set_config({lac_config.CUSTOMER_CONSENT: lac_config.EITHER})
    dialog = support_client.get(f"/admin/login_as_customer/{jane.pk}/confirm/").text
    assert "Assistance code (optional)" in dialog  # Jane's opt-in is valid


def test_a_code_session_is_redeemed_like_any_other(codes_only, support_client, chen):
    code = get_code(chen)
    response = redeem(Client(), start(support_client, chen, assistance_code=code))
    assert response.status_code == 302
    assert AssistedSession.objects.get(customer=chen).started_at is not None
