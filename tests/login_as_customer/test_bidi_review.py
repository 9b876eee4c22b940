"""A review of free text in Login as Customer against Unicode's invisible direction controls
(Trojan Source): a reason typed with one is refused — by the admin form and the API alike, with a
message saying which, nothing stored, nothing started — and text stored before (old rows, a
customer's own name and e-mail address) is shown isolated, so that its controls cannot reorder
the columns and sentences around it."""

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from login_as_customer import config as lac_config
from login_as_customer.errors import DenialCode, message_for
from login_as_customer.journal import Event, journal
from login_as_customer.models import AssistedSession, EndReason, SessionMode
from shopassist.api.models import ApiToken, TokenKind
from shopassist.audit.list_rows import details_json
from shopassist.audit.models import ActionLogEntry, Outcome
from tests.api.conftest import ApiClient, admin_token_for
from tests.audit.helpers import log_snapshot
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import login_admin_client, login_customer_client
from tests.login_as_customer.assisted import (
    confirm_url,
    lac_snapshot,
    start,
    start_assisted,
)

pytestmark = pytest.mark.django_db

ACTIVE = reverse("admin:login_as_customer_active")
LOG = reverse("admin:login_as_customer_log")
REPORT = reverse("admin:audit_report")
HISTORY = "/en/customer/assisted-sessions/"
EXCHANGE = "/login-as-customer/token"

# What the review names (embeddings and overrides, isolates, marks), and the separators that
# end an isolate as a paragraph does.
DIRECTION_CONTROLS = {
    "\u202a": "U+202A",
    "\u202b": "U+202B",
    "\u202c": "U+202C",
    "\u202d": "U+202D",
    "\u202e": "U+202E",
    "\u2066": "U+2066",
    "\u2067": "U+2067",
    "\u2068": "U+2068",
    "\u2069": "U+2069",
    "\u200e": "U+200E",
    "\u200f": "U+200F",
    "\u061c": "U+061C",
    "\u2029": "U+2029",
    "\u0085": "U+0085",
}
INITIATORS = "\u2066\u2067\u2068"
PDI = "\u2069"
FSI = "\u2068"
SEPARATORS = "\u2029\u0085\u001c\u001d\u001e"
# Stored before the refusal existed: a stray PDI closes the isolate its page puts it in, an RLO
# then reverses what follows, an RLI left open swallows the isolate's end, a paragraph separator
# ends every isolate.
SPOOFED_REASON = "ticket 1\u2069\u202e2 refund\u2067 ok\u2029 \u202ebye"
SPOOFED_EMAIL = "jane\u2069\u202e@example.com"
SPOOFED_NAME = "Jane\u2069\u202e Doe"
# What a reader sees of a text: neither spaces (separators may show as one) nor controls.
_VISIBLE = re.compile("[\\s" + "".join(DIRECTION_CONTROLS) + "\u001c-\u001e]")


def message_with(*characters: str) -> str:
    if len(characters) == 1:
        return (
            "The reason contains an invisible character that changes the direction of text "
            f"({characters[0]}). Remove it and try again."
        )
    return (
        "The reason contains invisible characters that change the direction of text "
        f"({', '.join(characters)}). Remove them and try again."
    )


# --- Reading what a page shows -----------------------------------------------------------------


def contained(text: str, *, depth: int = 0) -> bool:
    """Whether every direction control of ``text`` stays inside an isolate that ``text``
    closes (as the Unicode bidirectional algorithm pairs them, BD9): no PDI without its
    initiator, no initiator left open, no embedding or mark outside an isolate, no paragraph
    separator. ``depth``: isolates already open around the text (a ``<bdi>``: 1)."""
    floor = depth
    for char in text:
        if char in SEPARATORS:
            return False
        if char in INITIATORS:
            depth += 1
        elif char == PDI:
            if depth == floor:
                return False
            depth -= 1
        elif char in DIRECTION_CONTROLS and depth == 0:
            return False
    return depth == floor


