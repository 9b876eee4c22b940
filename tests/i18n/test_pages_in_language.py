"""Every storefront and Login as Customer page, rendered in French, Korean and Traditional
Chinese, shows no English outside names and product data (the i18n gate of `make test`)."""

import os
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

from login_as_customer.flows.consent import set_consent
from login_as_customer.models import AssistedSession
from shopassist.audit.models import ActionLogEntry
from shopassist.catalog.models import CategoryText, ProductText
from shopassist.core.actor import Actor
from shopassist.customers.models import Address, Customer
from shopassist.sales.models import Order
from shopassist.stores.models import Store, StoreView, Website
from tests.conftest import login_customer_client, use_own_cache_namespace
from tests.i18n.visible_text import (
    english_msgids_in,
    french_punctuation_in,
    korean_times_in,
    latin_words_in,
    visible_text,
    without,
)
from tests.login_as_customer.assisted import close_url, confirm_url, redeem_url, start_assisted

# catalogue language → store view code and the Accept-Language of an administrator
LANGUAGES = {"fr": "fr", "ko": "ko", "zh_Hant": "zh-hant"}
CUSTOMER_OF = {
    "fr": "marie.dupont@example.com",
    "ko": "kim.minji@example.com",
    "zh_Hant": "chen.wei@example.com",
}
PRODUCT = "SA-BAG-001"
NOTHING_FOUND = "zzzz"  # a search query: shown back as typed
# Latin script a Korean or Chinese page may show: names of things, not sentences.
LATIN_ALLOWED = {
    "ShopAssist",  # the product's name
    "API",
    "ID",
    "CSV",
    "IP",
    "URL",
    "HTTP",
    "e-mail",
    "Web",  # the channel "Web" / "API" of a log entry is a code
    "US",  # "US$89.00": the currency as CLDR writes US dollars in Korean and Chinese
    "UTC",  # the time zone after a time a customer reads (login_as_customer's lac_when)
}


@pytest.fixture(autouse=True)
def _own_cache_namespace(settings):
    use_own_cache_namespace(settings, "i18n", aliases=("default", "page_cache"))


def _allowed_data() -> set[str]:
    """Names and product data, shown as entered (in English for some): the allow-list."""
    values = set()
    for customer in Customer.objects.all():
        values |= {customer.full_name, customer.first_name, customer.last_name, customer.email}
    for address in Address.objects.all():
        values |= {address.street, address.city, address.postcode, address.telephone}
    for user in User.objects.all():  # not the last names alone: "Admin", "Support" are words
        values |= {user.get_full_name(), user.first_name, user.username}
    for model in (Website, Store, StoreView):
        values |= set(model.objects.values_list("name", flat=True))
    values |= set(StoreView.objects.values_list("code", flat=True))
    for model in (ProductText, CategoryText):
        for name, description in model.objects.values_list("name", "description"):
            values |= {name, description}
    for order in Order.objects.all():
        values |= {order.increment_id, order.ship_country}
        values |= set(order.comments.values_list("comment", flat=True))
    values |= set(Address.objects.values_list("country", flat=True))
    values |= set(ActionLogEntry.objects.values_list("action", flat=True))
    values |= set(ActionLogEntry.objects.values_list("user_agent", flat=True))
    values |= set(AssistedSession.objects.values_list("reason", flat=True))
    values.add(NOTHING_FOUND)
    values |= {sku for (sku,) in ProductText.objects.values_list("product__sku")}
    return values


# Django's stacked inline writes "<h3><b>Address:</b>" with a colon of its own markup, not
# of a catalogue (contrib/admin/templates/admin/edit_inline/stacked.html).
_DJANGO_INLINE_HEADING = re.compile(r"<h3><b>[^<]*:</b>")


def _leaks(language: str, pages: dict[str, str]) -> dict[str, list[str]]:
    allowed = _allowed_data()
    found = {}
    for name, html in pages.items():
        text = without(visible_text(_DJANGO_INLINE_HEADING.sub("<h3>", html)), allowed)
        leaks = sorted(english_msgids_in(text, language))
        if language in ("ko", "zh_Hant"):
            leaks += sorted(f"latin: {run}" for run in latin_words_in(text, LATIN_ALLOWED))
        if language == "fr":
            leaks += sorted(f"no-break space: {p}" for p in french_punctuation_in(text))
        if language == "ko":
            leaks += sorted(f"time format: {t}" for t in korean_times_in(text))
        if leaks:
            found[name] = leaks
    return found


def _page(responses: dict, name: str, response, status=200) -> None:
    assert response.status_code == status, (name, response.status_code, response.content[:300])
    responses[name] = response.content.decode()


