"""Every ending of an assisted session, whatever ends it: the session record is ended once
(``ended_at``, ``end_reason``), its end is written to the log (``events.ended``) and
``assisted_session_ended`` is sent, in one transaction. Its storefront session is destroyed at
its next request (the live check finds it ended), an API token's next call answers 401."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from login_as_customer import events, selectors
from login_as_customer.journal import journal
from login_as_customer.models import AssistedSession, EndReason
from login_as_customer.signals import assisted_session_ended

# A login link is left a minute past its expiry before its session ends as never redeemed.
UNUSED_LINK_GRACE = timedelta(minutes=1)
LIMIT_REASONS = (EndReason.MAX_DURATION, EndReason.IDLE_TIMEOUT)

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

# The sessions the code running in this context has ended (``noting_ends``): an assisted write
# that ends its own session (Close session, the shop's sign-out) is not one its session's end
# overtook (``assisted_write``).
_ended_here: ContextVar[set | None] = ContextVar("login_as_customer_ended_here", default=None)


@contextmanager
def noting_ends() -> Iterator[set]:
    """The ids of the sessions ``record_end`` ends inside the block."""
    ended: set = set()
    token = _ended_here.set(ended)
    try:
        yield ended
    finally:
        _ended_here.reset(token)


def record_end(
    session: AssistedSession, reason: EndReason, *, at=None, only_if=None, details=None
) -> bool:
    """Record the end of a session once, in the caller's transaction; True if this call
    ended it.

    ``at``: when it ended, if not now (a limit that passed earlier). ``only_if``: a condition
    (Q) the row must still meet — what the caller decided on has not changed since it read it.
    Once the end has committed, the session keeps its number of journal entries
    (``keep_action_count``): the entries of the ending request are in by then.
    """
    ended_at = at or timezone.now()
    rows = AssistedSession.objects.filter(pk=session.pk, ended_at__isnull=True)
    if only_if is not None:
        rows = rows.filter(only_if)
    ended = rows.update(ended_at=ended_at, end_reason=reason)
    if ended:
        session.ended_at, session.end_reason = ended_at, reason
        noted = _ended_here.get()
        if noted is not None:
            noted.add(session.pk)
        # robust: the end has committed; a failure to keep the count (the connection cut
        # after the commit) is logged and must neither turn the ending request into an
        # error nor skip the commit's other hooks. Without it the count is read from the
        # journal, as for a running session. (A lambda: Django names a robust hook by its
        # __qualname__, which a functools.partial lacks.)
        session_id = session.pk
        transaction.on_commit(lambda: keep_action_count(session_id), robust=True)
        extra = dict(details or {})
        if at is not None and reason in LIMIT_REASONS:  # noticed after the limit passed
            extra["ended_at"] = ended_at.isoformat()
        events.ended(session, reason=reason, details=extra)
        assisted_session_ended.send(sender=AssistedSession, session=session, reason=reason)
    return bool(ended)


def keep_action_count(session_id) -> None:
    """An ended session keeps its number of journal entries (once: ``action_count`` is
    written when it is still empty), so that counting them needs no journal read. In a
    savepoint of its own: a refused write leaves a transaction around it usable."""
    with transaction.atomic():
        AssistedSession.objects.filter(pk=session_id, action_count__isnull=True).update(
            action_count=journal().event_count(session_id)
        )


def end_session(
    session: AssistedSession, reason: EndReason, *, at=None, only_if=None, details=None
) -> bool:
    """End a session in a transaction of its own (its storefront session is destroyed at its
    next request). ``at``: the time a limit passed, when the end is noticed later (the record
    says when it ended); ``only_if``: see ``record_end``."""
    with transaction.atomic():
        return record_end(session, reason, at=at, only_if=only_if, details=details)


def terminate(session: AssistedSession, *, by: AbstractBaseUser, ip_address: str | None) -> bool:
    """An administrator with *Manage active sessions* ends a live session: its end and who
    terminated it, in one transaction. False if it had already ended."""
    with transaction.atomic():
        ended = record_end(session, EndReason.TERMINATED)
        if ended:
            events.terminated(session, by=by, ip_address=ip_address)
    return ended


def end_unused_links_of(staff) -> int:
    """``end_unused_links`` of one administrator, after a look that costs one statement
    written once (each start asks; there is rarely one)."""
    if not selectors.has_unused_links(staff.pk, timezone.now() - UNUSED_LINK_GRACE):
        return 0
    return end_unused_links(AssistedSession.objects.filter(admin=staff))


def end_unused_links(queryset) -> int:
    """Login links not used within their lifetime: their sessions end, at the moment the
    link expired. A link is left a minute past that, so that a redemption still running
    when it expired is not cut off halfway."""
    latest = timezone.now() - UNUSED_LINK_GRACE
    count = 0
    links = list(
        queryset.filter(
            started_at__isnull=True, ended_at__isnull=True, token__expires_at__lte=latest
        ).select_related("token")
    )
    if not links:  # the usual case at a start: no transaction (savepoint) for nothing
        return 0
    with transaction.atomic():
        for session in links:
            count += record_end(
                session,
                EndReason.NEVER_REDEEMED,
                at=session.token.expires_at,
                only_if=Q(started_at__isnull=True),
            )
    return count


def replace_in_browser(*, replaced: AssistedSession, by: AssistedSession) -> bool:
    """A redemption in a browser that held another assisted session closes that one: one
    browser, one assisted session (a storefront session cannot be two customers)."""
    return end_session(replaced, EndReason.REPLACED, details={"replaced_by": by.pk})


def end_each(queryset, reason: EndReason) -> int:
    """End every session of ``queryset`` not yet ended, in one transaction; how many."""
    count = 0
    with transaction.atomic():
        for session in queryset.filter(ended_at__isnull=True):
            count += record_end(session, reason)
    return count
