"""The twelve security requirements of Login as Customer (issue 4), one section each.

Every refusal also shows that nothing else happened: no assisted session or login token
created, no storefront session authenticated, no consent or customer changed.
"""

import hashlib
import re
import threading
from datetime import timedelta

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.html import escape
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from login_as_customer import config as lac_config
from login_as_customer import tokens
from login_as_customer.errors import DenialCode, LoginAsCustomerDenied, message_for
from login_as_customer.flows.consent import set_consent
from login_as_customer.flows.end import record_end
from login_as_customer.flows.live_check import SESSION_ID_KEY
from login_as_customer.flows.redeem import _consume, redeem_login_token
from login_as_customer.flows.start import StartRequest
from login_as_customer.models import (
    AssistanceConsent,
    AssistedSession,
    EndReason,
    LoginToken,
)
from login_as_customer.signals import login_as_customer_denied
from shopassist.cart.models import Cart
from shopassist.cart.selectors import customer_cart
from shopassist.core.actor import Actor
from shopassist.customers.models import Customer
from shopassist.lac_host.acl import OPT_IN, VIEW_LOG
from shopassist.staff import roles
from shopassist.staff.models import Role
from tests.conftest import login_admin_client, login_customer_client
from tests.login_as_customer.assisted import (
    ADMIN_COOKIE,
    ESCAPED_XSS,
    STORE_COOKIE,
    XSS,
    assert_ended,
    assisted_storefront_sessions,
    banner_of,
    carry_binding,
    close_url,
    confirm_url,
    lac_snapshot,
    redeem,
    redeem_form,
    redeem_url,
    session_of,
    sessions_of_customer,
    start,
    start_assisted,
    start_url,
    store_key,
    stored_session,
)

pytestmark = pytest.mark.django_db

CUSTOMER_PAGE = "/admin/customers/customer/{}/change/"
CUSTOMER_GRID = "/admin/customers/customer/"
BUTTON = 'data-testid="lac-button"'
GUEST_SKU = "SA-ELE-001"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def csrf_token_of(response) -> str:
    match = CSRF_INPUT.search(response.content.decode())
    assert match, "no CSRF token in the page"
    return match.group(1)


def refusal(response) -> str:
    return response.content.decode()


def assert_refused(response, code: DenialCode, status: int = 403):
    assert response.status_code == status, response.content[:800]
    # The page speaks the language of the store view it was served in.
    with translation.override(response.get("Content-Language", "en")):
        expected = escape(message_for(code))
    assert expected in refusal(response)


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


@pytest.fixture
def manual_selection(set_config):
    set_config({lac_config.STORE_VIEW_LOGIN: lac_config.MANUAL_SELECTION})


@pytest.fixture
def denials():
    """Denials the feature reports (the audit log listens to the same signal)."""
    calls = []

    def receiver(sender, code, **kwargs):
        calls.append(code)

    login_as_customer_denied.connect(receiver, weak=False)
    yield calls
    login_as_customer_denied.disconnect(receiver)


# --- 1. Staff without Allow Login as Customer ------------------------------------------------


@pytest.mark.parametrize("username", ["clerk", "auditor", "desk"])
def test_staff_without_allow_get_403_from_start_and_confirm(
    username, desk_agent, jane, en, admin_client_for
):
    client = admin_client_for(User.objects.get(username=username))
    before = lac_snapshot()

    assert start(client, jane).status_code == 403
    assert client.get(confirm_url(jane.pk)).status_code == 403
    assert lac_snapshot() == before


@pytest.mark.parametrize("username", ["clerk", "auditor"])
def test_forged_start_form_with_a_valid_csrf_token_is_still_403(
    username, jane, en, admin_client_for
):
    """The clerk copies the confirmation form with their own valid CSRF token: the server
    refuses on the permission, not on the token."""
    client = admin_client_for(User.objects.get(username=username), enforce_csrf_checks=True)
    token = csrf_token_of(client.get("/admin/"))
    before = lac_snapshot()

    response = start(
        client, jane, csrfmiddlewaretoken=token, store_view=str(en.pk), reason="forged"
    )

    assert response.status_code == 403
    assert b"CSRF" not in response.content
    assert lac_snapshot() == before


# --- 2. Methods and CSRF ---------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "head"])
def test_get_and_head_to_start_redeem_and_close_are_405_without_side_effect(
    method, support_client, jane, marie
):
    browser, live = start_assisted(support_client, jane)
    action, token = redeem_form(start(support_client, marie))
    before = lac_snapshot()

    responses = [
        getattr(support_client, method)(start_url(jane.pk)),
        getattr(Client(), method)(action, {"token": token}),
        getattr(browser, method)(close_url()),
    ]

    assert [response.status_code for response in responses] == [405, 405, 405]
    after = lac_snapshot()
    for data in (before, after):  # the idle clock may tick; nothing else may change
        for row in data["assisted_sessions"]:
            row.pop("last_seen_at")
    assert after == before
    assert session_of(browser)[SESSION_ID_KEY] == live.pk
    assert LoginToken.objects.get(token_hash=tokens.hash_token(token)).used_at is None


