"""The one consent rule (flows/consent.py): ``consent_valid`` and its queryset form
``valid_consents`` agree on every row, and every place that offers a duration offers the
durations of ``ConsentDuration``."""

import typing
from datetime import UTC, datetime, timedelta

import pytest

from login_as_customer.flows.consent import (
    ConsentDuration,
    consent_valid,
    valid_consents,
)
from login_as_customer.forms import ConsentForm
from login_as_customer.models import AssistanceConsent
from shopassist.api.schemas import CustomerPatch
from shopassist.customers.models import Customer

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)


@pytest.mark.parametrize(
    ("allowed", "expires_at", "valid"),
    [
        (True, None, True),
        (True, NOW + SECOND, True),
        (True, NOW, False),  # expires at this very moment: no longer valid
        (True, NOW - SECOND, False),
        (False, None, False),
        (False, NOW + SECOND, False),
    ],
)
def test_a_consent_is_valid_when_given_and_not_expired(allowed, expires_at, valid):
    assert consent_valid(allowed, expires_at, NOW) is valid


@pytest.mark.django_db
def test_the_queryset_form_selects_exactly_the_consents_the_rule_calls_valid(demo):
    customers = list(Customer.objects.order_by("pk")[:4])
    cases = [(True, None), (True, NOW + SECOND), (True, NOW), (False, None)]
    for customer, (allowed, expires_at) in zip(customers, cases, strict=True):
        AssistanceConsent.objects.update_or_create(
            customer=customer, defaults={"allowed": allowed, "expires_at": expires_at}
        )

    selected = set(
        AssistanceConsent.objects.filter(valid_consents(NOW)).values_list("customer", flat=True)
    )
    through_customers = set(
        Customer.objects.filter(valid_consents(NOW, "assistance_consent__")).values_list(
            "pk", flat=True
        )
    )

    by_rule = {
        consent.customer_id
        for consent in AssistanceConsent.objects.all()
        if consent_valid(consent.allowed, consent.expires_at, NOW)
    }
    assert selected == through_customers == by_rule == {customers[0].pk, customers[1].pk}


@pytest.mark.django_db  # the form reads the configuration
def test_every_duration_offered_is_a_consent_duration():
    assert [value for value, _label in ConsentForm().fields["duration"].choices] == (
        ConsentDuration.values
    )
    api_values = typing.get_args(CustomerPatch.model_fields["consent_duration"].annotation)
    assert list(api_values) == ConsentDuration.values
    assert [duration.delta for duration in ConsentDuration] == [
        None,
        timedelta(days=1),
        timedelta(days=7),
        timedelta(days=30),
    ]
