"""The demo shop: products, the support agent, four customers (three allow remote shopping
assistance, Chen Wei does not) and a few orders. Names and passwords as ShopAssist's demo."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.sites.models import Site
from django.db import transaction
from django.utils import timezone
from oscar.apps.checkout.calculators import OrderTotalCalculator
from oscar.apps.order.utils import OrderCreator
from oscar.apps.partner.strategy import Default
from oscar.apps.shipping.methods import Free
from oscar.core.loading import get_model

from login_as_customer.models import AssistanceConsent

Basket = get_model("basket", "Basket")
Country = get_model("address", "Country")
Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
StockRecord = get_model("partner", "StockRecord")
UserAddress = get_model("address", "UserAddress")
ShippingAddress = get_model("order", "ShippingAddress")

SITE_NAME = "Oscar Demo Shop"
SUPPORT = ("support", "demo-support")
SUPPORT_PERMISSIONS = [
    "login_as_customer",
    "view_login_as_customer_log",
    "manage_assisted_sessions",
]
CUSTOMER_PASSWORD = "demo-customer"  # noqa: S105 - documented demo password
CUSTOMERS = {
    "jane.doe@example.com": ("Jane", "Doe"),
    "marie.dupont@example.com": ("Marie", "Dupont"),
    "kim.minji@example.com": ("Kim", "Minji"),
    "chen.wei@example.com": ("Chen", "Wei"),
}
CONSENTING = ["jane.doe@example.com", "marie.dupont@example.com", "kim.minji@example.com"]
PRODUCTS = [
    ("SA-BAG-001", "Leather Tote Bag", "89.00"),
    ("SA-BAG-002", "Canvas Backpack", "59.00"),
    ("SA-HAT-001", "Wool Beanie", "19.00"),
    ("SA-MUG-001", "Ceramic Mug", "12.50"),
]
ORDERS = [("jane.doe@example.com", "SA-BAG-001", 1), ("marie.dupont@example.com", "SA-MUG-001", 2)]


@transaction.atomic
def load(domain: str = "localhost:8001") -> None:
    if Product.objects.filter(upc="SA-BAG-001").exists():
        return
    Site.objects.update_or_create(pk=1, defaults={"domain": domain, "name": SITE_NAME})
    country, _ = Country.objects.update_or_create(
        iso_3166_1_a2="GB",
        defaults={
            "name": "United Kingdom",
            "printable_name": "United Kingdom",
            "is_shipping_country": True,
        },
    )
    product_class, _ = ProductClass.objects.get_or_create(
        name="Accessories", defaults={"requires_shipping": True, "track_stock": True}
    )
    partner, _ = Partner.objects.get_or_create(name="Oscar Demo Shop")
    for upc, title, price in PRODUCTS:
        product = Product.objects.create(
            upc=upc, title=title, product_class=product_class, structure=Product.STANDALONE
        )
        StockRecord.objects.create(
            product=product,
            partner=partner,
            partner_sku=upc,
            price=Decimal(price),
            price_currency="EUR",
            num_in_stock=100,
        )

    users = get_user_model()
    support = users.objects.create_user(
        SUPPORT[0],
        "support@example.com",
        SUPPORT[1],
        is_staff=True,
        first_name="Sam",
        last_name="Support",
    )
    # Oscar's dashboard: the customers and the orders; Login as Customer: use it, read its log.
    support.user_permissions.set(
        Permission.objects.filter(content_type__app_label="auth", codename="view_user")
        | Permission.objects.filter(content_type__app_label="order", codename="view_order")
        | Permission.objects.filter(
            content_type__app_label="login_as_customer",
            codename__in=SUPPORT_PERMISSIONS,
        )
    )
    users.objects.create_superuser("admin", "admin@example.com", "demo-admin")

    now = timezone.now()
    customers = {}
    for email, (first, last) in CUSTOMERS.items():
        customer = users.objects.create_user(
            email.split("@")[0], email, CUSTOMER_PASSWORD, first_name=first, last_name=last
        )
        customers[email] = customer
        UserAddress.objects.create(
            user=customer,
            first_name=first,
            last_name=last,
            line1="1 High Street",
            line4="London",
            postcode="SW1A 1AA",
            country=country,
            is_default_for_shipping=True,
            is_default_for_billing=True,
        )
        if email in CONSENTING:
            AssistanceConsent.objects.create(customer=customer, allowed=True, granted_at=now)

    for email, upc, quantity in ORDERS:
        _place_order(customers[email], Product.objects.get(upc=upc), quantity, country)


def _place_order(customer, product, quantity, country):
    basket = Basket.objects.create(owner=customer)
    basket.strategy = Default()
    basket.add_product(product, quantity)
    shipping_method = Free()
    charge = shipping_method.calculate(basket)
    address = ShippingAddress.objects.create(
        first_name=customer.first_name,
        last_name=customer.last_name,
        line1="1 High Street",
        line4="London",
        postcode="SW1A 1AA",
        country=country,
    )
    OrderCreator().place_order(
        basket=basket,
        total=OrderTotalCalculator().calculate(basket, charge),
        shipping_method=shipping_method,
        shipping_charge=charge,
        user=customer,
        shipping_address=address,
    )
    basket.submit()
