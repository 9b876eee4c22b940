"""Read what decisions need: permissions, consent, usable store views, live sessions."""

from __future__ import annotations

from functools import cache

from django.contrib.auth import get_user_model
from django.db import connections
from django.db.models import Exists, F, OuterRef, Q

from login_as_customer import tokens
from login_as_customer.host import host
from login_as_customer.models import AssistanceConsent, AssistedSession, LoginToken


def _staff_with_email(email):
    users = get_user_model().objects.filter(email__iexact=email)
    return users.filter(Q(is_staff=True) | Q(is_superuser=True))


def has_staff_email(email_field: str = "email") -> Exists:
    """An annotation: whether a staff account has the e-mail of ``email_field``."""
    return Exists(_staff_with_email(OuterRef(email_field)))


def customers_for_decision():
    """Customers with what a start decision reads about them, in the same statement: their
    website, consent and ``has_staff_email`` (``customer_is_staff`` and ``consent_of`` use
    them instead of a query each)."""
    customers = host().customers_for_decision().select_related("assistance_consent")
    return customers.annotate(has_staff_email=has_staff_email())


def customer_is_staff(customer) -> bool:
    """A customer whose e-mail belongs to a staff account is treated as staff: never a target."""
    read_with_customer = getattr(customer, "has_staff_email", None)
    if read_with_customer is not None:
        return read_with_customer
    return _staff_with_email(host().customer_email(customer)).exists()


def consent_of(customer) -> AssistanceConsent | None:
    if AssistanceConsent.customer.field.remote_field.is_cached(customer):  # read with it
        return getattr(customer, "assistance_consent", None)
    return AssistanceConsent.objects.filter(customer=customer).first()


def consent_is_valid(customer) -> bool:
    consent = consent_of(customer)
    return consent is not None and consent.is_valid()


def live_sessions_of_customer(customer_id):
    return AssistedSession.objects.filter(customer_id=customer_id, ended_at__isnull=True)


def sessions_in_use(*, now):
    """Every session that can still be used, newest first: those in progress, and those whose
    login link waits to be opened (unused, within its lifetime) — opened, such a link starts
    the session without anyone asking again, so Active sessions lists it and Terminate ends it.
    A link past its lifetime is refused at the storefront, and ended by the sweep a minute
    later (``overdue``): not in use. Each with ``link_expires_at``, read in the same statement
    (the token's row is joined, not read a row at a time)."""
    waiting = Q(started_at__isnull=True, token__used_at__isnull=True, token__expires_at__gt=now)
    return (
        AssistedSession.objects.filter(Q(started_at__isnull=False) | waiting, ended_at__isnull=True)
        .annotate(link_expires_at=F("token__expires_at"))
        .order_by(F("started_at").desc(nulls_first=True), "-created_at", "-id")
    )


def sessions_started_from(admin_session_key: str | None):
    """Live sessions started from this admin session. A login link opens only in the browser
    that started it, and each redemption replaces the session that browser held: these are
    the assisted sessions open in the administrator's browser (at most one, in practice)."""
    session_hash = tokens.hash_session_key(admin_session_key)
    if not session_hash:
        return AssistedSession.objects.none()
    return AssistedSession.objects.filter(
        admin_session_hash=session_hash, started_at__isnull=False, ended_at__isnull=True
    )


@cache
def _unused_link_probe(alias: str) -> str:
    quote = connections[alias].ops.quote_name
    session, token = AssistedSession._meta, LoginToken._meta
    column = {
        "id": quote(session.pk.column),
        "admin": quote(session.get_field("admin").column),
        "started": quote(session.get_field("started_at").column),
        "ended": quote(session.get_field("ended_at").column),
        "session": quote(token.get_field("assisted_session").column),
        "expires": quote(token.get_field("expires_at").column),
    }
    return (
        f"SELECT 1 FROM {quote(session.db_table)} s "  # noqa: S608 - names from _meta
        f"INNER JOIN {quote(token.db_table)} t ON t.{column['session']} = s.{column['id']} "
        f"WHERE s.{column['admin']} = %s AND s.{column['started']} IS NULL "
        f"AND s.{column['ended']} IS NULL AND t.{column['expires']} <= %s LIMIT 1"
    )


def has_unused_links(admin_id: int, expired_by) -> bool:
    """Whether the administrator has a login link never used whose lifetime ended by
    ``expired_by``: every start asks, and almost never finds one — so a statement written
    once per process (prepared on PostgreSQL), not a queryset built and planned each time."""
    alias = AssistedSession.objects.db
    connection = connections[alias]
    expires = LoginToken._meta.get_field("expires_at")
    with host().statement_cursor(connection) as cursor:
        cursor.execute(
            _unused_link_probe(alias),
            [int(admin_id), expires.get_db_prep_value(expired_by, connection)],
        )
        return cursor.fetchone() is not None
