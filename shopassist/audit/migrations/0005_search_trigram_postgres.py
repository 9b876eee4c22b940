"""The Action Log Report's admin and customer e-mail filters match any part of the text in any
case (Django's icontains: UPPER(col::text) LIKE UPPER('%…%')). Over millions of entries that
needs trigram indexes on PostgreSQL, on the very expression icontains compares (as
login_as_customer 0004 does for the session log). Built CONCURRENTLY, outside a transaction,
so writers of the log are not held while a large table is indexed."""

from django.db import migrations

COLUMNS = ("admin_username", "customer_email")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = apps.get_model("audit", "ActionLogEntry")._meta.db_table
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS audit_{column}_trgm ON {table} "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS audit_{column}_trgm")


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("audit", "0004_security_round2")]
    operations = [migrations.RunPython(create, drop)]
