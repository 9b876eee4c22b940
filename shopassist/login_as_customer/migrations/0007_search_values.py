"""PostgreSQL: the admins and customer e-mails of the assisted sessions join the values the
Login as Customer Log's partial filters look up first (audit 0008, shopassist/audit/
search_values.py): the trigger first, then the values already there, each committed on its
own. SQLite: nothing."""

from django.db import migrations

from shopassist.audit import search_values


def _session_table(apps):
    return apps.get_model("login_as_customer", "AssistedSession")._meta.db_table


def remember(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            search_values.remember_values_of(cursor, _session_table(apps))


def forget(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            search_values.forget_values_of(cursor, _session_table(apps))


class Migration(migrations.Migration):
    atomic = False  # the backfill must not hold the sessions' writers behind the trigger
    dependencies = [
        ("login_as_customer", "0006_assistedsession_last_seen_at"),
        ("audit", "0008_search_values"),
    ]
    operations = [migrations.RunPython(remember, forget)]
