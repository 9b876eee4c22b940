"""State-changing calls of an assisted token are recorded like the storefront's (SPEC §8):
the change and its generic "request" entry share one transaction, refusals are written after.
A call refused before its endpoint runs (a body that is not valid, a method the path does not
take, a token of the wrong kind) gets its "request" entry too, with its status, once."""

import logging
from contextlib import contextmanager, suppress

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError

from login_as_customer.errors import LoginAsCustomerDenied
from login_as_customer.flows import assisted_write
from login_as_customer.flows.assisted_write import SessionEnded
from login_as_customer.host import READING_METHODS
from shopassist.api.auth import api_write, caller_of, session_ended
from shopassist.api.errors import ApiError, status_for
from shopassist.core.errors import DomainError

logger = logging.getLogger(__name__)


@contextmanager
def recorded_write(request, *, operation: str):
    """Run a write; with an assisted token also write its log entries (channel "api"): as the
    storefront's (``login_as_customer/flows/assisted_write``), with the status the API answers
    a refused write with."""
    caller = request.auth
    session = caller.assisted_session
    if session is None:
        yield
        return
    write = api_write(request, operation=operation)
    try:
        with assisted_write.recorded_write(session, write, status_of_refusal=_status_of_refusal):
            yield
    except SessionEnded:  # since the token was checked: the write was rolled back
        caller.write_recorded = True  # and no entry is due once the session has ended
        raise session_ended() from None
    except Exception as error:
        # Not a refusal (an error of ours): no entry yet, the answer's status gets one.
        caller.write_recorded = _status_of_refusal(error) is not None
        raise
    caller.write_recorded = True


def _status_of_refusal(error: Exception) -> int | None:
    if isinstance(error, ApiError):
        return error.status
    if isinstance(error, (DomainError, LoginAsCustomerDenied)):
        return status_for(error.code)
    if isinstance(error, DjangoValidationError):
        return 400  # as the API answers it (api.django_validation_error)
    return None


def record_unrecorded_write(request, response, *, authenticate: bool = False) -> None:
    """The "request" entry of a state-changing call of an assisted token that wrote none: one
    refused before its endpoint ran, with the status it was answered. ``authenticate``: the
    call was refused before any operation authenticated it (``auth.caller_of``)."""
    _record_unrecorded(request, response.status_code, authenticate=authenticate)


def record_failed_write(request) -> None:
    """The entry of a state-changing call of an assisted token that an error of ours ended (a
    500, its write rolled back), if none was written. Never in the error's way: with the
    database unreachable (the likely error), no entry can be written either."""
    try:
        _record_unrecorded(request, 500)
    except DatabaseError:
        logger.warning("The failed API call's log entry could not be written.", exc_info=True)


def _record_unrecorded(request, status_code: int, *, authenticate: bool = False) -> None:
    if request.method in READING_METHODS:
        return
    caller = caller_of(request, authenticate=authenticate)
    if caller is None or caller.assisted_session is None or caller.write_recorded:
        return
    write = api_write(request, status_code=status_code)
    caller.write_recorded = True
    # Ended since its check (by this call, e.g. its logout): no entry after its end.
    with suppress(SessionEnded), assisted_write.recorded_write(caller.assisted_session, write):
        pass
