"""What an assisted storefront session keeps in its session, and how it is checked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.db import connections
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from shopassist.core.acl_grants import grants_resource
from shopassist.core.config import config
from shopassist.customers.models import Customer
from shopassist.login_as_customer import config as lac_config
from shopassist.login_as_customer.acl import ALLOW
from shopassist.login_as_customer.decisions import LiveFacts, end_reason_for, limit_passed
from shopassist.login_as_customer.models import AssistedSession, EndReason

SESSION_ID_KEY = "_lac_session_id"
# seconds: AssistedSession.last_seen_at, the idle clock, is written at most this often
LAST_SEEN_GRANULARITY = 10


_live_sql: dict[str, str] = {}
_CUSTOMER_PREFIX = "customer_row__"


def _customer_fields():
    return Customer._meta.concrete_fields


def _live_session_sql(alias: str) -> str:
    """The SQL of the per-request query, compiled once per process by the ORM: the session
    with its admin's flags, its customer's consent and the customer row itself, fresh from the
    database every request — one query, as many as a customer's own request makes."""
    if alias not in _live_sql:
        customer_row = {
            _CUSTOMER_PREFIX + field.attname: F(f"customer__{field.attname}")
            for field in _customer_fields()
        }
        queryset = AssistedSession.objects.using(alias).annotate(
            admin_is_active=F("admin__is_active"),
            admin_is_staff=F("admin__is_staff"),
            admin_is_superuser=F("admin__is_superuser"),
            consent_allowed=F("customer__assistance_consent__allowed"),
            consent_expires_at=F("customer__assistance_consent__expires_at"),
            **customer_row,
        )
        sql, _params = queryset.filter(pk=0).query.sql_with_params()
        _live_sql[alias] = sql
    return _live_sql[alias]


def _attach_customer(session: AssistedSession, alias: str) -> None:
    """Build the customer from the columns the live query read. Annotated columns bypass the
    ORM's converters, so each value goes through the converters the ORM would apply to that
    field on this database (datetimes and booleans on SQLite, and any field added later)."""
    if session.customer_id is None:
        return
    connection = connections[alias]
    names, values = [], []
    for field in _customer_fields():
        value = getattr(session, _CUSTOMER_PREFIX + field.attname)
        column = field.get_col(Customer._meta.db_table)
        for convert in connection.ops.get_db_converters(column) + field.get_db_converters(
            connection
        ):
            value = convert(value, column, connection)
        names.append(field.attname)
        values.append(value)
    session.customer = Customer.from_db(alias, names, values)


def _as_datetime(value):
    """Annotated columns bypass field converters: SQLite gives naive UTC (or text)."""
    if value is None:
        return None
    parsed = value if isinstance(value, datetime) else parse_datetime(str(value))
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, UTC)


def load_live_session(session_id) -> AssistedSession | None:
    """The session with everything the per-request check needs and its customer, in one
    query."""
    try:
        session_id = int(session_id)
    except (TypeError, ValueError):
        return None
    alias = AssistedSession.objects.db
    session = next(iter(AssistedSession.objects.raw(_live_session_sql(alias), [session_id])), None)
    if session is not None:
        session.consent_expires_at = _as_datetime(session.consent_expires_at)
        _attach_customer(session, alias)
    return session


def live_facts(session: AssistedSession, *, last_seen: datetime) -> LiveFacts:
    customer = session.customer
    admin_active = bool(session.admin_is_active and session.admin_is_staff)
    consent_valid = bool(session.consent_allowed) and (
        session.consent_expires_at is None or session.consent_expires_at > timezone.now()
    )
    return LiveFacts(
        ended=session.ended_at is not None,
        feature_enabled=lac_config.feature_enabled(),
        admin_exists=session.admin_id is not None,
        admin_active=admin_active,
        admin_allowed=admin_active
        and (session.admin_is_superuser or grants_resource(session.admin_id, ALLOW)),
        customer_exists=customer is not None,
        customer_active=bool(customer and customer.is_active),
        consent_valid=consent_valid,
        started_at=session.started_at,
        last_seen_at=last_seen,
        max_duration=timedelta(minutes=config.get(lac_config.MAX_DURATION)),
        idle_timeout=timedelta(minutes=config.get(lac_config.IDLE_TIMEOUT)),
    )


def check(session: AssistedSession | None) -> EndReason | None:
    """Why the session (as ``load_live_session`` read it) ends now, or None: the one live
    check of web and API requests, on the idle clock both keep in the database."""
    if session is None or session.started_at is None:
        return EndReason.TERMINATED
    last_seen = session.last_seen_at or session.started_at
    return end_reason_for(live_facts(session, last_seen=last_seen), now=timezone.now())


def limit_passed_at(session: AssistedSession, reason: EndReason) -> datetime | None:
    """When the absolute or idle limit that ends the session passed (its end time), or None
    for any other reason (those end now)."""
    if reason not in (EndReason.MAX_DURATION, EndReason.IDLE_TIMEOUT):
        return None
    passed = limit_passed(
        started_at=session.started_at,
        last_seen_at=session.last_seen_at,
        max_duration=timedelta(minutes=config.get(lac_config.MAX_DURATION)),
        idle_timeout=timedelta(minutes=config.get(lac_config.IDLE_TIMEOUT)),
        now=timezone.now(),
    )
    return passed.at if passed is not None else None


def touch(session: AssistedSession) -> None:
    """A request of the session: move its idle clock, with at most one UPDATE every
    ``LAST_SEEN_GRANULARITY`` seconds (the same cadence, and cost, as the storefront-session
    write it replaces)."""
    now = timezone.now()
    seen = session.last_seen_at
    if seen is None or (now - seen).total_seconds() >= LAST_SEEN_GRANULARITY:
        AssistedSession.objects.filter(pk=session.pk, ended_at__isnull=True).update(
            last_seen_at=now
        )
        session.last_seen_at = now


def seconds_left(session: AssistedSession) -> int:
    deadline = session.started_at + timedelta(minutes=config.get(lac_config.MAX_DURATION))
    return max(0, int((deadline - timezone.now()).total_seconds()))