def test_start_without_csrf_token_is_refused_and_with_it_works(
    support_agent, jane, admin_client_for
):
    client = admin_client_for(support_agent, enforce_csrf_checks=True)
    before = lac_snapshot()

    refused = start(client, jane)

    assert refused.status_code == 403
    assert lac_snapshot() == before
    token = csrf_token_of(client.get(confirm_url(jane.pk)))
    assert start(client, jane, csrfmiddlewaretoken=token).status_code == 200
    assert AssistedSession.objects.count() == 1


def test_close_without_csrf_token_is_refused_and_with_it_works(support_client, jane):
    browser = Client(enforce_csrf_checks=True)
    browser, session = start_assisted(support_client, jane, browser=browser)
    account = browser.get("/en/customer/account/")

    refused = browser.post(close_url())

    assert refused.status_code == 403
    session.refresh_from_db()
    assert session.ended_at is None
    assert session_of(browser)[SESSION_ID_KEY] == session.pk
    closed = browser.post(close_url(), {"csrfmiddlewaretoken": csrf_token_of(account)})
    assert closed.status_code == 200
    assert_ended(session, EndReason.CLOSED_BY_ADMIN)


def test_redeem_is_csrf_exempt_but_refuses_a_cross_origin_post(support_client, jane):
    """The one-time token is the redemption's CSRF defence; a POST from another origin is
    refused before the token is even looked at."""
    started = start(support_client, jane)
    action, token = redeem_form(started)
    before = lac_snapshot()

    cross = carry_binding(Client(enforce_csrf_checks=True), started).post(
        action, {"token": token}, HTTP_ORIGIN="https://evil.example"
    )

    assert cross.status_code == 400
    assert lac_snapshot() == before
    same = carry_binding(Client(enforce_csrf_checks=True), started).post(
        action, {"token": token}, HTTP_ORIGIN="http://testserver"
    )
    assert same.status_code == 302
    assert len(assisted_storefront_sessions()) == 1


# --- 3. Targets that can never be logged in as -----------------------------------------------


def _customer_like(user, en, *, email=None) -> Customer:
    customer = Customer.objects.create(
        website=en.store.website,
        created_in=en,
        first_name=user.first_name or "Staff",
        last_name="Member",
        email=email or user.email,
    )
    AssistanceConsent.objects.create(customer=customer, allowed=True, granted_at=timezone.now())
    return customer


def test_a_customer_with_a_staff_users_email_is_never_a_target(
    administrator, support_agent, en, admin_client_for
):
    target = _customer_like(support_agent, en)
    before = lac_snapshot()

    response = start(admin_client_for(administrator), target)

    assert_refused(response, DenialCode.TARGET_IS_STAFF)
    assert lac_snapshot() == before


def test_a_customer_with_a_superusers_email_is_never_a_target(support_client, en):
    root = User.objects.create_superuser("root", "Root@ShopAssist.example", "x-Root-pass-1")
    target = _customer_like(root, en, email="root@shopassist.example")
    before = lac_snapshot()

    response = start(support_client, target)

    assert_refused(response, DenialCode.TARGET_IS_STAFF)
    assert lac_snapshot() == before


def test_an_inactive_customer_is_refused(support_client, jane):
    Customer.objects.filter(pk=jane.pk).update(is_active=False)
    before = lac_snapshot()

    assert_refused(start(support_client, jane), DenialCode.CUSTOMER_INACTIVE)
    assert lac_snapshot() == before


def test_a_deleted_customer_id_is_refused(support_client, kim_deleted_id):
    before = lac_snapshot()

    response = start(support_client, kim_deleted_id)

    assert response.status_code == 404
    assert lac_snapshot() == before
    assert support_client.get(confirm_url(kim_deleted_id)).status_code == 404


@pytest.fixture
def kim_deleted_id(demo):
    kim = Customer.objects.get(email="kim.minji@example.com")
    kim_id = kim.pk
    kim.delete()
    return kim_id


def test_a_store_view_of_another_website_is_refused_under_per_website_sharing(
    support_client, jane, outlet_view, manual_selection
):
    before = lac_snapshot()

    response = start(support_client, jane, store_view=str(outlet_view.pk))

    assert_refused(response, DenialCode.STORE_VIEW_NOT_ALLOWED)
    assert lac_snapshot() == before
    # The dialog offers it disabled.
    page = support_client.get(confirm_url(jane.pk)).content.decode()
    assert f'<option value="{outlet_view.pk}" disabled>' in page


