"""Issue 11, point 5: every refusal is in the action log, even when its transaction rolls back.

A refusal is written through ``shopassist.audit.writer.record_refusal``: at once when no
transaction is open, else queued and written once the outermost transaction is over, committed
or rolled back. The rollback cases run in transactional tests (a real transaction that really
rolls back, not the test case's own savepoint)."""

import threading

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.utils import timezone

from login_as_customer import tokens
from login_as_customer.errors import DenialCode, LoginAsCustomerDenied
from login_as_customer.flows.redeem import redeem_login_token
from login_as_customer.flows.start import StartRequest
from login_as_customer.models import AssistedSession, LoginToken
from shopassist.audit.middleware import RequestContextMiddleware
from shopassist.audit.models import ActionGroup, ActionLogEntry, Outcome
from shopassist.audit.writer import (
    atomic_keeping_refusals,
    flush_refusals,
    real_transaction_open,
    record,
    record_refusal,
)
from shopassist.customers.acl import ALL_CUSTOMERS
from shopassist.staff import roles
from shopassist.staff.models import Role
from shopassist.stores.models import Website
from tests.conftest import login_admin_client, use_own_cache_namespace
from tests.login_as_customer.assisted import (
    assisted_storefront_sessions,
    lac_snapshot,
    redeem_form,
    redeem_url,
    start,
    start_url,
)

GROUP = ActionGroup.LOGIN_AS_CUSTOMER
TOKEN_TABLE = LoginToken._meta.db_table


@pytest.fixture(autouse=True)
def _own_cache_namespace(settings):
    """The start rate limit counts per administrator and minute in the shared cache."""
    use_own_cache_namespace(settings, "durable-denials")


@pytest.fixture
def desk_agent(demo):
    """Staff of a role with All Customers but not Allow Login as Customer."""
    role = Role.objects.create(name="Customer Desk")
    roles.set_role_resources(role, access=roles.ACCESS_CUSTOM, resource_ids=[ALL_CUSTOMERS])
    user = User.objects.create_user("desk", "desk@shopassist.example", "demo-desk", is_staff=True)
    user.groups.set([role])
    return user


def entries(action: str):
    return ActionLogEntry.objects.filter(action_group=GROUP, action=action).order_by("id")


def refusal_fields(action: str, **details) -> dict:
    return {
        "action_group": ActionGroup.ADMIN,
        "action": action,
        "outcome": Outcome.DENIED,
        "details": details,
    }


def browser_of(start_response) -> Client:
    """A new storefront tab of the browser that started (it holds what the start set)."""
    browser = Client()
    browser.cookies.update(start_response.cookies)
    return browser


def all_columns_text() -> str:
    return repr(list(ActionLogEntry.objects.values()))


# --- A start refused by the view's permission check -------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["clerk", "auditor", "desk"])
def test_a_start_without_allow_login_as_customer_is_403_and_logged(
    username, desk_agent, jane, en, admin_client_for
):
    staff = User.objects.get(username=username)
    client = admin_client_for(staff)
    before = lac_snapshot()

    response = start(client, jane, store_view=str(en.pk), reason="no permission")

    assert response.status_code == 403
    assert lac_snapshot() == before
    [denied] = entries("start_denied")
    assert denied.outcome == Outcome.DENIED
    assert (denied.admin_id, denied.admin_username) == (staff.pk, username)
    assert denied.details["code"] == DenialCode.PERMISSION_MISSING
    assert denied.details["customer_id"] == jane.pk
    assert denied.ip_address == "127.0.0.1"


@pytest.mark.django_db
def test_a_get_to_start_without_the_permission_is_not_a_start_attempt(
    clerk, jane, admin_client_for
):
    response = admin_client_for(clerk).get(start_url(jane.pk))

    assert response.status_code == 403
    assert not entries("start_denied").exists()


