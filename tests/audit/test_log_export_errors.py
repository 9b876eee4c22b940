"""The Login as Customer Log's CSV export with a filter it cannot read (review round): the
answer is a 400 with the form's errors, never a file with only the header (which reads as "no
sessions")."""

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from tests.audit.helpers import csv_rows, log_snapshot
from tests.login_as_customer.assisted import lac_snapshot, start_assisted

pytestmark = pytest.mark.django_db

LOG = reverse("admin:login_as_customer_log")


@pytest.fixture
def auditor_client(auditor, admin_client_for):
    return admin_client_for(auditor)


@pytest.fixture
def logged(support_client, jane):
    """One session in the log, so that an empty export would be a lie."""
    start_assisted(support_client, jane, reason="Ticket #4242")


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"date_from": "2024-13-01"}, "Enter a valid date."),
        ({"date_to": "yesterday"}, "Enter a valid date."),
        ({"date_from": "2025-02-01", "date_to": "2025-01-01"}, "The start date is after"),
        ({"end_reason": "bogus"}, "Select a valid choice."),
        ({"admin_username": "x" * 151}, "Ensure this value has at most 150 characters"),
    ],
)
def test_a_bad_filter_with_export_is_a_400_with_the_error_not_an_empty_file(
    auditor_client, logged, params, error
):
    before = (lac_snapshot(), log_snapshot())

    response = auditor_client.get(LOG, {**params, "export": "csv"})

    assert response.status_code == 400
    assert not isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"].startswith("text/html")
    assert "attachment" not in response.get("Content-Disposition", "")
    assert error in response.content.decode()
    assert (lac_snapshot(), log_snapshot()) == before


def test_good_filters_still_export(auditor_client, logged):
    header, *rows = csv_rows(
        auditor_client.get(
            LOG, {"date_from": "2000-01-01", "admin_username": "supp", "export": "csv"}
        )
    )

    assert header[0] == "id"
    assert [row[header.index("reason")] for row in rows] == ["Ticket #4242"]


def test_the_page_with_a_bad_filter_is_unchanged(auditor_client, logged):
    response = auditor_client.get(LOG, {"date_from": "2024-13-01"})

    assert response.status_code == 200
    assert "Enter a valid date." in response.content.decode()
