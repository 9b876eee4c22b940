"""Consent set by staff is visible (issue 11, point 10): when an administrator sets "Allow remote
shopping assistance" in the admin customer form, the consent records who, the action log says
so, the admin form and the customer's Assisted sessions page show it, and — with *Notify the
customer* — the customer gets an e-mail in their store view's language. The customer can still
withdraw it, which clears "who"."""

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import formats, timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from login_as_customer import config as lac_config
from login_as_customer.models import AssistanceConsent
from login_as_customer.selectors import consent_is_valid
from shopassist.audit.models import ActionLogEntry
from shopassist.staff import roles
from shopassist.staff.models import Role
from tests.audit.helpers import log_snapshot
from tests.conftest import login_customer_client
from tests.login_as_customer.assisted import lac_snapshot
from tests.pages import change_form_data

pytestmark = pytest.mark.django_db

CUSTOMER_PAGE = "/admin/customers/customer/{}/change/"
CONSENT_FIELD = "allow_remote_shopping_assistance"
CHEN_HISTORY = "/zh-hant/customer/assisted-sessions/"
CHEN_TITLE_ZH = "允許遠端購物協助"  # "Allow remote shopping assistance" in Chen's catalogue


def shown(dt, language) -> str:
    with translation.override(language):
        return formats.date_format(timezone.localtime(dt), "DATETIME_FORMAT")


def shown_to_customer(dt, language) -> str:
    """As the storefront and its mail write a time: with its time zone."""
    return f"{shown(dt, language)} ({timezone.localtime(dt).tzname()})"


def _customer_page(client, customer, **headers):
    response = client.get(CUSTOMER_PAGE.format(customer.pk), **headers)
    assert response.status_code == 200
    return response


