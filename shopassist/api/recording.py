"""State-changing calls of an assisted token are recorded like the storefront's (SPEC §8):
the change and its generic "request" entry share one transaction, refusals are written after."""

from contextlib import contextmanager

from django.db import transaction

from shopassist.api.errors import ApiError, status_for
from shopassist.audit.writer import flush_refusals
from shopassist.core.actor import client_ip
from shopassist.core.errors import DomainError
from shopassist.login_as_customer import events


@contextmanager
def recorded_write(request, *, operation: str):
    """Run a write; with an assisted token also write its log entries (channel "api")."""
    session = request.auth.assisted_session
    if session is None:
        yield
        return
    entry = {
        "view_name": f"api:{operation}",
        "method": request.method,
        "channel": "api",
        "ip_address": client_ip(request),
    }
    try:
        with transaction.atomic():
            yield
            events.request_made(session, status_code=200, **entry)
    except (ApiError, DomainError) as exc:
        status = exc.status if isinstance(exc, ApiError) else status_for(exc.code)
        events.request_made(session, status_code=status, **entry)
        raise
    finally:
        flush_refusals()  # the refusals of the call, after its own entry
