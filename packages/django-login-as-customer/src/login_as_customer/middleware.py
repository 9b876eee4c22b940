"""Every request of an assisted storefront session: check it may go on (SPEC §7), record a
state-changing one (or, in a view-only session, refuse it before its view runs), refuse what the
host blocks (SPEC §6: the customer's credentials, their private pages, signing in to any
account), mark the response private, and put the banner on every HTML page (SPEC §6)."""

import re
from contextvars import ContextVar
from functools import lru_cache

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import parse_header_parameters, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from login_as_customer import events, permissions
from login_as_customer.banner import banner_html, notice_html
from login_as_customer.errors import DenialCode, message_for
from login_as_customer.flows import live_check, notice
from login_as_customer.flows.assisted_write import (
    SessionEnded,
    Write,
    recorded_write,
    refuse_in_view_only,
)
from login_as_customer.flows.end import end_session
from login_as_customer.host import (
    ADMIN,
    READING_METHODS,
    STOREFRONT,
    Refusal,
    RefusedDuringAssistedSession,
    host,
)
from login_as_customer.models import EndReason, SessionMode

# What a view-only session may still POST besides the host's sign-out: its own ending — by
# Close session, or by redeeming a newer login link in the same browser (which replaces it).
_ENDING_VIEWS = frozenset({"login_as_customer:close", "login_as_customer:redeem"})

_BODY_OPEN = re.compile(rb"<body[^>]*>", re.IGNORECASE)
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

# What ``process_view`` does with an assisted request once the inner middleware has run (a
# host's page may need what it sets, e.g. Oscar's basket): refuse it as a change in a view-only
# session, refuse a private page, or ask the host whether it refuses this write.
_VIEW_ONLY, _PRIVATE, _WRITE = "view_only", "private", "write"

# The request of an assisted session this context answers.
_assisted_request: ContextVar = ContextVar("login_as_customer_assisted_request", default=None)


def current_assisted_request():
    """The storefront request of a live assisted session being answered in this context (its
    ``assisted_session`` set), or None: for code that is given no request, e.g. a guard on
    the save of the customer's account that must hold whichever view saves it."""
    return _assisted_request.get()


@lru_cache(maxsize=64)
def _private_no_store(cache_control: str) -> str:
    """The view's Cache-Control with ``private, no-store`` added (``patch_cache_control``),
    worked out once per header value: views send a handful of them."""
    response = HttpResponse(headers={"Cache-Control": cache_control} if cache_control else None)
    patch_cache_control(response, private=True, no_store=True)
    return response["Cache-Control"]


@lru_cache(maxsize=64)
def _declared_charset(content_type: str) -> str | None:
    """The charset a Content-Type names (the one the browser decodes the page with), parsed
    once per header value: ``HttpResponse.charset`` parses it on every read."""
    _media_type, parameters = parse_header_parameters(content_type)
    return parameters.get("charset") or None


def _carried_by(request, session) -> bool:
    """Whether the request's storefront session still carries the assisted session."""
    return request.session.get(live_check.SESSION_ID_KEY) == session.pk


def _still_live(request, session) -> bool:
    """The banner shows exactly while the session is live: not on the answer of the request
    that ended it (Close session, Sign Out, a replacing redemption), which ended the record or
    the storefront session that carried it."""
    return session.ended_at is None and _carried_by(request, session)


class AssistedSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.assisted_session = None
        area = host().area_of(request)
        if area != STOREFRONT:
            if area == ADMIN:
                # The admin session this request came with: a sign-in during it replaces it
                # (``integrations/admin_logout.follow_admin_sign_in``).
                request.lac_admin_session_key = request.session.session_key
            return self.get_response(request)
        session_id = request.session.get(live_check.SESSION_ID_KEY)
        if session_id is None:
            response = self.get_response(request)
            told = notice.pending(request)  # after the view: a sign-in just put it there
            if told is not None:
                self._add_notice(request, response, told)
            return response

        session = live_check.load_live_session(
            session_id, read_along=request.method in READING_METHODS
        )
        now = timezone.now()  # one instant for the check, the idle clock and the banner
        reason = live_check.check(session, now=now)
        if reason is not None:
            return self._end(request, session, reason)

        request.assisted_session = session
        # The check above loaded the customer: reuse it (hash and website still verified).
        request.customer = host().customer_of_assisted_request(request, session.customer)
        if request.customer is None:
            return self._customer_unavailable(request, session)
        live_check.touch(session, now=now)
        request.lac_session_key = request.session.session_key  # the one that carries it
        token = _assisted_request.set(request)
        try:
            response = self._answer(request, session)
        finally:
            _assisted_request.reset(token)
        if session.ended_at is None and not _carried_by(request, session):
            self._end_left_session(request, session)
        # An assisted page is never stored by a browser, proxy or CDN.
        response.headers["Cache-Control"] = _private_no_store(response.get("Cache-Control", ""))
        response.headers.pop("Expires", None)
        self._add_banner(request, response, session, now)
        return response

    def _answer(self, request, session):
        """A read runs as it is, unless the host names its page: a private page (refused) or
        a GET that changes data (a write). A write is recorded, or refused in a view-only
        session. The refusals happen in ``process_view``: the view never runs."""
        if request.method in _SAFE_METHODS:
            checked = host().url_names_checked_on_read  # empty: nothing to resolve
            if not checked or (name := _view_name(request)) not in checked:
                return self.get_response(request)
            if name in host().private_url_names:
                request.lac_pending = (_PRIVATE, session)
                return self.get_response(request)
        if session.mode == SessionMode.VIEW_ONLY and not _passes_view_only(request):
            request.lac_pending = (_VIEW_ONLY, session)
            return self.get_response(request)
        return self._recorded(request, session)

    def _recorded(self, request, session):
        """Run a state-changing request with its "request" entry (``flows/assisted_write``);
        the entry names the view that answered and the status of its response."""
        request.lac_pending = (_WRITE, session)
        write = Write(
            view_name=request.path_info[:200],
            method=request.method,
            ip_address=host().client_ip(request),
        )
        try:
            with recorded_write(session, write):
                response = self.get_response(request)
                if getattr(request, "lac_guard_refused", False):  # see process_exception
                    transaction.set_rollback(True)
                match = getattr(request, "resolver_match", None)
                if match:
                    write.view_name = match.view_name
                write.status_code = response.status_code
        except SessionEnded:  # after the check above: the write was rolled back
            return self._end(request, None, None)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        """What an assisted request may not do: the view never runs; the refusal is logged
        and explained (403). A change in a view-only session (a denied "request" entry and a
        "view_only_refused" one); a private page of the host (a "private_page.blocked" entry);
        signing in, whatever the account, or creating one (a "sign_in.blocked" entry, in any
        session); a write the host refuses (its ``Refusal``, in the write's denied "request"
        entry)."""
        pending = getattr(request, "lac_pending", None)
        if pending is None:
            return None
        kind, session = pending
        if kind == _VIEW_ONLY:
            return self._refuse_in_view_only(request, session)
        name = request.resolver_match.view_name
        if kind == _PRIVATE or name in host().private_url_names:
            refusal = Refusal(
                action="private_page.blocked",
                message=_(
                    "This page is not shown during an assisted session: it may hold the "
                    "customer's secrets, such as a link to reset their password."
                ),
                details={"view": name, "method": request.method},
            )
        elif host().signs_in(name, view_func):
            refusal = Refusal(
                action="sign_in.blocked",
                message=message_for(DenialCode.SIGN_IN_BLOCKED),
                details={"view": name, "method": request.method},
            )
        else:
            refusal = host().refusal_of_assisted_write(request, session)
            if refusal is None:
                return None
        events.blocked(
            session,
            action=refusal.action,
            details=refusal.details,
            ip_address=host().client_ip(request),
        )
        return _refused_page(request, refusal.message)

    def process_exception(self, request, exception):
        """A host's guard refused what the view was doing: its message, as for the refusals
        above (the guard logged it). What the view wrote before it was refused (a sign-in's
        ``last_login``, the account a registration created) rolls back with the write, once
        the refusal's page is made (``_recorded``)."""
        assisted = getattr(request, "assisted_session", None)
        if assisted is None or not isinstance(exception, RefusedDuringAssistedSession):
            return None
        request.lac_guard_refused = True
        return _refused_page(request, str(exception))

    def _refuse_in_view_only(self, request, session):
        write = Write(
            view_name=request.resolver_match.view_name,
            method=request.method,
            ip_address=host().client_ip(request),
        )
        try:
            refuse_in_view_only(session, write)
        except SessionEnded:  # since the check: signed out, as the check would have
            return self._end(request, None, None)
        return _refused_page(request, _view_only_message(session), title=_("View only"))

    def _end_left_session(self, request, session):
        """The request replaced or emptied the storefront session that carried the assisted
        session without ending it (a sign-in refused after Django's ``login()`` had flushed
        it, a shop's view that flushes the session): its record ends now, as the administrator
        left it, not at its idle limit, and that storefront session is destroyed on the server
        (a refused write's rollback may have brought it back). Close session and the sign-out
        ended it already: nothing more."""
        live_check.load_deferred(session)
        replaced = {"storefront_session": "replaced"}
        if end_session(session, EndReason.CLOSED_BY_ADMIN, details=replaced):
            left = request.lac_session_key
            if left and left != request.session.session_key:
                type(request.session)(left).delete()

    def _customer_unavailable(self, request, session):
        """A page the shop will not show the customer (a store view of a website their
        account is not on): nothing runs. Back to the session's own store view, or, once the
        customer cannot use that one either (moved to another website), the session ends."""
        store_view = live_check.usable_store_view(session)
        if store_view is None:
            return self._end(request, session, EndReason.STORE_VIEW_UNAVAILABLE)
        messages.warning(
            request,
            _(
                "%(name)s's account cannot be used on that store view: you are back on the "
                "store view of the assisted session."
            )
            % {"name": session.customer_name},
        )
        response = HttpResponseRedirect(host().home_url(store_view))
        patch_cache_control(response, private=True, no_store=True)
        return response

    def _end(self, request, session, reason):
        if session is not None:
            live_check.load_deferred(session)
            end_session(session, reason, at=live_check.limit_passed_at(session, reason))
            # Ended elsewhere before this request (the check's TERMINATED): its recorded reason.
            reason = session.end_reason or reason
        host().end_customer_session(request)  # destroyed on the server, a new CSRF secret
        messages.info(request, _ended_message(session, reason))
        view = host().current_store_view(request) or host().default_store_view()
        response = HttpResponseRedirect(host().home_url(view))
        patch_cache_control(response, private=True, no_store=True)
        return response

    def _add_banner(self, request, response, session, now=None):
        if not _still_live(request, session):
            return
        _insert_after_body(response, lambda: banner_html(request, session, now=now))

    def _add_notice(self, request, response, told):
        """The notice of assisted sessions on the pages of the customer's own session, until
        dismissed; never on a page a shared cache may keep."""
        if response.status_code != 200:
            return
        if _insert_after_body(response, lambda: notice_html(request, told)):
            patch_cache_control(response, private=True)