def test_a_customer_of_another_website_is_refused_on_this_websites_store_view(
    support_client, en, outlet_view, manual_selection
):
    outlet_customer = Customer.objects.create(
        website=outlet_view.store.website,
        created_in=outlet_view,
        first_name="Olive",
        last_name="Outlet",
        email="olive@example.com",
    )
    AssistanceConsent.objects.create(customer=outlet_customer, allowed=True)
    before = lac_snapshot()

    response = start(support_client, outlet_customer, store_view=str(en.pk))

    assert_refused(response, DenialCode.STORE_VIEW_NOT_ALLOWED)
    assert lac_snapshot() == before


def test_a_store_view_id_that_does_not_exist_is_refused(support_client, jane, manual_selection):
    before = lac_snapshot()

    for value in ("999999", "fr", "-1", "1e3"):
        assert_refused(
            start(support_client, jane, store_view=value), DenialCode.STORE_VIEW_NOT_ALLOWED
        )

    assert lac_snapshot() == before


def test_redemption_rechecks_the_target(support_client, jane):
    """Deactivated between start and redemption: the link no longer works."""
    response = start(support_client, jane)
    session = AssistedSession.objects.get()
    Customer.objects.filter(pk=jane.pk).update(is_active=False)

    assert_refused(redeem(Client(), response), DenialCode.CUSTOMER_INACTIVE)
    assert_ended(session, EndReason.NEVER_REDEEMED)
    assert session.started_at is None
    assert assisted_storefront_sessions() == []


# --- 4. Consent and the feature switch -------------------------------------------------------


def test_a_customer_without_consent_is_refused(support_client, chen):
    before = lac_snapshot()

    assert_refused(start(support_client, chen), DenialCode.CONSENT_MISSING)
    assert lac_snapshot() == before


def test_an_expired_consent_is_refused(support_client, jane):
    set_consent(customer=jane, allowed=True, duration="1", actor=Actor(customer=jane))

    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1), tick=False):
        before = lac_snapshot()
        response = start(support_client, jane)
        assert lac_snapshot() == before

    assert_refused(response, DenialCode.CONSENT_EXPIRED)


def test_the_disabled_feature_refuses_start_and_redemption(support_client, jane, set_config):
    pending = start(support_client, jane)
    set_config({lac_config.ENABLED: "0"})
    before = lac_snapshot()

    assert_refused(start(support_client, jane), DenialCode.FEATURE_DISABLED)
    assert lac_snapshot() == before
    assert_refused(redeem(Client(), pending), DenialCode.FEATURE_DISABLED)
    assert assisted_storefront_sessions() == []


def test_the_button_is_absent_when_the_feature_is_disabled(support_client, jane, set_config):
    assert BUTTON in support_client.get(CUSTOMER_PAGE.format(jane.pk)).content.decode()

    set_config({lac_config.ENABLED: "0"})

    page = support_client.get(CUSTOMER_PAGE.format(jane.pk))
    assert page.status_code == 200
    assert BUTTON not in page.content.decode()


def test_the_button_is_absent_without_the_permission(desk_agent, jane, admin_client_for):
    page = admin_client_for(desk_agent).get(CUSTOMER_PAGE.format(jane.pk))

    assert page.status_code == 200
    assert BUTTON not in page.content.decode()
    assert "lac-dialog" not in page.content.decode()


def test_the_button_of_a_customer_without_consent_shows_the_notice(support_client, chen):
    page = support_client.get(CUSTOMER_PAGE.format(chen.pk)).content.decode()

    assert BUTTON in page
    assert '<p class="lac-notice" role="alert">' in page
    assert "The customer has not enabled Allow remote shopping assistance." in page
    assert "lac-confirm-form" not in page


# --- 5. The one-time token -------------------------------------------------------------------


def _every_stored_text() -> str:
    """Every row of every table, and every decoded session, as one text."""
    rows = [
        repr(list(model.objects.values()))
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]
    rows += [repr(data) for data in assisted_storefront_sessions()]
    return "\n".join(rows)


def test_only_the_tokens_hash_is_stored(support_client, jane):
    response = start(support_client, jane)
    _action, raw = redeem_form(response)

    assert len(raw) == tokens.TOKEN_LENGTH  # 256 random bits, URL-safe base64
    stored = LoginToken.objects.get()
    assert stored.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in _every_stored_text()
    assert raw not in response.get("Location", "")
    # Redeemed: still nowhere, neither in the database nor in the new session.
    redeemed = redeem(Client(), response)
    assert raw not in redeemed["Location"]
    assert raw not in _every_stored_text()


