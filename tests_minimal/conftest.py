"""The minimal project's people: a support agent allowed to log in as customers, and Jane, a
customer who allows remote shopping assistance; and a clean cache for each test."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.cache import cache

from login_as_customer.actor import Actor
from login_as_customer.flows.consent import set_consent


@pytest.fixture
def support():
    agent = get_user_model().objects.create_user(
        "support", "support@example.com", "demo-support", is_staff=True
    )
    agent.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="login_as_customer", codename="login_as_customer"
        )
    )
    return get_user_model().objects.get(pk=agent.pk)  # without the permission cache


@pytest.fixture
def jane():
    customer = get_user_model().objects.create_user(
        "jane", "jane@example.com", "demo-customer", first_name="Jane", last_name="Doe"
    )
    set_consent(customer=customer, allowed=True, actor=Actor(customer=customer))
    return customer


@pytest.fixture(autouse=True)
def _fresh_start_counts():
    """The start rate limit (and the re-entered password's lockout) count in the cache, which
    outlives each test's database."""
    cache.clear()
