"""Issue 11, point 6: action log entries record the request they were written in — its user
agent and a SHA-256 of its session key (never the key) — and end entries the address of whoever
ended the session. Both fields are in the hash chain; an audit write failure stops a start."""

import hashlib
import io
import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from login_as_customer.models import AssistedSession, EndReason, LoginToken
from shopassist.api.models import ApiToken, TokenKind
from shopassist.audit.models import ActionGroup, ActionLogEntry
from shopassist.audit.verify import verify_chains
from shopassist.audit.writer import HASHED_FIELDS, entry_digest, record
from tests.api.conftest import ApiClient, admin_token_for, assisted_token_for
from tests.audit.helpers import csv_rows
from tests.audit.test_tamper_evidence import tamper, verify_fails
from tests.conftest import login_admin_client, login_customer_client, use_own_cache_namespace
from tests.login_as_customer.assisted import (
    ADMIN_AGENT,
    ADMIN_COOKIE,
    STORE_COOKIE,
    close_url,
    lac_snapshot,
    redeem_form,
    start,
)

GROUP = ActionGroup.LOGIN_AS_CUSTOMER
TAB_AGENT = "Mozilla/5.0 (Macintosh) AssistedTab/2.0"


@pytest.fixture(autouse=True)
def _own_cache_namespace(settings):
    """The start rate limit counts per administrator and minute in the shared cache."""
    use_own_cache_namespace(settings, "request-fields")


def sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def cookie(client: Client, name: str) -> str:
    return client.cookies[name].value


def entry(action: str, **filters) -> ActionLogEntry:
    return ActionLogEntry.objects.filter(action_group=GROUP, action=action, **filters).latest("id")


def every_column() -> str:
    return repr(list(ActionLogEntry.objects.values()))


def start_and_redeem(admin_client, customer, **extra):
    """Start in the admin panel, redeem in a new tab of the same browser (which holds what
    the start response set); returns (tab, session)."""
    response = start(admin_client, customer)
    action, token = redeem_form(response)
    tab = Client()
    tab.cookies.update(response.cookies)
    redeemed = tab.post(action, {"token": token}, HTTP_USER_AGENT=TAB_AGENT, **extra)
    assert redeemed.status_code == 302, redeemed.content[:500]
    return tab, AssistedSession.objects.get(started_at__isnull=False, ended_at__isnull=True)


# --- User agent and session hash ---------------------------------------------------------------


@pytest.mark.django_db
def test_the_start_entry_records_the_admins_user_agent_and_session_hash(support_client, jane):
    admin_key = cookie(support_client, ADMIN_COOKIE)

    start(support_client, jane)

    started = entry("start")
    session = AssistedSession.objects.get()
    assert started.user_agent == ADMIN_AGENT
    assert started.session_hash == sha256(admin_key) == session.admin_session_hash
    assert started.ip_address == "127.0.0.1"
    assert admin_key not in every_column()


@pytest.mark.django_db
def test_assisted_entries_record_the_tabs_user_agent_and_session_hash(support_client, jane):
    admin_key = cookie(support_client, ADMIN_COOKIE)
    tab, session = start_and_redeem(support_client, jane)
    tab_key = cookie(tab, STORE_COOKIE)

    tab.post("/en/checkout/cart/add/", {"sku": "SA-BAG-001", "qty": "1"}, HTTP_USER_AGENT=TAB_AGENT)

    for action in ("cart.add", "request"):
        written = entry(action, assisted_session_id=session.pk)
        assert written.user_agent == TAB_AGENT
        assert written.session_hash == sha256(tab_key)
    assert entry("redeem").user_agent == TAB_AGENT
    for key in (admin_key, tab_key):
        assert key not in every_column()


@pytest.mark.django_db
def test_a_user_agent_is_stored_printable_and_at_most_512_characters(support_client, jane):
    support_client.post(
        f"/admin/login_as_customer/{jane.pk}/start/",
        HTTP_USER_AGENT="Evil\x00\x1b[31m\tAgent" + "x" * 600,
    )

    stored = entry("start").user_agent
    assert stored.startswith("Evil[31mAgent")
    assert len(stored) == 512
    assert all(char.isprintable() for char in stored)


