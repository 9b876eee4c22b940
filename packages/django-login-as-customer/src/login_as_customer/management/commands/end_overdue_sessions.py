from django.core.management.base import BaseCommand

from login_as_customer.overdue import end_overdue_sessions


class Command(BaseCommand):
    help = (
        "End every assisted session past its idle or absolute limit (at the time the limit "
        "passed) and every login link left unused past its lifetime. Run it every minute."
    )

    def handle(self, *args, **options):
        ended = end_overdue_sessions()
        self.stdout.write(f"Ended {ended} overdue assisted sessions.")
