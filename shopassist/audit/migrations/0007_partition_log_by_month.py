"""On PostgreSQL the action log becomes a table partitioned by month (shopassist/audit/
partitions.py): the old table is renamed, the partitioned one created with the same columns,
indexes and triggers, its rows copied in id order (ids and the id sequence kept) and the old
table dropped, in one transaction. The log is locked meanwhile: about a minute per million
entries (see docs/deploy.md). SQLite keeps its plain table. Django's model state is unchanged."""

from django.db import migrations
from django.utils import timezone

from shopassist.audit.partitions import convert_to_partitioned, convert_to_plain, is_partitioned


def partition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        if is_partitioned(cursor):
            return
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")  # the index builds
        convert_to_partitioned(cursor, now=timezone.now())


def unpartition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        if is_partitioned(cursor):
            convert_to_plain(cursor)


class Migration(migrations.Migration):
    dependencies = [("audit", "0006_chain_in_insert")]
    operations = [migrations.RunPython(partition, unpartition)]
