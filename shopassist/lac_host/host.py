"""ShopAssist as the host of Login as Customer: its customers, store views and storefront
session, as the feature's host interface asks for them (docs/host-interface.md)."""

from django.core.cache import cache

from login_as_customer.host import Host
from shopassist.admin_panel.site import admin_site
from shopassist.cart.selectors import guest_cart
from shopassist.cart.services import abandon_guest_cart
from shopassist.core import precompiled, resilient_cache, signin_guard
from shopassist.core.acl import has_resource, require_resource
from shopassist.core.acl_grants import grants_resource
from shopassist.core.actor import Actor, client_ip
from shopassist.core.areas import set_session_cookie
from shopassist.core.config import config
from shopassist.core.csrf import response_token
from shopassist.core.prepared import kept_plan_cursor
from shopassist.customers import acl as customers_acl
from shopassist.customers import auth
from shopassist.customers.models import Customer
from shopassist.customers.storefront.views import customer_required
from shopassist.lac_host.acl import RESOURCE
from shopassist.lac_host.journal import ActionLogJournal
from shopassist.outbox.services import queue_mail
from shopassist.sales import acl as sales_acl
from shopassist.sales.models import CreditMemo, Invoice, Order, Shipment
from shopassist.stores import selectors as stores
from shopassist.stores.models import StoreView
from shopassist.stores.urls import store_reverse

# The pages that name a customer and carry the button (``staff_may_see_customer``):
# Customers › All Customers names every customer; a sales document (an order, invoice, shipment
# or credit memo) names its own, so its resource shows the customers who have one.
SALES_DOCUMENTS_OF_CUSTOMER = (
    (sales_acl.ORDERS, Order, "customer"),
    (sales_acl.INVOICES, Invoice, "order__customer"),
    (sales_acl.SHIPMENTS, Shipment, "order__customer"),
    (sales_acl.CREDITMEMOS, CreditMemo, "order__customer"),
)


