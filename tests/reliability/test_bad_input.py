"""Bad input gets a clear 4xx, never a 500, and changes nothing (issue 12, point 4): deeply
nested JSON on the API, NUL characters in a storefront URL, query, form or cookie, a media
file name too long for the file system, ids that are no ids in the sales admin, an empty
``_to_field`` or a date drill-down past any date in the model admin and content types without
a table in the admin's "view on site"; an empty POST to a throttled sign-in or reset form; the
API's errors, a wrong method included, are JSON."""

from importlib import import_module

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from shopassist.api.models import ApiToken
from shopassist.api.parser import MAX_JSON_DEPTH, nests_deeper_than
from shopassist.audit.models import ActionLogEntry
from shopassist.core.areas import STOREFRONT, area_session_store
from shopassist.core.models import AclResource
from shopassist.customers.auth import SESSION_CUSTOMER_ID
from shopassist.demo.data import CUSTOMER_PASSWORD
from shopassist.sales.models import CreditMemo, Invoice, Order, Shipment
from tests.conftest import use_own_cache_namespace
from tests.login_as_customer.assisted import session_of

pytestmark = pytest.mark.django_db

# The body of the issue: 1 KB of nested arrays where the e-mail address should be.
NESTED_ARRAYS = '{"email": ' + "[" * 500 + "]" * 500 + "}"
STOREFRONT_400 = "The request could not be read"


@pytest.fixture(autouse=True)
def _own_cache_namespace(settings):
    """Sign-in throttles and token endpoint throttles count in the shared cache."""
    use_own_cache_namespace(settings, "bad-input")


@pytest.fixture
def browser():
    return Client(raise_request_exception=False)  # a 500 is an answer to look at, not raised


def _log_and_tokens():
    return ActionLogEntry.objects.count(), ApiToken.objects.count()


# --- Deeply nested JSON on the API ----------------------------------------------------------


def test_nested_arrays_on_the_customer_token_endpoint_are_a_json_400(browser, jane):
    before = _log_and_tokens()

    response = browser.post(
        "/api/v1/auth/customer-token", NESTED_ARRAYS, content_type="application/json"
    )

    assert len(NESTED_ARRAYS) < 1100
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {
        "code": "request.invalid",
        "message": f"The request body nests deeper than {MAX_JSON_DEPTH} levels.",
    }
    assert _log_and_tokens() == before


@pytest.mark.parametrize(
    "body",
    ["[" * 5000, "{", '{"email": "jane.doe@example.com",}', "1" * 5000],
    ids=["unclosed-deep", "unclosed", "trailing-comma", "5000-digit-number"],
)
def test_a_body_that_is_not_json_is_a_json_400(browser, jane, body):
    before = _log_and_tokens()

    response = browser.post("/api/v1/auth/customer-token", body, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {
        "code": "request.invalid",
        "message": "The request body is not valid JSON.",
    }
    assert _log_and_tokens() == before


def test_a_body_nested_as_deep_as_allowed_is_read_and_validated(browser, jane):
    nested = "[" * (MAX_JSON_DEPTH - 1) + "]" * (MAX_JSON_DEPTH - 1)
    body = '{"email": ' + nested + ', "password": "x", "store_view": "en"}'

    response = browser.post("/api/v1/auth/customer-token", body, content_type="application/json")

    assert response.status_code == 400  # the e-mail address is a list: refused by validation
    assert response.json()["code"] == "request.invalid"
    assert "email" in response.json()["message"]
    assert "nests deeper" not in response.json()["message"]


@pytest.mark.parametrize(
    ("data", "deeper"),
    [
        ({}, False),
        ("text", False),
        ([[]] * 3, False),
        ({"a": [{"b": 1}]}, False),
        ([{"a": "text"}, [1]], False),
        ({"a": [{"b": []}]}, True),
        ([[[[]]]], True),
        ({"a": {"b": {"c": {"d": {}}}}}, True),
        ([1, [2, [3, [4]]]], True),
    ],
)
def test_nesting_depth(data, deeper):
    assert nests_deeper_than(data, 3) is deeper


def test_a_method_the_api_path_does_not_take_is_a_json_405(browser):
    response = browser.get("/api/v1/auth/customer-token")

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response.json() == {
        "code": "request.method_not_allowed",
        "message": "This endpoint does not accept GET.",
    }


# --- NUL characters -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/en/catalogsearch/?q=a%00b",
        "/en/product/AB%00CD/",
        "/en/category/apparel%00/",
        "/en/?%00=1",
        "/en/customer/account/login/?next=%2Fen%2F%00",
    ],
)
def test_a_nul_character_in_a_storefront_url_is_a_400_page(browser, url):
    response = browser.get(url)

    assert response.status_code == 400
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert STOREFRONT_400 in response.content.decode()


