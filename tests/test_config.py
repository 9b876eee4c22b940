"""Scoped configuration: resolution, versioned invalidation, validation and the admin page."""

import os
import selectors
import subprocess
import sys
import textwrap

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from shopassist.core.config import BoolField, ChoiceField, IntField, Scope, TextField, config
from shopassist.core.config.registry import get_field
from shopassist.core.config.resolver import ConfigResolver
from shopassist.core.config.services import ConfigValidationError, save_config_values
from shopassist.core.models import ConfigValue
from shopassist.customers.config import ACCOUNT_SHARE_SCOPE, SHARE_GLOBAL, SHARE_PER_WEBSITE
from shopassist.stores.config import STORE_NAME, STORE_PHONE
from shopassist.stores.models import Store, StoreView, Website

STORE_NAME_DEFAULT = "ShopAssist"
VIEW_CODES = ("en", "fr", "ko", "zh-hant", "second-en")

names = st.text(alphabet=st.characters(categories=("L", "N")), min_size=1, max_size=40)
maybe_name = st.none() | names


@pytest.fixture
def second_website(demo):
    """A second website with one store view, so website values can be told apart."""
    website = Website.objects.create(code="second", name="Second Website", sort_order=1)
    store = Store.objects.create(website=website, name="Second Store")
    StoreView.objects.create(store=store, code="second-en", name="Second English", locale="en")
    return website


@pytest.fixture
def views(second_website):
    return {view.code: view for view in StoreView.objects.select_related("store__website")}


@pytest.fixture
def main_website(demo):
    return Website.objects.get(code="base")


def field_name(path):
    return path.replace("/", "__")


def stored_values():
    return set(ConfigValue.objects.values_list("scope", "scope_id", "path", "value"))


def clear_stored(path):
    ConfigValue.objects.filter(path=path).delete()
    config.invalidate()


# --- Scope resolution ---------------------------------------------------------------------------


@hypothesis_settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    default_value=maybe_name,
    website_values=st.fixed_dictionaries({"base": maybe_name, "second": maybe_name}),
    view_values=st.fixed_dictionaries({code: maybe_name for code in VIEW_CODES}),
)
def test_store_view_value_wins_then_website_then_default_then_field_default(
    views, set_config, default_value, website_values, view_values
):
    clear_stored(STORE_NAME)
    try:
        if default_value is not None:
            set_config({STORE_NAME: default_value})
        for view in views.values():
            website = view.store.website
            if website_values[website.code] is not None:
                set_config(
                    {STORE_NAME: website_values[website.code]},
                    scope=Scope.WEBSITE,
                    scope_id=website.pk,
                )
            if view_values[view.code] is not None:
                set_config(
                    {STORE_NAME: view_values[view.code]}, scope=Scope.STORE_VIEW, scope_id=view.pk
                )

        def first_set(*candidates):
            return next((value for value in candidates if value is not None), STORE_NAME_DEFAULT)

        assert config.get(STORE_NAME) == first_set(default_value)
        for view in views.values():
            website = view.store.website
            assert config.get(STORE_NAME, website=website) == first_set(
                website_values[website.code], default_value
            )
            assert config.get(STORE_NAME, store_view=view) == first_set(
                view_values[view.code], website_values[website.code], default_value
            ), view.code
    finally:
        clear_stored(STORE_NAME)


@hypothesis_settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    default_value=st.none() | st.sampled_from([SHARE_GLOBAL, SHARE_PER_WEBSITE]),
    refused_scope=st.sampled_from([Scope.WEBSITE, Scope.STORE_VIEW]),
    refused_value=st.sampled_from([SHARE_GLOBAL, SHARE_PER_WEBSITE]),
    view_code=st.sampled_from(VIEW_CODES),
)
def test_global_only_field_refuses_narrower_scopes_and_resolves_to_default_everywhere(
    views, set_config, default_value, refused_scope, refused_value, view_code
):
    clear_stored(ACCOUNT_SHARE_SCOPE)
    try:
        if default_value is not None:
            set_config({ACCOUNT_SHARE_SCOPE: default_value})
        view = views[view_code]
        scope_id = view.pk if refused_scope == Scope.STORE_VIEW else view.store.website_id
        before = stored_values()

        with pytest.raises(ConfigValidationError) as refused:
            set_config({ACCOUNT_SHARE_SCOPE: refused_value}, scope=refused_scope, scope_id=scope_id)

        assert refused.value.errors == {
            ACCOUNT_SHARE_SCOPE: ["This field cannot be set at this scope."]
        }
        assert stored_values() == before
        expected = SHARE_PER_WEBSITE if default_value is None else default_value
        assert config.get(ACCOUNT_SHARE_SCOPE, store_view=view) == expected
        assert config.get(ACCOUNT_SHARE_SCOPE, website=view.store.website) == expected
    finally:
        clear_stored(ACCOUNT_SHARE_SCOPE)


