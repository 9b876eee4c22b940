"""Bearer authentication of the API. Every request is checked on the server; a request with
an assisted token also runs the per-request check of a web assisted session (SPEC §7)."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from login_as_customer.actor import ASSISTED_SESSION, ASSISTED_SESSION_ID
from login_as_customer.errors import DenialCode, message_for
from login_as_customer.flows import live_check
from login_as_customer.flows.assisted_write import SessionEnded, Write, refuse_in_view_only
from login_as_customer.flows.end import end_session
from login_as_customer.host import READING_METHODS
from login_as_customer.models import EndReason, SessionMode
from shopassist.api import services
from shopassist.api.errors import ApiError, ApiErrorCode
from shopassist.api.models import ApiToken, TokenKind
from shopassist.core.actor import Actor, client_ip

SESSION_ENDED = "login_as_customer.session_ended"


def session_ended() -> ApiError:
    """The answer of an assisted token whose session has ended (at its check, or since)."""
    return ApiError(401, SESSION_ENDED, _("The assisted session has ended."))


LAST_USED_GRANULARITY = timedelta(seconds=live_check.LAST_SEEN_GRANULARITY)


@dataclass
class Caller:
    """Who holds the bearer token of a request, and the actor their calls act as."""

    token: ApiToken
    actor: Actor
    customer: object = None
    store_view: object = None
    assisted_session: object = None
    extra: dict = field(default_factory=dict)
    # The "request" entry of this call is written (or is not due: its session ended).
    write_recorded: bool = False


def _live_assisted_session(token: ApiToken, *, activity: bool = True):
    """The token's assisted session if it may go on; else end it and refuse. ``activity``:
    the call moves the session's idle clock (not a question about the token)."""
    session = live_check.load_live_session(token.assisted_session_id)
    reason = live_check.check(session)  # the idle clock of web and API alike
    if reason is None and token.expires_at <= timezone.now():
        reason = EndReason.MAX_DURATION
    if reason is None and not services.store_view_usable(token):
        reason = EndReason.STORE_VIEW_UNAVAILABLE  # as the storefront ends it
    if reason is not None:
        if session is not None:
            end_session(session, reason, at=live_check.limit_passed_at(session, reason))
        raise session_ended()
    if activity:
        live_check.touch(session)
    return session


def _touch(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_GRANULARITY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def caller_for(request, raw_token: str, *, activity: bool = True) -> Caller:
    """Who the token stands for, checked as every call checks it; ``activity``: the call
    counts as the token's use (its last use, its session's idle clock)."""
    token = services.find_token(raw_token)
    if token is None:
        raise ApiError(401, ApiErrorCode.TOKEN_INVALID, _("The token is not valid or has expired."))
    ip_address = client_ip(request)
    if token.kind == TokenKind.ADMIN:
        caller = Caller(token, Actor(staff_user=token.user, channel="api", ip_address=ip_address))
    elif token.kind == TokenKind.CUSTOMER:
        caller = Caller(
            token,
            Actor(customer=token.customer, channel="api", ip_address=ip_address),
            customer=token.customer,
            store_view=token.store_view,
        )
    else:
        session = _live_assisted_session(token, activity=activity)
        caller = Caller(
            token,
            Actor(
                staff_user=session.admin,
                customer=token.customer,
                channel="api",
                ip_address=ip_address,
                context={ASSISTED_SESSION_ID: session.pk, ASSISTED_SESSION: session},
            ),
            customer=token.customer,
            store_view=token.store_view,
            assisted_session=session,
        )
    # An assisted token's last use is its session's clock.
    if activity and token.kind != TokenKind.ASSISTED:
        _touch(token)
    return caller


def api_write(request, *, operation: str | None = None, status_code: int = 200) -> Write:
    """The "request" entry of an assisted token's state-changing call: named by its operation,
    else by the URL it resolved to (else its path)."""
    if operation is None:
        match = request.resolver_match
        operation = match.url_name if match else request.path_info[:190]
    return Write(
        view_name=f"api:{operation}",
        method=request.method,
        channel="api",
        ip_address=client_ip(request),
        status_code=status_code,
    )


# The request's caller as its authentication found it (None: no live token), also when the
# call was then refused (a token of the wrong kind, a change in a view-only session).
_CALLER = "api_caller"


def caller_of(request, *, authenticate: bool = False) -> Caller | None:
    """Who made the request, as its authentication found them; ``authenticate``: for a call
    refused before its operation authenticated it (a method the path does not take), from its
    bearer token now. None without a live token."""
    if not hasattr(request, _CALLER) and authenticate:
        raw = _bearer_value(request)
        setattr(request, _CALLER, None)
        if raw:
            with suppress(ApiError):  # a dead token: nothing to record
                setattr(request, _CALLER, caller_for(request, raw))
    return getattr(request, _CALLER, None)


def _bearer_value(request) -> str:
    scheme, _sep, raw = request.headers.get("Authorization", "").partition(" ")
    return raw.strip() if scheme.lower() == "bearer" else ""


class _Bearer(HttpBearer):
    kinds: tuple[TokenKind, ...] = ()
    activity = True  # a call with the token is its use (``caller_for``)

    def __call__(self, request):
        setattr(request, _CALLER, None)
        raw = _bearer_value(request)
        if not raw:
            raise ApiError(401, ApiErrorCode.TOKEN_MISSING, _("Send a bearer token."))
        return self.authenticate(request, raw)

    def authenticate(self, request, token):
        caller = caller_for(request, token, activity=self.activity)
        setattr(request, _CALLER, caller)
        if caller.token.kind not in self.kinds:
            raise ApiError(403, ApiErrorCode.WRONG_TOKEN_KIND, _("This token cannot be used here."))
        return caller


class AnyToken(_Bearer):
    kinds = (TokenKind.ADMIN, TokenKind.CUSTOMER, TokenKind.ASSISTED)


class AdminToken(_Bearer):
    kinds = (TokenKind.ADMIN,)


class CustomerToken(_Bearer):
    """The customer's own token or an administrator's assisted token for the customer; with
    the token of a view-only session, only reading calls (every change is refused, logged)."""

    kinds = (TokenKind.CUSTOMER, TokenKind.ASSISTED)

    def authenticate(self, request, token):
        caller = super().authenticate(request, token)
        session = caller.assisted_session
        if (
            session is not None
            and session.mode == SessionMode.VIEW_ONLY
            and request.method not in READING_METHODS
        ):
            caller.write_recorded = True  # the refusal's own "request" entry
            try:
                refuse_in_view_only(session, api_write(request))
            except SessionEnded:  # since the token was checked
                raise session_ended() from None
            raise ApiError(403, DenialCode.VIEW_ONLY, message_for(DenialCode.VIEW_ONLY))
        return caller


class InactiveToken:
    """A bearer token that is present but stands for nothing now (unknown, expired, revoked,
    its holder's password changed, its assisted session ended)."""


INACTIVE = InactiveToken()


class IntrospectedToken(AnyToken):
    """Introspection (RFC 7662 §2.2): a dead token is answered ``{"active": false}``, not
    refused; a request without a bearer token is still refused. Asking about a token is not
    using it: a client polling introspection keeps no assisted session from its idle timeout."""

    activity = False

    def authenticate(self, request, token):
        try:
            return super().authenticate(request, token)
        except ApiError as error:
            if error.status != 401:
                raise
            return INACTIVE
