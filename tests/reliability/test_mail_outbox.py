"""Mail is written with the change and sent after it commits, outside the response (issue 12,
point 5): a mail server that is down or hangs never fails a request nor tells whether an
account exists; a failed attempt is logged without the secret, retried with backoff, given up
at last. The mail servers are real: a port where nothing listens, a socket that accepts and
never answers, and aiosmtpd."""

import email
import email.policy
import logging
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta
from http.cookiejar import CookieJar
from itertools import pairwise

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import transaction
from django.test import Client, TestCase
from django.utils import timezone

from login_as_customer import config as lac_config
from login_as_customer.flows.consent import set_consent
from login_as_customer.models import AssistanceConsent
from shopassist.core.actor import Actor
from shopassist.demo.loader import load_demo
from shopassist.outbox import delivery
from shopassist.outbox.models import OutgoingMail
from tests.login_as_customer.assisted import start_assisted
from tests.pages import messages_of
from tests.security.test_staff_consent import set_in_admin_form

FORGOT = "/en/customer/account/forgotpassword/"
LOGIN = "/en/customer/account/login/"
SMTP = "django.core.mail.backends.smtp.EmailBackend"
NOBODY = "nobody@example.com"
RESET_LINK = re.compile(r"https?://[^/\s]+(/en/customer/account/resetpassword/[\w-]+/[\w-]+/)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class MailServer:
    """A real SMTP server (aiosmtpd) on a port of its own: down until ``start()``."""

    def __init__(self, port: int):
        self.port = port
        self.messages: list[email.message.EmailMessage] = []
        self._controller = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 Message accepted for delivery"

    def start(self):
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self):
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@pytest.fixture
def mail_server(settings):
    """The site sends through SMTP to a server that is down (nothing listens on its port)."""
    server = MailServer(free_port())
    settings.EMAIL_BACKEND = SMTP
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


@pytest.fixture
def outbox_log(caplog):
    caplog.set_level(logging.WARNING, logger="shopassist.outbox")
    return caplog


def forgot(client, address):
    return client.post(FORGOT, {"email": address}, follow=True)


def seen_by_visitor(response, address) -> tuple:
    """Status, redirects, messages and the page, with the address typed taken out (and the
    CSRF token, different on every page)."""
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
    return (
        response.status_code,
        response.redirect_chain,
        [message.replace(address, "ADDRESS") for message in messages_of(response)],
        page.replace(address, "ADDRESS"),
    )


def outbox_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "shopassist.outbox"]


def body_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


# --- The visitor's answer --------------------------------------------------------------------


def test_with_the_mail_server_down_forgot_password_answers_alike_for_every_address(
    jane, mail_server, outbox_log
):
    known = forgot(Client(), jane.email)
    unknown = forgot(Client(), NOBODY)

    assert known.redirect_chain == [(LOGIN, 302)]
    assert seen_by_visitor(known, jane.email) == seen_by_visitor(unknown, NOBODY)
    # One mail, to Jane, kept for a retry; nothing for the unknown address.
    (mail,) = OutgoingMail.objects.all()
    assert (mail.to, mail.attempts, mail.sent_at, mail.gave_up_at) == (jane.email, 1, None, None)
    assert mail.last_error.startswith("ConnectionRefusedError")
    assert mail.next_attempt_at >= timezone.now() + timedelta(seconds=50)
    assert mail.contains_secret and RESET_LINK.search(mail.body)
    # One log line for the failure, without the link or its token.
    (line,) = outbox_lines(outbox_log)
    assert line.startswith(f"Mail {mail.pk} not sent (attempt 1 of 10), next attempt at ")
    assert "ConnectionRefusedError" in line
    token = RESET_LINK.search(mail.body).group(1).rstrip("/").rsplit("/", 1)[1]
    assert token not in outbox_log.text and "resetpassword" not in outbox_log.text


def test_the_answer_is_the_same_with_the_mail_server_down_or_up(jane, marie, mail_server):
    down = forgot(Client(), jane.email)
    mail_server.start()
    up = forgot(Client(), marie.email)

    assert seen_by_visitor(down, jane.email) == seen_by_visitor(up, marie.email)
    # Up: sent at once after the commit, through the real SMTP server.
    (message,) = mail_server.messages
    assert message["To"] == marie.email
    assert RESET_LINK.search(body_of(message))
    sent = OutgoingMail.objects.get(to=marie.email)
    assert (sent.attempts, sent.last_error) == (1, "")
    assert sent.sent_at is not None and sent.body == ""  # the link is erased once sent
    assert OutgoingMail.objects.get(to=jane.email).sent_at is None


# --- Retries ---------------------------------------------------------------------------------


