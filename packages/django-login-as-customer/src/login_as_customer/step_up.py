"""Step-up re-authentication: starting Login as Customer needs a recently entered password.

An admin session left open (or taken over) must not be enough to enter a customer's account:
when the administrator last entered their password longer ago than "Re-authenticate after"
minutes (0: always), the confirmation asks for it again. The time is kept in the admin session:
stamped at every admin login (``integrations/admin_password.py``) and at every successful
re-entry here. Wrong passwords count toward the administrator's sign-in lockout.
"""

from django.utils import timezone

from login_as_customer import config as lac_config
from login_as_customer.errors import DenialCode, LoginAsCustomerDenied
from login_as_customer.flows.start import record_denial
from login_as_customer.host import host

VERIFIED_AT_SESSION_KEY = "_lac_password_verified_at"


def record_password_entered(session, *, now=None) -> None:
    """The administrator just proved they know their password (in this admin session)."""
    session[VERIFIED_AT_SESSION_KEY] = int((now or timezone.now()).timestamp())


def password_is_recent(session, *, now=None) -> bool:
    minutes = lac_config.setting(lac_config.REAUTH_AFTER)
    entered_at = session.get(VERIFIED_AT_SESSION_KEY)
    if minutes <= 0 or not isinstance(entered_at, int):
        return False
    age = (now or timezone.now()).timestamp() - entered_at
    # A stamp "from the future" (servers' clocks apart) counts as just now: only the server
    # writes it, so it cannot be forged forward.
    return age < minutes * 60


def confirm_password(request, *, password: str, customer_id, origin) -> None:
    """Check the re-entered password of the signed-in administrator.

    Raises ``LoginAsCustomerDenied`` (recorded as a refused start) when the administrator is
    locked out or the password is wrong; a wrong password counts toward the lockout (the
    host's: ``Host.staff_locked_out`` and ``Host.staff_password_checked``).
    """
    staff = request.user
    if host().staff_locked_out(request, staff):
        raise record_denial(
            DenialCode.REAUTH_LOCKED, staff=staff, customer_id=customer_id, origin=origin
        )
    if not staff.check_password(password):
        host().staff_password_checked(request, staff, correct=False)
        denial = record_denial(
            DenialCode.REAUTH_FAILED, staff=staff, customer_id=customer_id, origin=origin
        )
        if host().staff_locked_out(request, staff):  # this failure reached the limit
            raise LoginAsCustomerDenied(DenialCode.REAUTH_LOCKED) from denial
        raise denial
    host().staff_password_checked(request, staff, correct=True)
    record_password_entered(request.session)
