"""A state-changing request of an assisted session, recorded the same way on the web and in the
API (SPEC §8): the change and its "request" entry commit together or not at all; a write refused
with a status the caller knows is recorded with it, after its rollback; the refusals recorded
during the write (``journal.record_refusal``) are written after its own entry, whatever
became of it.

A write commits only if its session is still live when the write is done, not merely when its
request was checked, on a host whose writes are all in the database transaction
(``Host.writes_are_transactional``, ShopAssist): before its own entry, the write's transaction
reads the session again; an ending committed meanwhile by another request (terminate, consent
withdrawn, the administrator's logout) rolls the write back (``SessionEnded``) — unless the
write itself ended it (Close session, the shop's sign-out: ``flows/end.noting_ends``). The read
takes no lock: holding the session's row from the write's start would order its locks against
the ones an ending takes first (the consent row, the customer row, a chain head of the log) and
deadlock them. An ending that commits between that read and the write's commit — a few
statements — is not seen. On a host whose views mail or take a payment, rolling the write back
after them would be worse than the race: it commits."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction

from login_as_customer import events
from login_as_customer.flows.end import noting_ends
from login_as_customer.host import host
from login_as_customer.journal import flush_refusals
from login_as_customer.models import AssistedSession


class SessionEnded(Exception):
    """The session ended after its request was checked: the write was rolled back."""


@dataclass
class Write:
    """What the entry of a write says; the caller completes it once it knows (the view that
    answered, the status of its response)."""

    view_name: str
    method: str
    channel: str = "web"
    ip_address: str | None = None
    status_code: int = 200


class _RolledBack(Exception):  # noqa: N818 - not an error: leaves the write's transaction
    """The write's transaction was marked for rollback by what ran inside it."""


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
        with noting_ends() as ended_here, transaction.atomic():
            yield write
            if transaction.get_rollback():
                # Refused inside a block without a savepoint of its own (a guard on the
                # account's deletion): the write can only roll back; its entry comes after.
                raise _RolledBack
            if host().writes_are_transactional and session.pk not in ended_here:
                _refuse_if_ended(session)  # not when the write ended it: Close, sign-out
            _entry(session, write, write.status_code)
    except _RolledBack:
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
    caller answers the refusal (``errors.DenialCode.VIEW_ONLY``), or, on ``SessionEnded``, the
    session's end."""
    write.status_code = 403
    with recorded_write(session, write):
        events.blocked(
            session,
            action="view_only_refused",
            details={"view": write.view_name, "method": write.method},
            channel=write.channel,
            ip_address=write.ip_address,
        )


def _refuse_if_ended(session: AssistedSession) -> None:
    if AssistedSession.objects.filter(pk=session.pk, ended_at__isnull=False).exists():
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
