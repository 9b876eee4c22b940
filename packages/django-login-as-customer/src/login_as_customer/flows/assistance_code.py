"""Assistance codes (issue 16, point 1): consent for one session, given on the phone.

With *Customer consent* set to *Assistance code for each session* (or *Either*), a signed-in
customer gets a 6-digit code in My Account (``issue_code``) and reads it out; the administrator
types it into the confirmation, and the start (``flows/start``) spends it on that one session
(``spend_code``). A code lives 10 minutes and serves once; only a hash keyed with the site's
secret and the customer is kept (a million codes are no secret without the key); five wrong
codes void it; a new code voids the one before. Every issue, use and failure is logged."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from login_as_customer import config as lac_config
from login_as_customer import events
from login_as_customer.actor import ActorLike
from login_as_customer.errors import DenialCode, LoginAsCustomerDenied
from login_as_customer.models import AssistanceCode

DIGITS = 6
LIFETIME = timedelta(minutes=10)
MAX_FAILURES = 5
_TYPED = re.compile(r"[\s\-]")  # "123 456", "123-456": what people type


def codes_offered(store_view=None) -> bool:
    """Whether the configuration asks for codes (alone or as an alternative)."""
    consent = lac_config.setting(lac_config.CUSTOMER_CONSENT, store_view=store_view)
    return consent in (lac_config.ASSISTANCE_CODE, lac_config.EITHER)


def _hash(customer_id, code: str) -> str:
    message = f"login_as_customer.assistance_code:{customer_id}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _open_codes(customer_id):
    return AssistanceCode.objects.filter(
        customer_id=customer_id, used_at__isnull=True, voided_at__isnull=True
    )


def open_code_expiry(customer_id) -> datetime | None:
    """Until when the customer's open code (got, neither used nor voided) is valid, or None."""
    return (
        _open_codes(customer_id)
        .filter(expires_at__gt=timezone.now())
        .order_by("-id")
        .values_list("expires_at", flat=True)
        .first()
    )


def void_open_codes(customer_id) -> int:
    """Void the customer's codes not yet used: the customer withdrew their permission, or ended
    the assisted sessions on their account — a code read out before must not open the next one.
    Called in the caller's transaction, before it ends the live sessions: a start spending the
    code meanwhile holds its row, so the session it commits is among those then ended."""
    return _open_codes(customer_id).update(voided_at=timezone.now())


@dataclass(frozen=True)
class IssuedCode:
    code: str  # shown once, never stored
    expires_at: datetime

    @property
    def spaced(self) -> str:
        """ "123 456": easier to read out."""
        return f"{self.code[:3]} {self.code[3:]}"


def issue_code(*, customer, actor: ActorLike, store_view=None) -> IssuedCode:
    """A new code for the customer (the one before is voided), logged. Refused where the
    configuration takes no codes, and in an assisted session: only the customer consents."""
    if actor.on_behalf_of_customer:
        # Refused and recorded whatever the store's setting: an attempt at consent on the
        # customer's behalf leaves a trace even where codes are off.
        events.blocked_for(actor, action="assistance_code.blocked")
        raise LoginAsCustomerDenied(DenialCode.CODE_BLOCKED)
    if not codes_offered(store_view):
        raise LoginAsCustomerDenied(DenialCode.CODES_OFF)
    now = timezone.now()
    code = f"{secrets.randbelow(10**DIGITS):0{DIGITS}d}"
    with transaction.atomic():
        replaced = _open_codes(customer.pk).select_for_update().update(voided_at=now)
        issued = AssistanceCode.objects.create(
            customer=customer,
            code_hash=_hash(customer.pk, code),
            created_at=now,
            expires_at=now + LIFETIME,
        )
        events.code_issued(
            issued, replaced=replaced, channel=actor.channel, ip_address=actor.ip_address
        )
    return IssuedCode(code=code, expires_at=issued.expires_at)


class CodeRefused(LoginAsCustomerDenied):
    def __init__(self, code: DenialCode, *, failed_attempts: int | None):
        super().__init__(code)
        self.details = {} if failed_attempts is None else {"failed_attempts": failed_attempts}


def spend_code(*, customer_id, typed: str) -> AssistanceCode:
    """Check the code the administrator typed for the customer and spend it, or refuse
    (``CodeRefused``; the start flow records it).

    Called inside the transaction that records what the code is spent on (the start's), so
    that the code is spent only with its session. A wrong code counts toward the five that void
    it, saved before the refusal is raised: the caller commits it all the same (the start
    leaves its block normally and refuses after), so no rollback gives the guesses back."""
    typed = _TYPED.sub("", typed or "")
    now = timezone.now()
    with transaction.atomic():
        code = _open_codes(customer_id).select_for_update().order_by("-id").first()
        if code is None or code.expires_at <= now:
            refusal = DenialCode.CODE_EXPIRED
        elif (
            len(typed) == DIGITS
            and typed.isascii()
            and typed.isdigit()
            and (hmac.compare_digest(code.code_hash, _hash(customer_id, typed)))
        ):
            code.used_at = now
            code.save(update_fields=["used_at"])
            return code
        else:
            code.failed_attempts += 1
            refusal = DenialCode.CODE_WRONG
            if code.failed_attempts >= MAX_FAILURES:
                code.voided_at = now
                refusal = DenialCode.CODE_VOIDED
            code.save(update_fields=["failed_attempts", "voided_at"])
    raise CodeRefused(refusal, failed_attempts=code.failed_attempts if code else None)
