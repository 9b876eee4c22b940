"""Sessions past their limits end when the limit passes, not at their next request.

A session nobody touches after its idle or absolute limit would otherwise stay live in the
record until a request of it came, which may be never. The sweep ends it with the time the
limit passed: ``manage.py end_overdue_sessions`` (run by the scheduler, docs/deploy.md), and
the pages that list sessions before they read them (Active sessions, Login as Customer Log,
the customer's Assisted sessions), so that every list and count is right the moment a limit
passes.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import DatabaseError
from django.db.models import Q
from django.utils import timezone

from login_as_customer import config as lac_config
from login_as_customer.decisions import limit_passed
from login_as_customer.flows.end import (
    UNUSED_LINK_GRACE,
    end_session,
    end_unused_links,
    keep_action_count,
)
from login_as_customer.models import AssistedSession, EndReason

logger = logging.getLogger(__name__)


def _limits() -> tuple[timedelta, timedelta]:
    return (
        timedelta(minutes=lac_config.setting(lac_config.MAX_DURATION)),
        timedelta(minutes=lac_config.setting(lac_config.IDLE_TIMEOUT)),
    )


def _past_a_limit(now) -> Q:
    max_duration, idle_timeout = _limits()
    idle_since = now - idle_timeout
    return Q(started_at__isnull=False) & (
        Q(started_at__lte=now - max_duration)
        | Q(last_seen_at__lte=idle_since)
        | Q(last_seen_at__isnull=True, started_at__lte=idle_since)
    )


def _link_unused(now) -> Q:
    return Q(started_at__isnull=True, token__expires_at__lte=now - UNUSED_LINK_GRACE)


def overdue_sessions(queryset=None, *, now=None):
    """Live sessions (of ``queryset``) whose absolute or idle limit has passed by ``now``."""
    now = now or timezone.now()
    return (queryset if queryset is not None else AssistedSession.objects.all()).filter(
        _past_a_limit(now), ended_at__isnull=True
    )


def idle_clock_as(session) -> Q:
    """The idle clock still where the sweep (or a recheck) read it."""
    if session.last_seen_at is None:
        return Q(last_seen_at__isnull=True)
    return Q(last_seen_at=session.last_seen_at)


def end_overdue_sessions(queryset=None, *, unused_links: bool = True) -> int:
    """End every session (of ``queryset``) past its absolute or idle limit, recording the
    time that limit passed, and (``unused_links``) every login link left unused past its
    lifetime. Returns how many ended. A request that moved a session's idle clock meanwhile
    keeps it live."""
    now = timezone.now()
    sessions = queryset if queryset is not None else AssistedSession.objects.all()
    due = (_past_a_limit(now) | _link_unused(now)) if unused_links else _past_a_limit(now)
    # Most sweeps find nothing: one query (on the index of live sessions) says so.
    if not sessions.filter(due, ended_at__isnull=True).exists():
        return 0
    max_duration, idle_timeout = _limits()
    ended = 0
    for session in overdue_sessions(queryset, now=now).order_by("pk"):
        passed = limit_passed(
            started_at=session.started_at,
            last_seen_at=session.last_seen_at,
            max_duration=max_duration,
            idle_timeout=idle_timeout,
            now=now,
        )
        if passed is None:  # the limits changed since the query
            continue
        only_if = None if passed.reason == EndReason.MAX_DURATION else idle_clock_as(session)
        ended += end_session(session, passed.reason, at=passed.at, only_if=only_if)
    if unused_links:
        ended += end_unused_links(sessions)
    return ended


# An end's commit hooks have run long before this: its entries are all in the journal.
_COUNT_GRACE = timedelta(minutes=5)


def keep_missing_counts(*, batch: int = 500) -> tuple[int, int]:
    """Keep the action count of sessions that ended without it: the count is kept by a hook
    after the end commits (``flows/end.record_end``), which a connection cut at that moment
    makes fail. Until then the dashboard counts their actions in the journal on every view.
    Returns how many it kept and how many it could not (each count in a savepoint of its own:
    one refused write keeps none of the others from being kept; the first is logged). At most
    ``batch``; the next sweep takes the rest, and tries the refused ones again."""
    missing = list(
        AssistedSession.objects.filter(
            ended_at__lte=timezone.now() - _COUNT_GRACE, action_count__isnull=True
        )
        .order_by("ended_at")
        .values_list("pk", flat=True)[:batch]
    )
    failed = 0
    for session_id in missing:
        try:
            keep_action_count(session_id)
        except DatabaseError:
            if not failed:
                logger.exception("The action count of session %s could not be kept", session_id)
            failed += 1
    return len(missing) - failed, failed