def test_the_start_page_is_private_and_sends_no_referrer_to_other_sites(support_client, jane):
    response = start(support_client, jane)

    assert {"private", "no-store"} <= cache_control(response)
    # Not "no-referrer": that makes the browser send "Origin: null", which redemption refuses.
    assert response["Referrer-Policy"] == "same-origin"


def test_a_second_redemption_is_refused_and_reported_as_a_replay(support_client, jane, denials):
    response = start(support_client, jane)
    assert redeem(Client(), response).status_code == 302
    before = lac_snapshot()

    replay = redeem(Client(), response)

    assert_refused(replay, DenialCode.TOKEN_REPLAYED)
    assert denials == [DenialCode.TOKEN_REPLAYED]
    assert lac_snapshot() == before
    assert len(assisted_storefront_sessions()) == 1


def test_a_session_that_ends_while_its_link_is_redeemed_never_starts(support_client, jane):
    """The race the redemption's checks cannot see: the session ends (a manager's
    termination) after the redemption read it open and before it marks it started. The
    redemption's own UPDATE refuses it; ShopAssist's triggers would otherwise refuse the
    change of an ended session with an error, and a host without them would start it."""
    start(support_client, jane)
    read_open = AssistedSession.objects.get()
    token = LoginToken.objects.get(assisted_session=read_open)
    assert read_open.ended_at is None and token.used_at is None
    record_end(AssistedSession.objects.get(), EndReason.TERMINATED)

    now = timezone.now()
    token.used_at = read_open.started_at = read_open.last_seen_at = now
    read_open.expires_at = now + timedelta(hours=1)
    with transaction.atomic():
        refusal = _consume(token, read_open)

    assert refusal == DenialCode.TOKEN_EXPIRED
    ended = AssistedSession.objects.get()
    assert ended.started_at is None and ended.last_seen_at is None
    assert ended.end_reason == EndReason.TERMINATED


def test_a_token_used_meanwhile_is_a_replay_and_starts_nothing(support_client, jane):
    start(support_client, jane)
    session = AssistedSession.objects.get()
    token = LoginToken.objects.get(assisted_session=session)
    LoginToken.objects.filter(pk=token.pk).update(used_at=timezone.now())  # the other tab

    token.used_at = session.started_at = session.last_seen_at = timezone.now()
    session.expires_at = session.started_at + timedelta(hours=1)
    with transaction.atomic():
        refusal = _consume(token, session)

    assert refusal == DenialCode.TOKEN_REPLAYED
    assert AssistedSession.objects.get().started_at is None


def test_an_expired_token_is_refused(support_client, jane, denials):
    response = start(support_client, jane)
    session = AssistedSession.objects.get()
    lifetime = timedelta(seconds=lac_config.setting(lac_config.LINK_LIFETIME))

    with time_machine.travel(timezone.now() + lifetime + timedelta(seconds=1), tick=False):
        expired = redeem(Client(), response)

    assert_refused(expired, DenialCode.TOKEN_EXPIRED)
    assert denials == [DenialCode.TOKEN_EXPIRED]
    assert_ended(session, EndReason.NEVER_REDEEMED)
    assert session.started_at is None
    assert LoginToken.objects.get().used_at is None
    assert assisted_storefront_sessions() == []


def test_a_token_of_one_store_view_is_refused_on_another(support_client, jane):
    started = start(support_client, jane)
    action, token = redeem_form(started)
    assert action == redeem_url("en")
    before = lac_snapshot()

    response = carry_binding(Client(), started).post(redeem_url("fr"), {"token": token})

    assert_refused(response, DenialCode.TOKEN_WRONG_STORE_VIEW)
    assert lac_snapshot() == before


def test_an_unknown_token_of_the_right_shape_is_refused(demo):
    before = lac_snapshot()

    response = Client().post(redeem_url(), {"token": tokens.new_token()})

    assert_refused(response, DenialCode.TOKEN_INVALID, status=400)
    assert lac_snapshot() == before


TOKEN_ALPHABET = "".join(sorted(tokens._ALPHABET))
# Values that can never be a token: each must be refused before any database lookup.
NOT_TOKENS = st.one_of(
    st.none(),
    st.integers(),
    st.binary(max_size=64),
    st.lists(st.text(alphabet=TOKEN_ALPHABET, min_size=43, max_size=43), max_size=3),
    st.dictionaries(st.text(max_size=5), st.text(max_size=50), max_size=3),
    st.just(""),
    st.text(alphabet=TOKEN_ALPHABET, max_size=tokens.TOKEN_LENGTH - 1),
    st.text(alphabet=TOKEN_ALPHABET, min_size=tokens.TOKEN_LENGTH + 1, max_size=100_000),
    st.text(
        alphabet=st.characters(blacklist_characters=TOKEN_ALPHABET),
        min_size=tokens.TOKEN_LENGTH,
        max_size=tokens.TOKEN_LENGTH,
    ),
)


