"""Login as Customer benchmark: start + redemption server time, and the per-request overhead
of an assisted storefront request against the same customer's own request.

Run: `make bench-lac` (or `python benchmarks/bench_login_as_customer.py [--requests N]`).
Uses a throw-away SQLite database (or DATABASE_URL / REDIS_URL when set, on a database named
by BENCH_DATABASE_URL to keep your data safe). Prints medians and the ratio measured in the
same run; requests of the two kinds are interleaved so drift affects both alike.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopassist.settings")
if "BENCH_DATABASE_URL" in os.environ:
    os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
else:
    os.environ.pop("DATABASE_URL", None)
    os.environ["SHOPASSIST_VAR_DIR"] = tempfile.mkdtemp(prefix="shopassist-bench-")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

settings.ALLOWED_HOSTS = ["testserver"]


def _admin_client(username):
    client = Client()
    response = client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": f"demo-{username}"}
    )
    assert response.status_code == 302, "admin login failed"
    return client


def _start_and_redeem(admin, customer_id):
    """One full start + redemption; returns (storefront client, seconds)."""
    storefront = Client()
    began = time.perf_counter()
    page = admin.post(f"/admin/login_as_customer/{customer_id}/start/")
    token = page.content.decode().split('name="token" value="', 1)[1].split('"', 1)[0]
    action = page.content.decode().split('action="', 1)[1].split('"', 1)[0]
    # One browser: the storefront tab holds the binding cookie the start response set.
    prefix = settings.LOGIN_AS_CUSTOMER_BINDING_COOKIE_PREFIX
    for name, morsel in page.cookies.items():
        if name.startswith(prefix) and morsel.value:
            storefront.cookies[name] = morsel.value
    landed = storefront.post(action, {"token": token})
    elapsed = time.perf_counter() - began
    assert landed.status_code == 302, landed.content[:300]
    return storefront, elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--starts", type=int, default=30)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    from shopassist.core.config.services import save_config_values
    from shopassist.customers.models import Customer

    # Enough starts for the run: lift the per-admin rate limit.
    save_config_values(
        scope="default",
        scope_id=0,
        values={"login_as_customer/general/start_rate_limit": "1000"},
        actor=None,
    )
    jane = Customer.objects.get(email="jane.doe@example.com")
    admin = _admin_client("support")

    start_times = [_start_and_redeem(admin, jane.pk)[1] for _ in range(args.starts)]
    assisted, _elapsed = _start_and_redeem(admin, jane.pk)
    own = Client()
    own.post("/en/customer/account/login/", {"email": jane.email, "password": "demo-customer"})

    page = "/en/customer/account/"
    for client in (own, assisted):  # warm up
        for _ in range(20):
            assert client.get(page).status_code == 200
    own_times, assisted_times = [], []
    for _ in range(args.requests):
        for client, bucket in ((own, own_times), (assisted, assisted_times)):
            began = time.perf_counter()
            response = client.get(page)
            bucket.append(time.perf_counter() - began)
            assert response.status_code == 200

    def ms(values):
        return statistics.median(values) * 1000

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(f"Login as Customer benchmark ({engine} + {cache}, {args.requests} requests each)")
    print(f"{'measure':<44}{'median ms':>10}{'p95 ms':>10}")
    rows = (
        ("start + redemption (server time)", start_times),
        ("customer own request: My Account", own_times),
        ("assisted request: My Account", assisted_times),
    )
    for label, values in rows:
        p95 = statistics.quantiles(values, n=20)[18] * 1000
        print(f"{label:<44}{ms(values):>10.2f}{p95:>10.2f}")
    ratio = ms(assisted_times) / ms(own_times)
    print(f"assisted / own (median): {ratio:.3f}x  (target <= 1.05x)")


if __name__ == "__main__":
    main()
