"""Statements written once per process (core/precompiled.py) read rows exactly as the ORM
does, and the database sessions read through them behave as Django's."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shopassist.core import precompiled
from shopassist.core.areas import STOREFRONT, area_session_store
from shopassist.customers.models import Customer

pytestmark = pytest.mark.django_db


def assert_read_as_the_orm_does(got, want):
    assert got is not None
    for field in type(want)._meta.concrete_fields:  # every field, value and type
        mine, orms = getattr(got, field.attname), getattr(want, field.attname)
        assert (mine, type(mine)) == (orms, type(orms)), field.attname
    assert got.get_deferred_fields() == set()
    assert got._state.db == want._state.db and not got._state.adding


def test_first_reads_a_customer_as_the_orm_does(jane):
    Customer.objects.filter(pk=jane.pk).update(last_login=timezone.now() - timedelta(days=3))

    got = precompiled.first(Customer, pk=jane.pk, is_active=True)

    assert_read_as_the_orm_does(got, Customer.objects.get(pk=jane.pk))


def test_first_finds_nothing_when_a_condition_fails(jane):
    Customer.objects.filter(pk=jane.pk).update(is_active=False)

    assert precompiled.first(Customer, pk=jane.pk, is_active=True) is None
    assert precompiled.first(Customer, pk=jane.pk, is_active=False) is not None
    assert precompiled.first(Customer, pk=-1, is_active=False) is None


def test_first_compares_greater_than_with_gt(demo):
    now = timezone.now()
    Session.objects.create(session_key="a" * 32, session_data="x", expire_date=now)

    assert precompiled.first(Session, session_key="a" * 32, expire_date__gt=now) is None
    found = precompiled.first(
        Session, session_key="a" * 32, expire_date__gt=now - timedelta(seconds=1)
    )
    assert_read_as_the_orm_does(found, Session.objects.get(session_key="a" * 32))


def test_first_refuses_none_rather_than_compare_with_it(demo):
    with pytest.raises(ValueError, match="IS NULL"):
        precompiled.first(Customer, pk=None)


def test_first_is_one_statement_written_once(jane):
    precompiled.first(Customer, pk=jane.pk, is_active=True)
    with CaptureQueriesContext(connection) as captured:
        precompiled.first(Customer, pk=jane.pk, is_active=True)
        precompiled.first(Customer, pk=jane.pk + 1, is_active=True)

    assert len(captured) == 2
    assert captured[0]["sql"].split(" WHERE ")[0] == captured[1]["sql"].split(" WHERE ")[0]


def storefront_store():
    return area_session_store(import_module(settings.SESSION_ENGINE).SessionStore, STOREFRONT)


def test_a_storefront_session_loads_what_was_saved(demo):
    saved = storefront_store()()
    saved["_customer_id"] = 42
    saved.save()

    loaded = storefront_store()(saved.session_key)

    assert loaded["_customer_id"] == 42
    assert loaded.session_key == saved.session_key


def test_an_expired_or_unknown_session_loads_empty_and_forgets_its_key(demo):
    saved = storefront_store()()
    saved["_customer_id"] = 42
    saved.save()
    Session.objects.filter(session_key=saved.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    if hasattr(saved, "_cache"):  # Redis: its copy expires with the session's timeout
        saved._cache.delete(saved.cache_key)

    for key in (saved.session_key, "b" * 32):
        loaded = storefront_store()(key)
        assert "_customer_id" not in loaded
        assert loaded.session_key is None
