from django.core.management.base import BaseCommand

from oscar_shop import demo


class Command(BaseCommand):
    help = "Load the demo shop (products, support agent, customers, orders) unless loaded."

    def add_arguments(self, parser):
        parser.add_argument("--domain", default="localhost:8001")

    def handle(self, *args, domain, **options):
        demo.load(domain)
        self.stdout.write("Demo data loaded: support / demo-support, customers / demo-customer.")
