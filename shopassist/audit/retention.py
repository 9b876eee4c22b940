"""The one documented way to remove old action log entries."""

from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from shopassist.audit.append_only import LOG_TABLE, deletion_allowed
from shopassist.audit.models import ActionGroup, ActionLogEntry, Channel
from shopassist.audit.verify import RETENTION_ACTION
from shopassist.audit.writer import record


def prune(*, older_than_days: int) -> int:
    """Delete entries older than the age, keep each chain verifiable from its new start, and
    record the run (with the chains' anchors) as an entry of its own."""
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
        record(
            action_group=ActionGroup.SYSTEM,
            action=RETENTION_ACTION,
            channel=Channel.SYSTEM,
            details={
                "older_than_days": older_than_days,
                "cutoff": cutoff.isoformat(),
                "removed": len(ids),
                "anchors": anchors,
            },
        )
    return len(ids)