class ShopAssistHost(Host):
    """Customers are a model of their own, per website (or shared by all websites); a session
    opens in one store view, whose language and settings it uses."""

    storefront_template = "storefront/base.html"
    sign_out_url_names = ("customers:logout",)
    # Refused in an assisted session (its own views would only redirect a signed-in browser).
    sign_in_url_names = ("customers:login", "customers:register")
    writes_are_transactional = True  # mail through the outbox (outbox/), no payment call
    account_nav_template = "customers/_account_nav.html"
    customers_sign_in_with_django_auth = False  # customers.auth: lac_host/signals.py tells them
    customer_related = ("website",)

    def setting(self, key, *, store_view=None):
        return config.get(key, store_view=store_view)

    def staff_may(self, user, permission) -> bool:
        return has_resource(user, RESOURCE[permission])

    def staff_id_may(self, user_id, permission) -> bool:
        return grants_resource(user_id, RESOURCE[permission])

    def require(self, permission, *, on_refused=None):
        return require_resource(RESOURCE[permission], on_refused=on_refused)

    def require_any(self, permissions, *, on_refused=None):
        resources = tuple(RESOURCE[permission] for permission in permissions)
        return require_resource(*resources, on_refused=on_refused)

    def staff_may_see_customer(self, user, customer) -> bool:
        if has_resource(user, customers_acl.ALL_CUSTOMERS):
            return True
        return any(
            has_resource(user, resource) and model.objects.filter(**{path: customer}).exists()
            for resource, model, path in SALES_DOCUMENTS_OF_CUSTOMER
        )

    def staff_locked_out(self, request, user) -> bool:
        return signin_guard.is_locked(request, signin_guard.admin_credentials(user.get_username()))

    def staff_password_checked(self, request, user, *, correct) -> None:
        credentials = signin_guard.admin_credentials(user.get_username())
        if correct:
            signin_guard.record_success(request, credentials)
        else:
            signin_guard.record_failure(request, credentials)

    def staff_locked_message(self):
        return signin_guard.LOCKED_MESSAGE

    def admin_context(self, request) -> dict:
        return admin_site.each_context(request)

    def csrf_token(self, request) -> str:
        return response_token(request)

    def count(self, key, *, timeout):
        try:
            return resilient_cache.count(cache, key, timeout=timeout)
        except resilient_cache.CacheUnavailable:
            return None

    def client_ip(self, request):
        return client_ip(request)

    def actor_of(self, request):
        return Actor.for_request(request)

    _journal = ActionLogJournal()

    def journal(self):
        return self._journal

    def customer(self, customer_id):
        customers = Customer.objects.select_related("website", "created_in")
        return customers.filter(pk=customer_id).first()

    def customer_name(self, customer) -> str:
        return customer.full_name

    def customer_has_staff_access(self, customer) -> bool:
        # Customers are their own model, never a staff account (staff are Django's users): asked
        # on every assisted request, answered without the default's two attribute misses.
        return False

    def customer_store_view(self, customer):
        return customer.created_in

    def customer_website_name(self, customer) -> str:
        return customer.website.name

    def read_along_expressions(self, customer_ref):
        return auth.read_along_expressions(customer_ref)

    def store_view(self, store_view_id):
        return StoreView.objects.select_related("store__website").filter(pk=store_view_id).first()

    def current_store_view(self, request):
        return request.store_view

    def store_view_code(self, store_view) -> str:
        return store_view.code

    def store_view_usable(self, customer, store_view) -> bool:
        return (
            store_view is not None
            and store_view.is_active
            and auth.customer_can_use_website(customer, store_view.store.website_id)
        )

    def store_view_choices(self, customer) -> list[dict]:
        groups: dict[int, dict] = {}
        for view in stores.active_store_views():
            website = view.store.website
            group = groups.setdefault(website.pk, {"website": website, "views": []})
            group["views"].append({"view": view, "usable": self.store_view_usable(customer, view)})
        return list(groups.values())

    def auto_store_view(self, customer):
        """The store view the account was created in if active, else the website's default."""
        # The store views every storefront request reads, kept in memory (an inactive one is
        # not usable either way).
        active = stores.active_store_views()
        created_in = next((v for v in active if v.pk == customer.created_in_id), None)
        if self.store_view_usable(customer, created_in):
            return created_in
        default = customer.website.default_store_view()
        return default if self.store_view_usable(customer, default) else None

    def default_store_view(self):
        return stores.default_store_view()

    def store_view_names(self) -> dict[str, str]:
        return stores.store_view_names()

    def store_view_language(self, store_view) -> str:
        return store_view.locale

    def website_name(self, store_view) -> str:
        return store_view.store.website.name

    def storefront_url(self, name, store_view, **kwargs) -> str:
        return store_reverse(name, store_view=store_view, kwargs=kwargs)

    def landing_url(self, store_view) -> str:
        return store_reverse("customers:account", store_view=store_view)

    def home_url(self, store_view) -> str:
        return store_reverse("storefront:home", store_view=store_view)

    def area_of(self, request):
        return request.area

    def set_session_cookie(self, request, response) -> None:
        set_session_cookie(request, response)

    def open_customer_session(self, request, customer) -> None:
        auth.start_customer_session(request, customer)

    def end_customer_session(self, request) -> None:
        auth.end_storefront_session(request)

    def customer_of_assisted_request(self, request, customer):
        return auth.customer_from_session(request, loaded=customer)

    def signed_in_customer(self, request):
        return request.customer or None

    def discard_guest_cart(self, request) -> None:
        cart = guest_cart(request.session, request.store_view)
        if cart is not None:
            abandon_guest_cart(cart=cart, actor=Actor.system())

    def customer_page(self, view):
        return customer_required(view)

    def queue_mail(self, *, to, subject, body) -> None:
        queue_mail(to=to, subject=subject, body=body)

    # Statements written once per process, rows built without Model.__init__ (docs/performance.md).
    def first_of(self, name, build, **conditions):
        return precompiled.first_of(name, build, **conditions)

    def statement_cursor(self, connection):
        return kept_plan_cursor(connection)

    def built(self, model, alias, attnames, values):
        return precompiled.built(model, alias, attnames, values)