# --- Malformed tokens ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, values, length",
    [
        ({"token": "short"}, 1, 5),
        ({"token": "A" * 5000}, 1, 5000),
        ({"token": "é" * tokens.TOKEN_LENGTH}, 1, tokens.TOKEN_LENGTH),
        ({}, 0, None),
        ({"token": [tokens.new_token(), tokens.new_token()]}, 2, None),
    ],
)
def test_a_malformed_token_leaves_a_redeem_invalid_entry(data, values, length, demo):
    before = lac_snapshot()

    response = Client().post(redeem_url(), data)

    assert response.status_code == 400
    assert lac_snapshot() == before
    [invalid] = entries("redeem_invalid")
    assert invalid.outcome == Outcome.DENIED
    assert invalid.details["code"] == DenialCode.TOKEN_INVALID
    assert invalid.details["malformed"] is True
    assert (invalid.details["values"], invalid.details["token_length"]) == (values, length)
    sent = data.get("token", [])
    for value in [sent] if isinstance(sent, str) else sent:
        assert value not in all_columns_text()  # never the value itself


@pytest.mark.django_db
def test_an_unknown_token_of_the_right_shape_stores_no_token_either(demo):
    raw = tokens.new_token()

    assert Client().post(redeem_url(), {"token": raw}).status_code == 400

    [invalid] = entries("redeem_invalid")
    assert "malformed" not in invalid.details
    assert raw not in all_columns_text()
    assert tokens.hash_token(raw) not in all_columns_text()


# --- The mechanism: a refusal outlives the rollback of the refused work -------------------------


def test_a_refusal_inside_a_rolled_back_block_survives(transactional_db, demo):
    assert not real_transaction_open()

    with pytest.raises(RuntimeError), atomic_keeping_refusals():
        Website.objects.create(code="refused", name="Refused work")
        assert real_transaction_open()
        assert record_refusal(**refusal_fields("test.refused", number=1)) is None  # queued
        raise RuntimeError("the refused work fails")

    assert not Website.objects.filter(code="refused").exists()
    [entry] = ActionLogEntry.objects.filter(action="test.refused")
    assert entry.details == {"number": 1}


def test_a_refusal_in_nested_blocks_waits_for_the_outermost_and_survives_its_rollback(
    transactional_db, demo
):
    with pytest.raises(RuntimeError), transaction.atomic():
        Website.objects.create(code="outer", name="Outer work")
        with pytest.raises(RuntimeError), atomic_keeping_refusals():
            record_refusal(**refusal_fields("test.nested"))
            raise RuntimeError("inner")
        # The inner block is over but the outer transaction is not: nothing written yet
        # (a write now would be rolled back with it).
        assert not ActionLogEntry.objects.filter(action="test.nested").exists()
        raise RuntimeError("outer")

    assert not ActionLogEntry.objects.filter(action="test.nested").exists()
    flush_refusals()  # what the request middleware does at the end of every request

    assert not Website.objects.filter(code="outer").exists()
    assert ActionLogEntry.objects.filter(action="test.nested").count() == 1


def test_a_refusal_in_a_committed_transaction_is_written_on_commit_after_its_entries(
    transactional_db, demo
):
    with transaction.atomic():
        record_refusal(**refusal_fields("test.refused_first"))
        record(action_group=ActionGroup.ADMIN, action="test.work")
        assert not ActionLogEntry.objects.filter(action="test.refused_first").exists()

    written = ActionLogEntry.objects.filter(action__startswith="test.").order_by("id")
    assert list(written.values_list("action", flat=True)) == ["test.work", "test.refused_first"]


def test_a_refusal_outside_any_transaction_is_written_at_once(transactional_db, demo):
    entry = record_refusal(**refusal_fields("test.at_once"))

    assert entry is not None
    assert ActionLogEntry.objects.filter(pk=entry.pk, action="test.at_once").exists()


def test_a_refusal_queued_in_a_request_that_rolls_back_is_written_by_the_middleware(
    transactional_db, demo
):
    """The refused work of a view rolls back and the view answers normally: the request
    middleware writes the queued refusal before the response leaves."""

    def refusing_view(request):
        try:
            with transaction.atomic():
                Website.objects.create(code="refused", name="Refused work")
                record_refusal(**refusal_fields("test.view_refused"))
                raise RuntimeError("refused")
        except RuntimeError:
            pass
        assert not ActionLogEntry.objects.filter(action="test.view_refused").exists()
        return HttpResponse("refused", status=403)

    request = RequestFactory().post("/refusing/", HTTP_USER_AGENT="Refused/1.0")
    response = RequestContextMiddleware(refusing_view)(request)

    assert response.status_code == 403
    assert not Website.objects.filter(code="refused").exists()
    [entry] = ActionLogEntry.objects.filter(action="test.view_refused")
    assert entry.user_agent == "Refused/1.0"  # the request's fields, taken when refused
    assert entry.ip_address == "127.0.0.1"