def test_global_only_field_ignores_a_narrower_value_already_in_the_database(views):
    # e.g. stored before the field became global-only: resolution never looks at it.
    fr = views["fr"]
    ConfigValue.objects.create(
        scope=Scope.STORE_VIEW, scope_id=fr.pk, path=ACCOUNT_SHARE_SCOPE, value=SHARE_GLOBAL
    )
    config.invalidate()

    assert config.get(ACCOUNT_SHARE_SCOPE, store_view=fr) == SHARE_PER_WEBSITE


def test_invalid_stored_value_falls_back_to_the_next_scope(views, main_website, set_config):
    fr = views["fr"]
    set_config({STORE_NAME: "Main Website Shop"}, scope=Scope.WEBSITE, scope_id=main_website.pk)
    ConfigValue.objects.create(scope=Scope.STORE_VIEW, scope_id=fr.pk, path=STORE_NAME, value="")
    config.invalidate()

    assert config.get(STORE_NAME, store_view=fr) == "Main Website Shop"


# --- Versioned invalidation across cache clients and processes -------------------------------


def test_version_published_through_one_cache_client_reloads_a_resolver_on_another(
    views, django_capture_on_commit_callbacks
):
    cache_a = caches.create_connection("default")
    cache_b = caches.create_connection("default")
    assert cache_a is not cache_b and caches["default"] not in (cache_a, cache_b)
    process_a = ConfigResolver(cache=cache_a)
    process_b = ConfigResolver(cache=cache_b)
    fr = views["fr"]
    assert process_a.get(STORE_NAME, store_view=fr) == STORE_NAME_DEFAULT

    # The row is written, but its on-commit version bump is held back.
    with django_capture_on_commit_callbacks(execute=False) as held_back:
        save_config_values(
            scope=Scope.STORE_VIEW, scope_id=fr.pk, values={STORE_NAME: "Boutique"}, actor=None
        )
    assert len(held_back) == 1
    assert ConfigValue.objects.filter(path=STORE_NAME, value="Boutique").exists()

    # Without a new version, process A keeps serving its memo.
    process_a.refresh()
    assert process_a.get(STORE_NAME, store_view=fr) == STORE_NAME_DEFAULT

    process_b.invalidate()

    assert process_a.get(STORE_NAME, store_view=fr) == "Boutique"
    assert process_b.get(STORE_NAME, store_view=fr) == "Boutique"


def test_a_request_keeps_one_version_and_the_next_request_sees_the_new_one(views, set_config):
    process_a = ConfigResolver(cache=caches.create_connection("default"))
    en = views["en"]

    with process_a.request_scope():
        assert process_a.get(STORE_NAME, store_view=en) == STORE_NAME_DEFAULT
        set_config({STORE_NAME: "Saved Mid-Request"})  # publishes through caches["default"]
        assert process_a.get(STORE_NAME, store_view=en) == STORE_NAME_DEFAULT

    with process_a.request_scope():
        assert process_a.get(STORE_NAME, store_view=en) == "Saved Mid-Request"


READER_SCRIPT = textwrap.dedent(
    """
    import sys

    import django
    from django.conf import settings

    settings.DATABASES["default"]["NAME"] = sys.argv[1]
    django.setup()

    from shopassist.core.config import config

    print("ready", flush=True)
    for line in sys.stdin:
        if line.strip() != "read":
            break
        with config.request_scope():
            print(config.get(sys.argv[2]), flush=True)
    """
)


def shares_database_between_processes():
    return (
        connection.vendor == "postgresql"
        and bool(django_settings.REDIS_URL)
        and django_settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    )


def read_line(process, timeout=20):
    # A selector, not select.select: it takes a descriptor numbered past 1024 too.
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        ready = selector.select(timeout)
    assert ready, f"the reader process did not answer within {timeout}s"
    return process.stdout.readline().strip()


