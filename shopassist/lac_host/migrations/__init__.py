from shopassist.audit.append_only import install_session_triggers


def reinstall_session_triggers(apps, schema_editor):
    """Install the session table's triggers again with the frozen columns it has now (SQLite
    rebuilds the table, and drops its triggers, when Login as Customer adds a column)."""
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS lac_session_frozen")
    install_session_triggers(schema_editor)
