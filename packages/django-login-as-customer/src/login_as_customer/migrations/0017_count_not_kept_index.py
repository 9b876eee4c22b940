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
    statement = INDEX.create_sql(model, schema_editor)
    if statement is not None:  # None: a database without partial indexes
        schema_editor.execute(str(statement).replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1))


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
