"""The pages that show the audit trail: Customers › Login as Customer Log (and a session's
actions), System › Action Log › Report, Customers › Login as Customer › Active sessions, and the
customer's own My Account › Assisted sessions."""

import json
import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext

from login_as_customer import config as lac_config
from login_as_customer.flows.live_check import SESSION_ID_KEY
from login_as_customer.models import AssistanceConsent, AssistedSession, EndReason
from login_as_customer.overdue import end_overdue_sessions
from shopassist.audit.config import RETENTION_DAYS
from shopassist.audit.models import ActionLogEntry
from shopassist.audit.views import CSV_COLUMNS as REPORT_COLUMNS
from shopassist.audit.writer import record
from shopassist.cart.selectors import customer_cart
from shopassist.customers.models import Customer
from shopassist.lac_host.log_page import CSV_COLUMNS as LOG_COLUMNS
from tests.audit.helpers import actions_of, csv_rows, log_snapshot, table
from tests.conftest import login_admin_client, login_customer_client
from tests.login_as_customer.assisted import session_of, start_assisted
from tests.pages import change_form_data

pytestmark = pytest.mark.django_db

LOG = reverse("admin:login_as_customer_log")
REPORT = reverse("admin:audit_report")
ACTIVE = reverse("admin:login_as_customer_active")
HISTORY = "/en/customer/assisted-sessions/"
LOG_HEADER = [
    "ID",
    "Time",
    "Customer ID",
    "Customer e-mail",
    "Admin user ID",
    "Admin username",
    "Store View",
    "Reason",
    "Access",  # issue 16: View only or Full access
    "End time",
    "End reason",
    "Actions",
]


def detail_url(session) -> str:
    return reverse("admin:login_as_customer_log_detail", args=[session.pk])


def terminate_url(session) -> str:
    return reverse("admin:login_as_customer_terminate", args=[session.pk])


def shown(dt) -> str:
    return date_format(timezone.localtime(dt), "Y-m-d H:i:s") if dt else ""


def log_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    header, *rows = table(response, id="result_list")
    assert header == LOG_HEADER
    return [] if rows == [["No assisted sessions match."]] else rows


def ids_listed(response) -> list[int]:
    return [int(row[0]) for row in log_rows(response)]


def report_actions(response) -> list[str]:
    assert response.status_code == 200
    return re.findall(r'<tr data-action="([^"]*)">', response.content.decode())


def csrf_of(response) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())
    assert match, "no CSRF token in the page"
    return match.group(1)


@pytest.fixture
def sessions(support_client, administrator_client, jane, marie, kim):
    """Three sessions: support as Jane (a cart change, then closed), support as Marie in the
    French store view (live), the administrator as Kim 10 days ago (left idle: ended by the
    scheduled sweep when its idle limit passed)."""
    with time_machine.travel(timezone.now() - timedelta(days=10), tick=False):
        _kim_tab, kim_session = start_assisted(administrator_client, kim, reason="Old ticket")
    end_overdue_sessions()  # what the scheduler did in those ten days
    jane_tab, jane_session = start_assisted(support_client, jane, reason="Ticket #4242")
    jane_tab.post("/en/checkout/cart/add/", {"sku": "SA-BAG-001", "qty": "2"})
    jane_tab.post("/en/login_as_customer/close/")
    marie_tab, marie_session = start_assisted(support_client, marie, reason="Lost parcel")
    for session in (jane_session, marie_session, kim_session):
        session.refresh_from_db()
    return {
        "jane": jane_session,
        "marie": marie_session,
        "kim": kim_session,
        "marie_tab": marie_tab,
    }


@pytest.fixture
def kim(demo):
    return Customer.objects.get(email="kim.minji@example.com")


# --- Login as Customer Log ---------------------------------------------------------------------


