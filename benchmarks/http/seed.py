"""Seed a benchmark database for benchmarks/bench_http.py (run by it, in the server's environment).

    python benchmarks/http/seed.py prepare --products N --customer EMAIL --sku SKU
        [--staff K]
        BENCH-00001 … BENCH-<N>: active, in stock, with a default ProductText name (created once
        per database; later runs only add what is missing); the customer's consent to remote
        assistance; Login as Customer enabled, no reason required, no e-mail, and the start rate
        limit at its maximum so the start + redemption row is not throttled; with --staff,
        administrators httpbench-agent-1..K (role Customer Support, password demo-<username>).
    python benchmarks/http/seed.py page-cache-setting yes|no
        "Disable Page Cache for Admin User" (login_as_customer/general/disable_page_cache).

Prints one JSON object on its last line. Never run it against data you care about: it writes
products and configuration (bench_http.py points it at its own database).
"""

import argparse
import json
import os
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopassist.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from shopassist.core.config.services import save_config_values  # noqa: E402

SKU_FORMAT = "BENCH-{:05d}"
BATCH = 2000
ENABLED = "login_as_customer/general/enabled"
DISABLE_PAGE_CACHE = "login_as_customer/general/disable_page_cache"
START_RATE_LIMIT = "login_as_customer/general/start_rate_limit"
START_RATE_LIMIT_MAX = "1000"  # the field's maximum


def seed_products(count: int) -> int:
    from shopassist.catalog.models import Product, ProductText

    existing = set(
        Product.objects.filter(sku__startswith="BENCH-").values_list("sku", flat=True).iterator()
    )
    missing = [n for n in range(1, count + 1) if SKU_FORMAT.format(n) not in existing]
    for start in range(0, len(missing), BATCH):
        numbers = missing[start : start + BATCH]
        with transaction.atomic():
            products = Product.objects.bulk_create(
                Product(
                    sku=SKU_FORMAT.format(n),
                    price=Decimal("10.00") + Decimal(n % 100),
                    stock_qty=1000,
                    is_active=True,
                )
                for n in numbers
            )
            if any(p.pk is None for p in products):  # a backend without RETURNING
                by_sku = dict(
                    Product.objects.filter(sku__in=[p.sku for p in products]).values_list(
                        "sku", "pk"
                    )
                )
                for product in products:
                    product.pk = by_sku[product.sku]
            ProductText.objects.bulk_create(
                ProductText(
                    product=product,
                    store_view=None,
                    name=f"Benchmark product {n:05d}",
                    description=f"A product of the HTTP benchmark (page cache misses), #{n}.",
                )
                for n, product in zip(numbers, products, strict=True)
            )
    return len(missing)


def ensure_consent(customer) -> None:
    from django.utils import timezone

    from login_as_customer.flows.consent import set_consent
    from login_as_customer.models import AssistanceConsent
    from shopassist.core.actor import Actor

    consent = AssistanceConsent.objects.filter(customer=customer).first()
    if consent is None or not consent.is_valid(timezone.now()):
        set_consent(customer=customer, allowed=True, duration="", actor=Actor.system())


def ensure_staff(count: int) -> list[str]:
    """httpbench-agent-1..N: more administrators with Login as Customer for more clients of the
    start + redemption row (the start rate limit counts per administrator)."""
    from django.contrib.auth.models import User

    from shopassist.staff.models import Role

    role = Role.objects.get(name="Customer Support")
    names = []
    for n in range(1, count + 1):
        username = f"httpbench-agent-{n}"
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": "Bench", "last_name": f"Agent {n}"}
        )
        if created or not user.is_staff or not user.is_active:
            user.is_staff = user.is_active = True
            user.set_password(f"demo-{username}")
            user.save()
            user.groups.set([role])
        names.append(username)
    return names


def save(values: dict) -> list[str]:
    return save_config_values(scope="default", scope_id=0, values=values, actor=None)


def prepare(args) -> dict:
    from shopassist.catalog.models import Product
    from shopassist.customers.models import Customer

    created = seed_products(args.products)
    customer = Customer.objects.get(email=args.customer)
    ensure_consent(customer)
    staff = ensure_staff(args.staff)
    changed = save(
        {
            ENABLED: "1",
            START_RATE_LIMIT: START_RATE_LIMIT_MAX,
            "login_as_customer/general/require_reason": "0",
            "login_as_customer/general/notify_customer": "0",
        }
    )
    if not Product.objects.filter(sku=args.sku, is_active=True).exists():
        raise SystemExit(f"demo product {args.sku} is missing or disabled")
    return {
        "customer_id": customer.pk,
        "products_created": created,
        "bench_products": Product.objects.filter(sku__startswith="BENCH-").count(),
        "start_rate_limit": int(START_RATE_LIMIT_MAX),
        "bench_staff": staff,
        "config_changed": changed,
    }


def page_cache_setting(args) -> dict:
    value = {"yes": "1", "no": "0"}[args.value]
    return {"disable_page_cache": args.value, "config_changed": save({DISABLE_PAGE_CACHE: value})}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("prepare")
    p.add_argument("--products", type=int, required=True)
    p.add_argument("--customer", required=True)
    p.add_argument("--sku", required=True)
    p.add_argument("--staff", type=int, default=0, help="httpbench-agent-N administrators")
    p.set_defaults(run=prepare)
    p = commands.add_parser("page-cache-setting")
    p.add_argument("value", choices=["yes", "no"])
    p.set_defaults(run=page_cache_setting)
    args = parser.parse_args()
    print(json.dumps(args.run(args)))


if __name__ == "__main__":
    main()
