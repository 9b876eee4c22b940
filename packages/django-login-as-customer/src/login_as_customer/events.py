"""What Login as Customer records: one small function per event, each called inside the
transaction of what it records, each handing one ``journal.Event`` to the host's journal.
Refusals ("denied", "blocked") are written so that the rollback of the refused work cannot
remove them (``journal.record_refusal``)."""

from login_as_customer.actor import assisted_session_of
from login_as_customer.journal import Event, Outcome, record, record_refusal


def _record_for_session(session, *, action, outcome=Outcome.SUCCESS, refusal=False, **fields):
    event = Event(action=action, outcome=outcome, session=session, **fields)
    (record_refusal if refusal else record)(event)


def started(session, *, channel, ip_address):
    _record_for_session(
        session,
        action="start",
        channel=channel,
        ip_address=ip_address,
        target=session,
        details={
            "reason": session.reason,
            "mode": session.mode,
            "consent": session.consent_basis,
        },
    )


# Redemption refusals get their own action names in the report.
_REDEEM_ACTIONS = {
    "login_as_customer.token_invalid": "redeem_invalid",
    "login_as_customer.token_expired": "redeem_expired",
    "login_as_customer.token_replayed": "redeem_replayed",
    "login_as_customer.token_wrong_store_view": "redeem_wrong_store_view",
    "login_as_customer.token_wrong_browser": "redeem_wrong_browser",
    "login_as_customer.token_cross_site": "redeem_cross_site",
}


def denied(*, stage, staff, customer_id, code, channel, ip_address, details=None):
    """A refused start ("start_denied") or redemption ("redeem_expired", …)."""
    action = (
        _REDEEM_ACTIONS.get(str(code), "redeem_denied") if stage == "redeem" else ("start_denied")
    )
    record_refusal(
        Event(
            action=action,
            outcome=Outcome.DENIED,
            channel=channel,
            admin=staff,
            details={"code": str(code), "customer_id": customer_id, **(details or {})},
            ip_address=ip_address,
        )
    )


def redeemed(session, *, channel, ip_address):
    _record_for_session(
        session, action="redeem", channel=channel, ip_address=ip_address, target=session
    )


def ended(session, *, reason, details=None):
    """The end of a session ("end"): its reason, and its time when that was earlier than
    this entry (a limit noticed later), what replaced it."""
    _record_for_session(
        session, action="end", target=session, details={"reason": str(reason), **(details or {})}
    )


def terminated(session, *, by, ip_address):
    """Another administrator ended the session ("terminate"): the entry's actor is ``by``, who
    did it (the Report's administrator, a SIEM's ``user.name``); the session's own
    administrator is in its details."""
    _record_for_session(
        session,
        action="terminate",
        admin=by,
        target=session,
        ip_address=ip_address,
        details={
            "terminated_by_id": by.pk,
            "terminated_by": by.get_username(),
            "session_admin_id": session.admin_id,
            "session_admin": session.admin_username,
        },
    )


def blocked(session, *, action, details=None, channel="web", ip_address=None):
    """A refused action. The refusal rolls back whatever transaction it happened in: the
    entry is written once that is over (``record_refusal``), after the request's own entry,
    which it marks denied."""
    session.refused_in_request = True
    _record_for_session(
        session,
        action=action,
        outcome=Outcome.DENIED,
        refusal=True,
        details=details or {},
        channel=channel,
        ip_address=ip_address,
    )


def domain_action(session, *, action, details, target=None, channel="web", ip_address=None):
    """A readable entry for something done on the customer's account (cart, address, …)."""
    _record_for_session(
        session,
        action=action,
        target=target,
        channel=channel,
        ip_address=ip_address,
        details=details,
    )


def blocked_for(actor, *, action, details=None):
    """``blocked``, for an actor (``actor.ActorLike``): recorded when it acts in an assisted
    session, nothing otherwise."""
    _for_actor(blocked, actor, action=action, details=details)


def domain_action_for(actor, *, action, details, target=None):
    """``domain_action``, for an actor: recorded when it acts in an assisted session."""
    _for_actor(domain_action, actor, action=action, details=details, target=target)


def _for_actor(record_it, actor, **fields):
    session = assisted_session_of(actor)
    if session is not None:
        record_it(
            session, channel=getattr(actor, "channel", "web"), ip_address=actor.ip_address, **fields
        )


def request_made(session, *, view_name, method, status_code, channel="web", ip_address=None):
    """The generic entry for every state-changing request of an assisted session (denied when
    the request was refused, also by a form that re-renders with status 200)."""
    if session.__dict__.pop("refused_in_request", False):
        outcome = Outcome.DENIED
    elif status_code < 400:
        outcome = Outcome.SUCCESS
    elif status_code in (403, 405):
        outcome = Outcome.DENIED
    else:
        outcome = Outcome.FAILED
    _record_for_session(
        session,
        action="request",
        outcome=outcome,
        channel=channel,
        ip_address=ip_address,
        details={"view": view_name, "method": method, "status": status_code},
    )


def code_issued(code, *, replaced, channel, ip_address):
    """The customer got an assistance code ("assistance_code.issue"); ``replaced``: how many
    open codes it voided."""
    record(
        Event(
            action="assistance_code.issue",
            customer=code.customer,
            target=code,
            channel=channel,
            ip_address=ip_address,
            details={"expires_at": code.expires_at.isoformat(), "replaced": replaced},
        )
    )


def code_used(session, code, *, channel, ip_address):
    """The session started on the customer's assistance code ("assistance_code.use")."""
    _record_for_session(
        session,
        action="assistance_code.use",
        target=code,
        channel=channel,
        ip_address=ip_address,
        details={"code_id": code.pk, "issued_at": code.created_at.isoformat()},
    )


def consent_changed(consent, *, staff=None, by="customer", channel="web", ip_address=None):
    """The "Allow remote shopping assistance" flag was set ("consent.grant") or cleared
    ("consent.revoke") ``by`` "staff" (``staff``, in the admin panel), "customer" or "system"."""
    record(
        Event(
            action="consent.grant" if consent.allowed else "consent.revoke",
            admin=staff,
            customer=consent.customer,
            target=consent,
            channel=channel,
            ip_address=ip_address,
            details={
                "allowed": consent.allowed,
                "expires_at": consent.expires_at.isoformat() if consent.expires_at else None,
                "set_by": by,
            },
        )
    )
