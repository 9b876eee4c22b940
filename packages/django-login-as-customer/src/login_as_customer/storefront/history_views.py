"""My Account › Assisted sessions: the customer sees every session on their account, what was
done in it, and can withdraw their permission from here — or end the session in progress
whatever it was started on (their standing permission or an assistance code)."""

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from login_as_customer import config as lac_config
from login_as_customer import events, selectors
from login_as_customer.action_labels import DOMAIN_ACTIONS, SESSION_ACTIONS
from login_as_customer.errors import DenialCode, LoginAsCustomerDenied, message_for
from login_as_customer.flows.assistance_code import (
    codes_offered,
    issue_code,
    open_code_expiry,
    void_open_codes,
)
from login_as_customer.flows.consent import set_consent
from login_as_customer.flows.end import end_each
from login_as_customer.flows.notice import admin_display_name
from login_as_customer.forms import ConsentForm
from login_as_customer.host import host
from login_as_customer.journal import journal
from login_as_customer.models import AssistedSession, EndReason
from login_as_customer.overdue import end_overdue_sessions
from login_as_customer.storefront.views import back_to

SHOWN_SESSIONS = 50
# The domain actions a customer sees (generic request entries are omitted), and the
# administrator's attempt to create an assistance code on their behalf (refused: consent is
# the customer's, as a refused permission change is shown).
ACTION_LABELS = {
    **DOMAIN_ACTIONS,
    "assistance_code.blocked": SESSION_ACTIONS["assistance_code.blocked"],
}


def _describe(entry) -> dict:
    """ "Added to the cart: SA-BAG-001 × 2": the action's label, and what it was done on (the
    template joins them with the colon as the language writes it, fr "panier : ", zh
    "購物車：", the dashboard's "label: value" message). The value is kept on one line: a phone
    would break an SKU at its hyphen."""
    label = str(ACTION_LABELS.get(entry.action, entry.action))
    details = entry.details
    if "sku" in details:
        value = f"{details['sku']} × {details['qty']}" if "qty" in details else details["sku"]
    elif "order" in details:
        value = f"#{details['order']}"
    else:
        return {"label": label, "value": ""}
    return {"label": label, "value": format_html('<span class="lac-nowrap">{}</span>', value)}


@never_cache
@host().customer_page
def assisted_sessions(request):
    return _history(request)


@never_cache
@host().customer_page
@require_POST
def assistance_code(request):
    """Get an assistance code: a new 6-digit code, shown once on the page that answers (never
    stored in the clear, never in a URL); refused in an assisted session and where the store
    takes no codes."""
    try:
        issued = issue_code(
            customer=host().signed_in_customer(request),
            actor=host().actor_of(request),
            store_view=host().current_store_view(request),
        )
    except LoginAsCustomerDenied as denial:
        messages.error(request, denial.message)
        return _history(request, status=403)
    return _history(request, issued=issued)  # never_cache: no copy keeps the code


def _clock(duration) -> str:
    """A session's length as hours:minutes:seconds ("10:05:37", "24:00:00"), read alike in
    every language."""
    minutes, seconds = divmod(max(0, int(duration.total_seconds())), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}"


def _before(request) -> int | None:
    """The ``before`` of an "Older sessions" link: a session id (None: the newest page)."""
    value = request.GET.get("before", "")
    if value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


