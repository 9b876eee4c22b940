"""System › Tools › Cache Management: the page cache's state and Flush Page Cache."""

import pytest
from django.test import Client

from shopassist.audit.models import ActionLogEntry
from shopassist.storefront import page_cache
from tests.conftest import login_admin_client
from tests.pages import csrf_token_of

pytestmark = pytest.mark.django_db

PAGE = "/admin/cache/"
FLUSH = "/admin/cache/flush-pages/"
PRODUCT = "/en/product/SA-BAG-001/"


def test_page_shows_the_state_of_the_page_cache(administrator, admin_client_for):
    response = admin_client_for(administrator).get(PAGE)

    body = response.content.decode()
    assert response.status_code == 200
    assert "Cache Management" in body and "Page Cache" in body
    assert 'data-testid="page-cache-status">Enabled<' in body
    assert page_cache.release() in body
    assert 'href="/admin/cache/"' in body  # in the System menu


def test_flush_makes_every_stored_page_stale_and_is_logged(
    administrator, admin_client_for, django_capture_on_commit_callbacks
):
    for url in (PRODUCT, "/en/"):
        Client().get(url)
        assert Client().get(url)[page_cache.HEADER] == page_cache.HIT
    admin = login_admin_client(Client(enforce_csrf_checks=True), administrator)
    token = csrf_token_of(admin.get(PAGE))

    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(FLUSH, {"csrfmiddlewaretoken": token}, follow=True)

    assert "The page cache has been flushed." in response.content.decode()
    for url in (PRODUCT, "/en/"):
        assert Client().get(url)[page_cache.HEADER] == page_cache.MISS
        assert Client().get(url)[page_cache.HEADER] == page_cache.HIT
    entry = ActionLogEntry.objects.get(action="page_cache.flush")
    assert entry.admin_username == administrator.get_username()


def test_flush_without_csrf_token_or_by_get_changes_nothing(
    administrator, django_capture_on_commit_callbacks
):
    Client().get(PRODUCT)
    admin = login_admin_client(Client(enforce_csrf_checks=True), administrator)

    with django_capture_on_commit_callbacks(execute=True):
        forged = admin.post(FLUSH)
        by_get = admin.get(FLUSH)

    assert forged.status_code == 403
    assert by_get.status_code == 405
    assert Client().get(PRODUCT)[page_cache.HEADER] == page_cache.HIT
    assert not ActionLogEntry.objects.filter(action="page_cache.flush").exists()