def test_a_failed_mail_is_sent_by_the_queue_once_the_server_is_back(jane, mail_server):
    client = Client()
    forgot(client, jane.email)
    mail_server.start()

    call_command("send_mail_queue", stdout=(out := _Output()))
    assert mail_server.messages == []  # not due yet: the first retry waits a minute
    assert out.text.startswith("due 0, sent 0")

    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        call_command("send_mail_queue", stdout=(out := _Output()))

    assert out.text.startswith("due 1, sent 1, not sent 0, waiting 0")
    (message,) = mail_server.messages
    assert message["To"] == jane.email
    mail = OutgoingMail.objects.get()
    assert (mail.attempts, mail.body) == (2, "")
    assert mail.sent_at is not None
    # The link that finally arrived works.
    landing = client.get(RESET_LINK.search(body_of(message)).group(1))
    assert landing.status_code == 302 and landing["Location"].endswith("/set-password/")


def test_retries_back_off_and_the_mail_is_given_up_after_ten_attempts(
    jane, mail_server, outbox_log
):
    forgot(Client(), jane.email)
    mail = OutgoingMail.objects.get()
    attempted_at = [mail.created_at]
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        while mail.gave_up_at is None:
            attempted_at.append(mail.next_attempt_at)
            traveller.move_to(mail.next_attempt_at)
            assert delivery.deliver_due() == {"due": 1, "sent": 0, "not_sent": 1}
            mail.refresh_from_db()

    assert mail.attempts == delivery.MAX_ATTEMPTS == 10
    # Minutes between attempts 1→2, 2→3, … 9→10 (about 4 h); the tenth failure gives up.
    waits = [round((b - a).total_seconds() / 60) for a, b in pairwise(attempted_at)]
    assert waits == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert mail.sent_at is None and mail.body == ""  # given up: the link is erased
    assert mail.last_error.startswith("ConnectionRefusedError")
    lines = outbox_lines(outbox_log)
    assert len(lines) == 10
    assert lines[-1].startswith(f"Mail {mail.pk} given up after 10 attempts: ConnectionRef")
    assert "resetpassword" not in outbox_log.text
    mail_server.start()
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert delivery.deliver_due()["due"] == 0
    assert mail_server.messages == []


def test_a_run_of_the_queue_stops_after_three_failures_in_a_row(db, mail_server):
    """A server that is down (or hangs, EMAIL_TIMEOUT per attempt) costs a run three
    attempts, not one per waiting mail; the others wait for the next run, untouched."""
    now = timezone.now()
    for number in range(5):
        OutgoingMail.objects.create(
            to=f"customer{number}@example.com", subject="s", body="b", next_attempt_at=now
        )

    assert delivery.deliver_due() == {"due": 5, "sent": 0, "not_sent": 3}
    attempts = OutgoingMail.objects.order_by("pk").values_list("attempts", flat=True)
    assert list(attempts) == [1, 1, 1, 0, 0]

    mail_server.start()
    assert delivery.deliver_due() == {"due": 2, "sent": 2, "not_sent": 0}
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        assert delivery.deliver_due() == {"due": 3, "sent": 3, "not_sent": 0}
    assert sorted(m["To"] for m in mail_server.messages) == [
        f"customer{number}@example.com" for number in range(5)
    ]


def test_a_reset_mail_is_never_sent_after_its_link_expired(jane, mail_server, outbox_log):
    forgot(Client(), jane.email)
    mail_server.start()

    later = timedelta(seconds=django_settings.PASSWORD_RESET_TIMEOUT + 1)
    with time_machine.travel(timezone.now() + later):
        call_command("send_mail_queue", stdout=_Output())

    assert mail_server.messages == []
    mail = OutgoingMail.objects.get()
    assert mail.gave_up_at is not None and mail.sent_at is None and mail.body == ""
    assert mail.last_error == "expired before it could be sent"
    assert outbox_lines(outbox_log)[-1] == (
        f"Mail {mail.pk} given up after 2 attempts: expired before it could be sent"
    )


def test_the_queue_deletes_old_sent_and_given_up_mail(jane, marie, mail_server):
    forgot(Client(), jane.email)  # will be given up
    mail_server.start()
    forgot(Client(), marie.email)  # sent
    OutgoingMail.objects.filter(to=jane.email).update(gave_up_at=timezone.now())

    with time_machine.travel(timezone.now() + timedelta(days=31)):
        call_command("send_mail_queue", stdout=(out := _Output()))

    assert out.text.strip() == "due 0, sent 0, not sent 0, waiting 0, deleted 2"
    assert not OutgoingMail.objects.exists()


class _Output:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass


# --- Assisted-session notice and consent mail ------------------------------------------------


