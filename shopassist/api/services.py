"""Issue, find and revoke API tokens; lock out repeated password failures."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.contrib.auth import authenticate
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from shopassist.api.errors import ApiError, ApiErrorCode
from shopassist.api.models import ApiToken, TokenKind
from shopassist.customers.services import authenticate_customer
from shopassist.login_as_customer import tokens

ADMIN_TOKEN_LIFETIME = timedelta(hours=4)
CUSTOMER_TOKEN_LIFETIME = timedelta(hours=1)
MAX_FAILURES = 5
LOCKOUT_SECONDS = 15 * 60


def _credential_hash(holder) -> str:
    return holder.get_session_auth_hash() if holder is not None else ""


def issue_token(
    *, kind: TokenKind, expires_at, user=None, customer=None, store_view=None, session=None
) -> tuple[ApiToken, str]:
    """Mint a token: the raw value is returned once, only its hash is stored."""
    raw = tokens.new_token()
    holder = user if kind == TokenKind.ADMIN else customer
    token = ApiToken.objects.create(
        token_hash=tokens.hash_token(raw),
        kind=kind,
        user=user,
        customer=customer,
        store_view=store_view,
        assisted_session=session,
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
    # (and logs why) when its maximum duration is over, so expiry is checked there.
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
    return token


def revoke_token(token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def _failure_key(scope: str, identifier: str, kind: str = "failures") -> str:
    digest = hashlib.sha256(identifier.strip().lower().encode()).hexdigest()
    return f"api:auth-{kind}:{scope}:{digest}"


def _check_not_locked(scope: str, identifier: str) -> None:
    # The lock holds its end time: the clock decides, whatever the cache backend's TTLs.
    locked_until = cache.get(_failure_key(scope, identifier, "locked-until"))
    if locked_until is not None and locked_until > timezone.now().timestamp():
        raise ApiError(
            429,
            ApiErrorCode.LOCKED_OUT,
            _("Too many failed sign-in attempts. Try again in 15 minutes."),
        )


def _record_failure(scope: str, identifier: str) -> None:
    key = _failure_key(scope, identifier)
    cache.add(key, 0, timeout=LOCKOUT_SECONDS)
    try:
        failures = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=LOCKOUT_SECONDS)
        failures = 1
    if failures >= MAX_FAILURES:
        locked_until = timezone.now().timestamp() + LOCKOUT_SECONDS
        cache.set(_failure_key(scope, identifier, "locked-until"), locked_until, LOCKOUT_SECONDS)


def _clear_failures(scope: str, identifier: str) -> None:
    cache.delete_many(
        [_failure_key(scope, identifier), _failure_key(scope, identifier, "locked-until")]
    )


def _invalid_credentials() -> ApiError:
    return ApiError(
        401, ApiErrorCode.INVALID_CREDENTIALS, _("The sign-in details are not correct.")
    )


def issue_admin_token(*, username: str, password: str) -> tuple[ApiToken, str]:
    """An administrator token for active staff; five failures lock the username out."""
    _check_not_locked("admin", username)
    user = authenticate(None, username=username, password=password)
    if user is None or not (user.is_active and user.is_staff):
        _record_failure("admin", username)
        raise _invalid_credentials()
    _clear_failures("admin", username)
    with transaction.atomic():
        return issue_token(
            kind=TokenKind.ADMIN, user=user, expires_at=timezone.now() + ADMIN_TOKEN_LIFETIME
        )


def issue_customer_token(*, store_view, email: str, password: str) -> tuple[ApiToken, str]:
    """A customer token on a store view's website (the storefront's sign-in rules)."""
    scope = f"customer:{store_view.store.website_id}"
    _check_not_locked(scope, email)
    customer = authenticate_customer(store_view=store_view, email=email, password=password)
    if customer is None:
        _record_failure(scope, email)
        raise _invalid_credentials()
    _clear_failures(scope, email)
    return issue_token(
        kind=TokenKind.CUSTOMER,
        customer=customer,
        store_view=store_view,
        expires_at=timezone.now() + CUSTOMER_TOKEN_LIFETIME,
    )