def _view_only_message(session) -> str:
    """Why a change is refused in a view-only session, and, to an administrator who may act
    for customers, how to act; not to one who may only look (a trainee): they cannot start a
    session with Full access (found by the screen review)."""
    if host().staff_id_may(session.admin_id, permissions.ALLOW):
        return message_for(DenialCode.VIEW_ONLY)
    return _("This is a view-only session: nothing can be changed.")


def _ended_message(session, reason) -> str:
    """What the administrator's tab is told: that the session has ended and, where this
    request found the reason (a limit, the customer's withdrawal, a termination), which."""
    if session is None or reason is None:
        return _("The assisted session has ended.")
    return _("The assisted session has ended. Reason: %(reason)s.") % {
        "reason": EndReason(reason).label
    }


def _refused_page(request, message, *, title=None):
    return render(
        request,
        "login_as_customer/refused.html",
        {
            "title": title,
            "message": message,
            "storefront_template": host().storefront_template,
            "back_url": _page_before(request),
        },
        status=403,
    )


def _page_before(request) -> str:
    """The page the refused form was on (its Referer, on this site only), else the home page."""
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return host().home_url(host().current_store_view(request) or host().default_store_view())


def _resolved(request):
    """The request's ``ResolverMatch`` (before the view runs), or None."""
    try:
        return resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return None


def _view_name(request) -> str | None:
    match = _resolved(request)
    return match.view_name if match is not None else None


def _passes_view_only(request) -> bool:
    """What a view-only session may still POST: Close session and the storefront's sign-out,
    which end it; and a sign-in, refused as one in ``process_view`` (not as a change)."""
    match = _resolved(request)
    if match is None:
        return False
    name = match.view_name
    return (
        name in _ENDING_VIEWS
        or host().signs_out(name, match.func)
        or host().signs_in(name, match.func)
    )


def _insert_after_body(response, html) -> bool:
    """Put ``html()`` right after the page's ``<body …>``; False if there is none."""
    content_type = response.get("Content-Type", "")
    if response.streaming or not content_type.startswith("text/html"):
        return False
    content = response.content
    # Our templates write <body …> in lower case: found without the pattern; any other
    # spelling by the pattern.
    start = content.find(b"<body")
    end = content.find(b">", start) + 1 if start != -1 else 0
    if not end:
        match = _BODY_OPEN.search(content)
        if match is None:
            return False
        end = match.end()
    # In the charset the browser decodes the page with. A name the charset cannot spell goes
    # in as character references (any charset has them).
    charset = _declared_charset(content_type) or response.charset
    inserted = html().encode(charset, "xmlcharrefreplace")
    content = response.content = b"".join((content[:end], inserted, content[end:]))
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(content))
    return True
