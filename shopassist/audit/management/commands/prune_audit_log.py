from django.core.management.base import BaseCommand, CommandError

from shopassist.audit.config import RETENTION_DAYS
from shopassist.audit.retention import prune
from shopassist.core.config import config


class Command(BaseCommand):
    help = "Remove action log entries older than the configured retention (and record the run)."

    def add_arguments(self, parser):
        parser.add_argument("--older-than-days", type=int, default=None)

    def handle(self, *args, **options):
        days = options["older_than_days"] or config.get(RETENTION_DAYS)
        try:
            removed = prune(older_than_days=days)
        except ValueError as refused:  # a retention shorter than any the settings allow
            raise CommandError(str(refused)) from refused
        self.stdout.write(f"Removed {removed} action log entries older than {days} days.")
