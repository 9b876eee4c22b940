"""Shared fixtures: demo data, people named by role, configuration helpers."""

import copy
import os
import uuid
import weakref
from importlib import import_module

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import login
from django.contrib.auth.models import User
from django.core.cache import CacheHandler
from django.core.cache.backends.redis import RedisCache
from django.dispatch import receiver
from django.http import HttpRequest
from django.test import Client
from django.test.signals import setting_changed

from shopassist.core import areas
from shopassist.core.areas import area_session_store
from shopassist.core.config import Scope, config
from shopassist.core.config.services import save_config_values
from shopassist.customers.models import Customer
from shopassist.demo.data import CUSTOMER_PASSWORD
from shopassist.demo.loader import load_demo
from shopassist.stores.models import Store, StoreView, Website

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# When a test changes CACHES (use_own_cache_namespace), Django drops its cache objects, but
# asgiref's Local keeps the dropped ones alive in the context for the rest of the process, and
# with them their open Redis connections: hundreds per worker by the end of the suite, enough
# for a descriptor number past select()'s 1024. The dropped caches' connections are closed.
_redis_caches: weakref.WeakSet = weakref.WeakSet()
_create_cache = CacheHandler.create_connection


def _create_and_remember(handler, alias):
    cache = _create_cache(handler, alias)
    if isinstance(cache, RedisCache):
        _redis_caches.add(cache)
    return cache


CacheHandler.create_connection = _create_and_remember


@receiver(setting_changed)
def _close_dropped_redis_connections(*, setting, **kwargs):
    if setting != "CACHES":
        return
    for cache in list(_redis_caches):
        client = cache.__dict__.get("_cache")  # made on first use (a cached_property)
        for pool in getattr(client, "_pools", {}).values():
            pool.disconnect()
        _redis_caches.discard(cache)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The demo data hashes eight passwords; PBKDF2's production cost is wasted on tests."""
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def _own_throttle_counters(settings):
    """Per-address throttles (core/throttles.py) count in the shared cache: each test counts
    afresh. (Lockouts live in axes' tables, rolled back or flushed with each test.)"""
    settings.RATELIMIT_CACHE_PREFIX = f"rl-{uuid.uuid4().hex}:"


@pytest.fixture(autouse=True)
def _fresh_config_version():
    """Every test starts with a new configuration version, so no process memo is stale."""
    config.invalidate()
    yield
    config.invalidate()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the demo data once per test database: every test then starts from it inside its
    own rolled-back transaction. (Transactional tests, which pytest-django runs last, flush it;
    the ``demo`` fixture then loads it again.)"""
    from django.test import override_settings

    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        load_demo()


@pytest.fixture
def demo(db):
    if not StoreView.objects.filter(code="en").exists():
        load_demo()


@pytest.fixture
def store_views(demo):
    return {view.code: view for view in StoreView.objects.select_related("store__website")}


@pytest.fixture
def en(store_views):
    return store_views["en"]


@pytest.fixture
def fr(store_views):
    return store_views["fr"]


def _staff(username):
    return User.objects.get(username=username)


@pytest.fixture
def administrator(demo):
    return _staff("admin")


@pytest.fixture
def support_agent(demo):
    return _staff("support")


@pytest.fixture
def trainee(demo):
    """A Support Trainee: Login as Customer (view only), not Allow Login as Customer."""
    return _staff("trainee")


@pytest.fixture
def auditor(demo):
    return _staff("auditor")


@pytest.fixture
def clerk(demo):
    return _staff("clerk")


@pytest.fixture
def jane(demo):
    return Customer.objects.get(email="jane.doe@example.com")


@pytest.fixture
def marie(demo):
    return Customer.objects.get(email="marie.dupont@example.com")


@pytest.fixture
def chen(demo):
    return Customer.objects.get(email="chen.wei@example.com")


@pytest.fixture
def set_config(django_capture_on_commit_callbacks):
    """Save configuration values as the admin page would, committing the version bump."""

    def _set(values: dict, *, scope=Scope.DEFAULT, scope_id=0):
        with django_capture_on_commit_callbacks(execute=True):
            return save_config_values(scope=scope, scope_id=scope_id, values=values, actor=None)

    return _set


def login_admin_client(client: Client, user) -> Client:
    """Log ``user`` in to the admin area of ``client``.

    ``Client.force_login`` writes Django's default session cookie, which the admin area never
    reads: build an admin-area session instead and hand the client its cookie.
    """
    engine = import_module(django_settings.SESSION_ENGINE)
    request = HttpRequest()
    request.session = area_session_store(engine.SessionStore, areas.ADMIN)()
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session.save()
    client.cookies[django_settings.ADMIN_SESSION_COOKIE_NAME] = request.session.session_key
    return client


@pytest.fixture
def admin_client_for():
    """A test client logged in to the admin panel as the given staff user."""

    def _client(user, **kwargs):
        return login_admin_client(Client(**kwargs), user)

    return _client


def login_customer_client(client: Client, customer, store_code="en", password=CUSTOMER_PASSWORD):
    response = client.post(
        f"/{store_code}/customer/account/login/", {"email": customer.email, "password": password}
    )
    assert response.status_code == 302, response.content[:500]
    return client


@pytest.fixture(autouse=True)
def _audit_gate_for_flush(request):
    """Transactional tests end with Django's flush, which on SQLite DELETEs every table — and
    the append-only triggers refuse that unless the retention gate is open. Open it only for
    that flush (PostgreSQL flushes with TRUNCATE, which row triggers do not see)."""
    if "transactional_db" not in request.fixturenames and "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")
    from django.db import connection

    def set_gate(value):
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("UPDATE audit_gate SET open = %s WHERE id = 1", [value])

    set_gate(0)
    yield
    set_gate(1)


def use_own_cache_namespace(settings, label: str, aliases=("default",)) -> None:
    """Give the test key prefixes of its own in these cache aliases: counters (start rate
    limits), tag versions and pages of other tests never meet this test's."""
    caches = copy.deepcopy(settings.CACHES)
    namespace = f"{label}-{uuid.uuid4().hex}"
    for alias in aliases:
        caches[alias]["KEY_PREFIX"] = caches[alias].get("KEY_PREFIX", "") + namespace
    settings.CACHES = caches


@pytest.fixture
def support_client(support_agent, admin_client_for):
    """The admin panel of a Customer Support agent (Allow + View Login as Customer Log)."""
    return admin_client_for(support_agent)


def add_outlet_website() -> StoreView:
    """A second website, "Outlet Website", with its store and one store view "outlet" (English),
    its store's default: as an operator adds one. Call it where its commit callbacks run (the
    store views' memo is published on commit)."""
    website = Website.objects.create(code="outlet", name="Outlet Website", sort_order=10)
    store = Store.objects.create(website=website, name="Outlet Store")
    view = StoreView.objects.create(store=store, code="outlet", name="Outlet", locale="en")
    store.default_store_view = view
    store.save(update_fields=["default_store_view"])
    return view
