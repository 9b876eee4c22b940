"""A customer who becomes a staff account during an assisted session (default host, where
customers are Django's users): the session ends, with its own reason — before, it went on, and
the administrator browsed the shop as a staff user (whatever the shop's pages show or allow
``request.user.is_staff``) that their own role may not be.

The start and the redemption already refused a staff account; only the per-request check and
the recheck after the account's save did not ask again."""

import pytest
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.urls import path

from login_as_customer.models import AssistedAction, AssistedSession, EndReason
from tests_minimal import urls as minimal_urls
from tests_minimal.test_security_review import _assisted

pytestmark = pytest.mark.django_db
User = get_user_model()
STAFF_TOOLS = "<p id='staff'>Edit prices</p>"


def shop_page(request):
    """A shop page with a staff-only part, as many custom shops have."""
    tools = STAFF_TOOLS if request.user.is_staff else ""
    return HttpResponse(f"<!doctype html><html><body><h1>Shop</h1>{tools}</body></html>")


urlpatterns = [path("shop/", shop_page, name="shop"), *minimal_urls.urlpatterns]


@pytest.fixture
def shop_pages(settings):
    settings.ROOT_URLCONF = __name__


def _ended(session) -> AssistedSession:
    return AssistedSession.objects.get(pk=session.pk)


@pytest.mark.parametrize("flag", ["is_staff", "is_superuser"])
def test_saving_the_customer_as_staff_ends_the_session_when_it_commits(
    shop_pages, support, jane, flag, django_capture_on_commit_callbacks
):
    browser, session = _assisted(support, jane)
    assert STAFF_TOOLS not in browser.get("/shop/").content.decode()

    setattr(jane, flag, True)
    with django_capture_on_commit_callbacks(execute=True):
        jane.save()

    ended = _ended(session)
    assert ended.end_reason == EndReason.CUSTOMER_IS_STAFF
    assert ended.ended_at is not None
    response = browser.get("/shop/")
    assert response.status_code == 302  # to the home page, signed out
    assert STAFF_TOOLS not in browser.get("/shop/", follow=True).content.decode()


def test_a_promotion_the_signals_did_not_see_ends_the_session_at_its_next_request(
    shop_pages, support, jane
):
    browser, session = _assisted(support, jane)
    User.objects.filter(pk=jane.pk).update(is_staff=True)  # no post_save: no recheck

    response = browser.get("/shop/")

    assert response.status_code == 302
    assert STAFF_TOOLS not in response.content.decode()
    ended = _ended(session)
    assert ended.end_reason == EndReason.CUSTOMER_IS_STAFF
    assert not AssistedAction.objects.filter(
        assisted_session=session, action="request"
    ).exists()  # nothing ran as the staff account


def test_a_customer_who_stays_a_customer_keeps_the_session(shop_pages, support, jane):
    browser, session = _assisted(support, jane)
    jane.first_name = "Janet"
    jane.save()

    assert browser.get("/shop/").status_code == 200
    assert _ended(session).ended_at is None
