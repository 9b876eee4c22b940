"""An entry is linked to its chain in its own statement (shopassist/audit/chained_insert.py):
each chain head keeps the time of its last entry; on PostgreSQL the PL/pgSQL function
audit_append_entry links and inserts an entry, on SQLite a trigger moves the head."""

from django.db import migrations, models

from shopassist.audit.chained_insert import (
    APPEND_FUNCTION,
    HEAD_TRIGGER,
    install_append_function,
    install_head_trigger,
)


def forward(apps, schema_editor):
    ChainHead = apps.get_model("audit", "ChainHead")
    ActionLogEntry = apps.get_model("audit", "ActionLogEntry")
    heads = ChainHead._meta.db_table
    log = ActionLogEntry._meta.db_table
    schema_editor.execute(
        f"UPDATE {heads} SET last_created_at = (SELECT created_at FROM {log} "  # noqa: S608
        f"WHERE {log}.chain = {heads}.chain AND {log}.seq = {heads}.seq)",
        params=None,
    )
    install_head_trigger(schema_editor)
    install_append_function(schema_editor, ActionLogEntry, ChainHead)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {HEAD_TRIGGER}", params=None)
    else:
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {APPEND_FUNCTION}", params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_search_trigram_postgres")]
    operations = [
        migrations.AddField(
            model_name="chainhead",
            name="last_created_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(forward, backward),
    ]
