"""Sending the outbox. A mail's first attempt is made right after the response of the request
that queued it (or at once outside a request); ``manage.py send_mail_queue``, run by the
scheduler, makes the retries. A failed attempt is logged — one line, the exception, never the
body — and retried with backoff; after MAX_ATTEMPTS the mail is given up (logged)."""

from __future__ import annotations

import logging
from datetime import timedelta
from enum import StrEnum

from asgiref.local import Local
from django.core.mail import EmailMessage
from django.db import connections
from django.db.models import F
from django.utils import timezone

from shopassist.outbox.models import OutgoingMail

logger = logging.getLogger("shopassist.outbox")

MAX_ATTEMPTS = 10  # 1 + 2 + 4 + … minutes, at most an hour apart: given up after about 4 h
FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=1)
# A claimed mail is left to its claimant this long (an attempt ends after EMAIL_TIMEOUT).
CLAIM = timedelta(minutes=10)
# Failed attempts in a row after which a run of the queue takes the server as down: the rest
# waits for the next run (a hanging server would otherwise hold it EMAIL_TIMEOUT per mail).
FAILURES_IN_A_ROW = 3


class Outcome(StrEnum):
    SENT = "sent"
    FAILED = "failed"  # the backend raised: retried later, or given up after MAX_ATTEMPTS
    SKIPPED = "skipped"  # not due, taken by another process, or expired / erased: given up


_request = Local()  # mails committed during the current request, sent after its response


def wait_after(attempts: int) -> timedelta:
    """How long after its n-th failed attempt a mail is tried again."""
    return min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_WAIT)


def deliver(mail_id: int) -> Outcome:
    """Make one attempt at a due mail.

    The mail is claimed first (one conditional UPDATE), so two processes never send it both.
    Mail server errors are recorded and logged, never raised.
    """
    now = timezone.now()
    claimed = (
        OutgoingMail.objects.due(now)
        .filter(pk=mail_id)
        .update(attempts=F("attempts") + 1, next_attempt_at=now + CLAIM)
    )
    if not claimed:
        return Outcome.SKIPPED  # sent, given up, not due yet, or being sent by another process
    mail = OutgoingMail.objects.get(pk=mail_id)
    if mail.expires_at is not None and mail.expires_at <= now:
        _give_up(mail, "expired before it could be sent")
        return Outcome.SKIPPED
    if mail.contains_secret and not mail.body:  # erased: never send an empty mail
        _give_up(mail, "its content was erased")
        return Outcome.SKIPPED
    try:
        EmailMessage(subject=mail.subject, body=mail.body, to=[mail.to]).send()
    except Exception as exc:  # whatever the backend raises is retried
        _record_failure(mail, f"{type(exc).__name__}: {exc}"[:500])
        return Outcome.FAILED
    OutgoingMail.objects.filter(pk=mail.pk).update(sent_at=timezone.now(), **_erased_body(mail))
    return Outcome.SENT


def deliver_due(*, limit: int = 500) -> dict[str, int]:
    """One attempt at each due mail, oldest first (the scheduler's job); stops early after
    FAILURES_IN_A_ROW failures in a row."""
    ids = list(
        OutgoingMail.objects.due(timezone.now())
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    counts = {"due": len(ids), "sent": 0, "not_sent": 0}
    in_a_row = 0
    for mail_id in ids:
        outcome = deliver(mail_id)
        counts["sent"] += outcome == Outcome.SENT
        counts["not_sent"] += outcome != Outcome.SENT
        in_a_row = in_a_row + 1 if outcome == Outcome.FAILED else 0
        if in_a_row >= FAILURES_IN_A_ROW:
            break
    return counts


def _record_failure(mail: OutgoingMail, error: str) -> None:
    if mail.attempts >= MAX_ATTEMPTS:
        _give_up(mail, error)
        return
    next_attempt_at = timezone.now() + wait_after(mail.attempts)
    OutgoingMail.objects.filter(pk=mail.pk).update(
        last_error=error, next_attempt_at=next_attempt_at
    )
    logger.warning(
        "Mail %s not sent (attempt %s of %s), next attempt at %s: %s",
        mail.pk,
        mail.attempts,
        MAX_ATTEMPTS,
        next_attempt_at.isoformat(timespec="seconds"),
        error,
    )


def _give_up(mail: OutgoingMail, error: str) -> None:
    OutgoingMail.objects.filter(pk=mail.pk).update(
        gave_up_at=timezone.now(), last_error=error, **_erased_body(mail)
    )
    logger.error("Mail %s given up after %s attempts: %s", mail.pk, mail.attempts, error)


def _erased_body(mail: OutgoingMail) -> dict:
    return {"body": ""} if mail.contains_secret else {}


# --- After commit, after the response -------------------------------------------------------


def deliver_after_commit(mail_id: int) -> None:
    """on_commit of `services.queue_mail`: during a request, wait for its response."""
    pending = getattr(_request, "pending", None)
    if pending is not None:
        pending.append(mail_id)
    else:
        _attempt([mail_id])


def request_started(**kwargs) -> None:
    _request.pending = []


def request_finished(**kwargs) -> None:
    """After the response has been sent (the WSGI server closes it): the request's mails."""
    pending = getattr(_request, "pending", None)
    _request.pending = None
    if not pending:
        return
    _attempt(pending)
    # Django has already given the request's connections back; give back the one used here
    # (never inside a transaction: a test's, or a caller's that outlives the response).
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()


def _attempt(mail_ids: list[int]) -> None:
    for mail_id in mail_ids:
        try:
            deliver(mail_id)
        except Exception as exc:  # e.g. the database is down: the queue retries
            logger.warning(
                "Mail %s: no attempt after commit (%s: %s); send_mail_queue will retry",
                mail_id,
                type(exc).__name__,
                exc,
            )
