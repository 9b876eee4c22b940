"""Fixtures of the Login as Customer tests: people, a second website, a clean cache."""

import pytest
from django.contrib.auth.models import User

from login_as_customer import config as lac_config
from shopassist.customers.acl import ALL_CUSTOMERS
from shopassist.staff import roles
from shopassist.staff.models import Role
from tests.conftest import add_outlet_website, use_own_cache_namespace


@pytest.fixture(autouse=True)
def _own_cache_namespace(settings):
    """The start rate limit counts per administrator and minute in the shared cache."""
    use_own_cache_namespace(settings, "lac")


@pytest.fixture
def desk_agent(demo):
    """Staff of a "Customer Desk" role: All Customers, but no Login as Customer resource and
    no Remote shopping assistance opt-in."""
    role = Role.objects.create(name="Customer Desk")
    roles.set_role_resources(role, access=roles.ACCESS_CUSTOM, resource_ids=[ALL_CUSTOMERS])
    user = User.objects.create_user(
        "desk", "desk@shopassist.example", "demo-desk", is_staff=True, first_name="Dana"
    )
    user.groups.set([role])
    return user


@pytest.fixture
def outlet_view(demo, django_capture_on_commit_callbacks):
    """The store view of a second website, "Outlet Website" (accounts shared per website)."""
    with django_capture_on_commit_callbacks(execute=True):
        return add_outlet_website()


@pytest.fixture
def codes_only(set_config):
    """Configuration *Customer consent*: assistance codes only."""
    set_config({lac_config.CUSTOMER_CONSENT: lac_config.ASSISTANCE_CODE})


@pytest.fixture
def codes_or_opt_in(set_config):
    """Configuration *Customer consent*: either a code or the standing opt-in."""
    set_config({lac_config.CUSTOMER_CONSENT: lac_config.EITHER})
