"""Database triggers that refuse UPDATE, DELETE and (PostgreSQL) TRUNCATE on the log tables.

The one way to delete is ``retention.prune`` (documented in docs/security.md): on PostgreSQL it
sets ``shopassist.audit_retention`` for its own transaction; on SQLite it opens the one-row
``audit_gate`` table (not a Django model, so ``flush`` never touches it) inside its transaction.
On PostgreSQL the log is partitioned by month (``partitions.py``): the row trigger of the parent
table is cloned by PostgreSQL onto every partition, present and future, but a TRUNCATE trigger
is not, so ``install_truncate_guard`` puts one on each partition as it is created.
"""

from contextlib import contextmanager

from django.db import connection

LOG_TABLE = "audit_actionlogentry"
SESSION_TABLE = "login_as_customer_assistedsession"
# Columns of an assisted session that are frozen once it has ended (foreign keys may still be
# set to NULL when the people they name are deleted).
FROZEN_SESSION_COLUMNS = (
    "admin_username",
    "customer_email",
    "customer_name",
    "store_view_code",
    "website_name",
    "reason",
    "mode",
    "consent_basis",
    "created_at",
    "started_at",
    "ended_at",
    "end_reason",
    "last_seen_at",
    "ip_address",
    "user_agent",
)

_SQLITE = [
    "CREATE TABLE IF NOT EXISTS audit_gate "
    "(id INTEGER PRIMARY KEY CHECK (id = 1), open INTEGER NOT NULL)",
    "INSERT OR IGNORE INTO audit_gate (id, open) VALUES (1, 0)",
    f"""CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON {LOG_TABLE}
        BEGIN SELECT RAISE(ABORT, 'the action log is append-only'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON {LOG_TABLE}
        WHEN COALESCE((SELECT open FROM audit_gate WHERE id = 1), 0) = 0
        BEGIN SELECT RAISE(ABORT, 'the action log is append-only'); END""",
]

_POSTGRES = [
    # OLD is NULL in the statement-level TRUNCATE trigger, whose result is ignored.
    """CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
    BEGIN
        IF TG_OP IN ('DELETE', 'TRUNCATE')
                AND current_setting('shopassist.audit_retention', true) = 'on' THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
    END; $$ LANGUAGE plpgsql""",
    f"DROP TRIGGER IF EXISTS audit_log_append_only ON {LOG_TABLE}",
    f"""CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON {LOG_TABLE}
        FOR EACH ROW EXECUTE FUNCTION audit_append_only()""",
]
TRUNCATE_TRIGGER = "audit_log_no_truncate"


# Written once, after the end has committed (Login as Customer's flows/end.py): frozen once set.
WRITE_ONCE_SESSION_COLUMNS = ("action_count",)


def _frozen_columns(schema_editor) -> list[str]:
    """The frozen columns the table has at this point of its migrations (a migration that
    installs the triggers runs before later ones add columns to the list)."""
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        present = {
            column.name
            for column in connection.introspection.get_table_description(cursor, SESSION_TABLE)
        }
    return [column for column in FROZEN_SESSION_COLUMNS if column in present], [
        column for column in WRITE_ONCE_SESSION_COLUMNS if column in present
    ]


def _session_sqlite(columns, write_once=()):
    changed = " OR ".join(
        [f"NEW.{c} IS NOT OLD.{c}" for c in columns]
        + [f"(OLD.{c} IS NOT NULL AND NEW.{c} IS NOT OLD.{c})" for c in write_once]
    )
    return [
        # Replaced, not kept: the columns it names change as the table gains some.
        "DROP TRIGGER IF EXISTS lac_session_frozen",
        f"""CREATE TRIGGER lac_session_frozen BEFORE UPDATE ON {SESSION_TABLE}
            WHEN OLD.ended_at IS NOT NULL AND ({changed})
            BEGIN SELECT RAISE(ABORT, 'an ended assisted session is append-only'); END""",
        f"""CREATE TRIGGER IF NOT EXISTS lac_session_no_delete BEFORE DELETE ON {SESSION_TABLE}
            WHEN COALESCE((SELECT open FROM audit_gate WHERE id = 1), 0) = 0
            BEGIN SELECT RAISE(ABORT, 'assisted sessions are append-only'); END""",
    ]