@hypothesis_settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=NOT_TOKENS)
def test_malformed_tokens_are_refused_without_a_database_query(
    value, en, django_assert_num_queries
):
    with django_assert_num_queries(0), pytest.raises(LoginAsCustomerDenied) as denied:
        redeem_login_token(raw_token=value, store_view=en, origin=StartRequest())

    assert denied.value.code == DenialCode.TOKEN_INVALID


# What a browser (or an attacker) can send as the "token" field of the form.
MALFORMED_POSTS = st.one_of(
    st.just({}),
    st.just({"token": ""}),
    st.builds(lambda n: {"token": "A" * n}, st.integers(tokens.TOKEN_LENGTH + 1, 200_000)),
    st.builds(lambda n: {"token": "A" * n}, st.integers(1, tokens.TOKEN_LENGTH - 1)),
    st.text(
        alphabet=st.characters(
            blacklist_characters=TOKEN_ALPHABET, blacklist_categories=("Cs", "Cc")
        ),
        min_size=tokens.TOKEN_LENGTH,
        max_size=tokens.TOKEN_LENGTH,
    ).map(lambda text: {"token": text}),
    st.lists(
        st.text(alphabet=TOKEN_ALPHABET, min_size=43, max_size=43), min_size=2, max_size=4
    ).map(lambda values: {"token": values}),  # a list: token=a&token=b
    st.dictionaries(st.sampled_from(["a", "0", "raw"]), st.text(max_size=43), min_size=1).map(
        lambda value: {f"token[{key}]": item for key, item in value.items()}  # a dict
    ),
)


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=MALFORMED_POSTS)
def test_malformed_token_posts_get_400_without_a_token_lookup(data, demo):
    with CaptureQueriesContext(connection) as queries:
        response = Client().post(redeem_url(), data)

    assert response.status_code == 400
    values = [v for value in data.values() for v in (value if isinstance(value, list) else [value])]
    if any("\x00" in text for text in [*data, *values]):
        # Refused at the door, before any view (core/nul_characters.py, issue 12).
        assert "The request contains a NUL character." in response.content.decode()
    else:
        assert message_for(DenialCode.TOKEN_INVALID) in refusal(response)
    assert not [q for q in queries.captured_queries if "logintoken" in q["sql"].lower()]
    assert AssistedSession.objects.count() == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_redemptions_yield_exactly_one_session(support_agent, jane):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL (set DATABASE_URL): SQLite serialises every writer, so the "
            "race between two redemptions cannot happen there"
        )
    support_client = login_admin_client(Client(), support_agent)
    started = start(support_client, jane)
    action, token = redeem_form(started)
    contenders = 4
    barrier = threading.Barrier(contenders)
    statuses = []

    def redeem_in_a_new_browser():
        try:
            browser = carry_binding(Client(), started)  # tabs of the admin's browser
            barrier.wait(timeout=10)
            statuses.append(browser.post(action, {"token": token}).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=redeem_in_a_new_browser) for _ in range(contenders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(statuses) == [302] + [403] * (contenders - 1)
    assert len(assisted_storefront_sessions()) == 1
    assert AssistedSession.objects.filter(started_at__isnull=False).count() == 1
    assert LoginToken.objects.get().used_at is not None


# --- 6. An assisted storefront session stays out of the admin panel --------------------------


def test_an_assisted_session_cannot_reach_the_admin_panel(support_client, jane):
    browser, _session = start_assisted(support_client, jane)
    assert ADMIN_COOKIE not in browser.cookies

    response = browser.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    # Its key presented as the admin cookie opens nothing either: sessions know their area.
    forged = Client()
    forged.cookies[ADMIN_COOKIE] = store_key(browser)
    assert forged.get("/admin/")["Location"].startswith("/admin/login/")


def test_an_assisted_session_cannot_start_another_one(support_client, jane, marie):
    browser, _session = start_assisted(support_client, jane)
    before = lac_snapshot()

    response = start(browser, marie)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert lac_snapshot() == before


# --- 7. Session fixation ---------------------------------------------------------------------


def test_the_storefront_session_before_redemption_is_not_authenticated_after(support_client, jane):
    browser = Client()
    browser.get(f"/en/product/{GUEST_SKU}/")  # its add-to-cart form sets a CSRF token
    browser.post("/en/checkout/cart/add/", {"sku": GUEST_SKU, "qty": "2"})
    guest_key = store_key(browser)
    guest = Cart.objects.get(customer__isnull=True, is_active=True, items__product__sku=GUEST_SKU)
    guest_csrf = browser.cookies[settings.STOREFRONT_CSRF_COOKIE_NAME].value

    start_assisted(support_client, jane, browser=browser)

    assert store_key(browser) not in (None, guest_key)
    assert stored_session(guest_key) == {}
    assert browser.cookies[settings.STOREFRONT_CSRF_COOKIE_NAME].value not in ("", guest_csrf)
    replayed = Client()
    replayed.cookies[STORE_COOKIE] = guest_key
    assert replayed.get("/en/customer/account/")["Location"].startswith(
        "/en/customer/account/login/"
    )
    # The guest cart is abandoned, never merged into the customer's cart.
    guest.refresh_from_db()
    assert guest.is_active is False
    assert not guest.items.exists()
    jane_cart = customer_cart(jane, None)
    assert jane_cart is None or not jane_cart.items.filter(product__sku=GUEST_SKU).exists()


# --- 8. Everything that ends an assisted session ---------------------------------------------


def _logout_admin(scene):
    assert scene.support_client.post("/admin/logout/").status_code == 200


def _deactivate_admin(scene):
    User.objects.filter(pk=scene.support_agent.pk).update(is_active=False)


def _revoke_allow(scene):
    role = Role.objects.get(name="Customer Support")
    roles.set_role_resources(
        role, access=roles.ACCESS_CUSTOM, resource_ids=["customers.manage", VIEW_LOG, OPT_IN]
    )


def _customer_revokes_consent_in_their_account(scene):
    own = login_customer_client(Client(), scene.jane)
    response = own.post(
        "/en/customer/account/edit/",
        {"first_name": "Jane", "last_name": "Doe", "email": scene.jane.email},
    )
    assert response.status_code == 302
    assert not AssistanceConsent.objects.get(customer=scene.jane).is_valid()


def _revoke_consent_through_the_service(scene):
    set_consent(customer=scene.jane, allowed=False, actor=Actor(customer=scene.jane))


def _deactivate_customer(scene):
    Customer.objects.filter(pk=scene.jane.pk).update(is_active=False)


def _delete_customer(scene):
    Customer.objects.get(pk=scene.jane.pk).delete()


def _disable_feature(scene):
    scene.set_config({lac_config.ENABLED: "0"})


def _consent_expires(scene):
    AssistanceConsent.objects.filter(customer=scene.jane).update(
        expires_at=scene.session.started_at + timedelta(minutes=5)
    )
    return timedelta(minutes=6)


def _absolute_limit(scene):
    # Busy until ten minutes before (its last request moved the idle clock): only the
    # absolute limit has passed (of two that passed, the first is the reason).
    AssistedSession.objects.filter(pk=scene.session.pk).update(
        last_seen_at=scene.session.started_at + timedelta(minutes=51)
    )
    return timedelta(minutes=61)


def _idle_limit(scene):
    return timedelta(minutes=16)


ENDINGS = [
    (_absolute_limit, EndReason.MAX_DURATION),
    (_idle_limit, EndReason.IDLE_TIMEOUT),
    (_logout_admin, EndReason.ADMIN_LOGGED_OUT),
    (_deactivate_admin, EndReason.ADMIN_DEACTIVATED),
    (_revoke_allow, EndReason.PERMISSION_REVOKED),
    (_customer_revokes_consent_in_their_account, EndReason.CONSENT_REVOKED),
    (_revoke_consent_through_the_service, EndReason.CONSENT_REVOKED),
    (_consent_expires, EndReason.CONSENT_REVOKED),
    (_deactivate_customer, EndReason.CUSTOMER_DEACTIVATED),
    (_delete_customer, EndReason.CUSTOMER_DELETED),
    (_disable_feature, EndReason.FEATURE_DISABLED),
]


class Scene:
    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)


