"""Customers › Login as Customer › Dashboard (needs View Login as Customer Log). GET only; bad
filters answer 400 with the form's errors."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from login_as_customer.admin_ui.dashboard.figures import dashboard_figures
from login_as_customer.admin_ui.dashboard.forms import DashboardFilterForm
from login_as_customer.admin_ui.dashboard.sections import big_numbers, sections
from login_as_customer.admin_ui.log_views import require_enabled
from login_as_customer.host import host
from login_as_customer.overdue import end_overdue_sessions
from login_as_customer.permissions import VIEW_LOG, require

TEMPLATE = "login_as_customer/admin/dashboard.html"


@require(VIEW_LOG)
@require_GET
def dashboard(request):
    require_enabled()
    form = DashboardFilterForm(request.GET, today=timezone.localdate())
    context = {
        **host().admin_context(request),
        "title": _("Login as Customer Dashboard"),
        "form": form,
    }
    if not form.is_valid():
        form.set_websites([])
        return render(request, TEMPLATE, context, status=400)
    end_overdue_sessions()  # so that sessions past their limits count as ended
    data = form.cleaned_data
    figures = dashboard_figures(
        first_day=data["date_from"], last_day=data["date_to"], website=data["website"]
    )
    form.set_websites(figures.websites)
    context.update(figures=figures, big_numbers=big_numbers(figures), sections=sections(figures))
    return render(request, TEMPLATE, context)