def test_the_log_shows_the_columns_of_the_spec_newest_first(auditor_client, sessions):
    jane_session = sessions["jane"]

    rows = log_rows(auditor_client.get(LOG))

    assert [int(row[0]) for row in rows] == sorted(
        AssistedSession.objects.values_list("pk", flat=True), reverse=True
    )
    row = next(r for r in rows if int(r[0]) == jane_session.pk)
    assert row == [
        str(jane_session.pk),
        shown(jane_session.created_at),
        str(jane_session.customer_id),
        "jane.doe@example.com",
        str(jane_session.admin_id),
        "support",
        "English",  # store views show by name (issue 13, point 9)
        "Ticket #4242",
        "Full access",
        shown(jane_session.ended_at),
        "Closed by the administrator",
        str(ActionLogEntry.objects.filter(assisted_session_id=jane_session.pk).count()),
    ]
    assert row[-1] == str(len(actions_of(jane_session)))
    assert {"start", "redeem", "cart.add", "request", "end"} <= set(actions_of(jane_session))
    live = next(r for r in rows if int(r[0]) == sessions["marie"].pk)
    assert (live[6], live[9], live[10]) == ("Français", "", "")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"admin_username": "support"}, ["marie", "jane"]),
        ({"admin_username": "admin"}, ["kim"]),
        ({"customer_email": "JANE.DOE@example.com"}, ["jane"]),
        ({"store_view": "fr"}, ["marie"]),
        ({"end_reason": "closed_by_admin"}, ["jane"]),
        ({"q": "ticket"}, ["jane", "kim"]),
        ({"q": "marie.dupont"}, ["marie"]),
        ({"q": "nobody-at-all"}, []),
        ({"date_from": "{today}"}, ["marie", "jane"]),
        ({"date_to": "{ten_days_ago}"}, ["kim"]),
        ({"date_from": "{ten_days_ago}", "date_to": "{ten_days_ago}"}, ["kim"]),
        ({"admin_username": "support", "store_view": "en"}, ["jane"]),
    ],
)
def test_the_log_filters(auditor_client, sessions, query, expected):
    today = timezone.localdate()
    dates = {"today": today, "ten_days_ago": today - timedelta(days=10)}
    params = {name: value.format(**dates) for name, value in query.items()}

    listed = ids_listed(auditor_client.get(LOG, params))

    assert listed == [sessions[name].pk for name in expected]


def test_bad_log_filters_show_an_error_and_list_nothing(auditor_client, sessions):
    response = auditor_client.get(LOG, {"date_from": "2025-02-01", "date_to": "2025-01-01"})

    assert "The start date is after the end date." in response.content.decode()
    assert ids_listed(response) == []
    for params in ({"end_reason": "bogus"}, {"date_from": "yesterday"}, {"before": "x"}):
        assert auditor_client.get(LOG, params).status_code == 200, params


def test_the_log_pages_by_keyset(auditor_client, sessions, support_agent):
    now = timezone.now()
    AssistedSession.objects.bulk_create(
        AssistedSession(
            admin=support_agent,
            admin_username="support",
            customer_email=f"bulk{number}@example.com",
            customer_name="Bulk",
            store_view_code="en",
            website_name="Main Website",
            created_at=now,
        )
        for number in range(55)
    )
    everything = sorted(AssistedSession.objects.values_list("pk", flat=True), reverse=True)

    first = auditor_client.get(LOG)
    first_ids = ids_listed(first)
    match = re.search(r'href="\?before=(\d+)"', first.content.decode())
    second_ids = ids_listed(auditor_client.get(LOG, {"before": match.group(1)}))

    assert first_ids == everything[:50]
    assert int(match.group(1)) == everything[49]
    assert second_ids == everything[50:]
    assert (
        "Older sessions" not in auditor_client.get(LOG, {"before": everything[49]}).content.decode()
    )
    filtered = auditor_client.get(LOG, {"q": "bulk"})
    assert re.search(r'href="\?q=bulk&amp;before=\d+"', filtered.content.decode())


