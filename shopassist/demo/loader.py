"""Load the demo data idempotently: running it again changes nothing that exists."""

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from login_as_customer.models import AssistanceConsent
from shopassist.catalog.models import Product
from shopassist.core.config import Scope, config
from shopassist.core.models import ConfigValue
from shopassist.customers.models import Address, Customer
from shopassist.demo import data
from shopassist.demo.commerce import load_catalog, load_orders
from shopassist.sales.models import Order
from shopassist.staff import roles
from shopassist.staff.models import Role
from shopassist.stores.models import Store, StoreView, Website


def load_demo() -> dict[str, int]:
    """Load everything, or nothing: refused in production mode before touching the database."""
    if settings.PRODUCTION:
        raise ImproperlyConfigured("The demo data must never be loaded in production mode.")
    with transaction.atomic():
        return _load()


def _load() -> dict[str, int]:
    website, _ = Website.objects.get_or_create(
        code=data.WEBSITE["code"], defaults={"name": data.WEBSITE["name"], "is_default": True}
    )
    store, _ = Store.objects.get_or_create(website=website, name=data.STORE["name"])
    views = {}
    for code, name, locale, sort_order in data.STORE_VIEWS:
        views[code], _ = StoreView.objects.get_or_create(
            code=code,
            defaults={"store": store, "name": name, "locale": locale, "sort_order": sort_order},
        )
    if store.default_store_view_id is None:
        store.default_store_view = views["en"]
        store.save(update_fields=["default_store_view"])
    if website.default_store_id is None:
        website.default_store = store
        website.save(update_fields=["default_store"])

    for name, resources in data.ROLES.items():
        role, _ = Role.objects.get_or_create(name=name)
        if resources == "all":
            roles.set_role_resources(role, access=roles.ACCESS_ALL, resource_ids=[])
        else:
            roles.set_role_resources(role, access=roles.ACCESS_CUSTOM, resource_ids=resources)

    for username, (first, last, role_name) in data.STAFF.items():
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@shopassist.example",
                "is_staff": True,
            },
        )
        if created:
            user.set_password(f"demo-{username}")
            user.save()
            user.groups.set([Role.objects.get(name=role_name)])

    for email, (first, last, view_code) in data.CUSTOMERS.items():
        customer, created = Customer.objects.get_or_create(
            website=website,
            email=email,
            defaults={"first_name": first, "last_name": last, "created_in": views[view_code]},
        )
        if created:
            customer.set_password(data.CUSTOMER_PASSWORD)
            customer.save()
            street, city, postcode, country, phone = data.ADDRESSES[email]
            Address.objects.create(
                customer=customer,
                first_name=first,
                last_name=last,
                street=street,
                city=city,
                postcode=postcode,
                country=country,
                telephone=phone,
                is_default_billing=True,
                is_default_shipping=True,
            )
    _load_assistance(website)
    load_catalog(views)
    load_orders(views)
    return {
        "store_views": StoreView.objects.count(),
        "products": Product.objects.count(),
        "orders": Order.objects.count(),
        "staff": User.objects.count(),
        "customers": Customer.objects.count(),
    }


def _load_assistance(website) -> None:
    """The feature is enabled; Jane, Marie and Kim have consented, Chen has not."""
    for path, value in data.CONFIG.items():
        if not ConfigValue.objects.filter(scope=Scope.DEFAULT, scope_id=0, path=path).exists():
            transaction.on_commit(config.invalidate)
            ConfigValue.objects.create(scope=Scope.DEFAULT, scope_id=0, path=path, value=value)
    for email in data.CONSENTING_CUSTOMERS:
        customer = Customer.objects.get(website=website, email=email)
        AssistanceConsent.objects.get_or_create(
            customer=customer, defaults={"allowed": True, "granted_at": timezone.now()}
        )
