from django.core.management import call_command
from django.core.management.base import BaseCommand

from oscar_shop import demo


class Command(BaseCommand):
    help = "Load the demo shop (products, support agent, customers, orders) unless loaded."

    def add_arguments(self, parser):
        parser.add_argument("--domain", default="localhost:8001")

    def handle(self, *args, domain, **options):
        demo.load(domain)
        # The search index (the catalogue's pages read it) as the database is: a database made
        # again leaves products in the index that are no longer there.
        call_command("update_index", remove=True, verbosity=0)
        self.stdout.write("Demo data loaded: support / demo-support, customers / demo-customer.")
