"""A minimal Django shop with neither ShopAssist nor Oscar: customers are Django's users, store
views are ``django.contrib.sites`` sites, everything else is Login as Customer's default host
(docs/host-interface.md). ``make test`` runs tests_minimal/ with these settings."""

from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
SECRET_KEY = "tests-minimal-not-secret"  # noqa: S105 - a test project's
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost"]
USE_TZ = True
SITE_ID = 1

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sites",
    "login_as_customer",
]
MIDDLEWARE = [
    # Instead of Django's SessionMiddleware: the admin and the storefront each have a session.
    "login_as_customer.areas.AreaSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "login_as_customer.middleware.AssistedSessionMiddleware",
]
ROOT_URLCONF = "tests_minimal.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast, tests only
STATIC_URL = "/static/"
LOGIN_AS_CUSTOMER = {"ENABLED": True, "LANDING_URL": "/account/"}
