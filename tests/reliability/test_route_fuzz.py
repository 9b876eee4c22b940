"""Every route, fed generated input by every kind of visitor, never answers a server error.

The routes are read from the URL resolver (tests/reliability/fuzz_routes.py): the storefront
below its store view prefix, the admin panel and the API, plus paths that match no route in
each area. Each route's page is read first, for the forms on it. Then hypothesis generates
requests for each route (fuzz_inputs.py): path parameters (ids and codes of the demo data,
values the converter accepts, hostile text: NUL, huge numbers, odd unicode), query strings,
the page's forms with fields replaced, form, multipart, JSON and raw bodies, by GET, HEAD and
POST (and the API's own methods), as an anonymous visitor, Jane signed in, a live Login as
Customer session and the administrator. Any 5xx fails the test, and so does an API error
that is not JSON; it reports every failing request it found (shrunk by hypothesis) with the
exception raised.

Each example runs in a savepoint that is rolled back, marked as the test case's own atomic
blocks are (the code under test sees autocommit, as in production): a generated POST may
sign a visitor out or delete a record, and the next example still starts from the demo data
with every visitor signed in. The examples are derandomized: a red run is reproducible.
"""

import os
import traceback
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import import_module

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.db import transaction
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from hypothesis import HealthCheck, example, given, settings

from login_as_customer.models import AssistedSession
from shopassist.cart.models import CartItem
from shopassist.catalog.models import Category, Product
from shopassist.core.config import sections
from shopassist.customers.models import Address, Customer
from shopassist.customers.storefront.views import RESET_URL_TOKEN, password_reset_tokens
from shopassist.sales.models import Order
from shopassist.stores.models import StoreView
from tests.api.conftest import ApiClient, admin_token_for, assisted_token_for, customer_token_for
from tests.conftest import login_admin_client, login_customer_client, use_own_cache_namespace
from tests.login_as_customer.assisted import start_assisted
from tests.reliability.fuzz_inputs import (
    MAIN_VISITORS,
    FuzzRequest,
    RouteInputs,
    explicit_requests,
    first_values,
    fuzz_requests,
    url_of,
)
from tests.reliability.fuzz_routes import ADMIN, API, ROUTES, STOREFRONT, forms_of, route_of

# CI's budget (under a minute on SQLite); explore further with SHOPASSIST_FUZZ_EXAMPLES=200.
EXAMPLES_PER_ROUTE = int(os.environ.get("SHOPASSIST_FUZZ_EXAMPLES", "8"))


@dataclass
class Visitor:
    client: Client
    bearer: str = ""  # the API token of the same person


@pytest.fixture(autouse=True)
def _own_cache_namespace(settings):
    """Throttles and the Login as Customer start limit count in the shared cache."""
    use_own_cache_namespace(settings, "fuzz")


def _browser() -> Client:
    return Client(raise_request_exception=False)  # a 500 is a response to report


@pytest.fixture
def visitors(administrator, jane) -> dict[str, Visitor]:
    api = ApiClient()
    admin_client = login_admin_client(_browser(), administrator)
    assisted_browser, _session = start_assisted(admin_client, jane, browser=_browser())
    jane_token = customer_token_for(api, jane)
    api.post("/cart/items", {"sku": _pks(Product, field="sku")[0], "qty": 1}, token=jane_token)
    return {
        "anonymous": Visitor(_browser()),
        "customer": Visitor(login_customer_client(_browser(), jane), jane_token),
        "assisted": Visitor(
            assisted_browser, assisted_token_for(api, admin_token_for(api, "support"), jane)
        ),
        "staff": Visitor(admin_client, admin_token_for(api, "admin")),
    }


def _pks(model, limit=4, field="pk", **filters) -> list[str]:
    rows = model.objects.filter(**filters).order_by("pk").values_list(field, flat=True)
    return [str(value) for value in rows[:limit]]


@pytest.fixture
def real_values(visitors, jane) -> dict[str, list[str]]:
    """Values that reach past the first lookup, by parameter name ("*": bodies and queries)."""
    codes = sorted(StoreView.objects.values_list("code", flat=True), key=lambda c: c != "en")
    values = {
        "store_code": codes,
        "code": _pks(Category, field="code"),
        "sku": _pks(Product, field="sku"),
        "order_id": _pks(Order, customer=jane) + _pks(Order, 2),
        "increment_id": _pks(Order, field="increment_id", customer=jane),
        "address_id": _pks(Address, customer=jane) + _pks(Address, 2),
        "item_id": _pks(CartItem),
        "customer_id": _pks(Customer),
        "session_id": _pks(AssistedSession),
        "section_id": [section.id for section in sections()],
        "content_type_id": _pks(ContentType, 30),
        "id": _pks(User),
        "uidb64": [urlsafe_base64_encode(force_bytes(jane.pk))],
        "token": [password_reset_tokens.make_token(jane), RESET_URL_TOKEN],
        "object_id": _pks(Order) + _pks(Customer) + _pks(Product),
    }
    values["*"] = [value for found in values.values() for value in found] + [jane.email]
    return values


