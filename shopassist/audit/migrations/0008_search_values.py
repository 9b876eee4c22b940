"""PostgreSQL: the distinct admins and customer e-mails of the action log, kept by the database
in ``audit_search_value`` for the log pages' partial filters (shopassist/audit/search_values.py,
substring_filter.py). The trigger is created on the (partitioned, since 0007) log before the
values already there are added, each step committed on its own, so that the log's writers are
held only while the trigger is created; the trigram indexes are built CONCURRENTLY last.
SQLite: nothing (its pages filter with plain icontains)."""

from django.db import migrations

from shopassist.audit import search_values


def _log_table(apps):
    return apps.get_model("audit", "ActionLogEntry")._meta.db_table


def _cursor(schema_editor):
    return schema_editor.connection.cursor()


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with _cursor(schema_editor) as cursor:
        search_values.create_values_table(cursor)
        search_values.remember_values_of(cursor, _log_table(apps))
        search_values.create_trigram_indexes(cursor)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with _cursor(schema_editor) as cursor:
        search_values.forget_values_of(cursor, _log_table(apps))
        search_values.drop_values_table(cursor)


class Migration(migrations.Migration):
    atomic = False  # each statement commits on its own (see above)
    dependencies = [("audit", "0007_partition_log_by_month")]
    operations = [migrations.RunPython(create, drop)]
