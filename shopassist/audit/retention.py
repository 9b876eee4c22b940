"""The one documented way to remove old action log entries: ``prune`` deletes the entries
older than a number of days, row by row (SQLite, or a small log); on PostgreSQL
``detach_expired_partitions`` removes whole months of the partitioned log at once. Both record
their run, with the anchors where each pruned chain now starts, as an entry of the log, and
forget the search values (PostgreSQL) that only the removed entries, or deleted sessions, named:
how many is in the run's entry (``search_values_removed``)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from shopassist.audit.append_only import (
    LOG_TABLE,
    deletion_allowed,
    install_row_guard,
    install_truncate_guard,
)
from shopassist.audit.config import MIN_RETENTION_DAYS, RETENTION_DAYS
from shopassist.audit.models import CHAINS, ActionGroup, ActionLogEntry, Channel
from shopassist.audit.partitions import (
    DETACHED_PREFIX,
    adopt_default_rows,
    month_of,
    month_partitions,
    month_start,
    months_before,
    name_partition_indexes,
    suffix_of,
)
from shopassist.audit.search_values import forget_unused_values
from shopassist.audit.verify import RETENTION_ACTION
from shopassist.audit.writer import record
from shopassist.core.config import config

# DDL on the log waits at most this long for readers and writers to let go (a long CSV export
# holds the log): the command fails then and the next daily run tries again.
LOCK_TIMEOUT = "10s"


def prune(*, older_than_days: int) -> int:
    """Delete entries older than the age, keep each chain verifiable from its new start, and
    record the run (with the chains' anchors) as an entry of its own. Never younger than
    ``MIN_RETENTION_DAYS``: the check against published heads holds a younger entry's absence
    against the log (``published_heads``)."""
    if older_than_days < MIN_RETENTION_DAYS:
        raise ValueError(f"The retention is at least {MIN_RETENTION_DAYS} days.")
    cutoff = timezone.now() - timedelta(days=older_than_days)
    with transaction.atomic():
        old = ActionLogEntry.objects.filter(created_at__lt=cutoff)
        anchors = {}
        for chain, seq, entry_hash in old.order_by("chain", "-seq").values_list(
            "chain", "seq", "entry_hash"
        ):
            anchors.setdefault(str(chain), (seq, entry_hash))
        ids = list(old.values_list("id", flat=True))
        with deletion_allowed(), connection.cursor() as cursor:
            for start in range(0, len(ids), 500):
                batch = ids[start : start + 500]
                placeholders = ", ".join(["%s"] * len(batch))
                cursor.execute(f"DELETE FROM {LOG_TABLE} WHERE id IN ({placeholders})", batch)  # noqa: S608
            forgotten = forget_unused_values(cursor)
        record(
            action_group=ActionGroup.SYSTEM,
            action=RETENTION_ACTION,
            channel=Channel.SYSTEM,
            details={
                "older_than_days": older_than_days,
                "cutoff": cutoff.isoformat(),
                "removed": len(ids),
                "search_values_removed": forgotten,
                "anchors": anchors,
            },
        )
    return len(ids)


@dataclass(frozen=True)
class DetachedMonths:
    cutoff: datetime
    partitions: list[str]
    removed: int
    kept_detached: bool
    search_values_removed: int


def detach_expired_partitions(
    *, retention_months: int, keep_detached: bool = False
) -> DetachedMonths:
    """PostgreSQL: detach the month partitions wholly older than the retention instead of
    deleting their rows one by one, then drop them (or, with ``keep_detached``, keep them as
    append-only tables named ``audit_detached_y…`` for an archive to take and drop). A month
    stays while any of it is younger than ``retention_months`` months or than the configured
    days of ``prune`` (the longer retention wins). Records the run, with the chains' anchors,
    as ``prune`` does: a chain's time order is its seq order, so each chain loses a prefix."""
    now = timezone.now()
    days = config.get(RETENTION_DAYS)
    cutoff = min(months_before(now, retention_months), now - timedelta(days=days))
    bound = month_start(month_of(cutoff))  # the months before it lie wholly before the cutoff
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
        adopt_default_rows(cursor)  # no row older than the bound may stay behind in DEFAULT
        expired = [name for month, name in month_partitions(cursor).items() if month < bound.date()]
        anchors, removed = {}, 0
        if expired:
            # The last removed link of each chain: one backward index step per chain.
            cursor.execute(
                "SELECT c.chain, last.seq, last.entry_hash FROM generate_series(0, %s) AS c(chain) "  # noqa: S608
                f"CROSS JOIN LATERAL (SELECT seq, entry_hash FROM {LOG_TABLE} "
                "WHERE chain = c.chain AND created_at < %s "
                "ORDER BY seq DESC LIMIT 1) AS last ORDER BY c.chain",
                [CHAINS - 1, bound],
            )
            anchors = {str(chain): (seq, entry_hash) for chain, seq, entry_hash in cursor}
            cursor.execute(f"SELECT count(*) FROM {LOG_TABLE} WHERE created_at < %s", [bound])  # noqa: S608
            (removed,) = cursor.fetchone()
        for name in expired:
            kept = name.replace(f"{LOG_TABLE}_y", DETACHED_PREFIX)
            if keep_detached:  # its indexes' names are free for the month if it comes back
                name_partition_indexes(cursor, name, f"detached_{suffix_of(name)}")
            cursor.execute(f"ALTER TABLE {LOG_TABLE} DETACH PARTITION {name}")
            if keep_detached:
                cursor.execute(f"ALTER TABLE {name} RENAME TO {kept}")
                install_row_guard(cursor, kept)
                install_truncate_guard(cursor, kept)
            else:
                cursor.execute(f"DROP TABLE {name}")
        forgotten = forget_unused_values(cursor)  # also those of months kept detached
        record(
            action_group=ActionGroup.SYSTEM,
            action=RETENTION_ACTION,
            channel=Channel.SYSTEM,
            details={
                "retention_months": retention_months,
                "older_than_days": days,
                "cutoff": bound.isoformat(),
                "removed": removed,
                "partitions": expired,
                "kept_detached": keep_detached,
                "search_values_removed": forgotten,
                "anchors": anchors,
            },
        )
    return DetachedMonths(bound, expired, removed, keep_detached, forgotten)
