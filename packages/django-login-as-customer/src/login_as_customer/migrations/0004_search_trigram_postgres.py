"""Substring search of the Login as Customer Log (customer e-mail, admin, reason) over millions
of sessions: trigram indexes on PostgreSQL, matching Django's icontains (UPPER(col) LIKE …)."""

from django.db import migrations

TABLE = "login_as_customer_assistedsession"
COLUMNS = ("customer_email", "admin_username", "reason")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS lac_{column}_trgm ON {TABLE} "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS lac_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("login_as_customer", "0003_assistedsession_lac_admin_id_and_more")]
    operations = [migrations.RunPython(create, drop)]
