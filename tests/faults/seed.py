"""Prepare the fault tests' own database (run by test_faults.py, in the development
environment pointed at our own PostgreSQL cluster and Redis): migrate, load_demo, then

    python tests/faults/seed.py ORDER_SKU PRICE_SKU

Login as Customer enabled, no reason asked, no e-mail, starts not rate-limited; the consenting
demo customers' consent renewed; ORDER_SKU stocked for every order of the run. Prints one
JSON object on its last line: ids and the starting figures the final checks compare with.
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopassist.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.utils import timezone  # noqa: E402

from login_as_customer import config as lac  # noqa: E402
from login_as_customer.flows.consent import set_consent  # noqa: E402
from login_as_customer.models import AssistanceConsent  # noqa: E402
from shopassist.audit.models import ActionLogEntry  # noqa: E402
from shopassist.catalog.models import Product  # noqa: E402
from shopassist.core.actor import Actor  # noqa: E402
from shopassist.core.config.services import save_config_values  # noqa: E402
from shopassist.customers.models import Customer  # noqa: E402
from shopassist.demo import data  # noqa: E402
from shopassist.sales.models import Order  # noqa: E402

STOCK = 1_000_000


def main(order_sku: str, price_sku: str) -> dict:
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo", verbosity=0)
    save_config_values(
        scope="default",
        scope_id=0,
        values={
            lac.ENABLED: "1",
            lac.REQUIRE_REASON: "0",
            lac.NOTIFY_CUSTOMER: "0",
            lac.START_RATE_LIMIT: "1000",
        },
        actor=None,
    )
    now = timezone.now()
    for email in data.CONSENTING_CUSTOMERS:
        customer = Customer.objects.get(email=email)
        consent = AssistanceConsent.objects.filter(customer=customer).first()
        if consent is None or not consent.is_valid(now):
            set_consent(customer=customer, allowed=True, duration="", actor=Actor.system())
    product = Product.objects.get(sku=order_sku)
    product.stock_qty = STOCK
    product.save()  # through the ORM: its pages are invalidated as by the admin
    priced = Product.objects.get(sku=price_sku)
    return {
        "customers": {c.email: c.pk for c in Customer.objects.all()},
        "order_product_id": product.pk,
        "order_product_stock": STOCK,
        "price_product_id": priced.pk,
        "price": str(priced.price),
        "max_order_id": Order.objects.aggregate(m=Max("id"))["m"] or 0,
        "max_audit_id": ActionLogEntry.objects.aggregate(m=Max("id"))["m"] or 0,
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2])))