def _storefront_pages(code: str, customer) -> dict[str, str]:
    pages = {}
    guest = Client()
    product_name = ProductText.objects.get(product__sku=PRODUCT, store_view__code=code).name
    _page(pages, "home", guest.get(f"/{code}/"))
    _page(pages, "category", guest.get(f"/{code}/category/bags/"))
    _page(pages, "product", guest.get(f"/{code}/product/{PRODUCT}/"))
    _page(pages, "search", guest.get(f"/{code}/catalogsearch/", {"q": product_name.split()[0]}))
    _page(
        pages, "search, nothing found", guest.get(f"/{code}/catalogsearch/", {"q": NOTHING_FOUND})
    )
    _page(pages, "empty cart", guest.get(f"/{code}/checkout/cart/"))
    _page(pages, "sign in", guest.get(f"/{code}/customer/account/login/"))
    wrong = {"email": customer.email, "password": "not-the-password"}
    _page(pages, "sign in refused", guest.post(f"/{code}/customer/account/login/", wrong))
    _page(pages, "create an account", guest.get(f"/{code}/customer/account/create/"))
    _page(pages, "create an account, errors", guest.post(f"/{code}/customer/account/create/"))
    _page(pages, "forgot password", guest.get(f"/{code}/customer/account/forgotpassword/"))

    shopper = login_customer_client(Client(), customer, store_code=code)
    order = Order.objects.filter(customer=customer).order_by("pk").first()
    address = customer.addresses.order_by("pk").first()
    for name, url in {
        "My Account": "customer/account/",
        "Account Information": "customer/account/edit/",
        "Address Book": "customer/address/",
        "new address": "customer/address/new/",
        "edit address": f"customer/address/{address.pk}/edit/",
        "My Orders": "sales/order/history/",
        "order": f"sales/order/view/{order.pk}/",
        "Assisted sessions": "customer/assisted-sessions/",
    }.items():
        _page(pages, name, shopper.get(f"/{code}/{url}"))
    shopper.post(f"/{code}/checkout/cart/add/", {"sku": PRODUCT, "qty": 1})
    _page(pages, "cart", shopper.get(f"/{code}/checkout/cart/"))
    _page(pages, "checkout", shopper.get(f"/{code}/checkout/"))
    _page(pages, "checkout, errors", shopper.post(f"/{code}/checkout/", {"address": "new"}))
    return pages


def _assisted_pages(code: str, customer, admin_client) -> dict[str, str]:
    """The banner's pages, the customer's history of them and the pages around them."""
    pages = {}
    browser, session = start_assisted(admin_client, customer)
    landing = browser.get(f"/{code}/customer/account/")
    assert 'data-testid="lac-banner"' in landing.content.decode()
    _page(pages, "banner (My Account)", landing)
    _page(pages, "banner (product)", browser.get(f"/{code}/product/{PRODUCT}/"))
    _page(pages, "Active sessions", admin_client.get("/admin/login_as_customer/active/"))
    _page(pages, "Assisted session closed", browser.post(close_url(code)))
    refused = Client().post(redeem_url(code), {"token": "x" * 43})
    _page(pages, "login link refused", refused, status=refused.status_code)
    shopper = login_customer_client(Client(), customer, store_code=code)
    _page(pages, "Assisted sessions, history", shopper.get(f"/{code}/customer/assisted-sessions/"))
    _page(pages, "Login as Customer Log", admin_client.get("/admin/login_as_customer/log/"))
    detail = f"/admin/login_as_customer/log/{session.pk}/"
    _page(pages, "Login as Customer Log, session", admin_client.get(detail))
    return pages


def _admin_pages(customer, admin_client) -> dict[str, str]:
    pages = {}
    _page(
        pages, "customer form", admin_client.get(f"/admin/customers/customer/{customer.pk}/change/")
    )
    _page(pages, "confirmation dialog", admin_client.get(confirm_url(customer.pk)))
    _page(pages, "configuration", admin_client.get("/admin/config/login_as_customer/"))
    _page(pages, "Action Log Report", admin_client.get("/admin/action-log/report/"))
    _page(pages, "empty Active sessions", admin_client.get("/admin/login_as_customer/active/"))
    return pages


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_english_is_left_on_the_pages(language, administrator, admin_client_for):
    code = LANGUAGES[language]
    customer = Customer.objects.get(email=CUSTOMER_OF[language])
    # Chen has not allowed remote shopping assistance: every language needs a banner.
    set_consent(customer=customer, allowed=True, duration="30", actor=Actor(customer=customer))
    admin_client = admin_client_for(administrator, HTTP_ACCEPT_LANGUAGE=code)
    pages = _admin_pages(customer, admin_client)
    pages |= _storefront_pages(code, customer)
    pages |= _assisted_pages(code, customer, admin_client)
    leaks = _leaks(language, pages)
    if os.environ.get("I18N_DUMP"):  # I18N_DUMP=dir: write each page's visible text there
        for name, html in pages.items():
            Path(os.environ["I18N_DUMP"], f"{language}-{name}.txt").write_text(visible_text(html))
    assert not leaks, f"English left in {language} pages:\n" + "\n".join(
        f"  {page}: {leak!r}" for page, found in leaks.items() for leak in found
    )
