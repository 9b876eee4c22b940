"""ShopAssist's guarantees on Login as Customer's session records, under its audit policy: the
records are append-only (an ended session is frozen, none is deleted but by the retention
command, audit/append_only.py), and on PostgreSQL their admins and customer e-mails join the
values the log's partial filters look up first (audit/search_values.py).

Until this app existed, login_as_customer 0002, 0006 and 0007 did this; on a database that ran
them, this migration installs the same triggers again (each statement replaces or skips what is
there) and adds no value twice."""

from django.db import migrations

from shopassist.audit import search_values
from shopassist.audit.append_only import install_session_triggers


def install_triggers(apps, schema_editor):
    install_session_triggers(schema_editor)


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
    initial = True
    dependencies = [
        ("login_as_customer", "0009_assisted_action"),
        ("audit", "0008_search_values"),
    ]
    operations = [
        migrations.RunPython(install_triggers, migrations.RunPython.noop),
        migrations.RunPython(remember, forget),
    ]