def test_the_log_exports_a_streamed_csv_matching_the_filter(auditor_client, sessions):
    header, *rows = csv_rows(
        auditor_client.get(LOG, {"admin_username": "support", "export": "csv"})
    )

    assert header == list(LOG_COLUMNS)
    assert [int(row[0]) for row in rows] == [sessions["marie"].pk, sessions["jane"].pk]
    jane = dict(zip(header, rows[1], strict=True))
    session = sessions["jane"]
    assert jane["customer_email"] == "jane.doe@example.com"
    assert jane["admin_username"] == "support"
    assert jane["reason"] == "Ticket #4242"
    assert jane["end_reason"] == "closed_by_admin"
    assert jane["action_count"] == str(len(actions_of(session)))
    everything = csv_rows(auditor_client.get(LOG, {"export": "csv"}))[1:]
    assert len(everything) == AssistedSession.objects.count()


def test_a_row_opens_the_session_with_its_actions_in_order(auditor_client, sessions):
    session = sessions["jane"]
    log = auditor_client.get(LOG).content.decode()
    assert f'href="{detail_url(session)}"' in log

    response = auditor_client.get(detail_url(session))

    assert response.status_code == 200
    listed = re.findall(r'<tr data-action="([^"]*)">', response.content.decode())
    assert listed == actions_of(session)
    assert listed[:4] == ["start", "redeem", "cart.add", "request"]
    assert listed[-2:] == ["end", "request"]  # the close, then its request entry
    assert "Ticket #4242" in response.content.decode()
    assert (
        auditor_client.get(reverse("admin:login_as_customer_log_detail", args=[999999])).status_code
        == 404
    )


def test_the_log_is_absent_and_404_when_the_feature_is_disabled(
    auditor_client, administrator_client, sessions, set_config
):
    set_config({lac_config.ENABLED: "0"})
    before = list(AssistedSession.objects.order_by("pk").values())

    for client in (auditor_client, administrator_client):
        assert client.get(LOG).status_code == 404
        assert client.get(LOG, {"export": "csv"}).status_code == 404
        assert client.get(detail_url(sessions["jane"])).status_code == 404
        menu = client.get(reverse("admin:index")).content.decode()
        assert f'href="{LOG}"' not in menu
        assert f'href="{ACTIVE}"' not in menu
    assert administrator_client.get(ACTIVE).status_code == 404
    assert administrator_client.post(terminate_url(sessions["kim"])).status_code == 404
    assert list(AssistedSession.objects.order_by("pk").values()) == before


def test_the_auditor_sees_the_log_and_the_clerk_gets_403(
    auditor_client, clerk_client, support_client, sessions
):
    menu = auditor_client.get(reverse("admin:index")).content.decode()
    assert f'href="{LOG}"' in menu and f'href="{REPORT}"' in menu
    assert auditor_client.get(LOG).status_code == 200
    assert support_client.get(LOG).status_code == 200

    clerk_menu = clerk_client.get(reverse("admin:index")).content.decode()
    assert f'href="{LOG}"' not in clerk_menu and f'href="{REPORT}"' not in clerk_menu
    for url in (LOG, f"{LOG}?export=csv", detail_url(sessions["jane"]), REPORT):
        assert clerk_client.get(url).status_code == 403, url


# --- Action Log Report -------------------------------------------------------------------------


def test_the_report_filters_by_action_group_login_as_customer(auditor_client, sessions):
    response = auditor_client.get(REPORT, {"action_group": "login_as_customer"})

    actions = report_actions(response)
    group = ActionLogEntry.objects.filter(action_group="login_as_customer").order_by("-id")
    assert actions == list(group.values_list("action", flat=True))  # fewer than a page
    assert "cart.add" in actions
    assert {"start", "redeem", "request", "end"} <= set(actions)
    cart_add = ActionLogEntry.objects.get(action="cart.add")
    assert cart_add.assisted_session_id == sessions["jane"].pk
    content = response.content.decode()
    assert "Login As Customer" in content
    assert "SA-BAG-001" in content


