"""Production mode: a clean deploy check, refusal without secrets, no demo data."""

import os
import secrets
import string
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import override_settings

from shopassist.customers.models import Customer
from shopassist.demo.loader import load_demo
from shopassist.stores.models import Store, StoreView, Website

PRODUCTION_HOST = "shop.example.com"


def random_secret_key(length=60):
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(length))


# Set by the test suite (conftest) or a developer shell; a deployment has none of them.
NOT_IN_PRODUCTION = ("SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")


def manage(*args, **env_overrides):
    """Run manage.py in a fresh process, in production mode."""
    env = {key: value for key, value in os.environ.items() if key not in NOT_IN_PRODUCTION}
    env.update({"SHOPASSIST_ENV": "production", "ALLOWED_HOSTS": PRODUCTION_HOST})
    env.update(env_overrides)
    env = {key: value for key, value in env.items() if value is not None}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_is_clean_in_production_mode():
    result = manage("check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=random_secret_key())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY must be set (50+ characters) in production."),
        ({"SECRET_KEY": "too-short"}, "SECRET_KEY must be set (50+ characters) in production."),
        (
            {"SECRET_KEY": random_secret_key(), "ALLOWED_HOSTS": ""},
            "ALLOWED_HOSTS must be set in production.",
        ),
    ],
)
def test_production_mode_refuses_to_start_without_its_secrets(env, message):
    result = manage("check", **env)

    assert result.returncode != 0
    assert f"django.core.exceptions.ImproperlyConfigured: {message}" in result.stderr


def demo_rows():
    return {
        model._meta.label: model.objects.count()
        for model in (Website, Store, StoreView, Group, User, Customer)
    }


@override_settings(PRODUCTION=True)
def test_demo_loader_refuses_in_production_mode(db, django_assert_num_queries):
    before = demo_rows()

    # Refused before it touches the database at all.
    with (
        django_assert_num_queries(0),
        pytest.raises(ImproperlyConfigured, match="never be loaded in production mode"),
    ):
        load_demo()
    with pytest.raises(ImproperlyConfigured, match="never be loaded in production mode"):
        call_command("load_demo")

    assert demo_rows() == before


def test_demo_loader_runs_outside_production_and_is_idempotent(db):
    assert load_demo() == load_demo()
    assert demo_rows()["stores.StoreView"] == 4


def test_check_refuses_a_project_without_the_csrf_middleware(settings):
    from django.core import checks

    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if m != "shopassist.core.csrf.AreaCsrfViewMiddleware"
    ]
    errors = [e for e in checks.run_checks(tags=[checks.Tags.security]) if e.is_serious()]

    assert [e.id for e in errors] == ["shopassist.E001"]


PRINT_STOREFRONT_CSRF_COOKIE = """
from django.conf import settings
from django.test import Client, override_settings
from shopassist.stores.models import Store, StoreView, Website
website = Website.objects.create(code="base", name="Main Website", is_default=True)
store = Store.objects.create(website=website, name="Main Store")
store.default_store_view = StoreView.objects.create(store=store, code="en", name="English")
store.save()
plain = "django.contrib.staticfiles.storage.StaticFilesStorage"
storages = {**settings.STORAGES, "staticfiles": {"BACKEND": plain}}
with override_settings(STORAGES=storages):  # no collectstatic for one page
    response = Client(HTTP_HOST="shop.example.com").get("/en/customer/account/login/", secure=True)
assert response.status_code == 200, response.status_code
cookie = response.cookies[settings.STOREFRONT_CSRF_COOKIE_NAME]
print(cookie.key, cookie["secure"], cookie["path"], cookie["domain"] or "-", cookie["httponly"])
"""


def test_storefront_csrf_cookie_can_only_be_set_by_this_host_in_production(tmp_path):
    # A throw-away SQLite database, whatever DATABASE_URL the suite runs with.
    own = {"SHOPASSIST_VAR_DIR": str(tmp_path), "DATABASE_URL": None, "REDIS_URL": None}
    secret = random_secret_key()
    migrated = manage("migrate", "-v0", SECRET_KEY=secret, **own)
    assert migrated.returncode == 0, migrated.stderr
    result = manage("shell", "-c", PRINT_STOREFRONT_CSRF_COOKIE, SECRET_KEY=secret, **own)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-5:] == ["__Host-sa_store_csrf", "True", "/", "-", "True"]
