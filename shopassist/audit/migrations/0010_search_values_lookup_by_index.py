"""PostgreSQL: the search-value trigger's look-up always through its index (see
``search_values.create_trigger_function``): a plan cached while the table was small scanned it
whole for every row written afterwards. Reversed: the function as 0008 made it."""

from django.db import migrations

from shopassist.audit import search_values


def pin_to_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        search_values.create_trigger_function(cursor)


def unpin(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"ALTER FUNCTION {search_values.TRIGGER_FUNCTION}() RESET enable_seqscan")


class Migration(migrations.Migration):
    dependencies = [("audit", "0009_append_function")]
    operations = [migrations.RunPython(pin_to_index, unpin)]