def test_the_report_filters_by_action_admin_customer_session_and_outcome(auditor_client, sessions):
    jane = sessions["jane"]

    by_session = report_actions(auditor_client.get(REPORT, {"assisted_session": jane.pk}))
    by_action = report_actions(
        auditor_client.get(REPORT, {"action": "cart.add", "admin_username": "support"})
    )
    by_customer = report_actions(
        auditor_client.get(REPORT, {"customer_email": "Marie.Dupont@example.com"})
    )
    nobody = report_actions(
        auditor_client.get(REPORT, {"action": "cart.add", "admin_username": "admin"})
    )

    assert by_session == list(reversed(actions_of(jane)))  # newest first
    assert by_action == ["cart.add"]
    assert set(by_customer) == {"start", "redeem"}
    assert nobody == []


def test_admin_changes_appear_in_group_admin(administrator_client, auditor_client, jane):
    url = reverse("admin:customers_customer_change", args=[jane.pk])
    data = change_form_data(administrator_client.get(url))
    data["first_name"] = "Janet"

    response = administrator_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Customer.objects.get(pk=jane.pk).first_name == "Janet"
    entry = ActionLogEntry.objects.get(action="customers.customer.change")
    assert (entry.action_group, entry.admin_username, entry.outcome) == (
        "admin",
        "admin",
        "success",
    )
    assert (entry.target_type, entry.target_id) == ("customers.customer", str(jane.pk))
    assert entry.details["object"] == "Janet Doe"
    listed = report_actions(auditor_client.get(REPORT, {"action_group": "admin"}))
    assert "customers.customer.change" in listed
    lac = report_actions(auditor_client.get(REPORT, {"action_group": "login_as_customer"}))
    assert "customers.customer.change" not in lac


def test_a_configuration_save_appears_in_group_admin(administrator_client, auditor_client, demo):
    url = reverse("admin:config_edit", args=["audit"])

    response = administrator_client.post(url, {RETENTION_DAYS.replace("/", "__"): "90"})

    assert response.status_code == 302
    entry = ActionLogEntry.objects.get(action="configuration.save")
    assert (entry.action_group, entry.admin_username) == ("admin", "admin")
    assert entry.details["paths"] == [RETENTION_DAYS]
    # From what to what: the default (inherited, None) to 90 days.
    assert entry.details["changes"] == {RETENTION_DAYS: {"from": None, "to": "90"}}
    assert "configuration.save" in report_actions(
        auditor_client.get(REPORT, {"action_group": "admin"})
    )


def test_the_report_exports_a_streamed_csv(auditor_client, sessions):
    header, *rows = csv_rows(
        auditor_client.get(REPORT, {"action_group": "login_as_customer", "export": "csv"})
    )

    assert header == list(REPORT_COLUMNS)
    expected = ActionLogEntry.objects.filter(action_group="login_as_customer").order_by("-id")
    assert [int(row[0]) for row in rows] == list(expected.values_list("id", flat=True))
    cart_add = next(dict(zip(header, row, strict=True)) for row in rows if row[3] == "cart.add")
    assert cart_add["assisted_session_id"] == str(sessions["jane"].pk)
    assert json.loads(cart_add["details"]) == {
        "sku": "SA-BAG-001",
        "qty": 2,
        "previous_qty": 0,
        "cart_id": customer_cart(sessions["jane"].customer, None).pk,
    }


