"""Keep the partitioned action log (PostgreSQL) in shape; run it daily (docs/deploy.md):

    manage.py audit_partitions [--ahead 3] [--retention-months N] [--keep-detached]

1. rows that landed in the DEFAULT partition (months had not been created) are moved into
   partitions of their months, with a warning: DEFAULT is a safety net, not a home;
2. the partitions of this month and the next ``--ahead`` months are created if missing;
3. the months wholly older than the retention (SHOPASSIST_AUDIT_RETENTION_MONTHS, 12 by
   default) are detached and dropped (or kept detached), and the run is recorded in the log.

Idempotent: a second run the same day creates and detaches nothing (it records its run).
On SQLite the log is one plain table: nothing to do there (``prune_audit_log`` removes rows).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError, connection, transaction
from django.utils import timezone

from shopassist.audit.partitions import (
    MONTHS_AHEAD,
    adopt_default_rows,
    ensure_partitions,
    is_partitioned,
    months_ahead,
    name_all_partition_indexes,
)
from shopassist.audit.retention import LOCK_TIMEOUT, detach_expired_partitions


class Command(BaseCommand):
    help = (
        "Create the action log's month partitions ahead, move rows out of its DEFAULT "
        "partition and detach the months older than the retention (PostgreSQL)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--ahead", type=int, default=MONTHS_AHEAD, help="months to create")
        parser.add_argument(
            "--retention-months",
            type=int,
            default=None,
            help="default: the SHOPASSIST_AUDIT_RETENTION_MONTHS setting",
        )
        parser.add_argument(
            "--keep-detached",
            action="store_true",
            help="keep expired months as tables audit_detached_y… (to archive) instead of "
            "dropping them",
        )

    def handle(self, *args, ahead, retention_months, keep_detached, **options):
        if connection.vendor != "postgresql":
            self.stdout.write(
                "The action log is one plain table on this database: nothing to partition "
                "(prune_audit_log removes old entries)."
            )
            return
        months = retention_months or settings.SHOPASSIST_AUDIT_RETENTION_MONTHS
        if ahead < 1 or months < 1:
            raise CommandError("--ahead and the retention must be at least one month.")
        with connection.cursor() as cursor:
            if not is_partitioned(cursor):
                raise CommandError("The action log is not partitioned: run manage.py migrate.")
        try:
            self._adopt_and_create(ahead)
            run = detach_expired_partitions(retention_months=months, keep_detached=keep_detached)
        except OperationalError as error:  # lock_timeout: the log was busy
            raise CommandError(
                f"The action log stayed busy for {LOCK_TIMEOUT}; nothing more was changed, "
                f"run the command again ({error})."
            ) from error
        if run.partitions:
            done = "kept detached" if run.kept_detached else "dropped"
            self.stdout.write(
                f"Detached and {done} {len(run.partitions)} month(s) before "
                f"{run.cutoff:%Y-%m-%d} ({run.removed} entries): {', '.join(run.partitions)}."
            )
        else:
            self.stdout.write(f"No month of the log ends before {run.cutoff:%Y-%m-%d}.")

    def _adopt_and_create(self, ahead: int) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
            adopted = adopt_default_rows(cursor)
            created = ensure_partitions(cursor, months_ahead(timezone.now(), ahead))
            name_all_partition_indexes(cursor)
        if adopted:
            held = ", ".join(f"{month:%Y-%m}: {count}" for month, count in adopted.items())
            self.stderr.write(
                self.style.WARNING(
                    f"The DEFAULT partition of the action log held entries ({held}); they "
                    "were moved into partitions of their months. Run audit_partitions daily "
                    "so that months exist before their entries are written."
                )
            )
        if created:
            self.stdout.write(f"Created partitions: {', '.join(created)}.")
        else:
            self.stdout.write(f"The partitions of this month and {ahead} ahead exist.")
