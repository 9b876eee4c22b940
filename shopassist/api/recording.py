"""State-changing calls of an assisted token are recorded like the storefront's (SPEC §8):
the change and its generic "request" entry share one transaction, refusals are written after."""

from contextlib import contextmanager

from login_as_customer.errors import LoginAsCustomerDenied
from login_as_customer.flows import assisted_write
from login_as_customer.flows.assisted_write import SessionEnded, Write
from shopassist.api.auth import session_ended
from shopassist.api.errors import ApiError, status_for
from shopassist.core.actor import client_ip
from shopassist.core.errors import DomainError


@contextmanager
def recorded_write(request, *, operation: str):
    """Run a write; with an assisted token also write its log entries (channel "api"): as the
    storefront's (``login_as_customer/flows/assisted_write``), with the status the API answers
    a refused write with."""
    session = request.auth.assisted_session
    if session is None:
        yield
        return
    write = Write(
        view_name=f"api:{operation}",
        method=request.method,
        channel="api",
        ip_address=client_ip(request),
    )
    try:
        with assisted_write.recorded_write(session, write, status_of_refusal=_status_of_refusal):
            yield
    except SessionEnded:  # since the token was checked: the write was rolled back
        raise session_ended() from None


def _status_of_refusal(error: Exception) -> int | None:
    if isinstance(error, ApiError):
        return error.status
    if isinstance(error, (DomainError, LoginAsCustomerDenied)):
        return status_for(error.code)
    return None
