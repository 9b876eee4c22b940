"""What the confirmation dialog (and its no-JavaScript page) shows."""

from django.utils import timezone
from django.utils.translation import gettext as _

from login_as_customer import config as lac_config
from login_as_customer import selectors, step_up
from login_as_customer.decisions import can_login_as
from login_as_customer.errors import DenialCode, message_for
from login_as_customer.flows.start import MAX_REASON, start_facts
from login_as_customer.host import host
from login_as_customer.models import SessionMode
from login_as_customer.overdue import end_overdue_sessions
from login_as_customer.permissions import default_mode, modes_for


def dialog_context(request, customer) -> dict:
    manual = lac_config.setting(lac_config.STORE_VIEW_LOGIN) == lac_config.MANUAL_SELECTION
    preselected = host().auto_store_view(customer)
    modes = modes_for(request.user)
    store_view_groups = host().store_view_choices(customer) if manual else []
    # The store views the administrator may pick: each may ask its own consent (the setting
    # is per store view), so the dialog offers what any of them accepts and the server decides
    # for the one chosen.
    candidates = [
        choice["view"]
        for group in store_view_groups
        for choice in group["views"]
        if choice["usable"]
    ] or [preselected]
    consent_mode_of = {
        view: lac_config.setting(lac_config.CUSTOMER_CONSENT, store_view=view)
        for view in candidates
    }
    consent_modes = set(consent_mode_of.values())
    asks_code = bool(consent_modes & {lac_config.ASSISTANCE_CODE, lac_config.EITHER})
    consent_given = selectors.consent_is_valid(customer)
    now = timezone.now()
    decisions = [
        can_login_as(
            start_facts(
                staff=request.user,
                customer=customer,
                store_view=view,
                reason="-",
                staff_modes=modes,
                # The code is typed in the dialog: checked on confirm.
                code_given=mode in (lac_config.ASSISTANCE_CODE, lac_config.EITHER),
                consent_mode=mode,
            ),
            now=now,
        )
        for view, mode in consent_mode_of.items()
    ]
    # Only consent problems open the notice, and only when no store view on offer accepts the
    # customer; other refusals are explained by the server when the administrator confirms
    # (and are absent buttons in most cases).
    consent_denials = (DenialCode.CONSENT_MISSING, DenialCode.CONSENT_EXPIRED)
    notice = None
    if all(decision.code in consent_denials for decision in decisions):
        notice = message_for(decisions[0].code)
    return {
        "customer": customer,
        **customer_identity(request, customer),
        "notice": notice,
        "manual_selection": manual,
        "store_view_groups": store_view_groups,
        "preselected_id": preselected.pk if preselected else None,
        "require_reason": lac_config.setting(lac_config.REQUIRE_REASON),
        # What the log keeps: a longer reason is refused by the start, not cut.
        "reason_max_length": MAX_REASON,
        # An assistance code: asked for when codes count; needed unless the standing opt-in
        # does too and is valid.
        "asks_code": asks_code,
        # (required only when every store view on offer needs one).
        "code_required": all(
            mode == lac_config.ASSISTANCE_CODE or (mode == lac_config.EITHER and not consent_given)
            for mode in consent_modes
        ),
        # "View only" or "Full access" (full only with Allow Login as Customer).
        "modes": [mode for mode in SessionMode if mode in modes],
        "chosen_mode": default_mode(modes),
        # Step-up: the password field shows when the last password entry is too old.
        "reauth_required": not step_up.password_is_recent(request.session),
        # Confirming replaces the assisted session open in this browser: say so.
        "open_in_browser": sessions_open_in_browser(request),
    }


def customer_identity(request, customer) -> dict:
    """How the dialog names the customer: their name, e-mail address and admin page, to staff
    the host lets see them (``Host.staff_may_see_customer``); to anyone else "Customer #ID"
    only (``customer_withheld``), with no e-mail address and no link to a page they cannot
    open — a role that may start sessions by id (a phone desk working from ticket ids) reads
    no identity off the confirmation page, id by id."""
    if host().staff_may_see_customer(request.user, customer):
        return {
            "customer_name": host().customer_name(customer),
            "customer_email": host().customer_email(customer),
            "customer_admin_url": host().customer_admin_url(customer),
        }
    return {
        "customer_withheld": True,
        "customer_name": _("Customer #%(id)s") % {"id": customer.pk},
        "customer_email": "",
        "customer_admin_url": "",
    }


def sessions_open_in_browser(request) -> list:
    started_here = selectors.sessions_started_from(request.session.session_key)
    open_here = list(started_here.order_by("started_at"))
    # Past its limit a session is no longer open (the sweep records its end).
    if open_here and end_overdue_sessions(started_here, unused_links=False):
        open_here = list(started_here.order_by("started_at"))
    return open_here
