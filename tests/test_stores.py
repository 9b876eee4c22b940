"""Store view resolution from the URL prefix, locale activation and the store switcher."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from shopassist.stores.models import Store, StoreView, Website


@pytest.fixture
def outlet_view(demo, django_capture_on_commit_callbacks):
    """A second website with one store view, as an operator would add it."""
    with django_capture_on_commit_callbacks(execute=True):
        website = Website.objects.create(code="outlet", name="Outlet Website", sort_order=10)
        store = Store.objects.create(website=website, name="Outlet Store")
        view = StoreView.objects.create(store=store, code="outlet", name="Outlet", locale="en")
    return view


def save_store_view(view, django_capture_on_commit_callbacks, **changes):
    with django_capture_on_commit_callbacks(execute=True):
        for name, value in changes.items():
            setattr(view, name, value)
        view.save()


def switcher_links(response) -> dict[str, str]:
    """Store view name → link of the switcher in the storefront header."""
    html = response.content.decode()
    return {
        name: href
        for href, name in re.findall(r'<a class="sf-switch" href="([^"]+)"[^>]*>([^<]+)</a>', html)
    }


def switcher_current(response) -> str:
    match = re.search(
        r'<strong class="sf-switch-current"[^>]*>([^<]+)</strong>', response.content.decode()
    )
    assert match
    return match.group(1)


def test_root_redirects_to_the_default_store_view(demo):
    response = Client().get("/")

    assert response.status_code == 302
    assert response["Location"] == "/en/"
    assert Client().get("/en/").status_code == 200


def test_root_follows_the_default_store_view_setting(en, fr, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        store = en.store
        store.default_store_view = fr
        store.save()

    response = Client().get("/")

    assert response["Location"] == "/fr/"


@pytest.mark.parametrize(
    ("code", "language"), [("en", "en"), ("fr", "fr"), ("ko", "ko"), ("zh-hant", "zh-hant")]
)
def test_store_view_prefix_activates_its_locale(demo, code, language):
    response = Client().get(f"/{code}/")

    assert response.status_code == 200
    assert response["Content-Language"] == language
    assert f'<html lang="{language}">' in response.content.decode()
    assert response.context["store_view"].code == code


def test_french_store_view_serves_french_on_every_page(fr):
    response = Client().get("/fr/customer/account/login/")

    assert response.status_code == 200
    assert response["Content-Language"] == "fr"
    assert '<html lang="fr">' in response.content.decode()
    assert response.context["request"].store_view == fr


def test_store_view_ignores_the_browser_language(demo):
    response = Client(HTTP_ACCEPT_LANGUAGE="fr").get("/en/")

    assert response["Content-Language"] == "en"


@pytest.mark.parametrize("path", ["/xx/", "/xx/customer/account/login/", "/EN/", "/static-page/"])
def test_unknown_store_view_prefix_is_not_found(demo, path):
    views_before = list(StoreView.objects.values_list("code", "is_active"))

    response = Client().get(path)

    assert response.status_code == 404
    assert list(StoreView.objects.values_list("code", "is_active")) == views_before


def test_inactive_store_view_is_not_found(store_views, django_capture_on_commit_callbacks):
    save_store_view(store_views["ko"], django_capture_on_commit_callbacks, is_active=False)

    client = Client()
    assert client.get("/ko/").status_code == 404
    assert client.get("/ko/customer/account/login/").status_code == 404
    assert client.get("/en/").status_code == 200


def test_deactivating_a_store_view_takes_effect_on_the_next_request(
    store_views, django_capture_on_commit_callbacks
):
    client = Client()
    assert client.get("/ko/").status_code == 200  # memoised in this process now
    assert "한국어" in switcher_links(client.get("/en/"))

    save_store_view(store_views["ko"], django_capture_on_commit_callbacks, is_active=False)

    assert client.get("/ko/").status_code == 404
    assert "한국어" not in switcher_links(client.get("/en/"))

    save_store_view(store_views["ko"], django_capture_on_commit_callbacks, is_active=True)

    assert client.get("/ko/").status_code == 200


def test_renaming_a_store_view_shows_on_the_next_request(fr, django_capture_on_commit_callbacks):
    client = Client()
    assert "Français" in switcher_links(client.get("/en/"))

    save_store_view(fr, django_capture_on_commit_callbacks, name="Français (France)")

    links = switcher_links(client.get("/en/"))
    assert links["Français (France)"] == "/fr/"
    assert "Français" not in links


def test_deactivated_default_store_view_is_not_the_redirect_target(
    en, django_capture_on_commit_callbacks
):
    save_store_view(en, django_capture_on_commit_callbacks, is_active=False)

    response = Client().get("/")

    assert response.status_code == 302
    assert response["Location"] == "/fr/"


def test_switcher_lists_the_websites_active_views_linking_to_the_same_page(demo):
    response = Client().get("/en/customer/account/login/")

    assert switcher_current(response) == "English"
    assert switcher_links(response) == {
        "Français": "/fr/customer/account/login/",
        "한국어": "/ko/customer/account/login/",
        "繁體中文": "/zh-hant/customer/account/login/",
    }


def test_switcher_on_another_view_links_back(demo):
    response = Client().get("/zh-hant/customer/account/create/")

    assert switcher_current(response) == "繁體中文"
    assert switcher_links(response) == {
        "English": "/en/customer/account/create/",
        "Français": "/fr/customer/account/create/",
        "한국어": "/ko/customer/account/create/",
    }


def test_switcher_leaves_out_inactive_views(store_views, django_capture_on_commit_callbacks):
    save_store_view(store_views["zh-hant"], django_capture_on_commit_callbacks, is_active=False)

    links = switcher_links(Client().get("/en/"))

    assert set(links) == {"Français", "한국어"}


def test_switcher_lists_only_the_current_websites_views(outlet_view):
    main_links = switcher_links(Client().get("/en/"))
    outlet_response = Client().get("/outlet/")

    assert "Outlet" not in main_links
    assert outlet_response.status_code == 200
    assert switcher_current(outlet_response) == "Outlet"
    assert switcher_links(outlet_response) == {}
    assert outlet_response.context["website"].name == "Outlet Website"


@pytest.mark.parametrize("code", ["admin", "api", "static", "media", "healthz"])
def test_store_view_codes_of_other_areas_are_refused(en, code):
    view = StoreView(store=en.store, code=code, name="Shadowed", locale="en")

    with pytest.raises(ValidationError) as refused:
        view.full_clean()

    assert "reserved" in str(refused.value)
    assert not StoreView.objects.filter(code=code).exists()
