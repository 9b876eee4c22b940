"""The start limit while the cache cannot count: two starts at the same moment count one after
the other in the database (flows/start.py, ``_counted_in_database``), never both under it."""

import threading
import time

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import User
from django.db import connection, connections, transaction
from django.test import override_settings

from login_as_customer import config as lac_config
from login_as_customer.errors import DenialCode, LoginAsCustomerDenied
from login_as_customer.flows.start import StartRequest, start_assisted_session
from login_as_customer.models import AssistedSession
from login_as_customer.signals import login_as_customer_denied
from shopassist.core.config import Scope
from shopassist.core.config.services import save_config_values
from shopassist.customers.models import Customer
from shopassist.demo.loader import load_demo

# A real Redis client against a port nothing listens on: every count is refused.
NO_CACHE = {
    "default": {
        "BACKEND": "shopassist.core.resilient_cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2, "retry_after": 60},
    },
    "page_cache": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}


def waiting_for_locks() -> int:
    """How many of this database's other connections wait for a lock."""
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE NOT l.granted AND a.datname = current_database()"
        )
        return cursor.fetchone()[0]


@pytest.mark.postgres
def test_two_starts_at_once_without_the_cache_start_one_session_under_a_limit_of_one(
    transactional_db,
):
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections with row locks (CI runs it on PostgreSQL)")
    load_demo()
    save_config_values(
        scope=Scope.DEFAULT, scope_id=0, values={lac_config.START_RATE_LIMIT: "1"}, actor=None
    )
    support = User.objects.get(username="support")
    customers = list(
        Customer.objects.filter(email__in=["jane.doe@example.com", "marie.dupont@example.com"])
    )
    results = {}
    denials = []

    def count_denial(sender, code, **kwargs):
        denials.append(code)

    def start_for(customer):
        try:
            session, _token = start_assisted_session(
                staff=support, customer_id=customer.pk, origin=StartRequest(ip_address="10.0.0.7")
            )
            results[customer.pk] = session
        except LoginAsCustomerDenied as refusal:
            results[customer.pk] = refusal.code
        finally:
            connection.close()

    login_as_customer_denied.connect(count_denial, weak=False)
    with override_settings(CACHES=NO_CACHE):
        # Hold both starts at their first write to the sessions table (the count before it
        # still reads), so that both have counted, or are waiting to, when it is let go.
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {AssistedSession._meta.db_table} IN SHARE MODE")
            threads = [threading.Thread(target=start_for, args=(c,)) for c in customers]
            for thread in threads:
                thread.start()
            deadline = time.monotonic() + 20
            while waiting_for_locks() < 2 and time.monotonic() < deadline:
                time.sleep(0.05)
            assert waiting_for_locks() == 2, "both starts should be waiting"
        for thread in threads:
            thread.join(timeout=30)
        assert not any(thread.is_alive() for thread in threads)
    login_as_customer_denied.disconnect(count_denial)

    started = [r for r in results.values() if isinstance(r, AssistedSession)]
    assert len(started) == 1, results
    assert sorted(results) == sorted(c.pk for c in customers)
    assert denials == [DenialCode.RATE_LIMITED]
    assert list(AssistedSession.objects.values_list("pk", flat=True)) == [started[0].pk]


@pytest.mark.postgres
def test_a_row_naming_the_administrator_commits_while_their_start_holds_its_lock(
    transactional_db,
):
    """The start's lock on the administrator's row leaves the row's key alone: a transaction
    that writes a row naming them (an admin log entry: a foreign key, checked at its commit)
    commits without waiting for the start. With FOR UPDATE it waited for the start's commit,
    which could deadlock when the start then waited for it (the audit chain's head)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections with row locks (CI runs it on PostgreSQL)")
    load_demo()
    support = User.objects.get(username="support")
    jane = Customer.objects.get(email="jane.doe@example.com")
    committed = threading.Event()

    def start_for_jane():
        try:
            start_assisted_session(
                staff=support, customer_id=jane.pk, origin=StartRequest(ip_address="10.0.0.7")
            )
        finally:
            connection.close()

    def log_a_change_by_support():
        try:
            with transaction.atomic():
                LogEntry.objects.create(user=support, action_flag=CHANGE, object_repr="a product")
            committed.set()
        finally:
            connection.close()

    with override_settings(CACHES=NO_CACHE):
        with transaction.atomic():  # holds the start after its lock, at its first write
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {AssistedSession._meta.db_table} IN SHARE MODE")
            starting = threading.Thread(target=start_for_jane)
            starting.start()
            deadline = time.monotonic() + 20
            while waiting_for_locks() < 1 and time.monotonic() < deadline:
                time.sleep(0.05)
            assert waiting_for_locks() == 1, "the start should be waiting, its lock taken"
            logging = threading.Thread(target=log_a_change_by_support)
            logging.start()
            assert committed.wait(timeout=5), "the admin's change waited for the start's lock"
        starting.join(timeout=30)
        logging.join(timeout=30)
        assert not starting.is_alive() and not logging.is_alive()

    assert AssistedSession.objects.filter(admin=support).count() == 1
    assert LogEntry.objects.filter(user=support, object_repr="a product").count() == 1
