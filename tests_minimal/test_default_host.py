"""Login as Customer on a minimal Django project with neither host: Django's users as
customers, sites as store views, the default host's journal, permissions and settings. The
whole way — consent, start, redemption in the browser that started it, the banner on a page,
Close session — and a refusal that starts nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client

from login_as_customer import binding_cookie, tokens
from login_as_customer.actor import Actor
from login_as_customer.errors import DenialCode, LoginAsCustomerDenied
from login_as_customer.flows.consent import set_consent
from login_as_customer.flows.start import StartRequest, start_assisted_session
from login_as_customer.host import Host, host
from login_as_customer.models import (
    AssistedAction,
    AssistedSession,
    EndReason,
    LoginToken,
)

pytestmark = pytest.mark.django_db
User = get_user_model()


def _start(support, customer, binding=""):
    return start_assisted_session(
        staff=support,
        customer_id=customer.pk,
        origin=StartRequest(ip_address="10.0.0.5", user_agent="test"),
        browser_binding=binding,
    )


def test_the_default_host_serves_with_djangos_users_and_sites():
    assert type(host()) is Host
    assert host().customer_model() is User
    site = host().default_store_view()
    assert host().store_view_code(site) == "example.com"
    assert host().store_view_names() == {"example.com": "example.com"}


def test_start_redeem_banner_and_close_on_a_minimal_project(support, jane):
    binding = tokens.new_binding()
    session, raw_token = _start(support, jane, binding)
    assert (session.customer, session.customer_name, session.website_name) == (
        jane,
        "Jane Doe",
        "example.com",
    )

    browser = Client()
    browser.cookies[binding_cookie.cookie_name(session)] = binding
    landing = browser.post("/login_as_customer/redeem/", {"token": raw_token})
    assert (landing.status_code, landing["Location"]) == (302, "/account/")

    page = browser.get("/account/")
    html = page.content.decode()
    assert "You are connected as Jane Doe on example.com" in html
    assert "<p id='who'>jane</p>" in html  # the customer's own page, as Django's user
    assert "private" in page["Cache-Control"]

    closed = browser.post("/login_as_customer/close/")
    assert closed.status_code == 200
    session.refresh_from_db()
    assert session.end_reason == EndReason.CLOSED_BY_ADMIN
    assert "<p id='who'>guest</p>" in browser.get("/account/").content.decode()
    actions = list(AssistedAction.objects.values_list("action", "outcome", "assisted_session_id"))
    assert actions == [
        ("consent.grant", "success", None),
        ("start", "success", session.pk),
        ("redeem", "success", session.pk),
        ("end", "success", session.pk),
        ("request", "success", session.pk),  # the Close session POST, recorded as every write
    ]
    close = AssistedAction.objects.get(action="request")
    assert close.details == {"view": "login_as_customer:close", "method": "POST", "status": 200}
    assert LoginToken.objects.get(assisted_session=session).used_at is not None


def test_a_customer_without_consent_is_refused_and_nothing_starts(support):
    chen = User.objects.create_user("chen", "chen@example.com", "demo-customer")
    with pytest.raises(LoginAsCustomerDenied) as refused:
        _start(support, chen)
    assert refused.value.code == DenialCode.CONSENT_MISSING
    assert not AssistedSession.objects.exists()
    assert not LoginToken.objects.exists()
    denial = AssistedAction.objects.get()
    assert (denial.action, denial.outcome, denial.admin_username) == (
        "start_denied",
        "denied",
        "support",
    )


def test_a_redemption_without_the_binding_cookie_is_refused(support, jane):
    session, raw_token = _start(support, jane, tokens.new_binding())
    response = Client().post("/login_as_customer/redeem/", {"token": raw_token})
    assert response.status_code == 403
    assert LoginToken.objects.get(assisted_session=session).used_at is None
    assert AssistedSession.objects.get(pk=session.pk).started_at is None


def test_the_administrators_own_session_survives_start_use_and_close(support, jane):
    """One browser: signed in to Django's admin, it opens an assisted session on the
    storefront, uses it and closes it; the admin session is never touched (two cookies)."""
    browser = Client()
    browser.force_login(support)  # Django's admin sign-in: the storefront's cookie, so…
    browser.cookies.clear()
    assert (
        browser.post(
            "/admin/login/", {"username": "support", "password": "demo-support", "next": "/admin/"}
        ).status_code
        == 302
    )
    admin_cookie = browser.cookies["sessionid_admin"]
    assert admin_cookie["path"] == "/admin/"
    assert "sessionid" not in browser.cookies  # the storefront has no session yet
    assert browser.get("/admin/").status_code == 200

    binding = tokens.new_binding()
    session, raw_token = start_assisted_session(
        staff=support,
        customer_id=jane.pk,
        origin=StartRequest(admin_session_key=admin_cookie.value),
        browser_binding=binding,
    )
    browser.cookies[binding_cookie.cookie_name(session)] = binding
    assert browser.post("/login_as_customer/redeem/", {"token": raw_token}).status_code == 302
    assert "<p id='who'>jane</p>" in browser.get("/account/").content.decode()
    assert browser.get("/admin/").status_code == 200  # still the administrator there
    assert browser.cookies["sessionid_admin"].value == admin_cookie.value

    assert browser.post("/login_as_customer/close/").status_code == 200
    assert "<p id='who'>guest</p>" in browser.get("/account/").content.decode()
    assert browser.get("/admin/").status_code == 200
    assert browser.cookies["sessionid_admin"].value == admin_cookie.value


def test_a_session_key_of_one_area_is_no_session_in_the_other(support):
    browser = Client()
    browser.post("/admin/login/", {"username": "support", "password": "demo-support"})
    admin_key = browser.cookies["sessionid_admin"].value
    assert browser.get("/admin/").status_code == 200  # a signed-in admin session
    thief = Client()
    thief.cookies["sessionid"] = admin_key  # the admin's key, presented to the storefront
    assert "<p id='who'>guest</p>" in thief.get("/account/").content.decode()


def _signed_in_admin(username="support", password="demo-support"):  # noqa: S107 - test data
    browser = Client()
    response = browser.post("/admin/login/", {"username": username, "password": password})
    assert response.status_code == 302
    return browser


def test_the_button_dialog_start_and_redemption_through_djangos_admin(support, jane):
    support.user_permissions.add(
        Permission.objects.get(codename="view_login_as_customer_log"),
        # The customer's page in Django's admin, where the button is (the confirmation names
        # the customer only to staff who may see them there: test_confirm_page_naming.py).
        Permission.objects.get(content_type__app_label="auth", codename="view_user"),
    )
    browser = _signed_in_admin()
    confirm = browser.get(f"/admin/login_as_customer/assistedsession/customer/{jane.pk}/confirm/")
    assert confirm.status_code == 200
    assert "Login as Customer: Jane Doe" in confirm.content.decode()
    assert f"/admin/auth/user/{jane.pk}/change/" in confirm.content.decode()

    start = browser.post(
        f"/admin/login_as_customer/assistedsession/customer/{jane.pk}/start/", {"reason": ""}
    )
    assert start.status_code == 200
    html = start.content.decode()
    assert 'action="/login_as_customer/redeem/"' in html
    session = AssistedSession.objects.get()
    token = html.split('name="token" value="')[1].split('"')[0]
    assert browser.post("/login_as_customer/redeem/", {"token": token}).status_code == 302
    assert "You are connected as Jane Doe" in browser.get("/account/").content.decode()

    log = browser.get("/admin/login_as_customer/assistedsession/")
    assert log.status_code == 200 and "jane@example.com" in log.content.decode()
    actions = browser.get(f"/admin/login_as_customer/assistedsession/{session.pk}/actions/")
    assert actions.status_code == 200
    assert 'data-action="redeem"' in actions.content.decode()


def test_a_start_without_the_permission_is_refused_logged_and_starts_nothing(jane):
    clerk = User.objects.create_user("clerk", "clerk@example.com", "demo-support", is_staff=True)
    browser = _signed_in_admin("clerk")
    response = browser.post(
        f"/admin/login_as_customer/assistedsession/customer/{jane.pk}/start/", {"reason": ""}
    )
    assert response.status_code == 403
    assert not AssistedSession.objects.exists()
    denial = AssistedAction.objects.get(action="start_denied")
    assert denial.admin_id == clerk.pk
    assert denial.details["code"] == "login_as_customer.permission_missing"
    assert browser.get("/admin/login_as_customer/assistedsession/").status_code == 403


def test_the_button_tag_shows_only_to_an_administrator_who_may(support, jane):
    from django.contrib.sessions.backends.db import SessionStore
    from django.template import Context, Template
    from django.test import RequestFactory

    tag = Template("{% load login_as_customer %}{% login_as_customer_button customer %}")
    request = RequestFactory().get("/admin/auth/user/")
    request.session = SessionStore()
    request.user = support
    shown = tag.render(Context({"request": request, "customer": jane}))
    assert "Login as Customer" in shown and f"lac-dialog-{jane.pk}" in shown
    request.user = User.objects.create_user("clerk", "c@example.com", "x", is_staff=True)
    assert tag.render(Context({"request": request, "customer": jane})).strip() == ""


def test_the_own_journal_feeds_the_audit_stream(
    support, jane, caplog, django_capture_on_commit_callbacks
):
    import json
    import logging

    from login_as_customer import audit_stream

    caplog.set_level(logging.INFO, logger=audit_stream.LOGGER_NAME)
    with django_capture_on_commit_callbacks(execute=True):
        session, _raw_token = _start(support, jane, tokens.new_binding())

    lines = [
        json.loads(r.getMessage()) for r in caplog.records if r.name == "login_as_customer.audit"
    ]
    start = next(line for line in lines if line["event"]["action"] == "start")
    assert start["user"] == {"name": "support", "target": {"email": "jane@example.com"}}
    assert start["login_as_customer"]["session"] == {"id": session.pk}
    assert start["client"] == {"ip": "10.0.0.5"}
    assert "chain" not in start["login_as_customer"]  # the own journal has no hash chain


def test_several_admin_prefixes_share_one_admin_cookie_on_their_common_parent(settings):
    from login_as_customer import areas
    from login_as_customer.host import ADMIN, STOREFRONT

    settings.LOGIN_AS_CUSTOMER = {
        **settings.LOGIN_AS_CUSTOMER,
        "ADMIN_PREFIX": ("/dashboard/", "/admin/"),
    }
    assert areas.area_of_path("/dashboard/users/3/") == ADMIN
    assert areas.area_of_path("/admin/") == ADMIN
    assert areas.area_of_path("/accounts/profile/") == STOREFRONT
    assert areas.cookie_of(ADMIN) == ("sessionid_admin", "/")
    settings.LOGIN_AS_CUSTOMER = {
        **settings.LOGIN_AS_CUSTOMER,
        "ADMIN_PREFIX": ("/staff/dashboard/", "/staff/admin/"),
    }
    assert areas.cookie_of(ADMIN) == ("sessionid_admin", "/staff/")
    assert areas.area_of_path("/staff/") == STOREFRONT  # the parent itself is no admin page


def test_the_customer_allows_it_with_the_consent_tag_and_view(jane):
    from django.template import Context, Template
    from django.test import RequestFactory

    from login_as_customer.models import AssistanceConsent

    set_consent(customer=jane, allowed=False, actor=Actor(customer=jane))
    request = RequestFactory().get("/account/")
    request.user = jane
    form = Template("{% load login_as_customer %}{% login_as_customer_consent %}").render(
        Context({"request": request})
    )
    assert 'action="/customer/assistance-consent/"' in form and 'value="/account/"' in form

    browser = _signed_in_customer(jane)
    back = browser.post(
        "/customer/assistance-consent/",
        {"assistance-allow": "on", "assistance-duration": "1", "next": "/account/"},
    )
    assert back["Location"] == "/account/"
    assert AssistanceConsent.objects.get(customer=jane).is_valid()
    refused = browser.post("/customer/assistance-consent/", {"next": "//evil.test/"})
    assert refused["Location"] == "/customer/assisted-sessions/"  # not followed
    assert not AssistanceConsent.objects.get(customer=jane).is_valid()  # withdrawn
    assert Client().post("/customer/assistance-consent/", {}).status_code == 302  # sign in first


def _signed_in_customer(customer) -> Client:
    """A storefront signed in as ``customer`` (Client.force_login writes a session without the
    area stamp, which the area middleware rightly reads as no session)."""
    from django.conf import settings
    from django.contrib import auth

    from login_as_customer import areas
    from login_as_customer.host import STOREFRONT

    session = areas._store_of(STOREFRONT)()
    session[auth.SESSION_KEY] = str(customer.pk)
    session[auth.BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[auth.HASH_SESSION_KEY] = customer.get_session_auth_hash()
    session.save()
    browser = Client()
    browser.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return browser
