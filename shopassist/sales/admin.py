"""Sales › Orders, Invoices, Shipments, Credit Memos."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from shopassist.admin_panel.buttons import buttons_for
from shopassist.admin_panel.menu import MenuEntry, add_entry
from shopassist.admin_panel.resource_admin import ResourceModelAdmin
from shopassist.admin_panel.site import admin_site
from shopassist.core.acl import has_resource, require_resource
from shopassist.core.actor import Actor
from shopassist.core.errors import DomainError
from shopassist.sales import acl, services
from shopassist.sales.models import CreditMemo, Invoice, Order, Shipment

ACTIONS = {
    # kind: (resource, page title)
    "invoice": (acl.ORDER_INVOICE, gettext_lazy("New Invoice")),
    "ship": (acl.ORDER_SHIP, gettext_lazy("New Shipment")),
    "creditmemo": (acl.ORDER_CREDITMEMO, gettext_lazy("New Credit Memo")),
}


class ReadOnlyDocumentAdmin(ResourceModelAdmin):
    """Sales documents are created by services, never edited in a form."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def document_or_404(self, object_id, *related):
        """The document a change page names; an id that is no id (``abc``) is as unknown as
        a missing one: 404, like a document that does not exist."""
        try:
            pk = self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            raise Http404 from None
        document = self.model.objects.filter(pk=pk).select_related(*related).first()
        if document is None:
            raise Http404
        return document


@admin.register(Order, site=admin_site)
class OrderAdmin(ReadOnlyDocumentAdmin):
    acl_resource = acl.ORDERS
    list_display = (
        "increment_id",
        "created_at",
        "customer_name_col",
        "customer_email",
        "store_view",
        "grand_total",
        "status",
        "placed_by_username",
    )
    list_display_links = ("increment_id",)
    list_filter = ("status", "store_view", "created_at")
    search_fields = ("increment_id", "customer_email", "customer_last_name")
    list_select_related = ("store_view",)
    date_hierarchy = "created_at"

    @admin.display(description=gettext_lazy("Bill-to Name"), ordering="customer_last_name")
    def customer_name_col(self, obj):
        return obj.customer_name

    def get_urls(self):
        def action_view(kind):
            resource, title = ACTIONS[kind]

            @require_resource(resource)
            def view(request, object_id):
                return _order_action(request, object_id, kind, title)

            return view

        urls = [
            path(
                f"<int:object_id>/{kind}/",
                self.admin_site.admin_view(action_view(kind)),
                name=f"sales_order_{kind}",
            )
            for kind in ACTIONS
        ]
        urls.append(
            path(
                "<int:object_id>/comment/",
                self.admin_site.admin_view(require_resource(acl.ORDER_COMMENT)(_add_comment)),
                name="sales_order_comment",
            )
        )
        return urls + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        order = self.document_or_404(object_id, "customer", "store_view")
        user = request.user
        context = {
            **self.admin_site.each_context(request),
            "title": _("Order # %(number)s") % {"number": order.increment_id},
            "order": order,
            "items": order.items.all(),
            "comments": order.comments.all(),
            "invoices": order.invoices.all(),
            "shipments": order.shipments.all(),
            "creditmemos": order.creditmemos.all(),
            "can": {kind: has_resource(user, resource) for kind, (resource, _t) in ACTIONS.items()},
            "can_comment": has_resource(user, acl.ORDER_COMMENT),
            "object_buttons": buttons_for(request, order),
            "opts": self.model._meta,
        }
        return render(request, "admin_panel/sales/order_view.html", context)


def _order_url(order):
    return reverse("admin:sales_order_change", args=[order.pk])


def _quantities_from_post(request, order):
    return {str(item.pk): request.POST.get(f"qty_{item.pk}", "0") for item in order.items.all()}