# --- The loser of a redemption race -------------------------------------------------------------


@pytest.fixture
def another_redemption_wins_first():
    """Just before a redemption's conditional UPDATE runs, mark the token used on the same
    connection, as a concurrent winner would: the UPDATE then consumes nothing and the
    redemption refuses inside its transaction (whose rollback undoes the marking too)."""
    fired = []

    def winner_first(execute, sql, params, many, context):
        # The conditional UPDATE of the token: a statement of its own, or (PostgreSQL) the
        # WITH clause of the statement that also starts the session.
        consumes = sql.startswith(
            (f'UPDATE "{TOKEN_TABLE}"', f'WITH consumed AS (UPDATE "{TOKEN_TABLE}"')
        )
        if not fired and consumes and "used_at" in sql:
            fired.append(sql)
            with connection.cursor() as cursor:
                cursor.execute(f'UPDATE "{TOKEN_TABLE}" SET used_at = %s', [timezone.now()])  # noqa: S608
        return execute(sql, params, many, context)

    with connection.execute_wrapper(winner_first):
        yield
    assert fired, "no conditional UPDATE ran"


def test_the_loser_of_a_redemption_race_leaves_its_redeem_replayed_entry(
    transactional_db, support_agent, jane, another_redemption_wins_first
):
    response = start(login_admin_client(Client(), support_agent), jane)
    action, token = redeem_form(response)

    refused = browser_of(response).post(action, {"token": token})

    assert refused.status_code == 403
    assert AssistedSession.objects.get().started_at is None
    assert LoginToken.objects.get().used_at is None  # rolled back with the refused work
    [replayed] = entries("redeem_replayed")
    assert replayed.details["code"] == DenialCode.TOKEN_REPLAYED
    assert replayed.details["customer_id"] == jane.pk
    assert replayed.admin_username == "support"
    assert not entries("redeem").exists()


def test_the_loser_refusal_survives_when_the_service_runs_inside_an_outer_transaction(
    transactional_db, support_agent, jane, en, another_redemption_wins_first
):
    """A caller's own transaction around the redemption rolls back too: the entry waits for
    it and is then written by the next flush (the request middleware's, here by hand)."""
    response = start(login_admin_client(Client(), support_agent), jane)
    _action, token = redeem_form(response)
    bindings = [morsel.value for morsel in response.cookies.values() if morsel.value]

    with pytest.raises(LoginAsCustomerDenied), transaction.atomic():
        redeem_login_token(
            raw_token=token,
            store_view=en,
            origin=StartRequest(),
            browser_bindings=bindings,
        )
    assert not entries("redeem_replayed").exists()
    flush_refusals()

    assert entries("redeem_replayed").count() == 1


@pytest.mark.postgres
def test_every_loser_of_eight_concurrent_redemptions_leaves_its_own_entry(
    transactional_db, support_agent, jane
):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL (set DATABASE_URL): SQLite serialises every writer, so the "
            "race between redemptions cannot happen there"
        )
    response = start(login_admin_client(Client(), support_agent), jane)
    action, token = redeem_form(response)
    contenders = 8
    barrier = threading.Barrier(contenders)
    statuses = []

    def redeem_in_a_new_tab():
        try:
            browser = browser_of(response)
            barrier.wait(timeout=10)
            statuses.append(browser.post(action, {"token": token}).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=redeem_in_a_new_tab) for _ in range(contenders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not any(thread.is_alive() for thread in threads), "a redemption never finished"
    assert sorted(statuses) == [302] + [403] * (contenders - 1)
    assert len(assisted_storefront_sessions()) == 1
    assert entries("redeem").count() == 1
    replayed = list(entries("redeem_replayed"))
    assert len(replayed) == contenders - 1
    assert {entry.details["code"] for entry in replayed} == {DenialCode.TOKEN_REPLAYED}
    assert len({entry.pk for entry in replayed}) == contenders - 1
