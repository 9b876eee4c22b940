"""The session's mode (full access or view only) joins the columns frozen once a session has
ended. On SQLite, adding the column (login_as_customer 0011) rebuilt the table and with it
dropped its triggers: they are installed again, with the new column."""

from django.db import migrations

from shopassist.audit.append_only import install_session_triggers


def reinstall_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS lac_session_frozen")
    install_session_triggers(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("lac_host", "0001_login_as_customer_records"),
        ("login_as_customer", "0011_session_mode"),
    ]
    operations = [migrations.RunPython(reinstall_triggers, migrations.RunPython.noop)]