def test_the_400_page_speaks_the_store_views_language(browser):
    response = browser.get("/fr/product/AB%00CD/")

    assert response.status_code == 400
    assert response["Content-Language"] == "fr"


def test_a_nul_character_in_a_form_field_is_refused_and_signs_nobody_in(browser, jane):
    before = ActionLogEntry.objects.count()

    response = browser.post(
        "/en/customer/account/login/",
        {"email": "jane.doe@example.com\x00", "password": CUSTOMER_PASSWORD},
    )

    assert response.status_code == 400
    assert SESSION_CUSTOMER_ID not in session_of(browser)
    assert ActionLogEntry.objects.count() == before


def test_a_nul_character_in_the_search_of_a_signed_in_customer_keeps_the_session(browser, jane):
    browser.post(
        "/en/customer/account/login/", {"email": jane.email, "password": CUSTOMER_PASSWORD}
    )

    assert browser.get("/en/catalogsearch/?q=a%00b").status_code == 400
    assert session_of(browser)[SESSION_CUSTOMER_ID] == jane.pk
    assert browser.get("/en/catalogsearch/?q=bag").status_code == 200


def test_a_nul_character_in_the_session_cookie_is_refused(browser):
    browser.cookies[settings.STOREFRONT_SESSION_COOKIE_NAME] = "abcdefgh\x00ijklmnop"

    response = browser.get("/en/customer/account/")

    assert response.status_code == 400
    assert STOREFRONT_400 in response.content.decode()  # the page, not its bare fallback


@pytest.mark.parametrize("key", ["abcdefgh\x00ijklmnop", "abcdefgh-ijklmnop", "abcdéfghijklmnop"])
def test_a_session_key_django_would_not_make_is_no_session(key):
    store = area_session_store(import_module(settings.SESSION_ENGINE).SessionStore, STOREFRONT)

    assert store(key).session_key is None
    assert store("abcdefgh0123ijklmnop").session_key == "abcdefgh0123ijklmnop"


def test_a_file_may_hold_nul_bytes_the_form_fields_may_not(browser):
    """Only form fields are read for NUL characters: an upload's bytes are its own."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("blob.bin", b"\x00\x01\x02")
    response = browser.post("/en/catalogsearch/", {"file": upload, "q": "bag"})

    assert response.status_code == 200  # past the NUL check: the search page


def test_a_nul_character_in_an_api_query_is_a_json_400(browser):
    response = browser.get("/api/v1/orders?page=%00")

    assert response.status_code == 400
    assert response.json()["code"] == "request.invalid"
    assert response.json()["message"] == "The request contains a NUL character."


def test_a_media_name_longer_than_the_file_system_allows_is_a_404(browser):
    assert browser.get("/media/" + "x" * 3000).status_code == 404


# --- Throttled forms --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "allowed"),
    [("/en/customer/account/login/", 20), ("/en/customer/account/forgotpassword/", 5)],
)
def test_an_empty_post_over_the_address_limit_is_a_429(browser, url, allowed):
    """The throttle's error was added to a form left unbound by an empty POST (a 500)."""
    before = ActionLogEntry.objects.count()
    # The clock stands still: django-ratelimit counts in fixed windows, and a window that
    # turned during the attempts (a slow machine) would start the count again.
    with time_machine.travel(timezone.now(), tick=False):
        for _attempt in range(allowed):
            browser.post(url, {"email": "nobody@example.com", "password": "wrong"})

        response = browser.post(url, {})

    assert response.status_code == 429
    assert "Too many requests. Try later." in response.content.decode()
    assert SESSION_CUSTOMER_ID not in session_of(browser)
    assert ActionLogEntry.objects.count() == before


