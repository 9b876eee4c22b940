"""Pages kept in each process in front of a Redis page cache: checked like any copy."""

import pytest
import time_machine
from django.core.cache import caches
from django.test import Client
from django.utils import timezone

from shopassist.catalog.models import Product
from shopassist.storefront import page_cache
from tests.page_cache.conftest import page_cache_keys

pytestmark = pytest.mark.django_db

URL = "/en/product/SA-BAG-001/"


@pytest.fixture(autouse=True)
def _local_copies(settings):
    settings.PAGE_CACHE_LOCAL_ENTRIES = 10


def drop_shared_copies():
    for raw_key in page_cache_keys():
        caches[page_cache.ALIAS].delete(raw_key.split(":", 2)[2])  # "<prefix>:<version>:<key>"
    assert not page_cache_keys()


def test_local_copy_serves_the_page_without_the_shared_one(demo):
    assert Client().get(URL)[page_cache.HEADER] == page_cache.MISS
    drop_shared_copies()

    response = Client().get(URL)

    assert response[page_cache.HEADER] == page_cache.HIT
    assert "Canvas Weekender Bag" in response.content.decode()


def test_local_copy_is_not_served_after_a_change(demo, django_capture_on_commit_callbacks):
    assert Client().get(URL)[page_cache.HEADER] == page_cache.MISS
    drop_shared_copies()
    product = Product.objects.get(sku="SA-BAG-001")
    with django_capture_on_commit_callbacks(execute=True):
        product.price = "55.55"
        product.save()

    response = Client().get(URL)

    assert response[page_cache.HEADER] == page_cache.MISS
    assert "55.55" in response.content.decode()


def test_local_copy_expires_with_the_page(demo, settings):
    assert Client().get(URL)[page_cache.HEADER] == page_cache.MISS
    drop_shared_copies()

    later = timezone.now() + timezone.timedelta(seconds=settings.PAGE_CACHE_TIMEOUT + 1)
    with time_machine.travel(later, tick=False):
        response = Client().get(URL)

    assert response[page_cache.HEADER] == page_cache.MISS


def test_no_local_copies_when_the_setting_is_zero(demo, settings):
    settings.PAGE_CACHE_LOCAL_ENTRIES = 0
    assert Client().get(URL)[page_cache.HEADER] == page_cache.MISS
    drop_shared_copies()

    assert Client().get(URL)[page_cache.HEADER] == page_cache.MISS