@pytest.mark.parametrize(
    ("params", "error"),
    [
        (
            {"date_from": "2025-02-01", "date_to": "2025-01-01"},
            "The start date is after the end date.",
        ),
        ({"assisted_session": "abc"}, "Enter a whole number."),
        ({"assisted_session": "0"}, "Ensure this value is greater than or equal to 1."),
        ({"action_group": "bogus"}, "Select a valid choice."),
        ({"outcome": "maybe"}, "Select a valid choice."),
        ({"date_from": "not-a-date"}, "Enter a valid date."),
    ],
)
def test_bad_report_filters_show_an_error_and_list_nothing(auditor_client, sessions, params, error):
    response = auditor_client.get(REPORT, params)

    assert response.status_code == 200
    assert error in response.content.decode()
    assert report_actions(response) == []
    assert "No entries match." in response.content.decode()
    # The export says why too, rather than a file with only the header.
    export = auditor_client.get(REPORT, {**params, "export": "csv"})
    assert export.status_code == 400
    assert export["Content-Type"].startswith("text/html")
    assert error in export.content.decode()


def test_the_report_pages_by_keyset_and_ignores_a_bad_cursor(auditor_client, demo):
    for number in range(55):
        record(action_group="system", action=f"test.bulk{number}", channel="system")
    bulk = list(
        ActionLogEntry.objects.filter(action__startswith="test.bulk")
        .order_by("-id")
        .values_list("id", flat=True)
    )

    id_of = dict(ActionLogEntry.objects.values_list("action", "id"))

    first = auditor_client.get(REPORT, {"action_group": "system"})
    cursor = re.search(r'href="\?action_group=system&amp;before=(\d+)"', first.content.decode())
    second = auditor_client.get(REPORT, {"action_group": "system", "before": cursor.group(1)})

    first_ids = [id_of[action] for action in report_actions(first)]
    second_ids = [id_of[action] for action in report_actions(second)]
    assert first_ids == bulk[:50]
    assert int(cursor.group(1)) == bulk[49]
    assert second_ids == bulk[50:]
    assert "Older entries" not in second.content.decode()
    assert auditor_client.get(REPORT, {"before": "'; DROP TABLE x"}).status_code == 200


def test_the_report_needs_its_resource(clerk_client, auditor_client, sessions):
    before = log_snapshot()

    assert clerk_client.get(REPORT).status_code == 403
    assert clerk_client.get(REPORT, {"export": "csv"}).status_code == 403
    assert auditor_client.post(REPORT).status_code == 405

    assert log_snapshot() == before


# --- Active sessions ---------------------------------------------------------------------------


def test_active_sessions_lists_the_live_sessions(administrator_client, sessions):
    response = administrator_client.get(ACTIVE)

    header, *rows = table(response, id="result_list")
    assert [int(row[0]) for row in rows] == [sessions["marie"].pk]  # Kim's passed its limit
    assert sessions["kim"].end_reason == EndReason.IDLE_TIMEOUT
    assert rows[0][2:6] == ["support", "marie.dupont@example.com", "Français", "Lost parcel"]
    assert f'action="{terminate_url(sessions["marie"])}"' in response.content.decode()


