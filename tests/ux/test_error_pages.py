"""Issue 13 point 9: with DEBUG off, a missing page (404), a refusal (403) and a failure (500)
are the storefront's own pages — its header, menu and footer, in the store view's language
when the path names one (the browser's otherwise) — and the API answers with its JSON body."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

PAGE_NOT_FOUND = "Page not found"
SOMETHING_WENT_WRONG = "Something went wrong"


@pytest.fixture(autouse=True)
def _debug_off(settings):
    settings.DEBUG = False


def translated(language, message) -> str:
    with translation.override(language):
        return gettext(message)


def assert_storefront_page(response, *, status, language, heading, home):
    """The shop's own page: its header (search, cart, categories) and footer, the heading in
    the language of the page, a way home — not Django's page."""
    assert response.status_code == status
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert response["Content-Language"] == language
    assert 'class="sf-header"' in html and 'class="sf-footer"' in html
    assert 'class="sf-categories"' in html and 'role="search"' in html
    assert f'data-testid="error-page" data-status="{status}"' in html
    assert f"<h1>{translated(language, heading)}</h1>" in html
    assert re.search(rf'<a class="sf-button" href="{home}">', html)
    for debug_marker in ("Traceback", "technical_500", "Page not found at", "Using the URLconf"):
        assert debug_marker not in html


@pytest.mark.parametrize(
    ("path", "language"),
    [
        ("/en/no-such-page/", "en"),
        ("/fr/no-such-page/", "fr"),
        ("/ko/product/NO-SUCH-SKU/", "ko"),  # the view says so (Http404)
        ("/zh-hant/category/no-such-category/", "zh-hant"),
    ],
)
def test_a_missing_storefront_page_is_the_shops_404_in_the_store_views_language(
    demo, path, language
):
    response = Client().get(path, HTTP_ACCEPT_LANGUAGE="en")

    assert_storefront_page(
        response,
        status=404,
        language=language,
        heading=PAGE_NOT_FOUND,
        home=f"/{path.split('/')[1]}/",
    )
    assert "storefront/404.html" in [t.name for t in response.templates]


def test_the_404_of_an_unknown_store_view_speaks_the_browsers_language(demo):
    response = Client().get("/xx/anything/", HTTP_ACCEPT_LANGUAGE="ko")

    # Links and names of the default store view, the text in the language the browser asked for.
    assert_storefront_page(response, status=404, language="ko", heading=PAGE_NOT_FOUND, home="/en/")


def test_the_translated_chrome_of_the_404(demo):
    html = Client().get("/fr/no-such-page/").content.decode()

    assert translated("fr", "My Cart") in html and translated("fr", "My Cart") != "My Cart"
    assert "Sacs" in html  # the categories menu in French (demo data)


@pytest.mark.urls("tests.ux.error_urls")
@pytest.mark.parametrize("language", ["en", "fr", "zh-hant"])
def test_a_failing_storefront_page_is_the_shops_500(demo, language):
    client = Client(raise_request_exception=False)

    response = client.get(f"/{language}/fails/")

    assert_storefront_page(
        response, status=500, language=language, heading=SOMETHING_WENT_WRONG, home=f"/{language}/"
    )
    assert "a bug in a storefront page" not in response.content.decode()


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="an aborted transaction: PostgreSQL")
@pytest.mark.urls("tests.ux.error_urls")
def test_when_the_database_refuses_the_500_page_still_shows_without_it(demo):
    client = Client(raise_request_exception=False)

    response = client.get("/fr/breaks-the-database/")

    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert f"<h1>{translated('fr', SOMETHING_WENT_WRONG)}</h1>" in html
    assert "shopassist/storefront.css" in html
    assert 'class="sf-header"' not in html  # the menu needs the database: the plain page
    assert "table_that_does_not_exist" not in html and "Traceback" not in html


def test_a_storefront_refusal_is_the_shops_403(demo):
    """A form sent without its CSRF token: refused on the shop's own page, saying why."""
    client = Client(enforce_csrf_checks=True)

    response = client.post("/fr/checkout/cart/add/", {"sku": "SA-BAG-001", "qty": "1"})

    assert_storefront_page(
        response, status=403, language="fr", heading="Access denied", home="/fr/"
    )
    expired = "Your form expired or was sent from another page. Reload and try again."
    assert translated("fr", expired) in response.content.decode()


@pytest.mark.urls("tests.ux.error_urls")
def test_the_api_keeps_its_json_errors(demo):
    client = Client(raise_request_exception=False)

    missing = client.get("/api/v1/no-such-endpoint")
    failed = client.get("/api/v1/fails/")

    assert missing.status_code == 404 and missing.json()["code"] == "request.not_found"
    assert failed.status_code == 500 and failed.json()["code"] == "server.error"
    assert "a bug" not in failed.content.decode()


# -- the admin panel's 500: its own page, never the shop's ------------------------------------


def assert_admin_500(response, *, language):
    assert response.status_code == 500
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert 'data-testid="error-page" data-status="500"' in html
    assert f"<h1>{translated(language, SOMETHING_WENT_WRONG)}</h1>" in html
    assert "admin/css/base.css" in html and "shopassist/admin.css" in html
    assert '<a href="/admin/">' in html  # back to the dashboard, not the shop's home page
    assert "sf-" not in html and "storefront.css" not in html
    for debug_marker in ("Traceback", "technical_500", "a bug in a storefront page"):
        assert debug_marker not in html


@pytest.mark.urls("tests.ux.error_urls")
@pytest.mark.parametrize("language", ["en", "ko"])
def test_a_failing_admin_page_is_the_admin_panels_500(demo, admin_client_for, language):
    """It was the storefront's page: the shop's menu and a link to its home page, for an
    operator in the middle of the admin panel."""
    from django.contrib.auth.models import User

    client = admin_client_for(User.objects.get(username="admin"), raise_request_exception=False)

    response = client.get("/admin/fails/", HTTP_ACCEPT_LANGUAGE=language)

    assert_admin_500(response, language=language)


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="an aborted transaction: PostgreSQL")
@pytest.mark.urls("tests.ux.error_urls")
def test_when_the_database_refuses_the_admin_500_page_still_shows(demo, admin_client_for):
    from django.contrib.auth.models import User

    client = admin_client_for(User.objects.get(username="admin"), raise_request_exception=False)

    response = client.get("/admin/breaks-the-database/", HTTP_ACCEPT_LANGUAGE="fr")

    assert_admin_500(response, language="fr")
    assert "table_that_does_not_exist" not in response.content.decode()