class _Isolation(HTMLParser):
    """The page's text outside any ``<bdi>``, and the text of each outermost ``<bdi>``."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.outside: list[str] = []
        self.isolates: list[str] = []
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        if tag == "bdi":
            if self._depth == 0:
                self.isolates.append("")
            self._depth += 1

    def handle_endtag(self, tag):
        if tag == "bdi":
            self._depth -= 1

    def handle_data(self, data):
        if self._depth:
            self.isolates[-1] += data
        else:
            self.outside.append(data)


def isolation_of(response) -> _Isolation:
    assert response.status_code == 200, response.content[:500]
    parser = _Isolation()
    parser.feed(response.content.decode())
    return parser


def assert_shown_isolated(response, *texts):
    """Every direction control of the page is in a ``<bdi>`` that contains it (or in an
    FSI … PDI pair of plain text), and each of ``texts`` is shown with its visible characters
    as stored, in one isolate."""
    page = isolation_of(response)
    for text in page.outside:
        assert contained(text), repr(text)
    for text in page.isolates:
        assert contained(text, depth=1), repr(text)
    visible = [_VISIBLE.sub("", text) for text in page.isolates]
    for text in texts:
        assert _VISIBLE.sub("", text) in visible, (text, page.isolates)


# --- The refusal ---------------------------------------------------------------------------------


@pytest.fixture
def reason_required(set_config):
    set_config({lac_config.REQUIRE_REASON: "1"})


def new_log_entries(before: list[dict]) -> list[ActionLogEntry]:
    seen = {entry["id"] for entry in before}
    return [entry for entry in ActionLogEntry.objects.order_by("id") if entry.id not in seen]


@pytest.mark.parametrize("control", DIRECTION_CONTROLS, ids=DIRECTION_CONTROLS.values())
def test_a_reason_with_a_direction_control_is_refused_and_nothing_starts(
    reason_required, support_client, jane, control
):
    reason = f"Ticket {control}4242"
    before_lac, before_log = lac_snapshot(), log_snapshot()

    response = start(support_client, jane, reason=reason)

    assert response.status_code == 400
    page = response.content.decode()
    # The form says what was wrong; it removed the control already (no "Remove it").
    assert escape(message_for(DenialCode.REASON_DIRECTION_CONTROLS)) in page
    assert "Remove it" not in page
    assert 'id="lac-redeem-form"' not in page
    prefix = settings.LOGIN_AS_CUSTOMER_BINDING_COOKIE_PREFIX
    assert not [name for name in response.cookies if name.startswith(prefix)]
    # The confirmation again, the reason without the control, to check and confirm.
    assert 'data-testid="lac-reason-error"' in page
    field = page.split('name="reason"')[1].split(">")[0]
    assert 'value="Ticket 4242"' in field and 'aria-invalid="true"' in field
    assert control not in page
    assert lac_snapshot() == before_lac
    # Recorded as every refused start is, with the characters' names, never the reason.
    [denial] = new_log_entries(before_log)
    assert (denial.action, denial.outcome) == ("start_denied", Outcome.DENIED)
    assert denial.details == {
        "code": DenialCode.REASON_DIRECTION_CONTROLS,
        "customer_id": jane.pk,
        "characters": [DIRECTION_CONTROLS[control]],
    }


def test_the_refusal_names_each_control_once_in_order(support_client, jane):
    before, before_log = lac_snapshot(), log_snapshot()

    response = start(support_client, jane, reason="a\u202eb\u2066c\u202ed")

    assert response.status_code == 400
    [denial] = new_log_entries(before_log)
    assert denial.details["characters"] == ["U+202E", "U+2066"]
    assert lac_snapshot() == before


def test_the_api_refuses_such_a_reason_and_starts_nothing(support_agent, jane):
    api = ApiClient()
    token = admin_token_for(api, "support")
    before_lac, before_log = lac_snapshot(), log_snapshot()

    response = api.post(
        EXCHANGE, {"customer_id": jane.pk, "reason": "ticket \u202e42"}, token=token
    )

    assert response.status_code == 400, response.content
    assert response.json() == {
        "code": "login_as_customer.reason_direction_controls",
        "message": message_with("U+202E"),
    }
    assert lac_snapshot() == before_lac
    assert not ApiToken.objects.filter(kind=TokenKind.ASSISTED).exists()
    [denial] = new_log_entries(before_log)
    assert denial.action == "start_denied" and denial.channel == "api"
    assert denial.details["characters"] == ["U+202E"]


@pytest.mark.parametrize(
    "reason", ["כרטיס 4242", "تذكرة ٤٢٤٢", "Ticket 4242 (Zoë, 東京)"], ids=["he", "ar", "latin"]
)
def test_a_reason_in_any_script_without_controls_starts(support_client, jane, reason):
    """Right-to-left letters are text, not controls: kept as typed."""
    _tab, session = start_assisted(support_client, jane, reason=reason)

    assert session.reason == reason and session.started_at is not None


# --- Stored text shown isolated ------------------------------------------------------------------


@pytest.fixture
def spoofed_session(support_agent, jane, en):
    """A live session stored before the refusal, with direction controls in its reason and
    its customer's e-mail address (a customer chooses theirs), and its start entry."""
    now = timezone.now()
    session = AssistedSession.objects.create(
        admin=support_agent,
        admin_username="support",
        customer=jane,
        customer_email=SPOOFED_EMAIL,
        customer_name=SPOOFED_NAME,
        store_view=en,
        store_view_code="en",
        website_name="Main Website",
        reason=SPOOFED_REASON,
        mode=SessionMode.FULL,
        created_at=now - timedelta(minutes=2),
        started_at=now - timedelta(minutes=1),
        last_seen_at=now - timedelta(minutes=1),
        user_agent="Mozilla\u202e/5.0",
    )
    journal().write(Event(action="start", session=session, details={"reason": SPOOFED_REASON}))
    return session