@require_http_methods(["GET", "POST"])
def _order_action(request, object_id, kind, title):
    order = Order.objects.filter(pk=object_id).first()
    if order is None:
        raise Http404
    if request.method == "POST":
        actor = Actor.for_request(request)
        quantities = _quantities_from_post(request, order)
        try:
            if kind == "invoice":
                document = services.invoice_order(order=order, actor=actor, items=quantities)
                message = _("The invoice has been created.")
            elif kind == "ship":
                document = services.ship_order(
                    order=order,
                    actor=actor,
                    items=quantities,
                    carrier=request.POST.get("carrier", ""),
                    tracking_number=request.POST.get("tracking_number", ""),
                )
                message = _("The shipment has been created.")
            else:
                document = services.refund_order(
                    order=order,
                    actor=actor,
                    items=quantities,
                    adjustment=request.POST.get("adjustment", "0"),
                    return_to_stock=bool(request.POST.get("return_to_stock")),
                )
                message = _("You created the credit memo.")
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{message} #{document.increment_id}")
            return HttpResponseRedirect(_order_url(order))
    rows = []
    for item in order.items.all():
        available = {
            "invoice": item.qty_ordered - item.qty_invoiced,
            "ship": max(0, item.qty_ordered - item.qty_shipped - item.qty_refunded),
            "creditmemo": item.qty_invoiced - item.qty_refunded,
        }[kind]
        rows.append({"item": item, "available": available})
    context = {
        **admin_site.each_context(request),
        "title": f"{title} — #{order.increment_id}",
        "order": order,
        "kind": kind,
        "rows": rows,
        "opts": Order._meta,
        "posted": request.POST if request.method == "POST" else {},
    }
    return render(request, "admin_panel/sales/order_action.html", context)


@require_http_methods(["POST"])
def _add_comment(request, object_id):
    order = Order.objects.filter(pk=object_id).first()
    if order is None:
        raise Http404
    try:
        services.add_order_comment(
            order=order,
            comment=request.POST.get("comment", ""),
            visible_on_front=bool(request.POST.get("is_visible_on_front")),
            actor=Actor.for_request(request),
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You added a comment to the order."))
    return HttpResponseRedirect(_order_url(order))


class DocumentAdmin(ReadOnlyDocumentAdmin):
    document_kind = ""
    list_display = ("increment_id", "created_at", "order_link", "bill_to", "created_by_username")
    search_fields = ("increment_id", "order__increment_id", "order__customer_email")
    list_select_related = ("order",)
    date_hierarchy = "created_at"

    @admin.display(description=gettext_lazy("Order #"), ordering="order__increment_id")
    def order_link(self, obj):
        return format_html('<a href="{}">#{}</a>', _order_url(obj.order), obj.order.increment_id)

    @admin.display(description=gettext_lazy("Bill-to Name"))
    def bill_to(self, obj):
        return obj.order.customer_name

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        document = self.document_or_404(object_id, "order")
        context = {
            **self.admin_site.each_context(request),
            "title": f"{self.model._meta.verbose_name.title()} #{document.increment_id}",
            "document": document,
            "order": document.order,
            "kind": self.document_kind,
            "items": document.items.select_related("order_item"),
            "object_buttons": buttons_for(request, document),
            "opts": self.model._meta,
        }
        return render(request, "admin_panel/sales/document_view.html", context)


@admin.register(Invoice, site=admin_site)
class InvoiceAdmin(DocumentAdmin):
    acl_resource = acl.INVOICES
    document_kind = "invoice"
    list_display = DocumentAdmin.list_display + ("grand_total",)


@admin.register(Shipment, site=admin_site)
class ShipmentAdmin(DocumentAdmin):
    acl_resource = acl.SHIPMENTS
    document_kind = "shipment"
    list_display = DocumentAdmin.list_display + ("tracking_number",)


@admin.register(CreditMemo, site=admin_site)
class CreditMemoAdmin(DocumentAdmin):
    acl_resource = acl.CREDITMEMOS
    document_kind = "creditmemo"
    list_display = DocumentAdmin.list_display + ("grand_total",)


for order_, (title_, url_, resource_) in enumerate(
    (
        (gettext_lazy("Orders"), "admin:sales_order_changelist", acl.ORDERS),
        (gettext_lazy("Invoices"), "admin:sales_invoice_changelist", acl.INVOICES),
        (gettext_lazy("Shipments"), "admin:sales_shipment_changelist", acl.SHIPMENTS),
        (gettext_lazy("Credit Memos"), "admin:sales_creditmemo_changelist", acl.CREDITMEMOS),
    )
):
    add_entry("sales", MenuEntry(title_, url_, resource_, gettext_lazy("Operations"), order_))
