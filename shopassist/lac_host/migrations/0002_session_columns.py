"""The session's new columns (login_as_customer 0011-0013): sessions that ended before Login as
Customer kept their number of journal entries get it from ShopAssist's action log; then the
mode and the consent basis join the columns frozen once a session has ended, and
``action_count`` is written once.
(On SQLite, adding a column with a default rebuilt the table and dropped its triggers: they are
installed again here.)"""

from django.db import migrations

from shopassist.audit.append_only import install_session_triggers

SESSIONS = "login_as_customer_assistedsession"
LOG = "audit_actionlogentry"


def count_from_the_action_log(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":  # one pass over the log
        sql = f"""UPDATE {SESSIONS} s SET action_count = c.n
                  FROM (SELECT assisted_session_id AS id, COUNT(*) AS n FROM {LOG}
                        WHERE assisted_session_id IS NOT NULL GROUP BY assisted_session_id) c
                  WHERE s.id = c.id AND s.ended_at IS NOT NULL AND s.action_count IS NULL"""
    else:
        sql = f"""UPDATE {SESSIONS} SET action_count = (SELECT COUNT(*) FROM {LOG} e
                  WHERE e.assisted_session_id = {SESSIONS}.id)
                  WHERE ended_at IS NOT NULL AND action_count IS NULL"""
    schema_editor.execute(sql, params=None)
    schema_editor.execute(
        f"UPDATE {SESSIONS} SET action_count = 0 "
        "WHERE ended_at IS NOT NULL AND action_count IS NULL",
        params=None,
    )


def install_triggers(apps, schema_editor):
    install_session_triggers(schema_editor)


class Migration(migrations.Migration):
    atomic = False  # the backfill must not hold the session writers behind its lock for long
    dependencies = [
        ("lac_host", "0001_login_as_customer_records"),
        ("login_as_customer", "0013_session_action_count"),
        ("audit", "0008_search_values"),
    ]
    operations = [
        migrations.RunPython(count_from_the_action_log, migrations.RunPython.noop),
        migrations.RunPython(install_triggers, migrations.RunPython.noop),
    ]
