import pytest

from tests.conftest import use_own_cache_namespace


@pytest.fixture(autouse=True)
def _own_cache_namespace(settings):
    """The start rate limit counts per administrator and clock minute in the shared cache:
    starts of other tests in the same worker and minute must not count toward this one's."""
    use_own_cache_namespace(settings, "reliability")
