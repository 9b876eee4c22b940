"""Where Login as Customer writes what happened: a journal, chosen by the host.

``events.py`` turns each happening (a start, a refusal, an action in an assisted session, an
ending) into one ``Event`` and hands it to ``host().journal``, inside the transaction of what
it records. A refusal is written so that the rollback of the refused work cannot remove it:
queued while a transaction is open and written once the outermost one is over, whether it
committed or rolled back (``atomic_keeping_refusals``, ``flush_refusals``).

The default journal, ``OwnJournal``, keeps the events in the feature's own table
(``AssistedAction``). ShopAssist's writes them into its hash-chained action log
(``lac_host/journal.py``).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection, connections, transaction
from django.db.models import Count

from login_as_customer import audit_stream
from login_as_customer.host import host
from login_as_customer.models import Outcome

__all__ = ["Event", "Journal", "OwnJournal", "Outcome", "journal", "record", "record_refusal"]


@dataclass
class Event:
    """One happening. ``session``: the assisted session it belongs to (its administrator,
    customer and store view are named from it unless given); ``target``: the object it is
    about (a session, a consent, an order …)."""

    action: str
    outcome: str = Outcome.SUCCESS
    channel: str = "web"
    session: Any = None
    admin: Any = None
    customer: Any = None
    target: Any = None
    details: dict = field(default_factory=dict)
    ip_address: str | None = None


class Journal(ABC):
    """What a journal does: a journal of its own writes and reads its events; the refusal
    queue below works for any."""

    @abstractmethod
    def write(self, event: Event) -> None:
        """Write one event, in the caller's transaction."""

    @abstractmethod
    def actions_of(self, session_ids, *, actions=None):
        """The events of these sessions (an id or ids), oldest first, optionally only those
        ``actions``: rows with ``assisted_session_id``, ``created_at``, ``action``,
        ``outcome`` (``get_outcome_display``), ``channel``, ``ip_address``, ``details``."""

    @abstractmethod
    def sessions_by_event_count(self, sessions, *, id_range=None) -> dict[int, int]:
        """How many of ``sessions`` (a queryset of ``AssistedSession``) have n events, for
        each n ≥ 1: ``{n: sessions}`` — one aggregate query (the dashboard's actions per
        session); sessions without events are not counted. ``id_range``: (first, last), the
        smallest and largest id of ``sessions`` if the caller knows them, so that the journal
        reads its index of session ids as one range."""

    @abstractmethod
    def event_count(self, session_id) -> int:
        """How many events the session has (one indexed count): kept on the session when it
        ends (``AssistedSession.action_count``)."""

    def refusals_queue(self) -> list[Event]:
        """The refusals waiting for the outermost transaction's end, per connection (one
        per thread, like its transaction)."""
        if not hasattr(connection, "lac_pending_refusals"):
            connection.lac_pending_refusals = []
        return connection.lac_pending_refusals

    def transaction_open(self) -> bool:
        """Inside ``transaction.atomic()``; the blocks Django's TestCase wraps each test in
        (marked ``_from_testcase``) stand in for autocommit and do not count."""
        return any(
            not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks
        )

    def record_refusal(self, event: Event) -> None:
        if not self.transaction_open():
            self.flush_refusals()  # any earlier ones first: the journal keeps their order
            self.write(event)
            return
        self.refusals_queue().append(event)
        transaction.on_commit(self.flush_refusals)

    def flush_refusals(self) -> None:
        pending = self.refusals_queue()
        if not pending:
            return
        if self.transaction_open():
            transaction.on_commit(self.flush_refusals)
            return
        while pending:
            self.write(pending[0])
            pending.pop(0)