def test_active_sessions_shows_stored_text_isolated(administrator, spoofed_session):
    response = login_admin_client(Client(), administrator).get(ACTIVE)

    assert_shown_isolated(response, SPOOFED_REASON, SPOOFED_EMAIL)


def test_the_log_and_a_sessions_page_show_stored_text_isolated(auditor, spoofed_session):
    client = login_admin_client(Client(), auditor)

    assert_shown_isolated(client.get(LOG), SPOOFED_REASON, SPOOFED_EMAIL)
    detail = client.get(reverse("admin:login_as_customer_log_detail", args=[spoofed_session.pk]))
    assert_shown_isolated(detail, SPOOFED_REASON, SPOOFED_EMAIL)


def test_the_action_report_shows_stored_text_isolated(auditor, spoofed_session):
    client = login_admin_client(Client(), auditor)

    response = client.get(REPORT, {"assisted_session": spoofed_session.pk})

    # The start entry's details hold the reason (its e-mail address is the customer's own).
    assert_shown_isolated(response, details_json({"reason": SPOOFED_REASON}))
    assert 'data-action="start"' in response.content.decode()


def test_the_customers_history_shows_the_reason_isolated(jane, spoofed_session):
    response = login_customer_client(Client(), jane).get(HISTORY)

    assert_shown_isolated(response, SPOOFED_REASON)


def test_the_dialog_names_the_session_open_in_this_browser_isolated(support_client, jane, marie):
    _tab, session = start_assisted(support_client, jane)
    AssistedSession.objects.filter(pk=session.pk).update(customer_name=SPOOFED_NAME)

    response = support_client.get(confirm_url(marie.pk))

    assert 'data-testid="lac-open-session"' in response.content.decode()
    assert_shown_isolated(response, SPOOFED_NAME)


def test_the_terminate_message_isolates_the_stored_names(administrator, spoofed_session):
    client = login_admin_client(Client(), administrator)

    client.post(reverse("admin:login_as_customer_terminate", args=[spoofed_session.pk]))
    page = client.get(ACTIVE)

    spoofed_session.refresh_from_db()
    assert spoofed_session.end_reason == EndReason.TERMINATED
    [message] = re.findall(r'<li class="success">(.*?)</li>', page.content.decode(), re.S)
    assert FSI in message and "was terminated." in message
    assert contained(message)
    assert_shown_isolated(page)


# --- As Chromium draws it ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


# The left edges of the first "(" and the first ")" after the text of a cell's <bdi>, and of
# "was" and "terminated" in the message: in reading order unless a control escaped.
_ORDER = """([selector, first, second]) => {
  const element = document.querySelector(selector);
  const text = element.textContent;
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  const edge = (needle) => {
    let node;
    walker.currentNode = element;
    while ((node = walker.nextNode())) {
      if (node.parentElement.closest("bdi")) continue;
      const at = node.data.indexOf(needle);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + needle.length);
      return range.getBoundingClientRect().left;
    }
    throw new Error(needle + " not in " + text);
  };
  return [edge(first), edge(second)];
}"""


@pytest.mark.browser
def test_chromium_draws_what_follows_stored_text_in_reading_order(
    chromium, administrator, auditor, spoofed_session
):
    detail = login_admin_client(Client(), auditor).get(
        reverse("admin:login_as_customer_log_detail", args=[spoofed_session.pk])
    )
    admin = login_admin_client(Client(), administrator)
    admin.post(reverse("admin:login_as_customer_terminate", args=[spoofed_session.pk]))
    active = admin.get(ACTIVE)

    page = chromium.new_page()
    try:
        page.set_content(detail.content.decode())
        # "support (id)" and "e-mail (id)": the id's parentheses after the stored text.
        page.evaluate("document.querySelectorAll('.sa-kv td').forEach((td, i) => td.id = 'kv' + i)")
        for cell in ("#kv0", "#kv1"):
            opening, closing = page.evaluate(_ORDER, [cell, "(", ")"])
            assert opening < closing, cell
        page.set_content(active.content.decode())
        was, terminated = page.evaluate(_ORDER, ["li.success", "was", "terminated"])
        assert was < terminated
    finally:
        page.close()