def _history(request, *, issued=None, status=200):
    customer = host().signed_in_customer(request)
    end_overdue_sessions(AssistedSession.objects.filter(customer=customer))
    # Every session on the account, newest first, in pages the customer can follow back to the
    # first one: a run of empty sessions never pushes an earlier one out of sight. Sessions
    # whose login link was never used are listed too (the administrator started them; an
    # assistance code may have been spent on one).
    mine = AssistedSession.objects.filter(customer=customer)
    before = _before(request)
    page = mine.filter(pk__lt=before) if before is not None else mine
    sessions = list(page.select_related("admin").order_by("-pk")[: SHOWN_SESSIONS + 1])
    older = sessions[SHOWN_SESSIONS - 1].pk if len(sessions) > SHOWN_SESSIONS else None
    sessions = sessions[:SHOWN_SESSIONS]
    entries = journal().actions_of([s.pk for s in sessions], actions=ACTION_LABELS)
    by_session: dict[int, list[str]] = {}
    for entry in entries:
        by_session.setdefault(entry.assisted_session_id, []).append(_describe(entry))
    show_names = lac_config.setting(lac_config.SHOW_ADMIN_NAMES)
    rows = [
        {
            "session": s,
            "date": s.started_at or s.created_at,
            "opened": s.started_at is not None,
            "duration": _clock(s.ended_at - s.started_at) if s.ended_at and s.started_at else None,
            # As the notice and the start mail name them: never by their admin login alone.
            "admin": admin_display_name(s) if show_names else _("a store administrator"),
            "actions": by_session.get(s.pk, []),
        }
        for s in sessions
    ]
    consent = selectors.consent_of(customer)
    consent_valid = bool(consent and consent.is_valid())
    # Staff who allowed (while it lasts) or withdrew the permission, named as this store
    # names administrators to customers.
    set_by = ""
    if consent is not None and consent.set_by_username and (consent_valid or not consent.allowed):
        staff = consent.set_by
        name = (staff.get_full_name() if staff is not None else "") or consent.set_by_username
        set_by = name if show_names else _("a store administrator")
    return render(
        request,
        "login_as_customer/assisted_sessions.html",
        {
            "rows": rows,
            "consent_valid": consent_valid,
            "consent": consent,
            "consent_set_by": set_by,
            # Only the customer withdraws it: no button for the administrator (refused anyway).
            "assisted": getattr(request, "assisted_session", None) is not None,
            "storefront_template": host().storefront_template,
            "account_nav_template": host().account_nav_template,
            "revoke_url": host().storefront_url(
                "login_as_customer:revoke_consent", host().current_store_view(request)
            ),
            "codes_offered": codes_offered(host().current_store_view(request)),
            "code_url": host().storefront_url(
                "login_as_customer:assistance_code", host().current_store_view(request)
            ),
            "issued": issued,
            # A code got earlier and still open: the customer may take it back (Withdraw
            # permission voids it), standing permission or not.
            "open_code_until": open_code_expiry(customer.pk),
            # Whatever page is shown: a session in progress can always be ended from here.
            "in_progress": mine.filter(started_at__isnull=False, ended_at__isnull=True).exists(),
            "older_url": f"?before={older}" if older is not None else "",
            # An older page says so, and leads back to the newest sessions.
            "newest_url": request.path if before is not None else "",
            "end_url": host().storefront_url(
                "login_as_customer:end_assisted_sessions", host().current_store_view(request)
            ),
        },
        status=status,
    )


@host().customer_page
@require_POST
def revoke_consent(request):
    """In an assisted session ``set_consent`` refuses it and records the attempt: only the
    customer decides."""
    try:
        set_consent(
            customer=host().signed_in_customer(request),
            allowed=False,
            actor=host().actor_of(request),
        )
    except LoginAsCustomerDenied as denial:
        messages.error(request, denial.message)
    else:
        messages.success(request, _("You withdrew the permission for remote shopping assistance."))
    return _back_to_history(request)


@host().customer_page
@require_POST
def end_assisted_sessions(request):
    """The customer ends the assisted sessions on their account now, keeping their standing
    permission as it is: a session started with an assistance code, which no permission to
    withdraw stands for, included. Ended as a withdrawn consent, logged with each end."""
    session = getattr(request, "assisted_session", None)
    if session is not None:  # refused and recorded, as a change of the permission is
        events.blocked(
            session,
            action="consent.blocked",
            details={"end_sessions": True},
            ip_address=host().client_ip(request),
        )
        messages.error(request, message_for(DenialCode.CONSENT_CHANGE_BLOCKED))
        return _back_to_history(request)
    customer = host().signed_in_customer(request)
    with transaction.atomic():
        # A code read out for the next session goes too (first: see void_open_codes).
        void_open_codes(customer.pk)
        ended = end_each(
            selectors.live_sessions_of_customer(customer.pk), EndReason.CONSENT_REVOKED
        )
    if ended:
        messages.success(request, _("You ended the assisted session."))
    return _back_to_history(request)


def _back_to_history(request):
    return HttpResponseRedirect(
        host().storefront_url(
            "login_as_customer:assisted_sessions", host().current_store_view(request)
        )
    )


@host().customer_page
@require_POST
def consent(request):
    """The customer allows (for a ``ConsentDuration``) or withdraws remote shopping assistance
    with ``ConsentForm`` from any page of the shop (``next``: where to go back, on this site).
    In an assisted session ``set_consent`` refuses it and records the attempt."""
    customer = host().signed_in_customer(request)
    store_view = host().current_store_view(request)
    form = ConsentForm(request.POST, store_view=store_view, consent=selectors.consent_of(customer))
    back = back_to(
        request,
        fallback=host().storefront_url("login_as_customer:assisted_sessions", store_view),
    )
    if not form.is_valid():
        messages.error(request, _("Choose how long your permission lasts from the list."))
        return HttpResponseRedirect(back)
    change = form.change()
    if change is None and getattr(request, "assisted_session", None) is None:
        messages.info(request, _("Your permission stays as it is."))
        return HttpResponseRedirect(back)
    # In an assisted session set_consent refuses even a change of nothing, and records it.
    allowed, duration = change or (form.cleaned_data["allow"], "")
    try:
        set_consent(
            customer=customer, allowed=allowed, duration=duration, actor=host().actor_of(request)
        )
    except LoginAsCustomerDenied as denial:
        messages.error(request, denial.message)
        return HttpResponseRedirect(back)
    if allowed:
        messages.success(request, _("You allow remote shopping assistance."))
    else:
        messages.success(request, _("You withdrew the permission for remote shopping assistance."))
    return HttpResponseRedirect(back)
