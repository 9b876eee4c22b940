"""The customer's consent to remote shopping assistance: the one rule of when it is valid
(``consent_valid``, and ``valid_consents`` for a queryset), how long a grant lasts
(``ConsentDuration``) and the one way it changes (``set_consent``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from login_as_customer import events, notifications, selectors
from login_as_customer.actor import ActorLike
from login_as_customer.errors import DenialCode, LoginAsCustomerDenied
from login_as_customer.flows.assistance_code import void_open_codes
from login_as_customer.flows.end import end_each
from login_as_customer.models import AssistanceConsent, EndReason


class ConsentDuration(models.TextChoices):
    """How long a grant lasts: until revoked, or a number of days."""

    UNTIL_REVOKED = "", _("until I revoke it")
    ONE_DAY = "1", _("for 1 day")
    SEVEN_DAYS = "7", _("for 7 days")
    THIRTY_DAYS = "30", _("for 30 days")

    @property
    def delta(self) -> timedelta | None:
        return timedelta(days=int(self.value)) if self.value else None


def consent_valid(allowed: bool, expires_at: datetime | None, now: datetime) -> bool:
    """Whether a consent allows an assisted session at ``now``: given, and not expired."""
    return bool(allowed) and (expires_at is None or expires_at > now)


def valid_consents(now: datetime, prefix: str = "") -> Q:
    """``consent_valid`` as a condition on consent rows (``prefix``: the path from the rows
    queried to the consent, e.g. ``"assistance_consent__"`` from customers)."""
    return Q(**{f"{prefix}allowed": True}) & (
        Q(**{f"{prefix}expires_at__isnull": True}) | Q(**{f"{prefix}expires_at__gt": now})
    )


def set_consent(
    *, customer, allowed: bool, duration: str = "", actor: ActorLike
) -> AssistanceConsent:
    """Grant (for as long as a ``ConsentDuration`` says) or revoke remote shopping assistance.

    Revoking ends the customer's live assisted sessions (login links not yet used included) and
    voids the assistance codes not yet used. Refused while an administrator acts on the
    customer's behalf: only the customer (or staff in the admin panel) decides. A change by
    staff is recorded on the consent (who) and in the action log, and — with *Notify the
    customer* — a grant is e-mailed to the customer; the customer's own change clears "who".
    """
    if actor.on_behalf_of_customer:
        events.blocked_for(actor, action="consent.blocked", details={"allowed": allowed})
        raise LoginAsCustomerDenied(DenialCode.CONSENT_CHANGE_BLOCKED)
    if duration not in ConsentDuration.values:
        raise LoginAsCustomerDenied(DenialCode.INVALID_DURATION)
    now = timezone.now()
    with transaction.atomic():
        consent, _created = AssistanceConsent.objects.select_for_update().get_or_create(
            customer=customer
        )
        if allowed and not consent.is_valid(now):
            consent.granted_at = now
        delta = ConsentDuration(duration).delta if allowed else None
        consent.allowed = allowed
        consent.expires_at = now + delta if delta else None
        staff = actor.staff_user  # None when the customer decides (on-behalf was refused above)
        consent.set_by = staff
        consent.set_by_username = staff.get_username() if staff is not None else ""
        consent.save()
        by = "staff" if staff is not None else ("customer" if actor.customer else "system")
        events.consent_changed(
            consent, staff=staff, by=by, channel=actor.channel, ip_address=actor.ip_address
        )
        if not allowed:
            void_open_codes(customer.pk)  # first: see void_open_codes
            end_each(selectors.live_sessions_of_customer(customer.pk), EndReason.CONSENT_REVOKED)
        if staff is not None and allowed and notifications.consent_mail_wanted(customer):
            notifications.mail_consent_granted_by_staff(consent)  # sent after the commit
    return consent
