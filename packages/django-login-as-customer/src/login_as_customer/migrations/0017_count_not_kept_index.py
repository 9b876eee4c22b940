# The index of ended sessions without a kept action count (normally none), for the sweep
# (overdue.keep_missing_counts). Created "IF NOT EXISTS": on a large table an operator creates it
# beforehand without holding writes (PostgreSQL's CREATE INDEX CONCURRENTLY, docs/deploy.md), and
# this migration then finds it there.

from django.db import migrations, models

INDEX = models.Index(
    condition=models.Q(("action_count__isnull", True), ("ended_at__isnull", False)),
    fields=["ended_at"],
    name="lac_count_not_kept",
)


def create_index(apps, schema_editor):
    model = apps.get_model("login_as_customer", "AssistedSession")
    if schema_editor.connection.vendor == "postgresql":
        # An interrupted CREATE INDEX CONCURRENTLY leaves an invalid index of that name, which
        # IF NOT EXISTS would keep: it is dropped and made again.
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                "WHERE c.relname = %s AND pg_table_is_visible(c.oid)",
                [INDEX.name],
            )
            row = cursor.fetchone()
        if row is not None and not row[0]:
            schema_editor.execute(f'DROP INDEX "{INDEX.name}"')
    statement = str(INDEX.create_sql(model, schema_editor))
    schema_editor.execute(statement.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1))


def drop_index(apps, schema_editor):
    model = apps.get_model("login_as_customer", "AssistedSession")
    schema_editor.remove_index(model, INDEX)


class Migration(migrations.Migration):

    dependencies = [
        ("login_as_customer", "0016_end_reason_customer_is_staff"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name="assistedsession", index=INDEX)],
            database_operations=[migrations.RunPython(create_index, drop_index)],
        ),
    ]
