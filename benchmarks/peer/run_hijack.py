"""The peer's worker of `make bench-peer`, run by benchmarks/bench_peer.py with the peer
virtualenv's Python (django-hijack from PyPI): a throw-away SQLite database, Jane (a customer)
and a support agent (staff, not superuser); Jane's account page requested in her own session
and in the agent's session after hijacking her through django-hijack's own acquire view."""

import importlib.metadata
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "hijack_site.settings"
os.environ["PEER_DB_DIR"] = tempfile.mkdtemp(prefix="bench-peer-hijack-")

import method  # noqa: E402

PAGE = "/customer/account/"
EMAIL = b"jane.doe@example.com"
NOTIFICATION = b'id="djhj"'  # django-hijack's notification, injected into hijacked pages
CATEGORIES = (("bags", "Bags"), ("apparel", "Apparel"), ("home", "Home & Kitchen"))
CATEGORIES += (("electronics", "Electronics"),)


def main() -> None:
    protocol = method.take_stdout()
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from hijack_site.models import Cart, Category, CategoryName

    call_command("migrate", run_syncdb=True, verbosity=0)
    users = get_user_model().objects
    password = os.urandom(12).hex()
    jane = users.create_user(
        "jane", "jane.doe@example.com", password, first_name="Jane", last_name="Doe"
    )
    users.create_user("support", "support@example.com", password, is_staff=True)
    for position, (code, name) in enumerate(CATEGORIES):
        category = Category.objects.create(code=code, position=position)
        CategoryName.objects.create(category=category, language="en", name=name)
    Cart.objects.create(user=jane)

    own = Client()
    assert own.login(username="jane", password=password)
    agent = Client()
    assert agent.login(username="support", password=password)
    hijacked = agent.post("/hijack/acquire/", {"user_pk": jane.pk, "next": PAGE})
    assert hijacked.status_code == 302, hijacked.content[:300]

    method.serve(
        protocol,
        own=method.Session(own, must_show=(EMAIL,), must_not_show=(NOTIFICATION,)),
        other=method.Session(agent, must_show=(EMAIL, NOTIFICATION)),
        path=PAGE,
        about={
            "project": f"django-hijack {importlib.metadata.version('django-hijack')}",
            "django": django.get_version(),
        },
    )


if __name__ == "__main__":
    main()
