"""Fixtures of the audit tests: staff clients, a clean cache namespace, Jane's assisted session."""

import copy
import uuid

import pytest

from tests.login_as_customer.assisted import start_assisted


@pytest.fixture(autouse=True)
def _own_cache_namespace(settings):
    """The start rate limit counts per administrator and minute in the shared cache: each test
    gets its own key prefix, so no test's starts count against another's."""
    caches = copy.deepcopy(settings.CACHES)
    prefix = caches["default"].get("KEY_PREFIX", "")
    caches["default"]["KEY_PREFIX"] = f"{prefix}audit-{uuid.uuid4().hex}"
    settings.CACHES = caches


@pytest.fixture
def support_client(support_agent, admin_client_for):
    """The admin panel of a Customer Support agent (Allow + View Login as Customer Log)."""
    return admin_client_for(support_agent)


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
