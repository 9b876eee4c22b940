"""What an assisted storefront session keeps in its session, and how it is checked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from django.db import connections
from django.db.models import F
from django.utils import timezone

from login_as_customer import config as lac_config
from login_as_customer.decisions import LiveFacts, end_reason_for, limit_passed
from login_as_customer.flows.consent import consent_valid
from login_as_customer.host import host
from login_as_customer.models import AssistedSession, ConsentBasis, EndReason
from login_as_customer.permissions import may_keep

SESSION_ID_KEY = "_lac_session_id"
# seconds: AssistedSession.last_seen_at, the idle clock, is written at most this often
LAST_SEEN_GRANULARITY = 10


_CUSTOMER_PREFIX = "customer_row__"
_ALONG_PREFIX = "customer_along__"  # what the host reads with the customer (read_along)


@dataclass(frozen=True)
class _LiveQuery:
    sql: str
    params: tuple  # the selected expressions' own, before the session's id
    session_attnames: list[str]  # the first columns: the session's own
    session_columns: int  # how many
    # then, by column index: the admin's flags and the consent (set on the session), the
    # customer's columns (in _customer_fields' order) and what is read along (on the customer)
    flags: list[tuple[str, int]]
    customer_attnames: list[str]
    customer_columns: list[int]
    along: list[tuple[str, int]]
    converters: list  # (column index, converters, expression), as the ORM applies them


_live_queries: dict[tuple[str, bool], _LiveQuery] = {}


def _customer_model():
    return AssistedSession.customer.field.related_model


def _customer_fields():
    return _customer_model()._meta.concrete_fields


# The session's columns a request that changes nothing uses: its check, the banner, the idle
# clock, and what its log entries name. The others (the reason given, the administrator's
# address and browser, the link's times) stay deferred: an ending loads them first
# (``load_deferred``), anything else that reads one loads it then.
_READING_COLUMNS = (
    "id",
    "admin_id",
    "admin_username",
    "customer_id",
    "customer_email",
    "customer_name",
    "store_view_id",
    "store_view_code",
    "website_name",
    "mode",
    "consent_basis",
    "started_at",
    "ended_at",
    "last_seen_at",
)


def _live_query(alias: str, read_along: bool) -> _LiveQuery:
    """The per-request query, compiled once per process by the ORM: the session with its
    admin's flags, its customer's consent and the customer row itself, fresh from the database
    every request — one query, as many as a customer's own request makes — with the column
    converters the ORM itself would apply (booleans and datetimes on SQLite, any field added
    later). ``read_along``, for a request that changes nothing: only the session's columns such
    a request uses, and what other apps read with the customer's row, as the customer's own
    request reads it (``Host.read_along_expressions``)."""
    key = (alias, read_along)
    if key not in _live_queries:
        customer_row = {
            _CUSTOMER_PREFIX + field.attname: F(f"customer__{field.attname}")
            for field in _customer_fields()
        }
        if read_along:
            customer_row.update(
                (_ALONG_PREFIX + name, expression)
                for name, expression in host().read_along_expressions("customer_id").items()
            )
        # No ORDER BY (the model's ordering): the primary key matches one row.
        sessions = AssistedSession.objects.using(alias)
        if read_along:
            sessions = sessions.only(*_READING_COLUMNS)
        queryset = sessions.order_by().annotate(
            admin_is_active=F("admin__is_active"),
            admin_is_staff=F("admin__is_staff"),
            admin_is_superuser=F("admin__is_superuser"),
            consent_allowed=F("customer__assistance_consent__allowed"),
            consent_expires_at=F("customer__assistance_consent__expires_at"),
            **customer_row,
        )
        compiler = queryset.filter(pk=0).query.get_compiler(alias)
        sql, params = compiler.as_sql()
        assert params[-1] == 0, "the session's id is the last parameter"
        # The session's own columns first, then the annotations (as the ORM's iterable reads).
        session_fields = [
            compiler.select[i][0].target for i in compiler.klass_info["select_fields"]
        ]
        annotations = sorted(compiler.annotation_col_map.items(), key=lambda item: item[1])
        columns = [*compiler.klass_info["select_fields"], *(index for _n, index in annotations)]
        assert columns == list(range(len(compiler.select))), "unexpected column order"
        index_of = dict(annotations)
        converters = compiler.get_converters([column for column, _sql, _alias in compiler.select])
        _live_queries[key] = _LiveQuery(
            sql=sql,
            params=tuple(params[:-1]),
            session_attnames=[field.attname for field in session_fields],
            session_columns=len(session_fields),
            flags=[
                (name, index)
                for name, index in annotations
                if not name.startswith((_CUSTOMER_PREFIX, _ALONG_PREFIX))
            ],
            customer_attnames=[field.attname for field in _customer_fields()],
            customer_columns=[
                index_of[_CUSTOMER_PREFIX + field.attname] for field in _customer_fields()
            ],
            along=[
                (name[len(_ALONG_PREFIX) :], index)
                for name, index in annotations
                if name.startswith(_ALONG_PREFIX)
            ],
            converters=[(index, *converter) for index, converter in converters.items()],
        )
    return _live_queries[key]


def load_live_session(session_id, *, read_along: bool = False) -> AssistedSession | None:
    """The session with everything the per-request check needs and its customer, in one
    query (``read_along``, for a request that changes nothing: the columns such a request uses,
    and what the customer's own read of such a request brings)."""
    try:
        session_id = int(session_id)
    except (TypeError, ValueError):
        return None
    alias = AssistedSession.objects.db
    query = _live_query(alias, read_along)
    connection = connections[alias]
    the_host = host()
    row = the_host.fetch_row(connection, query.sql, [*query.params, session_id], query.converters)
    if row is None:
        return None
    session = the_host.built(
        AssistedSession, alias, query.session_attnames, row[: query.session_columns]
    )
    attributes = session.__dict__
    for name, index in query.flags:
        attributes[name] = row[index]
    if session.customer_id is not None:
        customer = the_host.built(
            _customer_model(),
            alias,
            query.customer_attnames,
            [row[index] for index in query.customer_columns],
        )
        for name, index in query.along:
            customer.__dict__[name] = row[index]
        # What ``session.customer = customer`` stores, without the descriptor's checks of an
        # object the query itself matched (the customer of this session, on this database).
        AssistedSession.customer.field.set_cached_value(session, customer)
    return session


def usable_store_view(session: AssistedSession):
    """The store view the session was started in, if its customer can still use it (None once
    they cannot: moved to another website, or the store view closed). Asked where the host
    would not show the customer a page, and when an account or the settings change — not on
    every request: the host's own check of each request covers it."""
    store_view = host().store_view(session.store_view_id)
    if session.customer is None or not host().store_view_usable(session.customer, store_view):
        return None
    return store_view


def load_deferred(session: AssistedSession) -> None:
    """The session's columns a reading request left in the database, in one query (before
    something records the whole session: its ending)."""
    deferred = session.get_deferred_fields()
    if deferred:
        session.refresh_from_db(fields=sorted(deferred))


def live_facts(session: AssistedSession, *, last_seen: datetime, now: datetime) -> LiveFacts:
    customer = session.customer
    the_host = host()
    admin_active = bool(session.admin_is_active and session.admin_is_staff)
    # A session on an assistance code had the customer's consent for itself alone.
    consent = session.consent_basis == ConsentBasis.CODE or consent_valid(
        session.consent_allowed, session.consent_expires_at, now
    )
    return LiveFacts(
        ended=session.ended_at is not None,
        feature_enabled=lac_config.feature_enabled(),
        admin_exists=session.admin_id is not None,
        admin_active=admin_active,
        admin_allowed=admin_active
        and (session.admin_is_superuser or may_keep(session.admin_id, session.mode)),
        customer_exists=customer is not None,
        customer_active=bool(customer and the_host.customer_is_active(customer)),
        customer_is_staff=bool(customer and the_host.customer_has_staff_access(customer)),
        consent_valid=consent,
        started_at=session.started_at,
        last_seen_at=last_seen,
        max_duration=_minutes(lac_config.setting(lac_config.MAX_DURATION)),
        idle_timeout=_minutes(lac_config.setting(lac_config.IDLE_TIMEOUT)),
    )


@lru_cache(maxsize=8)
def _minutes(minutes: int) -> timedelta:
    return timedelta(minutes=minutes)


def check(session: AssistedSession | None, *, now: datetime | None = None) -> EndReason | None:
    """Why the session (as ``load_live_session`` read it) ends at ``now`` (default: now), or
    None: the one live check of web and API requests, on the idle clock both keep in the
    database."""
    if session is None or session.started_at is None:
        return EndReason.TERMINATED
    now = now or timezone.now()
    last_seen = session.last_seen_at or session.started_at
    return end_reason_for(live_facts(session, last_seen=last_seen, now=now), now=now)


def limit_passed_at(session: AssistedSession, reason: EndReason) -> datetime | None:
    """When the absolute or idle limit that ends the session passed (its end time), or None
    for any other reason (those end now)."""
    if reason not in (EndReason.MAX_DURATION, EndReason.IDLE_TIMEOUT):
        return None
    passed = limit_passed(
        started_at=session.started_at,
        last_seen_at=session.last_seen_at,
        max_duration=timedelta(minutes=lac_config.setting(lac_config.MAX_DURATION)),
        idle_timeout=timedelta(minutes=lac_config.setting(lac_config.IDLE_TIMEOUT)),
        now=timezone.now(),
    )
    return passed.at if passed is not None else None


def touch(session: AssistedSession, *, now: datetime | None = None) -> None:
    """A request of the session (at ``now``, default now): move its idle clock, with at most
    one UPDATE every ``LAST_SEEN_GRANULARITY`` seconds (the same cadence, and cost, as the
    storefront-session write it replaces)."""
    now = now or timezone.now()
    seen = session.last_seen_at
    if seen is None or (now - seen).total_seconds() >= LAST_SEEN_GRANULARITY:
        AssistedSession.objects.filter(pk=session.pk, ended_at__isnull=True).update(
            last_seen_at=now
        )
        session.last_seen_at = now


def seconds_left(session: AssistedSession, *, now: datetime | None = None) -> int:
    """Until the absolute limit (the storefront session's own expiry)."""
    deadline = session.started_at + _minutes(lac_config.setting(lac_config.MAX_DURATION))
    return max(0, int((deadline - (now or timezone.now())).total_seconds()))


def seconds_until_end(session: AssistedSession, *, now: datetime | None = None) -> int:
    """Until the session ends if nothing more is requested: the earlier of its absolute and
    idle limits (the banner's "Time left"; a request moves the idle one)."""
    now = now or timezone.now()
    last_seen = session.last_seen_at or session.started_at
    idle_end = last_seen + _minutes(lac_config.setting(lac_config.IDLE_TIMEOUT))
    return min(seconds_left(session, now=now), max(0, int((idle_end - now).total_seconds())))
