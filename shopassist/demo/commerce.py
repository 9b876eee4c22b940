"""Demo catalog and orders, loaded through the same services the storefront uses."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from shopassist.cart import services as cart_services
from shopassist.cart.models import Cart
from shopassist.catalog.models import Category, CategoryText, Product, ProductText
from shopassist.checkout.services import ShippingAddress, place_order
from shopassist.core.actor import Actor
from shopassist.customers.models import Customer
from shopassist.demo import product_images
from shopassist.demo.catalog_data import CATEGORIES, PRODUCTS
from shopassist.sales import services as sales
from shopassist.sales.models import Order

DEMO_IMAGES_PREFIX = "catalog/product/demo/"

# e-mail (None: a guest) → list of orders: (SKUs with quantities, what happens after invoicing)
DEMO_ORDERS = [
    ("jane.doe@example.com", [("SA-BAG-001", 1), ("SA-APP-002", 2)], "ship"),
    ("jane.doe@example.com", [("SA-HOM-003", 1)], "invoice"),
    ("marie.dupont@example.com", [("SA-APP-005", 1), ("SA-BAG-004", 1)], "ship+refund"),
    ("kim.minji@example.com", [("SA-ELE-002", 1), ("SA-HOM-001", 2)], "partial_refund"),
    ("chen.wei@example.com", [("SA-ELE-005", 1)], "ship"),
    (None, [("SA-BAG-007", 1)], "invoice"),
]


def load_catalog(store_views: dict) -> None:
    for code, data in CATEGORIES.items():
        category, created = Category.objects.get_or_create(
            code=code, defaults={"position": data["position"]}
        )
        if created:
            _texts(CategoryText, "category", category, data["texts"], store_views)
    for data in PRODUCTS:
        product, created = Product.objects.get_or_create(
            sku=data["sku"], defaults={"price": data["price"], "stock_qty": data["stock"]}
        )
        if created:
            product.categories.add(Category.objects.get(code=data["category"]))
            _texts(ProductText, "product", product, data["texts"], store_views)
        if not product.image:
            _attach_image(product)


def _attach_image(product) -> None:
    """The product's picture (shopassist/demo/images/), stored under a fixed name in the
    default storage (media): loading again, or from several processes, writes no copy."""
    name = f"{DEMO_IMAGES_PREFIX}{product.sku}.svg"
    content = product_images.image_path(product.sku).read_bytes()
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as stored:
            if stored.read() != content:  # drawn again since: replace it
                default_storage.delete(name)
    if not default_storage.exists(name):
        saved = default_storage.save(name, ContentFile(content))
        if saved != name:  # another process stored it meanwhile: keep theirs, drop ours
            default_storage.delete(saved)
    product.image.name = name
    product.save(update_fields=["image"])


def _texts(model, owner_field, owner, texts: dict, store_views: dict) -> None:
    name, description = texts["en"]
    model.objects.create(**{owner_field: owner}, name=name, description=description)
    for code, (name, description) in texts.items():
        if code != "en" and code in store_views:
            model.objects.create(
                **{owner_field: owner},
                store_view=store_views[code],
                name=name,
                description=description,
            )


def load_orders(store_views: dict) -> None:
    if Order.objects.exists():
        return  # idempotent: the demo orders are placed once
    system = Actor.system()
    for email, lines, fate in DEMO_ORDERS:
        customer = Customer.objects.filter(email=email).first() if email else None
        store_view = customer.created_in if customer else store_views["en"]
        cart = Cart.objects.create(customer=customer, store_view=store_view)
        for sku, qty in lines:
            cart_services.add_item(cart=cart, sku=sku, qty=qty, actor=system)
        address = customer.addresses.first() if customer else None
        order = place_order(
            cart=cart,
            email=email or "guest.shopper@example.com",
            address=ShippingAddress(
                first_name=customer.first_name if customer else "Gina",
                last_name=customer.last_name if customer else "Guest",
                street=address.street if address else "5 Market Square",
                city=address.city if address else "Springfield",
                postcode=address.postcode if address else "12345",
                country=address.country if address else "US",
                telephone=address.telephone if address else "",
            ),
            actor=system,
        )
        sales.invoice_order(order=order, actor=system)
        if "ship" in fate:
            sales.ship_order(order=order, actor=system, tracking_number=f"1Z{order.pk:08d}")
        if "refund" in fate:
            first_item = order.items.first()
            refund_qty = first_item.qty_ordered if fate == "ship+refund" else 1
            sales.refund_order(order=order, actor=system, items={str(first_item.pk): refund_qty})
        sales.add_order_comment(
            order=order,
            comment="Thank you for your order!",
            visible_on_front=True,
            actor=system,
        )
