"""ShopAssist settings, read from the environment.

Nothing set: SQLite file + local-memory cache, DEBUG on (the embedded default).
DATABASE_URL: PostgreSQL through psycopg 3 with a connection pool.
REDIS_URL: Redis cache and ``cached_db`` sessions.
SHOPASSIST_ENV=production: DEBUG off, secret key and allowed hosts required, HTTPS hardening.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SHOPASSIST_VAR_DIR", BASE_DIR / "var"))
(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)

PRODUCTION = os.environ.get("SHOPASSIST_ENV", "development") == "production"
DEBUG = not PRODUCTION and os.environ.get("DEBUG", "1") != "0"

if PRODUCTION:
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("SECRET_KEY must be set (50+ characters) in production.")
    ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h]
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production.")
else:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-never-use-in-production")
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]

INSTALLED_APPS = [
    "shopassist.core",
    "shopassist.outbox",  # e-mail: written with the change, sent after the response
    "shopassist.stores",
    "shopassist.staff",
    "shopassist.customers",
    "shopassist.catalog",
    "shopassist.cart",
    "shopassist.checkout",
    "shopassist.sales",
    "shopassist.audit",
    "login_as_customer",
    "shopassist.lac_host",  # ShopAssist as the host of Login as Customer (its host interface)
    "shopassist.api",
    "shopassist.storefront",
    "shopassist.demo",
    "shopassist.admin_panel",
    "django.contrib.admin.apps.SimpleAdminConfig",
    "django.contrib.auth",
    "axes",  # sign-in lockout (core/signin_guard.py)
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "ninja",  # its Swagger UI from our own static files, never from a CDN
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the session middleware: sees each area's final response (Cache-Control).
    "shopassist.core.cache_headers.CacheHeadersMiddleware",
    "shopassist.core.areas.AreaSessionMiddleware",
    # After the session middleware: log entries read the request's session key and user agent.
    "shopassist.audit.middleware.RequestContextMiddleware",
    "shopassist.core.config.middleware.ConfigRefreshMiddleware",
    "shopassist.stores.middleware.StoreViewMiddleware",
    "django.middleware.common.CommonMiddleware",
    "shopassist.core.csrf.AreaCsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "shopassist.customers.middleware.CustomerMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # NUL characters refused (PostgreSQL cannot store them) before any view or log entry reads
    # the request, after what the 400 page shows (store view, customer: all read lazily).
    "shopassist.core.nul_characters.RefuseNulCharactersMiddleware",
    # After MessageMiddleware: ending an assisted session leaves a message for the next page.
    "login_as_customer.middleware.AssistedSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a locked-out admin login into the lockout page (admin_panel/lockout.py).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "shopassist.urls"
WSGI_APPLICATION = "shopassist.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "shopassist" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shopassist.stores.context_processors.store_view",
                "shopassist.customers.context_processors.account_menu",
                "shopassist.cart.context_processors.mini_cart",
                "shopassist.catalog.context_processors.category_nav",
                # Last: in a page built for the shared cache, CSRF tokens are markers.
                "shopassist.storefront.visitor_parts.context_processor",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    # conn_health_checks: each connection is checked (an empty query) when taken from the pool;
    # one that a database restart or a cut connection killed is replaced, and with it every
    # other idle one (shopassist/core/postgresql: Django's backend, that one change).
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=0, conn_health_checks=True)
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"]["ENGINE"] = "shopassist.core.postgresql"
        pool_timeout = float(os.environ.get("DB_POOL_TIMEOUT", "10"))
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": int(os.environ.get("DB_POOL_MIN", "1")),
            "max_size": int(os.environ.get("DB_POOL_MAX", "10")),
            # How long a request waits for a connection: it rides through a quick restart.
            "timeout": pool_timeout,
            # While the database is down the pool retries with a growing delay (1, 2, 4 ... s,
            # by default for 300 s), and a request waits only for those retries: after a long
            # outage the next one could be a minute away. Giving up after as long as a request
            # waits lets the next request start a new attempt at once (docs/deploy.md).
            "reconnect_timeout": pool_timeout,
        }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "shopassist.sqlite3",
            # Keep each worker thread's connection: opening SQLite per request costs more than
            # most queries (no effect under runserver, which starts a thread per request).
            "CONN_MAX_AGE": 600,
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                # Write-ahead log, synced at checkpoints rather than at every commit: a commit
                # no longer waits for the disk (the rollback journal's fsyncs were a third to a
                # half of a Login as Customer start on a busy disk). Safe against corruption;
                # a power cut may lose the last commits, a crash of the process does not.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions ---------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
# Parallel test workers share one Redis: each gets its own key prefix.
CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "") + os.environ.get(
    "PYTEST_XDIST_WORKER", ""
)
# The page cache holds rendered storefront pages: evictable, so production may give it a Redis
# of its own with an LRU policy (PAGE_CACHE_REDIS_URL); versions and sessions stay in "default".
PAGE_CACHE_REDIS_URL = os.environ.get("PAGE_CACHE_REDIS_URL", REDIS_URL)
# With Redis unreachable the site keeps working without it (core/resilient_cache.py): short
# timeouts (a Redis that accepts and never answers must not hold a request), one log line per
# outage, another attempt every REDIS_RETRY_AFTER seconds; see docs/deploy.md › Redis outage.
REDIS_OPTIONS = {
    "socket_connect_timeout": float(os.environ.get("REDIS_CONNECT_TIMEOUT", "0.5")),
    "socket_timeout": float(os.environ.get("REDIS_TIMEOUT", "1")),
    "retry_after": float(os.environ.get("REDIS_RETRY_AFTER", "2")),
}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "shopassist.core.resilient_cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": REDIS_OPTIONS,
        },
        "page_cache": {
            "BACKEND": "shopassist.core.resilient_cache.ResilientRedisCache",
            "LOCATION": PAGE_CACHE_REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX + "pages",
            "OPTIONS": REDIS_OPTIONS,
        },
    }
    # Django's cached_db, falling back to the database while Redis is unreachable.
    SESSION_ENGINE = "shopassist.core.sessions"
else:
    # Local memory is per process: the embedded default is one process (runserver). Several
    # processes (gunicorn workers) need the shared cache of REDIS_URL — see docs/deploy.md.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "shopassist",
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": {"MAX_ENTRIES": 20000},
        },
        "page_cache": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "shopassist-pages",
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": {"MAX_ENTRIES": 3000},
        },
    }
    SESSION_ENGINE = "shopassist.core.database_sessions"  # Django's, read without the ORM

# Invalidations the cache could not take during an outage are kept in the database and
# applied before it is trusted again (core/invalidations.py): each process looks before its
# first cache read after this many idle seconds, and at least this often.
PENDING_CHECK_IDLE = 1.0
PENDING_CHECK_INTERVAL = 60.0

# Storefront page cache (shopassist.storefront.page_cache): on unless SHOPASSIST_PAGE_CACHE=0.
PAGE_CACHE_ENABLED = os.environ.get("SHOPASSIST_PAGE_CACHE", "1") != "0"
PAGE_CACHE_TIMEOUT = int(os.environ.get("SHOPASSIST_PAGE_CACHE_TIMEOUT", str(24 * 3600)))
PAGE_CACHE_SEARCH_TIMEOUT = 300  # search pages: many URLs, each looked at briefly
# Pages are keyed by release: SHOPASSIST_RELEASE (e.g. the commit id), else a fingerprint of
# the code, templates, translations and static manifest computed once per process.
PAGE_CACHE_RELEASE = os.environ.get("SHOPASSIST_RELEASE", "")
# Pages each process keeps in memory in front of a Redis page cache (checked like any copy).
PAGE_CACHE_LOCAL_ENTRIES = int(
    os.environ.get("SHOPASSIST_PAGE_CACHE_LOCAL", "500" if REDIS_URL else "0")
)
# "X-Page-Cache: hit | miss | bypass | off" on catalog pages: in development, or when asked.
PAGE_CACHE_HEADER = DEBUG or os.environ.get("SHOPASSIST_PAGE_CACHE_HEADER", "0") == "1"

# Each area has its own session cookie (see shopassist.core.areas).
ADMIN_SESSION_COOKIE_NAME = "sa_admin_session"
STOREFRONT_SESSION_COOKIE_NAME = "sa_store_session"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# CSRF secrets per area (core/csrf.py): in the admin session; in a cookie of its own on the
# storefront, so browsing the catalog needs no session. "__Host-": no other host can set it.
CSRF_USE_SESSIONS = True  # the admin area; the storefront is handled by AreaCsrfViewMiddleware
STOREFRONT_CSRF_COOKIE_NAME = "__Host-sa_store_csrf" if PRODUCTION else "sa_store_csrf"
# Login as Customer binds each login link to the browser that started it with a cookie
# named PREFIX + assisted-session id (login_as_customer/binding_cookie.py); "__Host-" as above.
# Login as Customer's host interface (docs/host-interface.md).
LOGIN_AS_CUSTOMER = {
    "HOST": "shopassist.lac_host.host.ShopAssistHost",
    "CUSTOMER_MODEL": "customers.Customer",
    "STORE_VIEW_MODEL": "stores.StoreView",
    "DJANGO_ADMIN": False,  # its admin panel has the feature's pages (lac_host/admin.py)
}
LOGIN_AS_CUSTOMER_BINDING_COOKIE_PREFIX = "__Host-sa_lac_bind_" if PRODUCTION else "sa_lac_bind_"
# Each area answers a CSRF failure in its own look (shell, storefront page, JSON).
CSRF_FAILURE_VIEW = "shopassist.error_handlers.csrf_failure"
# security.W003 looks for Django's CsrfViewMiddleware by name; ours subclasses it, and
# core.checks refuses to start without it.
# axes.W006 wants the lockout keyed on the address too; we lock the account from any address
# and throttle addresses separately (core/throttles.py).
SILENCED_SYSTEM_CHECKS = ["security.W003", "axes.W006"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
# First: axes refuses a locked-out account before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# --- Client address, throttles and sign-in lockout ------------------------------------------
# How many reverse proxies in front of the app append to X-Forwarded-For (core/client_address.py):
# 0 = none, the header is ignored and REMOTE_ADDR is the client.
SHOPASSIST_TRUSTED_PROXIES = int(os.environ.get("SHOPASSIST_TRUSTED_PROXIES", "0"))
if SHOPASSIST_TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured("SHOPASSIST_TRUSTED_PROXIES must be 0 or more.")
# django-axes (core/signin_guard.py): 5 failures lock an account, on every channel, for 15
# minutes. The database handler: the state is shared by every process and survives restarts.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]  # the account, from any address (throttles: per address)
AXES_USERNAME_CALLABLE = "shopassist.core.signin_guard.axes_username"
AXES_CLIENT_IP_CALLABLE = "shopassist.core.client_address.client_ip"
AXES_LOCKOUT_CALLABLE = "shopassist.admin_panel.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
# Attempts during a lockout do not prolong it: the lock ends 15 minutes after the 5th failure.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_DISABLE_ACCESS_LOG = True  # successful sign-ins are the action log's business
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "csrfmiddlewaretoken"]
# Counters of core/throttles.py (django-ratelimit) live in the shared default cache.
RATELIMIT_USE_CACHE = "default"

# --- Action log retention -------------------------------------------------------------------
# Months of action log kept on PostgreSQL, where `manage.py audit_partitions` (daily) detaches
# and drops the month partitions wholly older than this (12: the PCI DSS minimum; the longer of
# this and the admin's "Keep action log entries for (days)" wins). See docs/deploy.md.
SHOPASSIST_AUDIT_RETENTION_MONTHS = int(os.environ.get("SHOPASSIST_AUDIT_RETENTION_MONTHS", "12"))
if SHOPASSIST_AUDIT_RETENTION_MONTHS < 1:
    raise ImproperlyConfigured("SHOPASSIST_AUDIT_RETENTION_MONTHS must be 1 or more.")

# --- i18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("ko", _("Korean")),
    ("zh-hant", _("Traditional Chinese")),
]
LOCALE_PATHS = [BASE_DIR / "shopassist" / "locale"]
# Date and time formats of our own where Django's read wrongly (Korean "5:40 오후").
FORMAT_MODULE_PATH = ["shopassist.formats"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"  # filled by collectstatic, served by WhiteNoise
STATICFILES_DIRS = [BASE_DIR / "shopassist" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
# Outside production, static files are served from the apps' folders, without collectstatic,
# with DEBUG off too (`make run` serves the demo so, see the Makefile).
WHITENOISE_USE_FINDERS = not PRODUCTION

# --- E-mail ---------------------------------------------------------------------------------
if PRODUCTION:
    EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
    EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "shop@example.com")
# Mail goes through the outbox (shopassist/outbox/): an attempt blocks no visitor, but a mail
# server that accepts and never answers would hold a worker without a timeout (seconds).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))

# --- Production hardening -------------------------------------------------------------------
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS if not h.startswith(".")]
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"message": {"format": "%(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
# The audit stream for a SIEM (login_as_customer/audit_stream.py): every action log entry as one
# ECS JSON line, to a file (a path; reopened when logrotate moves it) or to standard error
# ("stderr": journald under systemd). Unset: not built at all. docs/deploy.md, "Audit stream".
AUDIT_STREAM = os.environ.get("SHOPASSIST_AUDIT_STREAM", "")
if AUDIT_STREAM:
    LOGGING["handlers"]["audit_stream"] = (
        {"class": "logging.StreamHandler", "formatter": "message"}
        if AUDIT_STREAM == "stderr"
        else {
            "class": "logging.handlers.WatchedFileHandler",
            "filename": AUDIT_STREAM,
            "formatter": "message",
            "encoding": "utf-8",
        }
    )
    LOGGING["loggers"] = {
        "login_as_customer.audit": {
            "handlers": ["audit_stream"],
            "level": "INFO",
            "propagate": False,
        }
    }
