"""System › Action Log › Report: filter by Action Group, action, admin, customer, date; CSV."""

from django import forms
from django.shortcuts import render
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from login_as_customer.bidi import contained
from shopassist.admin_panel.site import admin_site
from shopassist.audit.acl import ACTION_LOG_REPORT, groups_hidden_from
from shopassist.audit.exports import stream_csv
from shopassist.audit.filters import DateRangeForm, apply_date_range
from shopassist.audit.list_rows import choice_labels, details_json, timestamp
from shopassist.audit.models import ActionGroup, ActionLogEntry, Channel, Outcome
from shopassist.audit.substring_filter import Contains, filter_icontains, newest_page
from shopassist.core.acl import require_resource
from shopassist.stores.selectors import store_view_names

PAGE_SIZE = 50
CSV_COLUMNS = (
    "id",
    "created_at",
    "action_group",
    "action",
    "outcome",
    "channel",
    "admin_id",
    "admin_username",
    "customer_id",
    "customer_email",
    "store_view_code",
    "assisted_session_id",
    "target_type",
    "target_id",
    "ip_address",
    "user_agent",
    "session_hash",
    "details",
)
# What a row of the page shows (the CSV has them all).
PAGE_COLUMNS = (
    "id",
    "created_at",
    "action_group",
    "action",
    "outcome",
    "channel",
    "admin_username",
    "customer_email",
    "store_view_code",
    "target_type",
    "target_id",
    "ip_address",
    "details",
)


class ReportFilterForm(DateRangeForm):
    action_group = forms.ChoiceField(
        label=_("Action Group"),
        required=False,
        choices=[("", _("All"))] + list(ActionGroup.choices),
    )
    action = forms.CharField(label=_("Action"), required=False, max_length=64)
    admin_username = forms.CharField(label=_("Admin"), required=False, max_length=150)
    customer_email = forms.CharField(label=_("Customer e-mail"), required=False, max_length=254)
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False, choices=[("", _("All"))] + list(Outcome.choices)
    )
    assisted_session = forms.IntegerField(
        label=_("Assisted session"), required=False, min_value=1, max_value=2**63 - 1
    )

    def __init__(self, *args, hidden_groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        # A group the user may not read is no choice (asked for anyway: "not one of the
        # available choices", a 400 that exports nothing).
        field = self.fields["action_group"]
        field.choices = [
            (value, label) for value, label in field.choices if value not in hidden_groups
        ]


# One row of the page. Rendered with format_html (every value escaped), as Django's own change
# lists render theirs: one call per row instead of a dozen template variables and filters.
# Text people wrote (username, e-mail, details) is in a <bdi> of its own, contained: direction
# controls stored in it cannot reorder what follows (login_as_customer's bidi).
ROW_HTML = (
    '<tr data-action="{}"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><bdi>{}</bdi></td>'
    '<td class="sa-wrap"><bdi>{}</bdi></td><td>{}</td><td class="sa-wrap">{}{}</td><td>{}</td>'
    '<td class="sa-wrap">{}</td><td><code><bdi>{}</bdi></code></td></tr>'
)


def page_rows(entries: list[dict]) -> list[str]:
    """The rows as shown: labels in the active language, store views by name."""
    groups = choice_labels(ActionGroup.choices)
    outcomes = choice_labels(Outcome.choices)
    channels = choice_labels(Channel.choices)
    store_views = store_view_names()
    return [
        format_html(
            ROW_HTML,
            entry["action"],
            timestamp(entry["created_at"]),
            groups.get(entry["action_group"], entry["action_group"]),
            entry["action"],
            outcomes.get(entry["outcome"], entry["outcome"]),
            contained(entry["admin_username"]),
            contained(entry["customer_email"]),
            store_views.get(entry["store_view_code"], entry["store_view_code"]),
            entry["target_type"],
            f" #{entry['target_id']}" if entry["target_id"] else "",
            channels.get(entry["channel"], entry["channel"]),
            entry["ip_address"] or "",
            contained(details_json(entry["details"])),
        )
        for entry in entries
    ]


def filtered_entries(form: ReportFilterForm, hidden_groups=()):
    """(The entries the form's exact filters keep, its partial filters: admin and e-mail),
    never those of ``hidden_groups``."""
    queryset = readable_entries(hidden_groups)
    if not form.is_valid():
        return queryset.none(), []
    data = form.cleaned_data
    for field, lookup in (
        ("action_group", "action_group"),
        ("action", "action"),
        ("outcome", "outcome"),
        ("assisted_session", "assisted_session_id"),
    ):
        if data.get(field):
            queryset = queryset.filter(**{lookup: data[field]})
    # As a person types: any part, any case (see substring_filter).
    partial = [
        Contains(data[field], (field,))
        for field in ("admin_username", "customer_email")
        if data.get(field)  # stripped by the form
    ]
    return apply_date_range(queryset, "created_at", form.date_bounds()), partial


def readable_entries(hidden_groups):
    entries = ActionLogEntry.objects.all()
    return entries.exclude(action_group__in=hidden_groups) if hidden_groups else entries


@require_resource(ACTION_LOG_REPORT)
@require_GET
def report(request):
    hidden = groups_hidden_from(request.user)
    form = ReportFilterForm(request.GET or None, hidden_groups=hidden)
    entries, partial = (
        filtered_entries(form, hidden) if request.GET else (readable_entries(hidden), [])
    )
    export = request.GET.get("export") == "csv"
    # A filter the form cannot read exports nothing: the page says why (a file with only the
    # header would read as "no entries").
    if export and form.is_valid():
        rows = (
            filter_icontains(entries, partial)
            .order_by("-id")
            .values_list(*CSV_COLUMNS)
            .iterator(chunk_size=2000)
        )
        # "details" (the last column) as JSON, not as a Python dict's repr.
        rows = ((*row[:-1], details_json(row[-1])) for row in rows)
        return stream_csv("action-log.csv", list(CSV_COLUMNS), rows)
    rows, next_before = newest_page(
        entries.values(*PAGE_COLUMNS), partial, before_id=request.GET.get("before"), size=PAGE_SIZE
    )
    query = request.GET.copy()
    query.pop("before", None)
    query.pop("export", None)
    context = {
        **admin_site.each_context(request),
        "title": _("Action Log Report"),
        "form": form,
        "entries": page_rows(rows),
        "next_before": next_before,
        "query": query.urlencode(),
    }
    return render(request, "audit/report.html", context, status=400 if export else 200)
