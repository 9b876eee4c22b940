"""The customer is told: at their next own sign-in after assisted sessions on their account, a
notice names who was connected, when and for how long, with a link to what was done (My
Account › Assisted sessions). It is kept in the storefront session until dismissed, and every
session told is marked told at that sign-in, so the next sign-in does not tell it again.

The host reports the customer's own sign-in (``customer_signed_in``; the default host through
``django.contrib.auth``'s ``user_logged_in``, which an assisted session's redemption never
sends); ``middleware.AssistedSessionMiddleware`` puts the notice on the pages."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from login_as_customer import config as lac_config
from login_as_customer.models import AssistanceNotice, AssistedSession
from login_as_customer.overdue import end_overdue_sessions

NOTICE_KEY = "_lac_notice"
SHOWN = 3  # sessions named in the notice; more are counted


def customer_signed_in(request, customer) -> None:
    """Call when the customer signed in themselves: the sessions ended on their account since
    they were last told go into the notice of this storefront session."""
    told = take_untold(customer)
    if told is not None:
        request.session[NOTICE_KEY] = told


def take_untold(customer) -> dict | None:
    """The sessions ended on the customer's account since they were last told — marked told
    now — as ``{"sessions": [{"admin", "started_at", "seconds"}, …], "more": n}`` (the newest
    ``SHOWN``; ``admin`` empty when the store hides names), or None. For a sign-in without a
    storefront session (the API's customer token).

    Sessions past a limit are ended first, at the time the limit passed: ended later, by the
    sweep or their next request, they would carry an end before ``told_until`` and never be
    told."""
    end_overdue_sessions(AssistedSession.objects.filter(customer=customer), unused_links=False)
    with transaction.atomic():
        told, created = AssistanceNotice.objects.select_for_update().get_or_create(
            customer=customer, defaults={"told_until": timezone.now()}
        )
        sessions = AssistedSession.objects.filter(
            customer=customer, started_at__isnull=False, ended_at__isnull=False
        )
        if not created:  # else never told: every ended session
            sessions = sessions.filter(ended_at__gt=told.told_until)
        summary = sessions.aggregate(latest=Max("ended_at"), total=Count("id"))
        if not summary["total"]:
            return None
        told.told_until = max(summary["latest"], told.told_until)
        told.save(update_fields=["told_until"])
        recent = list(sessions.select_related("admin").order_by("-started_at")[:SHOWN])
    show_names = lac_config.setting(lac_config.SHOW_ADMIN_NAMES)
    return {
        "sessions": [_told(session, show_names) for session in recent],
        "more": summary["total"] - len(recent),
    }


def admin_display_name(session: AssistedSession) -> str:
    """The administrator as the customer is told: their full name, else their username."""
    admin = session.admin
    return (admin.get_full_name() if admin is not None else "") or session.admin_username


def _told(session: AssistedSession, show_names: bool) -> dict:
    return {
        # Empty when names are hidden: "A store administrator" in the page's language.
        "admin": admin_display_name(session) if show_names else "",
        "started_at": session.started_at.isoformat(),
        "seconds": int((session.ended_at - session.started_at).total_seconds()),
    }


def pending(request) -> dict | None:
    return request.session.get(NOTICE_KEY)


def dismiss(request) -> None:
    request.session.pop(NOTICE_KEY, None)