def _session_postgres(columns, write_once=()):
    changed = " OR ".join(
        [f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in columns]
        + [f"(OLD.{c} IS NOT NULL AND NEW.{c} IS DISTINCT FROM OLD.{c})" for c in write_once]
    )
    return [
        f"""CREATE OR REPLACE FUNCTION lac_session_append_only() RETURNS trigger AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                IF current_setting('shopassist.audit_retention', true) = 'on' THEN
                    RETURN OLD;
                END IF;
                RAISE EXCEPTION 'assisted sessions are append-only';
            END IF;
            IF OLD.ended_at IS NOT NULL AND ({changed}) THEN
                RAISE EXCEPTION 'an ended assisted session is append-only';
            END IF;
            RETURN NEW;
        END; $$ LANGUAGE plpgsql""",
        f"DROP TRIGGER IF EXISTS lac_session_append_only ON {SESSION_TABLE}",
        f"""CREATE TRIGGER lac_session_append_only BEFORE UPDATE OR DELETE ON {SESSION_TABLE}
            FOR EACH ROW EXECUTE FUNCTION lac_session_append_only()""",
    ]


def install_log_triggers(schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            install_log_guards(cursor)
        return
    for sql in _SQLITE:
        schema_editor.execute(sql, params=None)


def install_log_guards(cursor) -> None:
    """PostgreSQL: the row trigger on the log (cloned onto its partitions) and a TRUNCATE
    trigger on the log and on each of its partitions."""
    for sql in _POSTGRES:
        cursor.execute(sql)  # no parameters: "%" is plpgsql's own
    cursor.execute(
        "SELECT inhrelid::regclass::text FROM pg_inherits WHERE inhparent = to_regclass(%s)",
        [LOG_TABLE],
    )
    for table in [LOG_TABLE, *(name for (name,) in cursor.fetchall())]:
        install_truncate_guard(cursor, table)


def install_row_guard(cursor, table: str) -> None:
    """Refuse UPDATE and DELETE on a table that is no partition of the log any more (a month
    kept detached by retention loses the row trigger it had as a partition)."""
    cursor.execute(f"DROP TRIGGER IF EXISTS audit_log_append_only ON {table}")
    cursor.execute(
        f"CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION audit_append_only()"
    )


def install_truncate_guard(cursor, table: str) -> None:
    """Refuse TRUNCATE of one table of the log (PostgreSQL), unless the gate is open."""
    cursor.execute(f"DROP TRIGGER IF EXISTS {TRUNCATE_TRIGGER} ON {table}")
    cursor.execute(
        f"CREATE TRIGGER {TRUNCATE_TRIGGER} BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()"
    )


def install_session_triggers(schema_editor) -> None:
    columns, write_once = _frozen_columns(schema_editor)
    if schema_editor.connection.vendor == "postgresql":
        statements = _session_postgres(columns, write_once)
    else:
        statements = _SQLITE[:2] + _session_sqlite(columns, write_once)
    for sql in statements:
        schema_editor.execute(sql, params=None)  # no placeholders: "%" is plpgsql's own


@contextmanager
def deletion_allowed():
    """Open the gate for deletes inside the current transaction (retention only)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config('shopassist.audit_retention', 'on', true)")
        else:
            cursor.execute("UPDATE audit_gate SET open = 1 WHERE id = 1")
        try:
            yield
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT set_config('shopassist.audit_retention', 'off', true)")
            else:
                cursor.execute("UPDATE audit_gate SET open = 0 WHERE id = 1")
