"""Why Login as Customer refused: stable codes (also used by the API) and their messages."""

from enum import StrEnum

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from login_as_customer.host import host


class DenialCode(StrEnum):
    FEATURE_DISABLED = "login_as_customer.feature_disabled"
    PERMISSION_MISSING = "login_as_customer.permission_missing"
    CUSTOMER_MISSING = "login_as_customer.customer_missing"
    CUSTOMER_INACTIVE = "login_as_customer.customer_inactive"
    TARGET_IS_STAFF = "login_as_customer.target_is_staff"
    CONSENT_MISSING = "login_as_customer.consent_missing"
    CONSENT_EXPIRED = "login_as_customer.consent_expired"
    STORE_VIEW_NOT_ALLOWED = "login_as_customer.store_view_not_allowed"
    REASON_REQUIRED = "login_as_customer.reason_required"
    REASON_TOO_LONG = "login_as_customer.reason_too_long"
    REASON_DIRECTION_CONTROLS = "login_as_customer.reason_direction_controls"
    RATE_LIMITED = "login_as_customer.rate_limited"
    ADMIN_INACTIVE = "login_as_customer.admin_inactive"
    TOKEN_INVALID = "login_as_customer.token_invalid"
    TOKEN_EXPIRED = "login_as_customer.token_expired"
    TOKEN_REPLAYED = "login_as_customer.token_replayed"
    TOKEN_WRONG_STORE_VIEW = "login_as_customer.token_wrong_store_view"
    TOKEN_WRONG_BROWSER = "login_as_customer.token_wrong_browser"
    TOKEN_CROSS_SITE = "login_as_customer.token_cross_site"
    REAUTH_FAILED = "login_as_customer.reauth_failed"
    REAUTH_LOCKED = "login_as_customer.reauth_locked"
    CONSENT_CHANGE_BLOCKED = "login_as_customer.consent_change_blocked"
    INVALID_DURATION = "login_as_customer.invalid_duration"
    FULL_ACCESS_MISSING = "login_as_customer.full_access_missing"
    MODE_INVALID = "login_as_customer.mode_invalid"
    VIEW_ONLY = "login_as_customer.view_only"
    CODE_REQUIRED = "login_as_customer.code_required"
    CODE_OR_CONSENT_MISSING = "login_as_customer.code_or_consent_missing"
    CODE_WRONG = "login_as_customer.code_wrong"
    CODE_EXPIRED = "login_as_customer.code_expired"
    CODE_VOIDED = "login_as_customer.code_voided"
    CODE_BLOCKED = "login_as_customer.code_blocked"
    CODES_OFF = "login_as_customer.codes_off"
    SIGN_IN_BLOCKED = "login_as_customer.sign_in_blocked"


MESSAGES = {
    DenialCode.FEATURE_DISABLED: _("Login as Customer is disabled."),
    DenialCode.PERMISSION_MISSING: _("You are not allowed to log in as customers."),
    DenialCode.CUSTOMER_MISSING: _("The customer does not exist."),
    DenialCode.CUSTOMER_INACTIVE: _("The customer account is inactive."),
    DenialCode.TARGET_IS_STAFF: _("Staff accounts can never be the target of Login as Customer."),
    DenialCode.CONSENT_MISSING: _(
        "The customer has not enabled Allow remote shopping assistance. Contact the customer "
        "and ask them to enable it in their account."
    ),
    DenialCode.CONSENT_EXPIRED: _(
        "The customer's permission for remote shopping assistance has expired. Contact the "
        "customer and ask them to enable it again."
    ),
    DenialCode.STORE_VIEW_NOT_ALLOWED: _("The customer cannot use this store view."),
    DenialCode.REASON_REQUIRED: _("Enter a reason or ticket id."),
    DenialCode.REASON_TOO_LONG: _("The reason is too long."),  # flows/start says how long
    # flows/start names the characters.
    DenialCode.REASON_DIRECTION_CONTROLS: _(
        "The reason contains invisible characters that change the direction of text."
    ),
    DenialCode.RATE_LIMITED: _(
        "You started too many assisted sessions in a short time. Wait a minute and try again."
    ),
    DenialCode.ADMIN_INACTIVE: _("The administrator account is inactive."),
    DenialCode.TOKEN_INVALID: _("The login link is not valid."),
    DenialCode.TOKEN_EXPIRED: _("The login link has expired. Start Login as Customer again."),
    DenialCode.TOKEN_REPLAYED: _("The login link was already used."),
    DenialCode.TOKEN_WRONG_STORE_VIEW: _("The login link belongs to another store view."),
    DenialCode.TOKEN_WRONG_BROWSER: _(
        "The login link can only be used in the browser that started Login as Customer."
    ),
    DenialCode.TOKEN_CROSS_SITE: _(
        "The login link was sent from another site. Start Login as Customer from the admin panel."
    ),
    DenialCode.REAUTH_FAILED: _("The password is not correct."),
    DenialCode.REAUTH_LOCKED: lazy(lambda: str(host().staff_locked_message()), str)(),
    DenialCode.CONSENT_CHANGE_BLOCKED: _(
        "The assistance permission cannot be changed during an assisted session."
    ),
    DenialCode.INVALID_DURATION: _("Choose a valid duration."),
    DenialCode.FULL_ACCESS_MISSING: _(
        "You may only start view-only sessions: Full access needs Allow Login as Customer."
    ),
    DenialCode.MODE_INVALID: _("Choose View only or Full access."),
    DenialCode.VIEW_ONLY: _(
        "This is a view-only session: nothing can be changed. Close the session and start one "
        "with Full access to act for the customer."
    ),
    DenialCode.CODE_REQUIRED: _(
        "Enter the assistance code the customer reads out from My Account › Assisted sessions."
    ),
    DenialCode.CODE_OR_CONSENT_MISSING: _(
        "The customer has not enabled Allow remote shopping assistance. Ask them for an "
        "assistance code from My Account › Assisted sessions, or to enable it."
    ),
    DenialCode.CODE_WRONG: _("The assistance code is not correct."),
    DenialCode.CODE_EXPIRED: _(
        "The customer has no valid assistance code (codes last 10 minutes and serve one "
        "session). Ask them to get a new one."
    ),
    DenialCode.CODE_VOIDED: _(
        "Too many wrong codes: the assistance code is void. Ask the customer to get a new one."
    ),
    DenialCode.CODE_BLOCKED: _("An assistance code cannot be created during an assisted session."),
    DenialCode.CODES_OFF: _("This store does not use assistance codes."),
    DenialCode.SIGN_IN_BLOCKED: _(
        "Signing in or creating an account is not possible during an assisted session. Close "
        "the assisted session first."
    ),
}


def message_for(code: DenialCode) -> str:
    return str(MESSAGES[code])


class LoginAsCustomerDenied(Exception):
    """A refusal of Login as Customer, with its stable code and its message."""

    def __init__(self, code: DenialCode):
        self.code = code
        self.message = message_for(code)
        super().__init__(self.message)

    def __str__(self):
        return self.message
