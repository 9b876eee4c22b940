"""Settings of the peer project: Django's defaults where ours does not differ for the page
measured (SQLite with a kept connection and database sessions, as ShopAssist's embedded
default; DEBUG off, as ours is run by the benchmark)."""

import os
import secrets
from pathlib import Path

DEBUG = False
# A throw-away project: a new key every run.
SECRET_KEY = secrets.token_urlsafe(50)
ALLOWED_HOSTS = ["testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "hijack",
    "hijack.contrib.admin",
    "hijack_site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # django-hijack's documented place: after the authentication middleware.
    "hijack.middleware.HijackUserMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
# Staff members may hijack customers (the default lets only superusers hijack).
HIJACK_PERMISSION_CHECK = "hijack.permissions.superusers_and_staff"

ROOT_URLCONF = "hijack_site.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
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

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": Path(os.environ["PEER_DB_DIR"]) / "peer.sqlite3",
        "CONN_MAX_AGE": 600,
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.db"

LANGUAGE_CODE = "en"
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True
STATIC_URL = "/static/"
LOGIN_URL = "/admin/login/"
LOGIN_REDIRECT_URL = "/customer/account/"
