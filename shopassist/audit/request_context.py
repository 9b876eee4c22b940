"""The request an action log entry is written in: its user agent, a hash of its session key
and its client address become the defaults of every entry written while it runs.

``RequestContextMiddleware`` (shopassist.audit.middleware) sets the current request for the
duration of each request; outside a request (management commands, tests calling services
directly) there is none and entries carry no request fields.
"""

from __future__ import annotations

import hashlib
from contextvars import ContextVar

from shopassist.core.client_address import client_ip

MAX_USER_AGENT = 512

_current_request: ContextVar = ContextVar("shopassist_audit_request", default=None)


def activate(request):
    """Make ``request`` the current one; returns the token for :func:`deactivate`."""
    return _current_request.set(request)


def deactivate(token) -> None:
    _current_request.reset(token)


def current_fields() -> dict:
    """user_agent, session_hash and ip_address of the current request ({} outside one)."""
    request = _current_request.get()
    if request is None:
        return {}
    return {
        "user_agent": clean_user_agent(request.META.get("HTTP_USER_AGENT", "")),
        "session_hash": session_hash_of(request),
        "ip_address": client_ip(request),
    }


def clean_user_agent(value: str) -> str:
    """Printable characters only (PostgreSQL refuses NUL in text), at most 512 of them."""
    return "".join(char for char in str(value) if char.isprintable())[:MAX_USER_AGENT]


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def session_hash_of(request) -> str:
    """SHA-256 of the request's session key as it is now (the key itself is never stored;
    the same hash as ``login_as_customer.tokens.hash_session_key``).

    The API has no session: its requests carry the SHA-256 of their bearer token's stored
    hash (``ApiToken.token_hash``), so one token's calls group together while nothing stored
    in the log can authenticate. No session key and no token: ""."""
    session = getattr(request, "session", None)
    key = getattr(session, "session_key", None)
    if key:
        return _sha256(key)
    token = getattr(getattr(request, "auth", None), "token", None)
    token_hash = getattr(token, "token_hash", "")
    return _sha256(token_hash) if token_hash else ""