def test_an_assisted_session_starts_with_the_mail_server_down_and_its_notice_follows(
    support_client, jane, set_config, mail_server, outbox_log
):
    set_config({lac_config.NOTIFY_CUSTOMER: "1"})

    with TestCase.captureOnCommitCallbacks(execute=True):
        browser, session = start_assisted(support_client, jane, reason="Size exchange")

    session.refresh_from_db()
    assert session.started_at is not None and session.ended_at is None
    assert "You are connected as Jane Doe" in browser.get("/en/customer/account/").text
    mail = OutgoingMail.objects.get()
    assert (mail.to, mail.attempts, mail.contains_secret) == (jane.email, 1, False)
    assert len(outbox_lines(outbox_log)) == 1

    mail_server.start()
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        call_command("send_mail_queue", stdout=_Output())

    (message,) = mail_server.messages
    assert message["Subject"] == "A store administrator is assisting you"
    assert "Size exchange" in body_of(message)
    mail.refresh_from_db()
    assert mail.sent_at is not None and "Size exchange" in mail.body  # no secret: kept


def test_consent_set_by_staff_is_saved_with_the_mail_server_down_and_mailed_later(
    support_client, chen, set_config, mail_server
):
    set_config({lac_config.NOTIFY_CUSTOMER: "1"})

    with TestCase.captureOnCommitCallbacks(execute=True):
        set_in_admin_form(support_client, chen, allowed=True)  # asserts the 302

    assert AssistanceConsent.objects.get(customer=chen).allowed
    mail = OutgoingMail.objects.get()
    assert (mail.to, mail.attempts, mail.sent_at) == (chen.email, 1, None)
    mail_server.start()
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        call_command("send_mail_queue", stdout=_Output())
    (message,) = mail_server.messages
    assert message["To"] == chen.email


def test_a_rolled_back_change_sends_no_mail(support_agent, chen, set_config, mailoutbox):
    set_config({lac_config.NOTIFY_CUSTOMER: "1"})
    before = list(AssistanceConsent.objects.values())

    with (
        TestCase.captureOnCommitCallbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        set_consent(customer=chen, allowed=True, actor=Actor(staff_user=support_agent))
        assert OutgoingMail.objects.count() == 1  # written with the change…
        raise RuntimeError("a later step of the change fails")

    assert not OutgoingMail.objects.exists()  # … and rolled back with it
    assert mailoutbox == []
    assert list(AssistanceConsent.objects.values()) == before


# --- Outside the response, on a real HTTP server ---------------------------------------------


class HangingMailServer:
    """Accepts connections (the kernel's backlog) and never says a word."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]

    def close(self):
        self.sock.close()


class Visitor:
    """A browser of its own (cookies) that does not follow redirects."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base_url):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), self._NoRedirect
        )

    def forgot(self, address) -> tuple[int, str, float]:
        """(status, Location, seconds until the whole answer was read)."""
        page = self.opener.open(self.base_url + FORGOT, timeout=30).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"email": address, "csrfmiddlewaretoken": token})
        started = time.monotonic()
        try:
            response = self.opener.open(self.base_url + FORGOT, data.encode(), timeout=30)
        except urllib.error.HTTPError as answer:  # the unfollowed redirect
            response = answer
        with response:
            response.read()
            return response.status, response.headers["Location"], time.monotonic() - started


def test_a_hanging_mail_server_never_delays_the_answer(live_server, transactional_db, settings):
    load_demo()
    hanging = HangingMailServer()
    settings.EMAIL_BACKEND = SMTP
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", hanging.port
    settings.EMAIL_TIMEOUT = 3  # each attempt hangs this long, after the answer
    try:
        answers = {
            address: Visitor(live_server.url).forgot(address)
            for address in (
                "jane.doe@example.com",
                NOBODY,
                "marie.dupont@example.com",
                "nobody.else@example.com",
            )
        }
        attempts = _wait_for_attempts(2, timeout=20)
    finally:
        hanging.close()

    assert {(status, location) for status, location, _ in answers.values()} == {(302, LOGIN)}
    # Well under the 3 s an attempt hangs, for known and unknown addresses alike.
    assert max(seconds for _, _, seconds in answers.values()) < 1.5, answers
    # The attempts happened after the answers, and timed out.
    assert sorted(mail.to for mail in attempts) == [
        "jane.doe@example.com",
        "marie.dupont@example.com",
    ]
    assert all("timed out" in mail.last_error for mail in attempts), attempts


def _wait_for_attempts(count: int, *, timeout: float) -> list[OutgoingMail]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        tried = list(OutgoingMail.objects.exclude(last_error=""))
        if len(tried) >= count:
            return tried
        time.sleep(0.2)
    raise AssertionError(f"only {list(OutgoingMail.objects.values())} after {timeout} s")