def test_saved_value_reaches_another_server_process_on_its_next_request(transactional_db):
    if not shares_database_between_processes():
        pytest.skip("needs a database shared between processes (PostgreSQL)")
    save_config_values(scope=Scope.DEFAULT, scope_id=0, values={STORE_NAME: "Before"}, actor=None)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "shopassist.settings"}
    reader = subprocess.Popen(
        [sys.executable, "-c", READER_SCRIPT, connection.settings_dict["NAME"], STORE_NAME],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=django_settings.BASE_DIR,
    )

    def ask():
        reader.stdin.write("read\n")
        reader.stdin.flush()
        return read_line(reader)

    try:
        assert read_line(reader, timeout=60) == "ready"
        assert ask() == "Before"

        # Changed behind the resolver's back: the other process still serves its memo.
        ConfigValue.objects.filter(path=STORE_NAME).update(value="Unpublished")
        assert ask() == "Before"

        save_config_values(
            scope=Scope.DEFAULT, scope_id=0, values={STORE_NAME: "After"}, actor=None
        )
        assert ask() == "After"
    finally:
        reader.stdin.close()
        reader.wait(timeout=20)
    assert reader.returncode == 0


# --- Bad values -----------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["abc", "", "1.5", "0", "-3", "101"])
def test_int_field_rejects_non_integers_and_values_out_of_range(raw):
    field = IntField(id="lifetime", label="Lifetime", default=60, min_value=1, max_value=100)
    with pytest.raises(ValidationError):
        field.parse(raw)


def test_int_field_accepts_integers_in_range():
    field = IntField(id="lifetime", label="Lifetime", default=60, min_value=1, max_value=100)
    assert field.parse("1") == 1
    assert field.parse(" 100 ") == 100
    assert field.serialize(field.parse("42")) == "42"


@pytest.mark.parametrize("raw", ["", "yes", "true", "2"])
def test_bool_field_accepts_only_yes_or_no(raw):
    field = BoolField(id="enabled", label="Enabled", default=False)
    with pytest.raises(ValidationError, match="Choose Yes or No."):
        field.parse(raw)
    assert field.parse("1") is True and field.parse("0") is False


def test_choice_and_text_fields_reject_bad_values():
    choice = ChoiceField(id="mode", label="Mode", default="a", choices=(("a", "A"), ("b", "B")))
    with pytest.raises(ValidationError, match="Select a valid choice."):
        choice.parse("c")
    text = TextField(id="title", label="Title", default="x", max_length=5)
    with pytest.raises(ValidationError, match="This field is required."):
        text.parse("   ")
    with pytest.raises(ValidationError, match="at most 5 characters"):
        text.parse("too long")


@pytest.mark.parametrize(
    ("bad_path", "bad_raw", "message"),
    [
        (ACCOUNT_SHARE_SCOPE, "2", "Select a valid choice."),
        (ACCOUNT_SHARE_SCOPE, "", "Select a valid choice."),
        (STORE_NAME, "", "This field is required."),
        (STORE_NAME, "   ", "This field is required."),
        (STORE_PHONE, "0" * 33, "Ensure this value has at most 32 characters (it has 33)."),
        ("customer/account_share/nope", "1", "Unknown configuration field."),
    ],
)
def test_bad_value_is_refused_with_its_message_and_nothing_is_saved(
    demo, set_config, bad_path, bad_raw, message
):
    before = stored_values()
    valid = {STORE_PHONE: "+1 555 0199"} if bad_path != STORE_PHONE else {STORE_NAME: "Valid"}

    with pytest.raises(ConfigValidationError) as refused:
        set_config({**valid, bad_path: bad_raw})

    assert refused.value.errors == {bad_path: [message]}
    assert stored_values() == before
    assert config.get(STORE_PHONE) == ""
    assert config.get(STORE_NAME) == STORE_NAME_DEFAULT


def test_valid_values_are_saved_and_returned_as_changed(demo, set_config):
    assert set_config({STORE_NAME: "  My Shop  ", STORE_PHONE: ""}) == [STORE_NAME, STORE_PHONE]
    assert config.get(STORE_NAME) == "My Shop"
    assert set_config({STORE_NAME: "My Shop"}) == []


# --- The admin page -------------------------------------------------------------------------


def config_url(section_id, scope=None):
    url = reverse("admin:config_edit", args=[section_id])
    return f"{url}?scope={scope}" if scope else url


