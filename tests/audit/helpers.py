"""Read the action log and the audit pages as the audit tests check them. Assisted sessions are
started with the Login as Customer tests' helpers (tests/login_as_customer/assisted.py): the real
admin start POST, then the storefront redeem POST."""

import csv
import io
from html.parser import HTMLParser

from django.http import StreamingHttpResponse

from shopassist.audit.models import ActionLogEntry


def entries_of(session) -> list[ActionLogEntry]:
    """The action log entries of an assisted session, in the order they were written."""
    return list(ActionLogEntry.objects.filter(assisted_session_id=session.pk).order_by("id"))


def actions_of(session) -> list[str]:
    return [entry.action for entry in entries_of(session)]


def log_snapshot() -> list[dict]:
    """Every action log entry as stored, to show that a refusal changed none of them."""
    return list(ActionLogEntry.objects.order_by("id").values())


def csv_rows(response) -> list[list[str]]:
    """The rows (header first) of a streamed CSV export."""
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


class _Tables(HTMLParser):
    """Each <table> of a page as its attributes and rows of cell texts (header row included)."""

    def __init__(self):
        super().__init__()
        self.tables: list[tuple[dict, list[list[str]]]] = []
        self._open: list[tuple[dict, list[list[str]]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._open.append((dict(attrs), []))
        elif tag == "tr" and self._open:
            self._open[-1][1].append([])
        elif tag in ("td", "th") and self._open:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._open:
            self._open[-1][1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table" and self._open:
            self.tables.append(self._open.pop())

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def table(response, **attrs) -> list[list[str]]:
    """Rows of cell texts (header first) of the page's table with these attributes, e.g.
    ``table(response, id="result_list")`` or ``table(response, **{"data-testid": "x"})``."""
    parser = _Tables()
    parser.feed(response.content.decode())
    for table_attrs, rows in parser.tables:
        if all(table_attrs.get(name) == value for name, value in attrs.items()):
            return rows
    raise AssertionError(f"no table with {attrs}")
