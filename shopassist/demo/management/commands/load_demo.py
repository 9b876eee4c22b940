from django.core.management.base import BaseCommand

from shopassist.demo.loader import load_demo


class Command(BaseCommand):
    help = "Load the demo stores, staff, roles and customers (idempotent; refused in production)."

    def handle(self, *args, **options):
        counts = load_demo()
        self.stdout.write(
            self.style.SUCCESS(
                "Demo data ready: "
                + ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in counts.items())
            )
        )
