"""The cookie that binds a login link to the browser that started it.

The admin start response sets it (one per assisted session, so two links opened at once from
the same browser do not overwrite each other's); the storefront redemption presents what the
browser holds to ``flows.redeem.redeem_login_token``, which compares it with the hash stored with
the token. ``SameSite=Strict``: a page of another site can make the browser POST a stolen
link, but never with this cookie. ``HttpOnly``, ``Path=/`` (the admin sets it, the storefront
reads it), ``Secure`` and ``__Host-`` prefixed in production (no other host can set it), and it
lives as long as the link.
"""

from django.conf import settings

# A browser holds one per link it opened in the last link lifetime; more is not a real browser.
MAX_PRESENTED = 20


def cookie_prefix() -> str:
    """``LOGIN_AS_CUSTOMER_BINDING_COOKIE_PREFIX``; by default ``__Host-`` prefixed (only this
    host can set it) when the session cookie is secure."""
    default = "__Host-lac_bind_" if settings.SESSION_COOKIE_SECURE else "lac_bind_"
    return getattr(settings, "LOGIN_AS_CUSTOMER_BINDING_COOKIE_PREFIX", default)


def cookie_name(session) -> str:
    return f"{cookie_prefix()}{session.pk}"


def set_binding_cookie(response, *, session, binding: str, max_age: int) -> None:
    response.set_cookie(
        cookie_name(session),
        binding,
        max_age=max_age,
        path="/",
        secure=settings.SESSION_COOKIE_SECURE or None,
        httponly=True,
        samesite="Strict",
    )


def bindings_of(request) -> list[str]:
    """The binding secrets the browser presented (at most ``MAX_PRESENTED``)."""
    prefix = cookie_prefix()
    values = [value for name, value in request.COOKIES.items() if name.startswith(prefix)]
    return [value for value in values if value][:MAX_PRESENTED]


def delete_binding_cookie(response, *, session) -> None:
    """Spent with the link: the browser forgets it."""
    response.delete_cookie(cookie_name(session), path="/", samesite="Strict")
