"""Our worker of `make bench-peer`, run by benchmarks/bench_peer.py with ShopAssist's Python:
a throw-away SQLite database with the demo data (DEBUG off, static files collected, no Redis:
the embedded default, as the peer project); Jane's My Account page requested in her own
session and in an assisted session, started and redeemed as
benchmarks/bench_login_as_customer.py does."""

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
# The same engine as the peer's: a throw-away SQLite file and local memory, whatever the shell
# exported for other benchmarks.
for name in ("BENCH_DATABASE_URL", "DATABASE_URL", "REDIS_URL", "PAGE_CACHE_REDIS_URL"):
    os.environ.pop(name, None)
os.environ["DEBUG"] = "0"

import method  # noqa: E402

PAGE = "/en/customer/account/"
EMAIL = b"jane.doe@example.com"
BANNER = b'data-testid="lac-banner"'


def main() -> None:
    protocol = method.take_stdout()
    # Sets up Django on a throw-away SQLite database (SHOPASSIST_VAR_DIR in a temporary folder).
    import bench_login_as_customer as lac_bench
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopassist.settings")
    lac_bench._setup_django("sqlite")
    from django.core.management import call_command
    from django.test import Client

    from shopassist.core.config.services import save_config_values
    from shopassist.customers.models import Customer

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    # DEBUG off: pages name their static files through the manifest.
    call_command("collectstatic", interactive=False, verbosity=0)
    save_config_values(
        scope="default",
        scope_id=0,
        values={"login_as_customer/general/start_rate_limit": "1000"},
        actor=None,
    )
    jane = Customer.objects.get(email=EMAIL.decode())
    admin = lac_bench._admin_client("support")
    assisted, _seconds = lac_bench._start_and_redeem(admin, jane.pk)
    own = Client()
    signed_in = own.post(
        "/en/customer/account/login/", {"email": jane.email, "password": "demo-customer"}
    )
    assert signed_in.status_code == 302, signed_in.content[:300]

    method.serve(
        protocol,
        own=method.Session(own, must_show=(EMAIL,), must_not_show=(BANNER,)),
        other=method.Session(assisted, must_show=(EMAIL, BANNER)),
        path=PAGE,
        about={"project": "ShopAssist Login as Customer", "django": django.get_version()},
    )


if __name__ == "__main__":
    main()