def test_administrator_sees_sections_and_the_scope_switcher(administrator, admin_client_for, views):
    response = admin_client_for(administrator).get(config_url("general"))

    assert response.status_code == 200
    html = response.content.decode()
    tabs = response.context["tabs"]
    assert {s.id for sections in tabs.values() for s in sections} >= {"general", "customer"}
    assert f'href="{config_url("customer", "default")}"' in html
    assert f'href="{config_url("general", "default")}"' in html
    assert '<select name="scope" id="id_scope"' in html
    for website in Website.objects.all():
        assert f'value="website:{website.pk}"' in html
    for view in views.values():
        assert f'value="store_view:{view.pk}"' in html
    assert 'name="general__store_information__name"' in html
    assert 'name="inherit__general__store_information__name"' in html


def test_invalid_value_rerenders_with_the_error_and_stores_nothing(
    administrator, admin_client_for, django_capture_on_commit_callbacks
):
    client = admin_client_for(administrator)
    before = stored_values()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(config_url("customer"), {field_name(ACCOUNT_SHARE_SCOPE): "7"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Select a valid choice." in html
    assert "The configuration was not saved. Correct the errors below." in html
    assert stored_values() == before


def test_valid_value_is_stored_and_the_next_request_sees_it(
    administrator, admin_client_for, django_capture_on_commit_callbacks
):
    client = admin_client_for(administrator)
    client.get(config_url("customer"))  # the process memo now holds the old value

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            config_url("customer"), {field_name(ACCOUNT_SHARE_SCOPE): SHARE_GLOBAL}
        )

    assert response.status_code == 302
    assert ConfigValue.objects.get(path=ACCOUNT_SHARE_SCOPE).value == SHARE_GLOBAL
    page = client.get(response["Location"])
    assert "You saved the configuration." in page.content.decode()
    assert f'<option value="{SHARE_GLOBAL}" selected>' in page.content.decode()
    assert config.get(ACCOUNT_SHARE_SCOPE) == SHARE_GLOBAL


def test_use_default_removes_the_value_of_that_scope(
    administrator, admin_client_for, views, set_config, django_capture_on_commit_callbacks
):
    fr = views["fr"]
    set_config({STORE_NAME: "Boutique"}, scope=Scope.STORE_VIEW, scope_id=fr.pk)
    set_config({STORE_NAME: "Site Name"}, scope=Scope.WEBSITE, scope_id=fr.store.website_id)
    assert config.get(STORE_NAME, store_view=fr) == "Boutique"

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_for(administrator).post(
            config_url("general", f"store_view:{fr.pk}"),
            {
                f"inherit__{field_name(STORE_NAME)}": "1",
                f"inherit__{field_name(STORE_PHONE)}": "1",
            },
        )

    assert response.status_code == 302
    assert not ConfigValue.objects.filter(scope=Scope.STORE_VIEW).exists()
    assert ConfigValue.objects.filter(scope=Scope.WEBSITE, path=STORE_NAME).exists()
    assert config.get(STORE_NAME, store_view=fr) == "Site Name"


def test_website_scope_page_lists_only_fields_allowed_at_website_scope(
    administrator, admin_client_for, main_website
):
    client = admin_client_for(administrator)
    scope = f"website:{main_website.pk}"

    general = client.get(config_url("general", scope)).content.decode()
    customer = client.get(config_url("customer", scope)).content.decode()

    assert 'name="general__store_information__name"' in general
    assert 'name="general__store_information__phone"' in general
    assert field_name(ACCOUNT_SHARE_SCOPE) not in customer
    assert "No settings of this section can be set at this scope." in customer
    assert get_field(ACCOUNT_SHARE_SCOPE).scopes == (Scope.DEFAULT,)


def test_global_field_posted_at_website_scope_is_ignored(
    administrator, admin_client_for, main_website, django_capture_on_commit_callbacks
):
    before = stored_values()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_for(administrator).post(
            config_url("customer", f"website:{main_website.pk}"),
            {field_name(ACCOUNT_SHARE_SCOPE): SHARE_GLOBAL},
        )

    assert response.status_code == 302
    assert stored_values() == before
    assert config.get(ACCOUNT_SHARE_SCOPE, website=main_website) == SHARE_PER_WEBSITE


@pytest.mark.parametrize(
    ("section_id", "scope"),
    [
        ("general", "planet:1"),
        ("general", "website:999999"),
        ("general", "store_view:999999"),
        ("general", "store_view:abc"),
        ("general", "website:"),
        ("nope", None),
    ],
)
def test_unknown_scope_or_section_is_404(administrator, admin_client_for, section_id, scope):
    client = admin_client_for(administrator)
    before = stored_values()

    assert client.get(config_url(section_id, scope)).status_code == 404
    response = client.post(config_url(section_id, scope), {field_name(STORE_NAME): "Forged"})
    assert response.status_code == 404
    assert stored_values() == before
