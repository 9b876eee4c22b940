"""A view-only assisted session on the default host may still sign out with django.contrib.auth's
``LogoutView``, under whatever name the shop routes it — the one state-changing request (with
Close session) a view-only session makes, since it ends the session.

Before: the default host declares no sign-out URL name, so the view-only session refused the
shop's Sign Out as a change (403 "View only", a ``view_only_refused`` entry): the administrator
could leave only with Close session."""

import pytest
from django.contrib.auth.views import LogoutView
from django.urls import path

from login_as_customer.models import AssistedAction, AssistedSession, EndReason
from tests_minimal.test_sign_in_review import _view_only
from tests_minimal.test_sign_in_review import urlpatterns as sign_in_urlpatterns

pytestmark = pytest.mark.django_db

urlpatterns = [
    path("shop/sign-out/", LogoutView.as_view(), name="shop_sign_out"),  # by another name
    *sign_in_urlpatterns,  # django.contrib.auth.urls under /accounts/: "logout"
]


@pytest.fixture
def shop_pages(settings):
    settings.ROOT_URLCONF = __name__


@pytest.mark.parametrize("url", ["/accounts/logout/", "/shop/sign-out/"])
def test_a_view_only_session_signs_out_with_djangos_logout_view(shop_pages, support, jane, url):
    browser, session = _view_only(support, jane)

    signed_out = browser.post(url)

    assert signed_out.status_code in (200, 302), signed_out.content[:300]
    session = AssistedSession.objects.get(pk=session.pk)
    assert session.end_reason == EndReason.CLOSED_BY_ADMIN and session.ended_at is not None
    assert not AssistedAction.objects.filter(action="view_only_refused").exists()
    assert "<p id='who'>guest</p>" in browser.get("/account/").content.decode()


def test_a_view_only_session_still_refuses_a_change(shop_pages, support, jane):
    """Guard (passes before and after): only the sign-out passes, not any other POST."""
    browser, session = _view_only(support, jane)

    refused = browser.post("/accounts/password_change/", {"old_password": "demo-customer"})

    assert refused.status_code == 403
    assert AssistedAction.objects.filter(action="view_only_refused").count() == 1
    assert AssistedSession.objects.get(pk=session.pk).ended_at is None
