"""Customers › Login as Customer Log: one row per assisted session, filtered and searched over
millions of them with the audit app's list toolkit (partial filters, newest-first pages, CSV),
each row linking to the session's actions (Login as Customer's ``admin_ui/log_views``)."""

from django import forms
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from login_as_customer.admin_ui.log_views import require_enabled
from login_as_customer.bidi import contained
from login_as_customer.host import host
from login_as_customer.models import AssistedSession, EndReason, SessionMode
from login_as_customer.overdue import end_overdue_sessions
from login_as_customer.permissions import VIEW_LOG, require
from shopassist.audit.exports import stream_csv
from shopassist.audit.filters import DateRangeForm, apply_date_range
from shopassist.audit.list_rows import choice_labels, timestamp
from shopassist.audit.models import ActionLogEntry
from shopassist.audit.substring_filter import Contains, filter_icontains, newest_page

PAGE_SIZE = 50
CSV_COLUMNS = (
    "id",
    "created_at",
    "started_at",
    "customer_id",
    "customer_email",
    "admin_id",
    "admin_username",
    "store_view_code",
    "reason",
    "mode",
    "ended_at",
    "end_reason",
    "action_count",
    "ip_address",
)
# What a row of the page shows (the CSV has more).
PAGE_COLUMNS = (
    "id",
    "created_at",
    "customer_id",
    "customer_email",
    "admin_id",
    "admin_username",
    "store_view_code",
    "reason",
    "mode",
    "ended_at",
    "end_reason",
    "action_count",
)


class SessionLogFilterForm(DateRangeForm):
    admin_username = forms.CharField(label=gettext_lazy("Admin"), required=False, max_length=150)
    customer_email = forms.CharField(
        label=gettext_lazy("Customer e-mail"), required=False, max_length=254
    )
    store_view = forms.ChoiceField(label=gettext_lazy("Store View"), required=False)
    end_reason = forms.ChoiceField(
        label=gettext_lazy("End reason"),
        required=False,
        choices=[("", gettext_lazy("All"))] + list(EndReason.choices),
    )
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Store views by name; the log keeps their codes (lac_store_view_id).
        self.fields["store_view"].choices = [("", gettext_lazy("All"))] + list(
            host().store_view_names().items()
        )


def _actions():
    """A session's entries: kept on it once it has ended, counted in the log while it runs
    (COALESCE reads the count only for those)."""
    counts = (
        ActionLogEntry.objects.filter(assisted_session_id=OuterRef("pk"))
        .order_by()
        .values("assisted_session_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce("action_count", Subquery(counts, output_field=IntegerField()), 0)


def filtered_sessions(form: SessionLogFilterForm):
    """(The sessions the form's exact filters keep, its partial filters: admin, e-mail and
    search.)"""
    queryset = AssistedSession.objects.all()
    if not form.is_valid():
        return queryset.none(), []
    data = form.cleaned_data
    if data["store_view"]:
        queryset = queryset.filter(store_view_code=data["store_view"])
    if data["end_reason"]:
        queryset = queryset.filter(end_reason=data["end_reason"])
    # As a person types: any part, any case (see shopassist/audit/substring_filter.py).
    partial = [
        Contains(data[field], (field,))
        for field in ("admin_username", "customer_email")
        if data[field]  # stripped by the form
    ]
    if data["q"]:
        partial.append(Contains(data["q"], ("customer_email", "admin_username", "reason")))
    return apply_date_range(queryset, "created_at", form.date_bounds()), partial


def _fields(columns):
    """The columns as read: "action_count" is the annotation ``entries`` (running sessions
    have none kept yet)."""
    return ["entries" if column == "action_count" else column for column in columns]


# One row of the page. Rendered with format_html (every value escaped), as Django's own change
# lists render theirs: one call per row instead of a dozen template variables and filters.
# Free text (e-mail, username, reason) is in a <bdi> of its own, contained (login_as_customer's
# bidi): direction controls stored in it cannot reorder what follows.
ROW_HTML = (
    '<tr><td><a href="{}">{}</a></td>'
    + "<td>{}</td>" * 2
    + "<td><bdi>{}</bdi></td><td>{}</td><td><bdi>{}</bdi></td><td>{}</td><td><bdi>{}</bdi></td>"
    + "<td>{}</td>" * 4
    + "</tr>"
)


def page_rows(sessions: list[dict]) -> list[str]:
    """The rows as shown: end reasons in the active language, store views by name, a link to
    the session's actions."""
    end_reasons = choice_labels(EndReason.choices)
    modes = choice_labels(SessionMode.choices)
    store_views = host().store_view_names()
    # One reverse() per page: the rows' links differ only by the id at their end.
    detail_prefix = reverse("admin:login_as_customer_log_detail", args=[0]).removesuffix("0/")
    return [
        format_html(
            ROW_HTML,
            f"{detail_prefix}{session['id']}/",
            session["id"],
            timestamp(session["created_at"]),
            "" if session["customer_id"] is None else session["customer_id"],
            contained(session["customer_email"]),
            "" if session["admin_id"] is None else session["admin_id"],
            contained(session["admin_username"]),
            store_views.get(session["store_view_code"], session["store_view_code"]),
            contained(session["reason"]),
            modes.get(session["mode"], session["mode"]),
            timestamp(session["ended_at"]),
            end_reasons.get(session["end_reason"], session["end_reason"]),
            session["entries"],
        )
        for session in sessions
    ]


@require(VIEW_LOG)
@require_GET
def session_log(request):
    require_enabled()
    end_overdue_sessions()
    form = SessionLogFilterForm(request.GET)
    sessions, partial = filtered_sessions(form)
    sessions = sessions.annotate(entries=_actions())
    export = request.GET.get("export") == "csv"
    # A filter the form cannot read exports nothing: the page says why (a file with only the
    # header would read as "no sessions").
    if export and form.is_valid():
        rows = (
            filter_icontains(sessions, partial)
            .order_by("-id")
            .values_list(*_fields(CSV_COLUMNS))
            .iterator(chunk_size=2000)
        )
        return stream_csv("login-as-customer-log.csv", list(CSV_COLUMNS), rows)
    rows, next_before = newest_page(
        sessions.values(*_fields(PAGE_COLUMNS)),
        partial,
        before_id=request.GET.get("before"),
        size=PAGE_SIZE,
    )
    query = request.GET.copy()
    query.pop("before", None)
    query.pop("export", None)
    context = {
        **host().admin_context(request),
        "title": _("Login as Customer Log"),
        "form": form,
        "sessions": page_rows(rows),
        "next_before": next_before,
        "query": query.urlencode(),
    }
    return render(
        request, "login_as_customer/admin/session_log.html", context, status=400 if export else 200
    )