@pytest.mark.parametrize(
    ("trigger", "reason"), ENDINGS, ids=[trigger.__name__.strip("_") for trigger, _r in ENDINGS]
)
def test_each_trigger_ends_the_session_at_its_next_request(
    trigger,
    reason,
    support_agent,
    support_client,
    jane,
    set_config,
    django_capture_on_commit_callbacks,
):
    browser, session = start_assisted(support_client, jane)
    assert browser.get("/en/checkout/cart/").status_code == 200
    assisted_key = store_key(browser)
    scene = Scene(
        support_agent=support_agent,
        support_client=support_client,
        jane=jane,
        session=session,
        set_config=set_config,
    )

    with django_capture_on_commit_callbacks(execute=True):  # as committed in production
        later = trigger(scene)
    with time_machine.travel(timezone.now() + (later or timedelta(0)), tick=False):
        response = browser.get("/en/checkout/cart/")

    assert response.status_code == 302
    assert response["Location"] == "/en/"
    assert {"private", "no-store"} <= cache_control(response)
    assert stored_session(assisted_key) == {}  # destroyed on the server
    assert store_key(browser) != assisted_key
    assert SESSION_ID_KEY not in session_of(browser)
    ended = assert_ended(session, reason)
    assert ended.started_at < ended.ended_at
    home = browser.get("/en/")
    assert "The assisted session has ended." in home.content.decode()
    assert banner_of(home) == ""
    assert 'class="sf-greeting"' not in home.content.decode()  # signed out
    assert assisted_storefront_sessions() == []


