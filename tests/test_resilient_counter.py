"""core.resilient_cache.count: a counter made with its lifetime and counted in one step, on
Redis in one round trip, on the embedded default with add and incr."""

import uuid

from django.core.cache import cache

from shopassist.core.resilient_cache import ResilientRedisCache, count


def test_a_counter_starts_at_one_and_counts_each_call():
    key, other = f"test-count:{uuid.uuid4().hex}", f"test-count:{uuid.uuid4().hex}"

    assert [count(cache, key, timeout=60) for _ in range(3)] == [1, 2, 3]
    assert count(cache, other, timeout=60) == 1
    assert cache.get(key) == 3  # the same value Django's own incr and get see
    assert cache.incr(key) == 4


def test_on_redis_the_counter_expires_from_its_first_count():
    backend = cache._connections[cache._alias]  # the backend behind the proxy
    key = f"test-count:{uuid.uuid4().hex}"
    count(cache, key, timeout=60)
    count(cache, key, timeout=60)
    if not isinstance(backend, ResilientRedisCache):
        assert backend.has_key(key)
        return
    redis = backend._cache.get_client(write=True)
    ttl = redis.ttl(backend.make_and_validate_key(key))
    assert 0 < ttl <= 60