def _model_values(route, real: dict) -> dict:
    """Admin object ids are the pks of the route's own model (``admin/<app>/<model>/...``)."""
    literal = route.parts[1] if len(route.parts) > 1 else ""
    if route.area != ADMIN or not isinstance(literal, str) or literal.count("/") != 2:
        return real
    try:
        model = apps.get_model(*literal.strip("/").split("/"))
    except (LookupError, ValueError):
        return real
    return {**real, "object_id": _pks(model)}


# --- Sending ------------------------------------------------------------------------------


@contextmanager
def rolled_back():
    """A savepoint marked as a test case's own (code under test sees autocommit), undone."""
    atomic = transaction.atomic()
    atomic._from_testcase = True
    atomic.__enter__()
    try:
        yield
    finally:
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


def _forget_cached_sessions(visitors):
    """cached_db sessions: the rolled-back rows are the truth, not what the cache kept."""
    engine = import_module(django_settings.SESSION_ENGINE)
    cookie_names = (
        django_settings.ADMIN_SESSION_COOKIE_NAME,
        django_settings.STOREFRONT_SESSION_COOKIE_NAME,
    )
    for visitor in visitors.values():
        for name in cookie_names:
            morsel = visitor.client.cookies.get(name)
            store = engine.SessionStore(morsel.value if morsel else None)
            if morsel and hasattr(store, "cache_key"):
                caches[django_settings.SESSION_CACHE_ALIAS].delete(store.cache_key)


def send(visitors: dict, request: FuzzRequest, area: str):
    visitor = visitors[request.visitor]
    headers = dict(request.headers)
    if area == API and visitor.bearer:
        headers["Authorization"] = f"Bearer {visitor.bearer}"
    cookies = {name: morsel.value for name, morsel in visitor.client.cookies.items()}
    try:
        with rolled_back():
            return visitor.client.generic(
                request.method,
                request.url,
                data=request.body,
                content_type=request.content_type or "application/octet-stream",
                headers=headers,
            )
    finally:
        # The visitor's cookies and sessions as they were: the next one starts signed in.
        visitor.client.cookies.clear()
        for name, value in cookies.items():
            visitor.client.cookies[name] = value
        _forget_cached_sessions(visitors)


def _describe(request: FuzzRequest, response) -> str:
    error = ""
    if getattr(response, "exc_info", None):
        error = "".join(traceback.format_exception_only(*response.exc_info[:2])).strip()
    return f"{response.status_code} for {request}\n    {error[:800]}"


# --- Exploring ----------------------------------------------------------------------------


def read_pages(area: str, visitors: dict, real: dict) -> dict:
    """Inputs of each route: its real values and the forms found on the area's pages (as
    its main visitor sees them), filed under the route each form is sent to."""
    routes = [route for route in ROUTES if route.area == area]
    inputs = {route: RouteInputs(_model_values(route, real)) for route in routes}
    for route in routes:
        url = url_of(route, first_values(route, inputs[route]))
        response = send(visitors, FuzzRequest(MAIN_VISITORS[area][0], "GET", url), area)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for form in forms_of(url, response.content.decode()):
            target = route_of(form.action)
            if target not in inputs:
                continue
            if form.method == "POST":
                inputs[target].forms.append(form)
            else:
                inputs[target].query_keys += tuple(name for name, _value in form.fields)
            known = inputs[target].values
            found = [value for _name, value in form.fields if value]
            inputs[target].values = {**known, "*": known["*"] + found}
    return inputs


def fuzz_area(area: str, visitors: dict, real: dict) -> list[str]:
    failures = []
    for route, inputs in read_pages(area, visitors, real).items():

        @settings(
            max_examples=EXAMPLES_PER_ROUTE,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(request=fuzz_requests(route, inputs))
        def never_a_server_error(request):
            response = send(visitors, request, area)
            assert response.status_code < 500, _describe(request, response)
            if area == API and response.status_code >= 400:  # API errors are JSON bodies
                assert response["Content-Type"].startswith("application/json"), _describe(
                    request, response
                )

        for request in explicit_requests(route, inputs):
            never_a_server_error = example(request=request)(never_a_server_error)
        try:
            never_a_server_error()
        except Exception as failure:  # every route is tried, all are reported
            failures.append(f"{route}: {failure}")
    return failures


def _assert_still_signed_in(visitors):
    """The fuzz left every visitor as it found them (else it explored anonymous pages only)."""
    customer, assisted, staff = visitors["customer"], visitors["assisted"], visitors["staff"]
    assert customer.client.get("/en/customer/account/").status_code == 200
    assert b"lac-banner" in assisted.client.get("/en/customer/account/").content
    assert staff.client.get("/admin/").status_code == 200


@pytest.mark.parametrize("area", [STOREFRONT, ADMIN, API])
def test_no_route_answers_a_server_error(area, visitors, real_values):
    failures = fuzz_area(area, visitors, real_values)

    assert not failures, f"{len(failures)} route(s) answered 5xx:\n" + "\n".join(failures)
    _assert_still_signed_in(visitors)
