import logging

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from login_as_customer.admin_ui.dashboard.days import store_recent_days
from login_as_customer.overdue import end_overdue_sessions, keep_missing_counts

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "End every assisted session past its idle or absolute limit (at the time the limit "
        "passed) and every login link left unused past its lifetime, and keep the action count "
        "of ended sessions that lack it; store the dashboard's figures of the last two days "
        "once they are settled. Run it every minute."
    )

    def handle(self, *args, **options):
        # Ending overdue sessions is what must happen: a failure of the bookkeeping around it
        # is logged, and reported by the exit status once the sessions are ended.
        failed = []
        # First: the sessions this sweep ends keep their counts when their ends commit.
        kept, not_kept = self._bookkeeping(keep_missing_counts, "keeping action counts", failed)
        if not_kept:
            failed.append(f"keeping the action count of {not_kept} sessions")
        ended = end_overdue_sessions()
        self.stdout.write(f"Ended {ended} overdue assisted sessions.")
        if kept:
            self.stdout.write(f"Kept the action count of {kept} ended sessions.")
        self._bookkeeping(store_recent_days, "storing the dashboard's days", failed)
        if failed:
            raise CommandError(f"Failed: {', '.join(failed)} (logged).")

    def _bookkeeping(self, step, name, failed):
        try:
            with transaction.atomic():  # a database error leaves the connection usable
                return step()
        except Exception:  # any failure of a step the sweep goes on without
            logger.exception("end_overdue_sessions: %s failed", name)
            failed.append(name)
            return 0, 0
