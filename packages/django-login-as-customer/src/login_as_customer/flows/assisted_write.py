"""A state-changing request of an assisted session, recorded the same way on the web and in the
API (SPEC §8): the change and its "request" entry commit together or not at all; a write refused
with a status the caller knows is recorded with it, after its rollback; the refusals recorded
during the write (``journal.record_refusal``) are written after its own entry, whatever
became of it.

A write runs only while its session is live, not merely live when its request was checked: its
transaction first updates the session on condition that it has not ended, which holds the
session's row (PostgreSQL) or the database's write lock (SQLite) until the write commits. An
ending (terminate, consent withdrawn, the administrator's logout) that came first refuses the
write (``SessionEnded``); one that comes during it waits, and counts its entries."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from login_as_customer import events
from login_as_customer.journal import flush_refusals
from login_as_customer.models import AssistedSession


class SessionEnded(Exception):
    """The session ended after its request was checked: the write did not run."""


@dataclass
class Write:
    """What the entry of a write says; the caller completes it once it knows (the view that
    answered, the status of its response)."""

    view_name: str
    method: str
    channel: str = "web"
    ip_address: str | None = None
    status_code: int = 200


@contextmanager
def recorded_write(
    session: AssistedSession,
    write: Write,
    *,
    status_of_refusal: Callable[[Exception], int | None] = lambda error: None,
) -> Iterator[Write]:
    """Run the write inside; ``status_of_refusal``: the status a refused write answers with
    (recorded after its rollback), or None for an error that is not a refusal (no entry)."""
    try:
        with transaction.atomic():
            _hold_live(session)
            yield write
            _entry(session, write, write.status_code)
    except Exception as error:
        status = status_of_refusal(error)
        if status is not None:
            _entry(session, write, status)
        raise
    finally:
        flush_refusals()


def refuse_in_view_only(session: AssistedSession, write: Write) -> None:
    """A change asked in a view-only session, on the web or in the API: it never runs; its
    "request" entry is denied with status 403 and a "view_only_refused" entry says why. The
    caller answers the refusal (``errors.DenialCode.VIEW_ONLY``); a session that ended since
    its check has its ending recorded instead."""
    write.status_code = 403
    try:
        with recorded_write(session, write):
            events.blocked(
                session,
                action="view_only_refused",
                details={"view": write.view_name, "method": write.method},
                channel=write.channel,
                ip_address=write.ip_address,
            )
    except SessionEnded:
        pass


def _hold_live(session: AssistedSession) -> None:
    """Hold the session's row until the transaction ends, if it has not ended (an UPDATE that
    changes no value: the idle clock keeps ``live_check.touch``'s cadence); ``SessionEnded``
    if it has."""
    held = AssistedSession.objects.filter(pk=session.pk, ended_at__isnull=True).update(
        ended_at=F("ended_at")
    )
    if not held:
        raise SessionEnded


def _entry(session: AssistedSession, write: Write, status_code: int) -> None:
    events.request_made(
        session,
        view_name=write.view_name,
        method=write.method,
        status_code=status_code,
        channel=write.channel,
        ip_address=write.ip_address,
    )
