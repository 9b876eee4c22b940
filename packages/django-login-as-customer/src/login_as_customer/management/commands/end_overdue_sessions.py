from django.core.management.base import BaseCommand

from login_as_customer.admin_ui.dashboard.days import store_recent_days
from login_as_customer.overdue import end_overdue_sessions, keep_missing_counts


class Command(BaseCommand):
    help = (
        "End every assisted session past its idle or absolute limit (at the time the limit "
        "passed) and every login link left unused past its lifetime, and keep the action count "
        "of ended sessions that lack it; store the dashboard's figures of the last two days "
        "once they are settled. Run it every minute."
    )

    def handle(self, *args, **options):
        kept = keep_missing_counts()  # first: the sessions this sweep ends keep theirs on commit
        ended = end_overdue_sessions()
        self.stdout.write(f"Ended {ended} overdue assisted sessions.")
        if kept:
            self.stdout.write(f"Kept the action count of {kept} ended sessions.")
        store_recent_days()