def test_the_assisted_session_goes_on_inside_its_limits(support_client, jane):
    browser, session = start_assisted(support_client, jane)
    started = session.started_at

    # A request every ten minutes keeps the idle clock fresh, until the absolute limit.
    for minutes in (10, 20, 30, 40, 50, 59):
        with time_machine.travel(started + timedelta(minutes=minutes), tick=False):
            assert browser.get("/en/").status_code == 200
    session.refresh_from_db()
    assert session.ended_at is None
    with time_machine.travel(started + timedelta(minutes=60), tick=False):
        assert browser.get("/en/").status_code == 302
    assert_ended(session, EndReason.MAX_DURATION)


def test_logging_out_of_another_admin_session_ends_nothing(
    support_agent, support_client, jane, admin_client_for
):
    browser, session = start_assisted(support_client, jane)
    elsewhere = admin_client_for(support_agent)

    elsewhere.post("/admin/logout/")

    assert browser.get("/en/").status_code == 200
    session.refresh_from_db()
    assert session.ended_at is None


# --- 9. The customer's own session -----------------------------------------------------------


def _own_account(client):
    response = client.get("/en/customer/account/")
    assert response.status_code == 200, response.get("Location")
    return response.context["customer"]


@pytest.mark.parametrize("end", ["close", "admin_logout", "idle"])
def test_the_customers_own_session_stays_valid_throughout(end, support_client, jane):
    own = login_customer_client(Client(), jane)
    own_key = store_key(own)

    browser, session = start_assisted(support_client, jane)
    assert browser.post("/en/checkout/cart/add/", {"sku": "SA-BAG-001"}).status_code == 302
    assert _own_account(own) == jane
    if end == "close":
        browser.post(close_url())
    elif end == "admin_logout":
        support_client.post("/admin/logout/")
        browser.get("/en/")
    else:
        with time_machine.travel(timezone.now() + timedelta(minutes=16), tick=False):
            browser.get("/en/")
    session.refresh_from_db()
    assert session.ended_at is not None

    assert _own_account(own) == jane
    assert store_key(own) == own_key
    assert own_key in sessions_of_customer(jane)
    assert SESSION_ID_KEY not in session_of(own)
    # The customer sees the cart change the administrator made on their behalf.
    assert "SA-BAG-001" in own.get("/en/checkout/cart/").content.decode()


# --- 10. Escaped output and local redirects --------------------------------------------------


@pytest.fixture
def scripted_jane(jane):
    Customer.objects.filter(pk=jane.pk).update(first_name=XSS)
    jane.refresh_from_db()
    return jane


def test_a_scripted_name_is_escaped_in_the_banner(support_client, scripted_jane):
    browser, _session = start_assisted(support_client, scripted_jane)

    for path in ("/en/", "/en/customer/account/", "/en/checkout/cart/"):
        response = browser.get(path)
        assert XSS not in response.content.decode()
        assert banner_of(response) == f"You are connected as {ESCAPED_XSS} Doe on Main Website"


def test_a_scripted_name_is_escaped_in_the_admin_pages(support_client, scripted_jane):
    pages = {
        "customer page with the dialog": support_client.get(CUSTOMER_PAGE.format(scripted_jane.pk)),
        "confirmation page": support_client.get(confirm_url(scripted_jane.pk)),
        "customer grid": support_client.get(CUSTOMER_GRID),
        "start page": start(support_client, scripted_jane),
    }

    for name, response in pages.items():
        content = response.content.decode()
        assert response.status_code == 200, name
        assert XSS not in content, name
        assert ESCAPED_XSS in content, name


