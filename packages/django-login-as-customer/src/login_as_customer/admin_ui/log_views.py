"""A session's actions (the log's detail page), and Customers › Login as Customer › Active
sessions with Terminate."""

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from login_as_customer import config as lac_config
from login_as_customer import selectors
from login_as_customer.bidi import isolated_text
from login_as_customer.flows.end import terminate as terminate_session
from login_as_customer.host import host
from login_as_customer.journal import journal
from login_as_customer.models import AssistedSession
from login_as_customer.overdue import end_overdue_sessions
from login_as_customer.permissions import MANAGE_SESSIONS, VIEW_LOG, require


def require_enabled():
    if not lac_config.feature_enabled():
        raise Http404


@require(VIEW_LOG)
@require_GET
def session_detail(request, session_id):
    require_enabled()
    end_overdue_sessions(AssistedSession.objects.filter(pk=session_id))
    session = AssistedSession.objects.filter(pk=session_id).first()
    if session is None:
        raise Http404
    context = {
        **host().admin_context(request),
        "title": _("Assisted session #%(id)s") % {"id": session.pk},
        "session": session,
        "entries": journal().actions_of(session.pk),
    }
    return render(request, "login_as_customer/admin/session_detail.html", context)


@require(MANAGE_SESSIONS)
@require_GET
def active_sessions(request):
    require_enabled()
    end_overdue_sessions()
    context = {
        **host().admin_context(request),
        "title": _("Active sessions"),
        # A login link not yet opened is listed too: it can still start its session.
        "sessions": selectors.sessions_in_use(now=timezone.now()),
    }
    return render(request, "login_as_customer/admin/active_sessions.html", context)


@require(MANAGE_SESSIONS)
@require_POST
def terminate(request, session_id):
    require_enabled()
    session = AssistedSession.objects.filter(pk=session_id).first()
    if session is None:
        raise Http404
    if terminate_session(session, by=request.user, ip_address=host().client_ip(request)):
        messages.success(request, _terminated_message(session))
    else:
        messages.info(request, _("That assisted session had already ended."))
    return HttpResponseRedirect(reverse("admin:login_as_customer_active"))


def _terminated_message(session: AssistedSession) -> str:
    """What Terminate did: a session ended, or a login link ended before anyone opened it (read
    again after the termination: a redemption may have started it just before). The names are
    as stored, isolated: a customer's e-mail address cannot reorder the sentence."""
    session.refresh_from_db(fields=["started_at"])
    names = {
        "admin": isolated_text(session.admin_username),
        "email": isolated_text(session.customer_email),
    }
    if session.started_at is None:
        return (
            _(
                "The login link of %(admin)s as %(email)s was terminated before it was opened: "
                "it can no longer be used."
            )
            % names
        )
    return _("The assisted session of %(admin)s as %(email)s was terminated.") % names