def test_terminate_ends_the_session_logs_it_and_destroys_the_session_of(administrator, sessions):
    admin = _csrf_admin_client(administrator)
    session, tab = sessions["marie"], sessions["marie_tab"]
    assert session_of(tab)[SESSION_ID_KEY] == session.pk
    token = csrf_of(admin.get(ACTIVE))

    response = admin.post(terminate_url(session), {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert response["Location"] == ACTIVE
    session.refresh_from_db()
    assert session.end_reason == EndReason.TERMINATED and session.ended_at is not None
    ended, terminated = actions_of(session)[-2:]
    assert (ended, terminated) == ("end", "terminate")
    entry = ActionLogEntry.objects.get(assisted_session_id=session.pk, action="terminate")
    assert entry.details == {
        "terminated_by_id": administrator.pk,
        "terminated_by": "admin",
        "session_admin_id": session.admin_id,
        "session_admin": "support",  # the session's administrator
    }
    assert entry.admin_username == "admin"  # the actor: who terminated it
    page = admin.get(ACTIVE).content.decode()
    assert "was terminated" in page
    assert f'action="{terminate_url(session)}"' not in page

    # The assisted tab's next request: the storefront session is destroyed.
    entries = log_snapshot()
    landed = tab.get("/fr/customer/account/")
    assert landed.status_code == 302
    assert landed["Location"] == "/fr/"
    assert session_of(tab) == {}
    home = tab.get(landed["Location"])
    with translation.override("fr"):
        told = gettext("The assisted session has ended. Reason: %(reason)s.") % {
            "reason": EndReason.TERMINATED.label
        }
        assert told.startswith("La session assistée est terminée.")  # translated
        assert told in home.content.decode()
    assert 'data-testid="lac-banner"' not in home.content.decode()
    assert tab.get("/fr/customer/account/").status_code == 302
    assert log_snapshot() == entries  # the end was recorded once, by the terminate


def test_terminate_without_a_csrf_token_is_refused(administrator, sessions):
    admin = _csrf_admin_client(administrator)
    before = log_snapshot()

    response = admin.post(terminate_url(sessions["marie"]))

    assert response.status_code == 403
    sessions["marie"].refresh_from_db()
    assert sessions["marie"].ended_at is None
    assert log_snapshot() == before


def test_terminating_an_ended_session_changes_nothing(administrator_client, sessions):
    before = log_snapshot()

    response = administrator_client.post(terminate_url(sessions["jane"]), follow=True)

    assert "That assisted session had already ended." in response.content.decode()
    assert log_snapshot() == before
    assert administrator_client.get(terminate_url(sessions["jane"])).status_code == 405


@pytest.mark.parametrize("client_name", ["support_client", "auditor_client", "clerk_client"])
def test_without_manage_sessions_the_page_and_a_forged_post_are_403(request, client_name, sessions):
    client = request.getfixturevalue(client_name)
    before_log = log_snapshot()
    before_sessions = list(AssistedSession.objects.order_by("pk").values())

    assert client.get(ACTIVE).status_code == 403
    assert client.post(terminate_url(sessions["marie"])).status_code == 403
    assert f'href="{ACTIVE}"' not in client.get(reverse("admin:index")).content.decode()

    assert log_snapshot() == before_log
    assert list(AssistedSession.objects.order_by("pk").values()) == before_sessions
    assert sessions["marie_tab"].get("/fr/customer/account/").status_code == 200


def _csrf_admin_client(user) -> Client:
    return login_admin_client(Client(enforce_csrf_checks=True), user)


# --- My Account › Assisted sessions ------------------------------------------------------------


def history_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    _header, *rows = table(response, **{"data-testid": "assisted-sessions"})
    return rows


def test_the_customer_sees_their_sessions_and_what_was_done(sessions, jane):
    own = login_customer_client(Client(), jane)

    rows = history_rows(own.get(HISTORY))

    assert len(rows) == 1
    date, store_view, duration, by, reason, done = rows[0]
    assert (store_view, by, reason) == ("English", "a store administrator", "Ticket #4242")
    assert duration != "in progress"
    assert done == "Added to the cart: SA-BAG-001 × 2"
    content = own.get(HISTORY).content.decode()
    assert "<td>support</td>" not in content


def test_staff_names_are_shown_only_when_configured(sessions, jane, set_config):
    """Named as the notice and the start mail name them ("Sam Support"), not by their admin
    login (insider review, tests/login_as_customer/test_insider_review.py)."""
    set_config({lac_config.SHOW_ADMIN_NAMES: "1"})
    own = login_customer_client(Client(), jane)

    rows = history_rows(own.get(HISTORY))

    assert rows[0][3] == "Sam Support"


def test_another_customer_sees_nothing_of_it(sessions, chen):
    own = login_customer_client(Client(), chen)

    response = own.get(HISTORY)

    assert history_rows(response) == [["No store administrator has logged in to your account."]]
    assert "Ticket #4242" not in response.content.decode()
    assert "SA-BAG-001" not in response.content.decode()


def test_marie_sees_only_her_live_session(sessions, marie):
    own = login_customer_client(Client(), marie, store_code="fr")

    rows = history_rows(own.get("/fr/customer/assisted-sessions/"))

    assert len(rows) == 1
    assert rows[0][1] == "Français" and rows[0][4] == "Lost parcel"


def test_withdraw_permission_revokes_consent_and_ends_live_sessions(sessions, marie):
    own = login_customer_client(Client(), marie, store_code="fr")

    response = own.post("/fr/customer/assisted-sessions/revoke/")

    assert response.status_code == 302
    assert not AssistanceConsent.objects.get(customer=marie).is_valid()
    session = sessions["marie"]
    session.refresh_from_db()
    assert session.end_reason == EndReason.CONSENT_REVOKED
    assert actions_of(session)[-1] == "end"
    tab = sessions["marie_tab"]
    assert tab.get("/fr/customer/account/")["Location"] == "/fr/"
    assert session_of(tab) == {}
    page = own.get("/fr/customer/assisted-sessions/").content.decode()
    assert 'data-testid="revoke-consent"' not in page


def test_withdraw_permission_is_refused_inside_an_assisted_session(sessions, marie):
    tab, session = sessions["marie_tab"], sessions["marie"]
    page = tab.get("/fr/customer/assisted-sessions/")
    assert page.status_code == 200
    assert 'data-testid="revoke-consent"' not in page.content.decode()  # no button for staff

    response = tab.post("/fr/customer/assisted-sessions/revoke/", follow=True)  # forged

    # Refused with the reason, and recorded as the customer's history shows it.
    assert response.redirect_chain == [("/fr/customer/assisted-sessions/", 302)]
    assert (
        "L&#x27;autorisation d&#x27;assistance ne peut pas être modifiée pendant une session "
        "assistée." in response.content.decode()
    )
    assert AssistanceConsent.objects.get(customer=marie).is_valid()
    session.refresh_from_db()
    assert session.ended_at is None
    entries = ActionLogEntry.objects.filter(assisted_session_id=session.pk).order_by("id")
    request_entry, blocked = list(entries)[-2:]
    assert (request_entry.action, request_entry.outcome) == ("request", "denied")
    assert (blocked.action, blocked.outcome) == ("consent.blocked", "denied")
    assert blocked.details == {"allowed": False}


def test_withdraw_permission_needs_a_post_and_a_signed_in_customer(sessions, marie):
    own = login_customer_client(Client(), marie, store_code="fr")

    assert own.get("/fr/customer/assisted-sessions/revoke/").status_code == 405
    anonymous = Client().post("/fr/customer/assisted-sessions/revoke/")
    assert anonymous.status_code == 302
    assert AssistanceConsent.objects.get(customer=marie).is_valid()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (
            "ko",
            "관리자 support 님이 marie.dupont@example.com(으)로 로그인한 "
            "지원 세션이 종료되었습니다.",
        ),
        ("zh-hant", "管理員 support 以 marie.dupont@example.com 身分進行的協助工作階段已被終止。"),
    ],
)
def test_the_terminate_message_names_the_administrator_as_spelled(
    language, message, administrator, sessions
):
    """Django's admin capitalises a message's first letter: a translation that began with the
    username showed "Support", another account (usernames are case-sensitive)."""
    admin = _csrf_admin_client(administrator)
    token = csrf_of(admin.get(ACTIVE))

    admin.post(
        terminate_url(sessions["marie"]),
        {"csrfmiddlewaretoken": token},
        HTTP_ACCEPT_LANGUAGE=language,
    )

    page = admin.get(ACTIVE, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'<li class="success">{message}</li>' in page


def test_a_configuration_save_records_each_value_before_and_after(administrator_client, demo):
    url = reverse("admin:config_edit", args=["audit"])
    field = RETENTION_DAYS.replace("/", "__")
    administrator_client.post(url, {field: "90"})

    administrator_client.post(url, {field: "120"})

    entry = ActionLogEntry.objects.filter(action="configuration.save").latest("id")
    assert entry.details["changes"] == {RETENTION_DAYS: {"from": "90", "to": "120"}}
