"""Fixtures of the audit tests: staff clients, a clean cache namespace, Jane's assisted session."""

import pytest

from tests.conftest import use_own_cache_namespace
from tests.login_as_customer.assisted import start_assisted


@pytest.fixture(autouse=True)
def _own_cache_namespace(settings):
    """The start rate limit counts per administrator and minute in the shared cache."""
    use_own_cache_namespace(settings, "audit")


@pytest.fixture
def administrator_client(administrator, admin_client_for):
    return admin_client_for(administrator)


@pytest.fixture
def auditor_client(auditor, admin_client_for):
    return admin_client_for(auditor)


@pytest.fixture
def clerk_client(clerk, admin_client_for):
    return admin_client_for(clerk)


@pytest.fixture
def assisted_jane(support_client, jane):
    """(storefront client, session) of support's live assisted session as Jane."""
    return start_assisted(support_client, jane)
