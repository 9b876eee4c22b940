"""The host's models that Login as Customer's records point at, named in settings and read when
the models load (and by the migrations, as ``AUTH_USER_MODEL`` is):

* ``LOGIN_AS_CUSTOMER["CUSTOMER_MODEL"]``: the customer (default: ``AUTH_USER_MODEL``);
* ``LOGIN_AS_CUSTOMER["STORE_VIEW_MODEL"]``: where a session opens (default: ``sites.Site``).
"""

from django.conf import settings


def _named(key: str, default: str) -> str:
    return getattr(settings, "LOGIN_AS_CUSTOMER", {}).get(key, default)


def customer_model_label() -> str:
    return _named("CUSTOMER_MODEL", settings.AUTH_USER_MODEL)


def store_view_model_label() -> str:
    return _named("STORE_VIEW_MODEL", "sites.Site")