class OwnJournal(Journal):
    """The feature's own table, ``AssistedAction``."""

    def actions_of(self, session_ids, *, actions=None):
        from login_as_customer.models import AssistedAction

        return filter_actions(AssistedAction.objects.all(), session_ids, actions)

    def sessions_by_event_count(self, sessions, *, id_range=None) -> dict[int, int]:
        from login_as_customer.models import AssistedAction

        return count_sessions_by_events(AssistedAction.objects.all(), sessions, id_range=id_range)

    def event_count(self, session_id) -> int:
        from login_as_customer.models import AssistedAction

        return AssistedAction.objects.filter(assisted_session_id=session_id).count()

    def write(self, event: Event) -> None:
        from login_as_customer.models import AssistedAction

        session, admin, customer, target = event.session, event.admin, event.customer, event.target
        names = {}
        if session is not None:  # named as they were when the session started
            names = {
                "assisted_session_id": session.pk,
                "admin_id": session.admin_id,
                "admin_username": session.admin_username,
                "customer_id": session.customer_id,
                "customer_email": session.customer_email,
                "store_view_code": session.store_view_code,
            }
        if admin is not None:
            names.update(admin_id=admin.pk, admin_username=admin.get_username())
        if customer is not None:
            names.update(customer_id=customer.pk, customer_email=host().customer_email(customer))
        elif isinstance(event.details.get("customer_id"), int):  # a refusal names it only
            names.setdefault("customer_id", event.details["customer_id"])
        row = AssistedAction.objects.create(
            action=event.action,
            outcome=str(event.outcome),
            channel=event.channel,
            **names,
            target_type=_type_of(target) if target is not None else "",
            target_id=str(target.pk) if target is not None else "",
            details=event.details,
            ip_address=event.ip_address,
        )
        audit_stream.emit_entry(row)


def filter_actions(queryset, session_ids, actions):
    if isinstance(session_ids, int):
        queryset = queryset.filter(assisted_session_id=session_ids)
    else:
        queryset = queryset.filter(assisted_session_id__in=list(session_ids))
    if actions is not None:
        queryset = queryset.filter(action__in=list(actions))
    return queryset.order_by("id")


def count_sessions_by_events(events, sessions, *, id_range=None) -> dict[int, int]:
    """``Journal.sessions_by_event_count`` for a queryset of events with an
    ``assisted_session_id`` (indexed): the events counted per session, then the sessions per
    count, in one statement."""
    if id_range is not None:
        # A range the index answers alone (an index-only scan on PostgreSQL), the sessions'
        # own list then keeping exactly theirs.
        first, last = id_range
        events = events.filter(assisted_session_id__gte=first, assisted_session_id__lte=last)
    per_session = (
        events.filter(assisted_session_id__in=sessions.order_by().values("pk"))
        .order_by()
        .values("assisted_session_id")
        .annotate(events=Count("pk"))
        .values("events")
    )
    try:
        sql, params = per_session.query.sql_with_params()
    except EmptyResultSet:  # e.g. sessions.none()
        return {}
    with connections[per_session.db].cursor() as cursor:
        cursor.execute(
            f"SELECT per_session.events, COUNT(*) FROM ({sql}) per_session "  # noqa: S608 - the ORM's SQL
            "GROUP BY per_session.events",
            params,
        )
        return dict(cursor.fetchall())


def journal() -> Journal:
    return host().journal()


def record(event: Event) -> None:
    journal().write(event)


def record_refusal(event: Event) -> None:
    """Record a refusal so that no rollback can remove it (see the module's docstring)."""
    journal().record_refusal(event)


def flush_refusals() -> None:
    journal().flush_refusals()


@contextmanager
def atomic_keeping_refusals():
    """``transaction.atomic()`` after which the refusals queued inside it are written, also
    when it rolls back (the refused work), as soon as no transaction is open any more."""
    try:
        with transaction.atomic():
            yield
    finally:
        flush_refusals()


def _type_of(target) -> str:
    """A target's type: its model's label, a proxy's the concrete model's (the row is the
    model's, named and found as when it changes without the proxy)."""
    return target._meta.concrete_model._meta.label_lower