@pytest.mark.django_db
def test_a_request_without_a_session_key_has_an_empty_session_hash(support_client, jane):
    tab = Client()

    tab.post("/en/login_as_customer/redeem/", {"token": "x"}, HTTP_USER_AGENT=TAB_AGENT)

    invalid = entry("redeem_invalid")
    assert (invalid.user_agent, invalid.session_hash) == (TAB_AGENT, "")


@pytest.mark.django_db
def test_entries_written_outside_a_request_have_no_request_fields(support_agent):
    written = record(action_group=ActionGroup.ADMIN, action="test.no_request", admin=support_agent)

    assert (written.user_agent, written.session_hash, written.ip_address) == ("", "", None)


@pytest.mark.django_db
def test_api_entries_hash_the_bearer_tokens_stored_hash(support_agent, jane):
    api = ApiClient()
    admin_token = admin_token_for(api, "support")
    assisted = assisted_token_for(api, admin_token, jane)
    token_row = ApiToken.objects.get(kind=TokenKind.ASSISTED)

    response = api.post(
        "/cart/items", {"sku": "SA-BAG-001", "qty": 1}, token=assisted, HTTP_USER_AGENT="Kiosk/3"
    )

    assert response.status_code in (200, 201), response.content
    written = entry("request", assisted_session_id=token_row.assisted_session_id)
    assert written.channel == "api"
    assert written.user_agent == "Kiosk/3"
    assert written.session_hash == sha256(token_row.token_hash)
    for raw in (admin_token, assisted):
        assert raw not in every_column()


# --- End entries record the address of whoever ended the session --------------------------------


@pytest.mark.django_db
def test_the_end_entry_of_close_session_records_the_tabs_address(support_client, jane):
    tab, session = start_and_redeem(support_client, jane)
    tab_key = cookie(tab, STORE_COOKIE)  # the close destroys it

    tab.post(close_url(), REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT=TAB_AGENT)

    ended = entry("end", assisted_session_id=session.pk)
    assert ended.details["reason"] == EndReason.CLOSED_BY_ADMIN
    assert (ended.ip_address, ended.user_agent) == ("203.0.113.7", TAB_AGENT)
    assert ended.session_hash == sha256(tab_key)


@pytest.mark.django_db
def test_the_end_entry_of_a_termination_records_the_terminating_admins_address(
    support_client, administrator, jane
):
    _tab, session = start_and_redeem(support_client, jane)
    manager = login_admin_client(Client(), administrator)

    manager.post(
        reverse("admin:login_as_customer_terminate", args=[session.pk]),
        REMOTE_ADDR="198.51.100.4",
        HTTP_USER_AGENT="ManagerDesk/1.0",
    )

    ended = entry("end", assisted_session_id=session.pk)
    assert ended.details["reason"] == EndReason.TERMINATED
    assert (ended.ip_address, ended.user_agent) == ("198.51.100.4", "ManagerDesk/1.0")
    assert ended.session_hash == sha256(cookie(manager, ADMIN_COOKIE))
    assert entry("terminate", assisted_session_id=session.pk).ip_address == "198.51.100.4"


@pytest.mark.django_db
def test_the_end_entry_of_a_consent_revocation_records_the_customers_address(support_client, jane):
    _tab, session = start_and_redeem(support_client, jane)
    own = login_customer_client(Client(), jane)

    response = own.post("/en/customer/assisted-sessions/revoke/", REMOTE_ADDR="192.0.2.55")

    assert response.status_code == 302
    ended = entry("end", assisted_session_id=session.pk)
    assert ended.details["reason"] == EndReason.CONSENT_REVOKED
    assert ended.ip_address == "192.0.2.55"
    assert ended.session_hash == sha256(cookie(own, STORE_COOKIE))


# --- The log detail page ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_session_detail_page_shows_user_agent_and_a_short_session_hash(
    support_client, auditor, jane
):
    _tab, session = start_and_redeem(support_client, jane)
    started = entry("start", assisted_session_id=session.pk)

    page = login_admin_client(Client(), auditor).get(
        reverse("admin:login_as_customer_log_detail", args=[session.pk])
    )

    body = page.content.decode()
    assert page.status_code == 200
    assert ADMIN_AGENT in body and TAB_AGENT in body
    assert f">{started.session_hash[:12]}<" in body


@pytest.mark.django_db
def test_the_report_csv_has_the_user_agent_and_session_hash(support_client, auditor, jane):
    start(support_client, jane)
    started = entry("start")

    rows = csv_rows(
        login_admin_client(Client(), auditor).get(
            reverse("admin:audit_report"), {"action": "start", "export": "csv"}
        )
    )

    header, *lines = rows
    row = dict(zip(header, lines[0], strict=True))
    assert (row["user_agent"], row["session_hash"]) == (ADMIN_AGENT, started.session_hash)


