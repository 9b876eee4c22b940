"""System checks of ``settings.LOGIN_AS_CUSTOMER`` (``manage.py check``, registered by the app).

The default host reads the settings of ``config.OPTIONS`` from that dict as they are written: a
value an option does not allow would be used all the same — a login link living a day, a
consent mode misspelt into the standing opt-in, ``"False"`` switching the feature on — where a
host with a settings page (ShopAssist) refuses it when it is saved. Such a value is an error; a
key the package does not know (a misspelt one, whose default then applies) is a warning.

And the middleware the README asks for: with Django's own ``SessionMiddleware`` (one session
cookie for the whole site) a redemption would replace the administrator's own session, as
django-hijack does; without ``AssistedSessionMiddleware`` no assisted request is checked, and
a redemption fails. Both are errors."""

from django.conf import settings
from django.core import checks
from django.utils.module_loading import import_string

# The keys of LOGIN_AS_CUSTOMER that are not options (docs/host-interface.md, README).
OTHER_KEYS = frozenset(
    {
        "HOST",
        "CUSTOMER_MODEL",
        "STORE_VIEW_MODEL",
        "LANDING_URL",
        "ADMIN_PREFIX",
        "ADMIN_SESSION_COOKIE_NAME",
        "DJANGO_ADMIN",
    }
)


def allowed_values(option, value) -> str | None:
    """What ``option`` takes, if ``value`` is not one of them; None if it is."""
    if option.kind == "bool":
        return None if isinstance(value, bool) else "True or False"
    if option.kind == "int":
        whole = isinstance(value, int) and not isinstance(value, bool)
        if whole and option.min_value <= value <= option.max_value:
            return None
        return f"a whole number from {option.min_value} to {option.max_value}"
    if option.kind == "choice":
        choices = [choice for choice, _label in option.choices]
        return None if value in choices else "one of " + ", ".join(map(repr, choices))
    if isinstance(value, str) and len(value) <= option.max_length:
        return None
    return f"a text of at most {option.max_length} characters"


@checks.register(checks.Tags.security)
def login_as_customer_settings(app_configs, **kwargs):
    from login_as_customer.config import OPTIONS

    options = {option.id.upper(): option for option in OPTIONS}
    messages = []
    for key, value in getattr(settings, "LOGIN_AS_CUSTOMER", {}).items():
        option = options.get(key)
        if option is None:
            if key not in OTHER_KEYS:
                messages.append(
                    checks.Warning(
                        f'LOGIN_AS_CUSTOMER["{key}"] is no setting of Login as Customer: it is '
                        "ignored.",
                        hint="Settings: " + ", ".join(sorted([*options, *OTHER_KEYS])) + ".",
                        id="login_as_customer.W001",
                    )
                )
            continue
        expected = allowed_values(option, value)
        if expected is not None:
            messages.append(
                checks.Error(
                    f'LOGIN_AS_CUSTOMER["{key}"] is {value!r}: it must be {expected}.',
                    id="login_as_customer.E001",
                )
            )
    return messages


DJANGO_SESSIONS = "django.contrib.sessions.middleware.SessionMiddleware"
ASSISTED_SESSIONS = "login_as_customer.middleware.AssistedSessionMiddleware"


def _is_assisted_sessions(path: str) -> bool:
    """Whether the middleware at ``path`` is ``AssistedSessionMiddleware`` or a host's subclass."""
    from login_as_customer.middleware import AssistedSessionMiddleware

    try:
        middleware = import_string(path)
    except ImportError:  # Django reports a middleware that does not import
        return False
    return isinstance(middleware, type) and issubclass(middleware, AssistedSessionMiddleware)


@checks.register(checks.Tags.security)
def login_as_customer_middleware(app_configs, **kwargs):
    middleware = list(getattr(settings, "MIDDLEWARE", None) or [])
    messages = []
    if DJANGO_SESSIONS in middleware:
        messages.append(
            checks.Error(
                f"{DJANGO_SESSIONS} keeps one session for the whole site: redeeming a login "
                "link would replace the administrator's own session.",
                hint="Replace it with login_as_customer.areas.AreaSessionMiddleware (the admin "
                "and the storefront each get their own session).",
                id="login_as_customer.E002",
            )
        )
    if not any(_is_assisted_sessions(path) for path in middleware):
        messages.append(
            checks.Error(
                f"{ASSISTED_SESSIONS} is not in MIDDLEWARE: no assisted request would be "
                "checked, and no banner shown.",
                hint="Add it after django.contrib.messages.middleware.MessageMiddleware.",
                id="login_as_customer.E003",
            )
        )
    return messages
