"""Admin side: the confirmation page (the dialog without JavaScript) and the start POST."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from shopassist.admin_panel.site import admin_site
from shopassist.core.acl import require_resource
from shopassist.core.actor import client_ip
from shopassist.customers.models import Customer
from shopassist.login_as_customer import services
from shopassist.login_as_customer.acl import ALLOW
from shopassist.login_as_customer.admin_ui.dialog import dialog_context
from shopassist.login_as_customer.errors import DenialCode
from shopassist.stores.urls import store_reverse

DENIAL_STATUS = {DenialCode.RATE_LIMITED: 429, DenialCode.CUSTOMER_MISSING: 404}


def _customer_or_404(customer_id) -> Customer:
    customer = Customer.objects.select_related("website", "created_in").filter(pk=customer_id)
    customer = customer.first()
    if customer is None:
        raise Http404
    return customer


@never_cache
@require_resource(ALLOW)
@require_GET
def confirm(request, customer_id):
    customer = _customer_or_404(customer_id)
    context = {**admin_site.each_context(request), **dialog_context(request, customer)}
    return render(request, "login_as_customer/admin/confirm_page.html", context)


@never_cache
@require_resource(ALLOW)
@require_POST
def start(request, customer_id):
    """Re-check everything, record the session, and hand the token to the storefront by an
    auto-submitting POST form (the token never appears in a URL)."""
    try:
        session, token = services.start_assisted_session(
            staff=request.user,
            customer_id=customer_id,
            store_view_id=request.POST.get("store_view"),
            reason=request.POST.get("reason", ""),
            origin=services.StartRequest(
                ip_address=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
                admin_session_key=request.session.session_key,
            ),
        )
    except services.LoginAsCustomerDenied as denial:
        context = {
            **admin_site.each_context(request),
            "title": _("Login as Customer"),
            "message": denial.message,
        }
        return render(
            request,
            "login_as_customer/admin/refused.html",
            context,
            status=DENIAL_STATUS.get(denial.code, 403),
        )
    response = render(
        request,
        "login_as_customer/admin/redirect_to_storefront.html",
        {
            "action": store_reverse("login_as_customer:redeem", store_view=session.store_view),
            "token": token,
            "session": session,
        },
    )
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
