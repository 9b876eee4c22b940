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

from login_as_customer.models import AssistanceConsent
from login_as_customer.selectors import has_staff_email
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


# --- first_of: a queryset with joins and annotations, compiled once ---------------------------


def _customers_with_consent():
    return Customer.objects.select_related("website", "assistance_consent").annotate(
        has_staff_email=has_staff_email()
    )


def test_first_of_reads_the_row_its_relations_and_annotations_as_the_orm_does(jane, marie):
    AssistanceConsent.objects.update_or_create(customer=jane, defaults={"allowed": True})
    AssistanceConsent.objects.filter(customer=marie).delete()

    for customer in (jane, marie):
        got = precompiled.first_of("test.customer", _customers_with_consent, pk=customer.pk)
        want = _customers_with_consent().get(pk=customer.pk)

        assert_read_as_the_orm_does(got, want)
        assert_read_as_the_orm_does(got.website, want.website)
        assert got.has_staff_email is want.has_staff_email is False
        assert Customer.assistance_consent.is_cached(got)  # no second query for it
        consent = getattr(want, "assistance_consent", None)
        if consent is not None:
            assert_read_as_the_orm_does(got.assistance_consent, consent)
        else:  # no consent row: known to be missing, as the ORM's select_related leaves it
            assert getattr(got, "assistance_consent", None) is None


def test_first_of_reads_an_annotation_that_changes(jane, support_agent):
    assert precompiled.first_of("test.customer", _customers_with_consent, pk=jane.pk)
    type(support_agent).objects.filter(pk=support_agent.pk).update(email=jane.email.upper())

    got = precompiled.first_of("test.customer", _customers_with_consent, pk=jane.pk)

    assert got.has_staff_email is True


def test_first_of_finds_nothing_and_asks_nothing_for_a_number_no_column_holds(jane):
    assert precompiled.first_of("test.customer", _customers_with_consent, pk=-1) is None
    with CaptureQueriesContext(connection) as queries:
        found = precompiled.first_of("test.customer", _customers_with_consent, pk=2**70)

    assert found is None and len(queries) == 0


def test_first_of_is_one_statement_built_once(jane):
    precompiled.first_of("test.customer", _customers_with_consent, pk=jane.pk)

    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            precompiled.first_of("test.customer", _customers_with_consent, pk=jane.pk)

    assert len(queries) == 3 and len({query["sql"] for query in queries}) == 1


def test_first_of_refuses_a_queryset_that_filters_on_its_own(demo):
    with pytest.raises(ValueError, match="no filter"):
        precompiled.first_of("test.active", lambda: Customer.objects.filter(is_active=True), pk=1)


def test_built_gives_the_instance_from_db_gives_with_the_other_columns_deferred(jane):
    names = ["id", "email", "is_active"]
    values = [jane.pk, jane.email, True]

    got = precompiled.built(Customer, "default", names, values)
    want = Customer.from_db("default", names, values)

    assert type(got) is Customer
    assert (got.pk, got.email, got.is_active) == (want.pk, want.email, want.is_active)
    assert got.get_deferred_fields() == want.get_deferred_fields() != set()
    assert (got._state.db, got._state.adding) == ("default", False)
    # A deferred column loads on first read; saving writes only what it was asked to.
    assert got.first_name == Customer.objects.get(pk=jane.pk).first_name
    got.first_name = "Janet"
    got.save(update_fields=["first_name"])
    assert Customer.objects.get(pk=jane.pk).first_name == "Janet"


def test_built_leaves_a_model_with_init_receivers_to_from_db(jane):
    from django.db.models.signals import post_init

    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance.email)

    post_init.connect(receiver, sender=Customer)
    try:
        got = precompiled.first(Customer, pk=jane.pk, is_active=True)
    finally:
        post_init.disconnect(receiver, sender=Customer)

    assert seen == [jane.email]  # Model.__init__ ran, and sent its signal
    assert_read_as_the_orm_does(got, Customer.objects.get(pk=jane.pk))