# --- Ids that are no ids in the admin -------------------------------------------------------

SALES_DOCUMENTS = {
    "order": Order,
    "invoice": Invoice,
    "shipment": Shipment,
    "creditmemo": CreditMemo,
}


@pytest.mark.parametrize("document", SALES_DOCUMENTS)
@pytest.mark.parametrize("object_id", ["abc", "1.5", "%C2%B2", "99999999999999999999"])
def test_a_sales_document_id_that_is_no_id_is_a_404_in_the_admin_shell(
    admin_client_for, administrator, document, object_id
):
    admin = admin_client_for(administrator, raise_request_exception=False)
    model = SALES_DOCUMENTS[document]
    before = list(model.objects.order_by("pk").values())

    response = admin.get(f"/admin/sales/{document}/{object_id}/change/")

    assert response.status_code == 404
    assert list(model.objects.order_by("pk").values()) == before


@pytest.mark.parametrize("document", SALES_DOCUMENTS)
def test_a_sales_document_that_exists_still_opens(admin_client_for, administrator, document):
    admin = admin_client_for(administrator)
    pk = SALES_DOCUMENTS[document].objects.order_by("pk").values_list("pk", flat=True).first()

    assert admin.get(f"/admin/sales/{document}/{pk}/change/").status_code == 200


@pytest.mark.parametrize("model", ["stores/website", "catalog/product", "staff/staffuser"])
@pytest.mark.parametrize("page", ["change", "delete"])
def test_an_empty_to_field_means_the_primary_key(admin_client_for, administrator, model, page):
    """Django's model admin looked an empty ``_to_field`` up as a field name (a 500)."""
    admin = admin_client_for(administrator, raise_request_exception=False)
    pk = apps.get_model(*model.split("/")).objects.order_by("pk").values_list("pk", flat=True)[0]

    response = admin.get(f"/admin/{model}/{pk}/{page}/?_to_field=")

    assert response.status_code == 200


@pytest.mark.parametrize("document", SALES_DOCUMENTS)
@pytest.mark.parametrize(
    "query",
    [
        "created_at__year=2147483648",  # datetime(): OverflowError
        "created_at__year=9999",  # the year after: 10000, out of range
        "created_at__year=9999&created_at__month=12",  # a month after: out of range
        "created_at__year=2024&created_at__month=13",  # refused by Django already
    ],
)
def test_a_date_drill_down_past_any_date_is_refused_as_a_bad_lookup(
    admin_client_for, administrator, document, query
):
    admin = admin_client_for(administrator, raise_request_exception=False)

    response = admin.get(f"/admin/sales/{document}/?{query}")

    assert response.status_code == 302
    assert response["Location"] == f"/admin/sales/{document}/?e=1"


def test_view_on_site_of_a_model_without_a_table_is_a_404(admin_client_for, administrator):
    admin = admin_client_for(administrator, raise_request_exception=False)
    acl_anchor = ContentType.objects.get_for_model(AclResource, for_concrete_model=False)

    for url in (f"/admin/r/{acl_anchor.pk}/1/", "/admin/r/abc/1/", "/admin/r/999999/1/"):
        assert admin.get(url).status_code == 404, url