def set_in_admin_form(client, customer, *, allowed: bool):
    """Tick or untick the box in Customer Information › Account Information, then Save."""
    data = change_form_data(_customer_page(client, customer))
    if allowed:
        data[CONSENT_FIELD] = "on"
    else:
        data.pop(CONSENT_FIELD, None)
    response = client.post(CUSTOMER_PAGE.format(customer.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def consent_entries(customer) -> list[ActionLogEntry]:
    return list(
        ActionLogEntry.objects.filter(
            customer_id=customer.pk, action__in=["consent.grant", "consent.revoke"]
        ).order_by("id")
    )


def consent_help(response) -> str:
    return str(response.context["adminform"].form.fields[CONSENT_FIELD].help_text)


def set_by_note(response) -> str | None:
    match = re.search(r'<p class="sf-help" data-testid="consent-set-by">(.*?)</p>', response.text)
    return match.group(1) if match else None


@pytest.fixture
def chen_browser(chen):
    return login_customer_client(Client(), chen, "zh-hant")


@pytest.fixture
def notify_on(set_config):
    set_config({lac_config.NOTIFY_CUSTOMER: "1"})


@pytest.fixture
def names_shown(set_config):
    set_config({lac_config.SHOW_ADMIN_NAMES: "1"})


# --- Who and when is recorded and logged -----------------------------------------------------


def test_support_allowing_assistance_records_who_and_logs_it(support_client, support_agent, chen):
    assert not consent_is_valid(chen)
    before = timezone.now()

    set_in_admin_form(support_client, chen, allowed=True)

    consent = AssistanceConsent.objects.get(customer=chen)
    assert consent.is_valid() and consent.expires_at is None
    assert consent.set_by == support_agent
    assert consent.set_by_username == "support"
    assert consent.granted_at >= before and consent.updated_at >= before
    (entry,) = consent_entries(chen)
    assert entry.action == "consent.grant"
    assert entry.action_group == "login_as_customer"
    assert entry.outcome == "success"
    assert (entry.admin_id, entry.admin_username) == (support_agent.pk, "support")
    assert (entry.customer_id, entry.customer_email) == (chen.pk, chen.email)
    assert entry.details == {"allowed": True, "expires_at": None, "set_by": "staff"}
    assert entry.ip_address == "127.0.0.1"
    # The admin change of the customer is logged as well, naming the field.
    change = ActionLogEntry.objects.filter(action="customers.customer.change").latest("id")
    assert change.admin_username == "support"
    assert "Allow remote shopping assistance" in str(change.details["message"])


def test_staff_withdrawing_it_records_who_as_well(support_client, support_agent, jane):
    set_in_admin_form(support_client, jane, allowed=False)

    consent = AssistanceConsent.objects.get(customer=jane)
    assert not consent.allowed
    assert (consent.set_by, consent.set_by_username) == (support_agent, "support")
    (entry,) = consent_entries(jane)
    assert (entry.action, entry.admin_username) == ("consent.revoke", "support")
    assert entry.details["set_by"] == "staff"
    note = set_by_note(login_customer_client(Client(), jane).get("/en/customer/assisted-sessions/"))
    assert note == escape(
        f"On {shown_to_customer(consent.updated_at, 'en')}, remote shopping assistance was "
        "withdrawn for "
        "you by a store administrator."
    )


def test_the_customer_deciding_themselves_clears_who(support_client, chen, chen_browser):
    set_in_admin_form(support_client, chen, allowed=True)

    response = chen_browser.post(
        "/zh-hant/customer/account/edit/",
        {
            "first_name": "Chen",
            "last_name": "Wei",
            "email": chen.email,
            "assistance-allow": "on",
            "assistance-duration": "7",
        },
    )

    assert response.status_code == 302
    consent = AssistanceConsent.objects.get(customer=chen)
    assert consent.is_valid()
    assert (consent.set_by, consent.set_by_username) == (None, "")
    grant = consent_entries(chen)[-1]
    assert (grant.action, grant.admin_id, grant.admin_username) == ("consent.grant", None, "")
    assert grant.details["set_by"] == "customer"
    assert grant.details["expires_at"] == consent.expires_at.isoformat()
    assert consent_help(_customer_page(support_client, chen)) == escape(
        f"Granted by the customer on {shown(consent.updated_at, 'en')}"
        f" — ends on {shown(consent.expires_at, 'en')}"
    )


# --- It is shown: the admin customer form ----------------------------------------------------


def test_the_admin_form_says_who_granted_it_and_when(support_client, chen):
    set_in_admin_form(support_client, chen, allowed=True)
    consent = AssistanceConsent.objects.get(customer=chen)

    page = _customer_page(support_client, chen)

    expected = f"Granted by support on {shown(consent.updated_at, 'en')}"
    assert consent_help(page) == escape(expected)
    assert escape(expected) in page.text


def test_the_admin_form_formats_the_date_in_the_active_locale(support_client, chen):
    set_in_admin_form(support_client, chen, allowed=True)
    consent = AssistanceConsent.objects.get(customer=chen)

    page = _customer_page(support_client, chen, HTTP_ACCEPT_LANGUAGE="fr")

    with translation.override("fr"):
        expected = gettext("Granted by %(name)s on %(date)s") % {
            "name": "support",
            "date": shown(consent.updated_at, "fr"),
        }
    assert consent_help(page) == escape(expected)
    assert shown(consent.updated_at, "fr") != shown(consent.updated_at, "en")


def test_the_admin_form_says_who_withdrew_it_or_that_the_customer_granted_it(
    support_client, jane, marie
):
    set_in_admin_form(support_client, jane, allowed=False)
    jane_consent = AssistanceConsent.objects.get(customer=jane)
    marie_consent = AssistanceConsent.objects.get(customer=marie)

    jane_page = _customer_page(support_client, jane)
    marie_page = _customer_page(support_client, marie)

    assert consent_help(jane_page) == escape(
        f"Withdrawn by support on {shown(jane_consent.updated_at, 'en')}"
    )
    assert consent_help(marie_page) == escape(
        f"Granted by the customer on {shown(marie_consent.updated_at, 'en')}"
    )


# --- It is shown: the customer's Assisted sessions page --------------------------------------


def test_chen_sees_that_support_allowed_it_for_him(support_client, chen, chen_browser, names_shown):
    assert set_by_note(chen_browser.get(CHEN_HISTORY)) is None
    set_in_admin_form(support_client, chen, allowed=True)
    consent = AssistanceConsent.objects.get(customer=chen)

    response = chen_browser.get(CHEN_HISTORY)

    assert response.status_code == 200
    with translation.override("zh-hant"):
        expected = gettext(
            "On %(date)s, remote shopping assistance was allowed for you by %(name)s. "
            "You can withdraw it at any time."
        ) % {"name": "Sam Support", "date": shown_to_customer(consent.updated_at, "zh-hant")}
    assert set_by_note(response) == escape(expected)
    assert 'data-testid="revoke-consent"' in response.text


def test_without_admin_names_chen_sees_a_store_administrator(support_client, chen, chen_browser):
    set_in_admin_form(support_client, chen, allowed=True)

    note = set_by_note(chen_browser.get(CHEN_HISTORY))

    with translation.override("zh-hant"):
        assert escape(gettext("a store administrator")) in note
    assert "support" not in note


# --- The e-mail ------------------------------------------------------------------------------


def test_with_notify_the_customer_chen_is_mailed_in_his_language_after_commit(
    support_client,
    support_agent,
    chen,
    notify_on,
    names_shown,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks:
        set_in_admin_form(support_client, chen, allowed=True)
        assert mailoutbox == []  # not before the change is committed
    assert callbacks
    for callback in callbacks:
        callback()

    consent = AssistanceConsent.objects.get(customer=chen)
    (mail,) = mailoutbox
    assert mail.to == [chen.email]
    with translation.override("zh-hant"):
        assert mail.subject == gettext("Remote shopping assistance was allowed on your account")
    assert f"({support_agent.get_full_name()})" in mail.body  # as the notice names staff
    assert CHEN_TITLE_ZH in mail.body
    assert shown_to_customer(consent.updated_at, "zh-hant") in mail.body
    assert "Main Website" in mail.body
    with translation.override("zh-hant"):
        assert gettext("It lasts until you withdraw it.") in mail.body


def test_without_admin_names_the_mail_does_not_name_the_administrator(
    support_client, chen, notify_on, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        set_in_admin_form(support_client, chen, allowed=True)

    (mail,) = mailoutbox
    assert "support" not in mail.body


def test_without_notify_the_customer_no_mail_is_sent(
    support_client, chen, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        set_in_admin_form(support_client, chen, allowed=True)

    assert consent_is_valid(chen)
    assert mailoutbox == []


def test_no_mail_when_staff_withdraw_it_or_the_customer_allows_it_themselves(
    support_client,
    jane,
    chen,
    chen_browser,
    notify_on,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        set_in_admin_form(support_client, jane, allowed=False)
        chen_browser.post(
            "/zh-hant/customer/account/edit/",
            {
                "first_name": "Chen",
                "last_name": "Wei",
                "email": chen.email,
                "assistance-allow": "on",
            },
        )

    assert not consent_is_valid(jane) and consent_is_valid(chen)
    assert mailoutbox == []


# --- Who may set it --------------------------------------------------------------------------


def test_staff_without_the_customers_resource_are_refused_and_nothing_changes(
    support_client,
    clerk,
    chen,
    admin_client_for,
    notify_on,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    data = {**change_form_data(_customer_page(support_client, chen)), CONSENT_FIELD: "on"}
    before, log_before = lac_snapshot(), log_snapshot()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_for(clerk).post(CUSTOMER_PAGE.format(chen.pk), data)

    assert response.status_code == 403
    assert lac_snapshot() == before
    assert log_snapshot() == log_before
    assert not consent_is_valid(chen)
    assert mailoutbox == []


def test_staff_without_the_opt_in_resource_change_nothing_with_a_forged_post(
    chen, admin_client_for, notify_on, mailoutbox, django_capture_on_commit_callbacks
):
    role = Role.objects.create(name="Customer Desk")
    roles.set_role_resources(role, access=roles.ACCESS_CUSTOM, resource_ids=["customers.manage"])
    desk = User.objects.create_user("desk", "desk@shopassist.example", "demo-desk", is_staff=True)
    desk.groups.set([role])
    client = admin_client_for(desk)
    forged = {**change_form_data(_customer_page(client, chen)), CONSENT_FIELD: "on"}
    before = lac_snapshot()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CUSTOMER_PAGE.format(chen.pk), forged)

    assert response.status_code == 302
    assert lac_snapshot() == before
    assert consent_entries(chen) == []
    assert mailoutbox == []


# --- The customer can revoke it as always ----------------------------------------------------


def _untick_in_account_information(browser, customer):
    return browser.post(
        "/zh-hant/customer/account/edit/",
        {"first_name": "Chen", "last_name": "Wei", "email": customer.email},
    )


def _withdraw_on_the_assisted_sessions_page(browser, customer):
    return browser.post("/zh-hant/customer/assisted-sessions/revoke/")


@pytest.mark.parametrize(
    "revoke", [_untick_in_account_information, _withdraw_on_the_assisted_sessions_page]
)
def test_chen_revokes_what_support_allowed(support_client, chen, chen_browser, revoke):
    set_in_admin_form(support_client, chen, allowed=True)

    response = revoke(chen_browser, chen)

    assert response.status_code == 302
    consent = AssistanceConsent.objects.get(customer=chen)
    assert not consent.allowed
    assert (consent.set_by, consent.set_by_username) == (None, "")
    revoke_entry = consent_entries(chen)[-1]
    assert revoke_entry.action == "consent.revoke"
    assert (revoke_entry.admin_id, revoke_entry.details["set_by"]) == (None, "customer")
    assert set_by_note(chen_browser.get(CHEN_HISTORY)) is None
    assert consent_help(_customer_page(support_client, chen)) == ""