def test_a_scripted_reason_is_escaped_in_the_log_pages(administrator, jane, admin_client_for):
    """The log shows names and reasons as they were typed: escaped."""
    client = admin_client_for(administrator)
    _browser, session = start_assisted(client, jane, reason=XSS)

    for path in (
        "/admin/login_as_customer/log/",
        f"/admin/login_as_customer/log/{session.pk}/",
        "/admin/login_as_customer/active/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert XSS not in response.content.decode(), path
        assert ESCAPED_XSS in response.content.decode(), path


def test_a_scripted_name_is_escaped_on_the_closed_page(support_client, scripted_jane):
    browser, _session = start_assisted(support_client, scripted_jane)

    closed = browser.post(close_url()).content.decode()

    assert XSS not in closed
    assert ESCAPED_XSS in closed


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/", "http://testserver.evil.example/", "javascript:x"],
)
def test_redirects_in_an_assisted_session_stay_local(next_url, support_client, jane):
    browser, _session = start_assisted(support_client, jane)

    response = browser.post("/en/checkout/cart/add/", {"sku": "SA-BAG-001", "next": next_url})

    assert response.status_code == 302
    assert response["Location"] == "/en/checkout/cart/"


def test_redemption_ignores_a_next_url(support_client, jane):
    started = start(support_client, jane)
    action, token = redeem_form(started)

    response = carry_binding(Client(), started).post(
        f"{action}?next=https://evil.example/", {"token": token, "next": "https://evil.example/"}
    )

    assert response["Location"] == "/en/customer/account/"


# --- 11. Nothing of an assisted session is cached --------------------------------------------


ASSISTED_REQUESTS = [
    ("get", "/en/", {}),
    ("get", "/en/category/bags/", {}),
    ("get", "/en/product/SA-BAG-001/", {}),
    ("get", "/en/catalogsearch/?q=bag", {}),
    ("post", "/en/checkout/cart/add/", {"sku": "SA-BAG-001"}),
    ("get", "/en/checkout/cart/", {}),
    ("get", "/en/checkout/", {}),
    ("get", "/en/customer/account/", {}),
    ("get", "/en/customer/account/edit/", {}),
    ("get", "/en/customer/address/", {}),
    ("get", "/en/sales/order/history/", {}),
    ("get", "/en/customer/account/login/", {}),  # a redirect to My Account
    ("get", "/en/no-such-page/", {}),
    ("get", "/fr/", {}),
]


def test_every_response_of_an_assisted_session_is_private_and_not_stored(support_client, jane):
    browser, _session = start_assisted(support_client, jane)
    statuses = set()

    for method, path, data in ASSISTED_REQUESTS:
        response = getattr(browser, method)(path, data)
        statuses.add(response.status_code)
        assert {"private", "no-store"} <= cache_control(response), path
        assert "Expires" not in response or "public" not in cache_control(response)

    assert {200, 302, 404} <= statuses
    closed = browser.post(close_url())
    assert {"private", "no-store"} <= cache_control(closed)


def test_the_redemption_response_is_private(support_client, jane):
    response = redeem(Client(), start(support_client, jane))

    assert response.status_code == 302
    assert {"private", "no-store"} <= cache_control(response)


# --- 12. Start rate limit --------------------------------------------------------------------


def test_start_is_rate_limited_per_administrator(
    support_client, administrator, jane, marie, set_config, admin_client_for, denials
):
    set_config({lac_config.START_RATE_LIMIT: "2"})
    # The limit counts per clock minute: stop the clock inside one.
    minute = timezone.now().replace(second=0, microsecond=0) + timedelta(minutes=1)
    with time_machine.travel(minute + timedelta(seconds=30), tick=False):
        assert start(support_client, jane).status_code == 200
        assert start(support_client, marie).status_code == 200
        before = lac_snapshot()

        third = start(support_client, jane)

        assert_refused(third, DenialCode.RATE_LIMITED, status=429)
        assert "Wait a minute and try again." in refusal(third)
        assert lac_snapshot() == before
        assert denials == [DenialCode.RATE_LIMITED]
        # Per administrator: another one may still start.
        assert start(admin_client_for(administrator), jane).status_code == 200
    # And the next minute the agent may start again.
    with time_machine.travel(minute + timedelta(seconds=90), tick=False):
        assert start(support_client, jane).status_code == 200
    assert AssistedSession.objects.count() == 4


def test_refused_starts_do_not_count_against_the_rate_limit(support_client, jane, chen, set_config):
    set_config({lac_config.START_RATE_LIMIT: "1"})
    for _attempt in range(3):
        assert start(support_client, chen).status_code == 403

    assert start(support_client, jane).status_code == 200


def test_redeeming_in_the_same_browser_twice_does_not_stack_sessions(support_client, jane, marie):
    browser, first = start_assisted(support_client, jane)
    _browser, second = start_assisted(support_client, marie, browser=browser)

    assert session_of(browser)[SESSION_ID_KEY] == second.pk
    assert len(assisted_storefront_sessions()) == 1
    assert browser.get("/en/customer/account/").context["customer"].email == marie.email
    # The session it replaced is recorded as ended, not left live without a browser.
    assert_ended(first, EndReason.REPLACED)