# --- An audit write failure stops a start -------------------------------------------------------


def fail_start_entries():
    """A real write failure: the database refuses the insert of a "start" entry."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION test_audit_down() RETURNS trigger AS $$ BEGIN "
                "IF NEW.action = 'start' THEN RAISE EXCEPTION 'audit store unavailable'; END IF; "
                "RETURN NEW; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER test_audit_down BEFORE INSERT ON audit_actionlogentry "
                "FOR EACH ROW EXECUTE FUNCTION test_audit_down()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER test_audit_down BEFORE INSERT ON audit_actionlogentry "
                "WHEN NEW.action = 'start' "
                "BEGIN SELECT RAISE(ABORT, 'audit store unavailable'); END"
            )


@pytest.mark.django_db
def test_an_audit_write_failure_stops_a_start(support_agent, jane, en):
    admin = login_admin_client(Client(raise_request_exception=False), support_agent)
    before, log_before = lac_snapshot(), ActionLogEntry.objects.count()
    fail_start_entries()  # rolled back with the test's transaction

    response = start(admin, jane, store_view=str(en.pk), reason="audit down")

    assert response.status_code == 500
    assert b'name="token"' not in response.content
    assert lac_snapshot() == before
    assert not AssistedSession.objects.exists()
    assert not LoginToken.objects.exists()
    assert ActionLogEntry.objects.count() == log_before


# --- The hash chain covers both fields ----------------------------------------------------------


@pytest.fixture
def written_in_a_request(transactional_db, demo, support_agent, jane):
    """A start entry with user agent and session hash, written through the real start POST."""
    start(login_admin_client(Client(), support_agent), jane)
    written = entry("start")
    assert written.user_agent and written.session_hash
    return written


def test_entries_with_request_fields_verify(written_in_a_request):
    out = io.StringIO()
    call_command("verify_audit_log", stdout=out)

    assert "every hash chain verified" in out.getvalue()


def test_an_altered_user_agent_is_reported(written_in_a_request):
    tamper(
        "UPDATE audit_actionlogentry SET user_agent = %s WHERE id = %s",
        ["Innocent/1.0", written_in_a_request.pk],
    )

    message = verify_fails()
    assert f"entry id {written_in_a_request.pk}" in message
    assert "entry altered" in message


@pytest.mark.parametrize("value", ["", "0" * 64])
def test_an_altered_or_blanked_session_hash_is_reported(written_in_a_request, value):
    tamper(
        "UPDATE audit_actionlogentry SET session_hash = %s WHERE id = %s",
        [value, written_in_a_request.pk],
    )

    assert f"entry id {written_in_a_request.pk}" in verify_fails()


def test_a_request_field_added_to_an_entry_without_one_is_reported(transactional_db, demo):
    plain = record(action_group=ActionGroup.ADMIN, action="test.plain")

    tamper("UPDATE audit_actionlogentry SET user_agent = 'Added/1' WHERE id = %s", [plain.pk])

    assert f"entry id {plain.pk}" in verify_fails()


@pytest.mark.django_db
def test_entries_without_request_fields_hash_as_before_the_fields_existed(support_agent):
    """Entries written before issue 11 have neither field: their digest is the old one."""
    written = record(action_group=ActionGroup.ADMIN, action="test.old_style", admin=support_agent)
    stored = ActionLogEntry.objects.filter(pk=written.pk).values().get()
    old_payload = {name: stored[name] for name in HASHED_FIELDS}
    old_payload["created_at"] = stored["created_at"].isoformat()
    canonical = json.dumps(old_payload, sort_keys=True, separators=(",", ":"), default=str)
    old_digest = hashlib.sha256((stored["prev_hash"] + canonical).encode()).hexdigest()

    assert stored["entry_hash"] == old_digest == entry_digest(stored["prev_hash"], stored)
    assert verify_chains() is None


def test_settings_place_the_request_context_after_the_session_middleware():
    middleware = settings.MIDDLEWARE
    assert middleware.index("shopassist.audit.middleware.RequestContextMiddleware") == (
        middleware.index("shopassist.core.areas.AreaSessionMiddleware") + 1
    )
