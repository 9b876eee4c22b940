"""What two Login as Customer screens say, found by the screen review: the customer's list of
assisted sessions does not say "Nothing was changed." of a session still in progress, and the
confirmation page has a title of its own."""

import re

import pytest
from django.test import Client

from tests.conftest import login_customer_client
from tests.login_as_customer.assisted import close_url, confirm_url, start_assisted

pytestmark = pytest.mark.django_db

HISTORY = "/en/customer/assisted-sessions/"


def test_a_session_in_progress_has_changed_nothing_so_far_and_an_ended_one_nothing(
    support_client, jane
):
    browser, _session = start_assisted(support_client, jane)  # full access, nothing done yet
    own = login_customer_client(Client(), jane)

    in_progress = own.get(HISTORY).content.decode()
    assert "Nothing changed so far." in in_progress
    assert "Nothing was changed." not in in_progress

    browser.post(close_url())
    ended = own.get(HISTORY).content.decode()
    assert "Nothing was changed." in ended
    assert "Nothing changed so far." not in ended


def test_the_confirmation_page_is_titled(support_client, jane):
    page = support_client.get(confirm_url(jane.pk)).content.decode()

    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1).strip()
    assert title.startswith("Login as Customer |"), title


def test_a_sessions_actions_page_names_each_action_beside_its_code(support_client, jane):
    browser, session = start_assisted(support_client, jane)
    browser.post(close_url())

    page = support_client.get(f"/admin/login_as_customer/log/{session.pk}/").content.decode()

    rows = dict(re.findall(r'<tr data-action="([^"]+)">.*?<td>(.*?)</td>\s*<td>', page, re.S))
    assert "Session started<br><code>start</code>" in page
    assert "Login link used<br><code>redeem</code>" in page
    assert "Session ended<br><code>end</code>" in page
    assert set(rows) >= {"start", "redeem", "end"}


def test_the_action_names_are_translated(support_client, jane):
    _browser, session = start_assisted(support_client, jane)

    page = support_client.get(
        f"/admin/login_as_customer/log/{session.pk}/", HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()

    assert "Session démarrée<br><code>start</code>" in page


def test_the_confirmation_page_has_one_heading(support_client, jane):
    """Before: the admin layout's "Login as Customer" and, under it, the page's own "Login as
    Customer: Jane Doe <…>" — two first-level headings saying the same thing."""
    page = support_client.get(confirm_url(jane.pk)).content.decode()

    assert re.findall(r"<h1[^>]*>(.*?)</h1>", page) == [
        "Login as Customer: Jane Doe &lt;jane.doe@example.com&gt;"
    ]
    assert "<title>Login as Customer" in page  # the window's title is unchanged
