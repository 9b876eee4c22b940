"""The host interface (login_as_customer/host.py): which host serves, what the default host
(customers are Django's users, settings from ``LOGIN_AS_CUSTOMER``) answers, and that
ShopAssist's configuration shows every setting the feature declares."""

import pytest
from django.contrib.auth import get_user_model

from login_as_customer import config as lac_config
from login_as_customer.host import Host, host
from shopassist.core.config import ALL_SCOPES, GLOBAL_ONLY, config
from shopassist.core.config.registry import get_field
from shopassist.customers.models import Customer
from shopassist.lac_host.host import ShopAssistHost


def test_shopassist_names_its_own_host():
    assert type(host()) is ShopAssistHost
    assert host().customer_model() is Customer


def test_without_a_named_host_the_default_serves_and_a_changed_setting_is_followed(settings):
    settings.LOGIN_AS_CUSTOMER = {}
    assert type(host()) is Host
    # The customer model is the one the records point at (read when the models loaded).
    assert host().customer_model() is Customer
    settings.LOGIN_AS_CUSTOMER = {"HOST": "shopassist.lac_host.host.ShopAssistHost"}
    assert type(host()) is ShopAssistHost


def test_the_default_host_reads_settings_from_the_dict_and_falls_back_to_the_defaults(settings):
    settings.LOGIN_AS_CUSTOMER = {"ENABLED": True, "MAX_DURATION": 30}
    assert lac_config.feature_enabled() is True
    assert lac_config.setting(lac_config.MAX_DURATION) == 30
    assert lac_config.setting(lac_config.IDLE_TIMEOUT) == 15  # declared default
    assert lac_config.setting(lac_config.OPT_IN_TITLE) == "Allow remote shopping assistance"
    with pytest.raises(KeyError):
        lac_config.setting("login_as_customer/general/no_such_setting")


@pytest.mark.django_db
def test_the_default_host_names_a_user_as_django_does():
    user = get_user_model().objects.create_user("jdoe", "jdoe@example.com", "x", is_active=False)
    default = Host()
    assert default.customer_name(user) == "jdoe"
    user.first_name, user.last_name = "Jane", "Doe"
    assert default.customer_name(user) == "Jane Doe"
    assert default.customer_email(user) == "jdoe@example.com"
    assert default.customer_is_active(user) is False
    assert default.read_along_expressions("customer_id") == {}


@pytest.mark.django_db
def test_shopassists_configuration_holds_every_declared_setting_with_its_scopes(demo):
    for option in lac_config.OPTIONS:
        field = get_field(option.key)
        assert field.label == option.label
        assert field.default == option.default
        assert field.scopes == (ALL_SCOPES if option.per_store_view else GLOBAL_ONLY)
        # ShopAssist's host reads the scoped configuration.
        assert lac_config.setting(option.key) == config.get(option.key)


@pytest.mark.django_db
def test_the_default_host_asks_djangos_permissions_and_refuses_the_rest():
    from django.contrib.auth.models import Permission
    from django.core.exceptions import PermissionDenied
    from django.test import RequestFactory

    from login_as_customer import permissions

    users = get_user_model().objects
    agent = users.create_user("agent", "agent@example.com", "x", is_staff=True)
    default = Host()
    assert not default.staff_may(agent, permissions.ALLOW)
    assert not default.staff_id_may(agent.pk, permissions.ALLOW)
    refused = []
    view = default.require(permissions.ALLOW, on_refused=lambda request: refused.append(request))(
        lambda request: "served"
    )
    request = RequestFactory().post("/")
    request.user = agent
    with pytest.raises(PermissionDenied):
        view(request)
    assert refused == [request]

    agent.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="login_as_customer", codename="login_as_customer"
        )
    )
    agent = users.get(pk=agent.pk)  # Django caches a user's permissions
    request.user = agent
    assert default.staff_may(agent, permissions.ALLOW)
    assert default.staff_id_may(agent.pk, permissions.ALLOW)
    assert not default.staff_may(agent, permissions.VIEW_LOG)
    assert view(request) == "served"
    assert refused == [request]  # not called again

    agent.is_staff = False  # a customer-facing account never may, whatever it holds
    assert not default.staff_may(agent, permissions.ALLOW)


def test_the_default_host_counts_in_djangos_cache_and_says_when_it_cannot(settings):
    default = Host()
    assert default.count("lac-test:counter", timeout=60) == 1
    assert default.count("lac-test:counter", timeout=60) == 2
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    assert Host().count("lac-test:counter", timeout=60) is None  # the dummy cache cannot incr
