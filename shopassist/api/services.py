"""Issue, find and revoke API tokens (sign-in lockout: ``core/signin_guard.py``)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import authenticate
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from login_as_customer import tokens
from login_as_customer.flows.end import end_each
from login_as_customer.host import host
from login_as_customer.models import AssistedSession, EndReason
from shopassist.api.errors import ApiError, ApiErrorCode
from shopassist.api.models import ApiToken, TokenKind
from shopassist.core import signin_guard
from shopassist.customers.signin import authenticate_customer_with_lockout

ADMIN_TOKEN_LIFETIME = timedelta(hours=4)
CUSTOMER_TOKEN_LIFETIME = timedelta(hours=1)


def _credential_hash(holder) -> str:
    return holder.get_session_auth_hash() if holder is not None else ""


def issue_token(
    *,
    kind: TokenKind,
    expires_at,
    user=None,
    customer=None,
    store_view=None,
    session=None,
    minted_by: ApiToken | None = None,
) -> tuple[ApiToken, str]:
    """Mint a token: the raw value is returned once, only its hash is stored.

    ``minted_by`` is the administrator token an assisted token is minted with: revoking that
    token revokes this one."""
    raw = tokens.new_token()
    holder = user if kind == TokenKind.ADMIN else customer
    token = ApiToken.objects.create(
        token_hash=tokens.hash_token(raw),
        kind=kind,
        user=user,
        customer=customer,
        store_view=store_view,
        assisted_session=session,
        minted_by=minted_by,
        credential_hash=_credential_hash(holder),
        expires_at=expires_at,
    )
    return token, raw


def find_token(raw) -> ApiToken | None:
    """The live token of a raw bearer value, or None (unknown, expired, revoked, stale)."""
    if not tokens.looks_like_token(raw):
        return None
    token = (
        ApiToken.objects.select_related(
            "user", "customer__website", "customer__created_in", "store_view__store__website"
        )
        .filter(token_hash=tokens.hash_token(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None:
        return None
    # An assisted token lives as long as its session: the per-request check ends the session
    # (and logs why) when its maximum duration is over or its store view is no longer usable,
    # so expiry and the store view are checked there (``auth``).
    if token.kind != TokenKind.ASSISTED and token.expires_at <= timezone.now():
        return None
    if token.kind == TokenKind.ADMIN:
        user = token.user
        if user is None or not (user.is_active and user.is_staff):
            return None
        holder = user
    else:
        holder = token.customer
        if holder is None or not holder.is_active:
            return None
    if not constant_time_compare(token.credential_hash, _credential_hash(holder)):
        return None  # the password changed since the token was issued
    if token.kind == TokenKind.CUSTOMER and not store_view_usable(token):
        return None
    return token


def store_view_usable(token: ApiToken) -> bool:
    """Whether the token's customer can still use its store view, by the storefront's rule
    (``Host.store_view_usable``): it is open, and on a website the account may use (not moved
    to another one, accounts still shared). The store view was read with the token."""
    return host().store_view_usable(token.customer, token.store_view)


def revoke_token(token: ApiToken) -> None:
    """Revoke a token. An administrator token takes with it the assisted tokens it minted,
    and their sessions end as the admin panel's logout ends those started from it."""
    now = timezone.now()
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now)
        if token.kind != TokenKind.ADMIN:
            return
        minted = ApiToken.objects.filter(minted_by=token)
        session_ids = list(minted.values_list("assisted_session_id", flat=True))
        minted.filter(revoked_at__isnull=True).update(revoked_at=now)
        end_each(AssistedSession.objects.filter(pk__in=session_ids), EndReason.ADMIN_LOGGED_OUT)


def _invalid_credentials() -> ApiError:
    return ApiError(
        401, ApiErrorCode.INVALID_CREDENTIALS, _("The sign-in details are not correct.")
    )


def _locked_out() -> ApiError:
    return ApiError(429, ApiErrorCode.LOCKED_OUT, str(signin_guard.LOCKED_MESSAGE))


def issue_admin_token(*, request, username: str, password: str) -> tuple[ApiToken, str]:
    """An administrator token for active staff.

    The lockout is the admin login page's (``core/signin_guard.py``): five failures lock the
    username out on both for 15 minutes."""
    credentials = signin_guard.admin_credentials(username)
    try:
        signin_guard.check_not_locked(request, credentials)
        # With the request, axes' backend and receivers count a failure as on the login page.
        user = authenticate(request, username=username, password=password)
        if user is not None and not (user.is_active and user.is_staff):
            signin_guard.record_failure(request, credentials)  # valid, but not for the admin
            user = None
        if user is None:
            signin_guard.check_not_locked(request, credentials)
            raise _invalid_credentials()
    except signin_guard.SignInLocked:
        raise _locked_out() from None
    signin_guard.record_success(request, credentials)
    with transaction.atomic():
        return issue_token(
            kind=TokenKind.ADMIN, user=user, expires_at=timezone.now() + ADMIN_TOKEN_LIFETIME
        )


def issue_customer_token(*, request, store_view, email: str, password: str) -> tuple[ApiToken, str]:
    """A customer token on a store view's website (the storefront's sign-in rules and
    lockout, shared with the storefront sign-in form)."""
    try:
        customer = authenticate_customer_with_lockout(
            request, store_view=store_view, email=email, password=password
        )
    except signin_guard.SignInLocked:
        raise _locked_out() from None
    if customer is None:
        raise _invalid_credentials()
    return issue_token(
        kind=TokenKind.CUSTOMER,
        customer=customer,
        store_view=store_view,
        expires_at=timezone.now() + CUSTOMER_TOKEN_LIFETIME,
    )
